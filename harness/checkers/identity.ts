import { INSTANCE_ID_PATTERN } from '../../coordination/identity.ts';
import { ofType, type History } from '../history.ts';
import { check, line, type Check } from './check.ts';

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
