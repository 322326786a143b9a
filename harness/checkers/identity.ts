import { INSTANCE_ID_PATTERN } from '../../coordination/identity.ts';
import { ofType, type History } from '../history.ts';
import { check, line, notExercised, type Check } from './check.ts';

export function idsUnique(h: History): Check {
  const started = ofType(h, 'started');
  const ids = new Set(started.map((e) => String(e.id)));
  return check('instance IDs unique', started.length > 1 && ids.size === started.length, `${ids.size} distinct of ${started.length}`, 'ids',
    'all distinct, at least 2 processes', started.map(line));
}

export function idsWellFormed(h: History): Check {
  const started = ofType(h, 'started');
  const bad = started.filter((e) => !INSTANCE_ID_PATTERN.test(String(e.id)));
  return check('instance IDs are 16 lowercase hex chars', started.length > 0 && bad.length === 0, bad.length, 'malformed', '0',
    (bad.length ? bad : started).map(line));
}

/** Every line a process printed carries the ID it started with, and asking twice gives the same. */
export function idsStable(h: History): Check {
  const ids = new Map(ofType(h, 'started').map((e) => [e.source, String(e.id)]));
  const drift = h.events.filter((e) => e.instance !== undefined && ids.has(e.source) && e.instance !== ids.get(e.source));
  const twice = ofType(h, 'started').filter((e) => e.idAgain !== e.id);
  const lines = h.events.filter((e) => e.instance !== undefined).length;
  return check('instance ID stable within each process', ids.size > 0 && drift.length + twice.length === 0,
    drift.length + twice.length, `changes over ${lines} lines`, '0', [...drift, ...twice].map(line));
}

/**
 * Judged on what deployments did, not on what they printed: each instance ID that reached the
 * receiver came through one deployment's network path, and each ID that took or used a lease was
 * one deployment's. Two deployments acting under one ID (an ID derived from a PID or a hostname,
 * the same in every container) defeat any lock that lets an ID re-enter its own lease.
 */
export function idsActAlone(h: History): Check {
  const name = 'each instance ID acts from one deployment';
  const bound = '1 deployment per ID (deliveries by network path; acquire, renew and send lines by process)';
  const deployments = new Set(ofType(h, 'started').map((e) => e.source));
  if (deployments.size < 2) return notExercised(name, 'fewer than two deployments started', bound);
  const users = new Map<string, { delivered: Set<string>; acted: Set<string> }>();
  const of = (id: string) => users.get(id) ?? users.set(id, { delivered: new Set(), acted: new Set() }).get(id)!;
  for (const d of h.deliveries) if (d.via) of(d.instance).delivered.add(d.via);
  for (const e of ofType(h, 'acquired', 'renewed', 'send')) if (typeof e.instance === 'string' && e.source !== 'harness') of(e.instance).acted.add(e.source);
  const shared = [...users].filter(([, u]) => u.delivered.size > 1 || u.acted.size > 1);
  const evidence = shared.map(([id, u]) => `instance ${id}: ${[
    u.delivered.size > 1 ? `delivered through ${[...u.delivered].join(', ')}` : '',
    u.acted.size > 1 ? `took or used a lease in ${[...u.acted].join(', ')}` : '',
  ].filter(Boolean).join('; ')}`);
  return check(name, shared.length === 0, shared.length, 'IDs shared by deployments', bound,
    shared.length ? evidence : [`${users.size} IDs acted, each from one deployment`]);
}

/** Whether the deployments ran as containers (harness/containers.ts), from the run's `containers` event. */
export function ranAsContainers(h: History): Check {
  const name = 'deployments ran as containers';
  const bound = 'each in its own PID and UTS namespace';
  const e = ofType(h, 'containers').find((x) => x.source === 'harness');
  if (!e) return notExercised(name, 'the deployments ran on the host', bound);
  if (e.unavailable) return notExercised(name, `not permitted here: ${String(e.unavailable)}`, bound);
  const started = ofType(h, 'started');
  return check(name, true, `${started.length} deployment(s), host "${String(e.hostname)}"`, '', bound,
    started.map((s) => `${s.source}: pid ${String(s.pid ?? 'not reported')} in its namespace`));
}
