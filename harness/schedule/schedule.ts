// A fault schedule as plain data (Jepsen's generator output, etcd's scenario table): which
// deployment to hit, chosen by its role when the step comes up rather than by name; when, as a gap
// after the previous step or as a protocol moment of that deployment; and what to do to it. A
// schedule is saved as JSON, replayed with `baton verify --schedule FILE`, generated and shrunk by
// `baton explore`. Parsing is strict: a schedule from a file gets one clear line for its first error.
import type { MomentType } from '../scenario.ts';
import { FAULTS, type FaultName, type FaultParams } from '../faults/faults.ts';

/**
 * Who a step hits, resolved when the step comes up:
 * - `holder`: the holder of the lease (of partition 0 when there are several);
 * - `standby`: a running deployment holding no lease;
 * - `previous-holder`: the deployment that held the lease before the current holder;
 * - `next-holder`: the next deployment to acquire the lease (the step waits for it);
 * - `holder-of-p<N>`: the holder of partition N's lease;
 * - `store`: the store itself (store-stall).
 */
export type Role = 'holder' | 'standby' | 'previous-holder' | 'next-holder' | `holder-of-p${number}` | 'store';

/** What a step does. Faults with a window heal after `ms`; the others are instants. */
export type Action =
  | { [N in FaultName]: { do: 'fault'; fault: N; params: FaultParams[N]; ms?: number } }[FaultName]
  /** START or STOP sent through the target, as from any deployment's console. */
  | { do: 'command'; cmd: 'start' | 'stop' };

export interface Step {
  role: Role;
  /** ms after the previous step began (the first: after the fleet is running). */
  gapMs: number;
  /** Then, if set, wait for the target's next protocol moment, plus `delayMs`. */
  after?: MomentType;
  delayMs?: number;
  action: Action;
  /** For kill and terminate: the deployment comes back after this long, as its platform restarts it. */
  restartAfterMs?: number;
}

export interface Schedule {
  version: 1;
  /** Deployments d1 … dN. */
  instances: number;
  partitions: number;
  steps: Step[];
  /** Where it came from: `explore seed 7 #12`, `shrunk from …` (informative only). */
  origin?: string;
}

export const ROLES_FIXED = ['holder', 'standby', 'previous-holder', 'next-holder', 'store'] as const;
const MOMENTS: MomentType[] = ['acquired', 'renewed', 'send', 'sent', 'released', 'lost', 'denied', 'delivered'];

export class ScheduleError extends Error {}

const fail = (where: string, what: string): never => { throw new ScheduleError(`schedule ${where}: ${what}`); };
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const whole = (v: unknown, where: string, min: number, max = Infinity): number =>
  (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : fail(where, `must be a whole number from ${min}${max < Infinity ? ` to ${max}` : ''}, got ${JSON.stringify(v)}`));

export function isRole(v: unknown): v is Role {
  return (ROLES_FIXED as readonly unknown[]).includes(v) || (typeof v === 'string' && /^holder-of-p\d+$/.test(v));
}

/** The partition a role names (`holder-of-p2` → 2), else undefined. */
export const rolePartition = (r: Role): number | undefined => (r.startsWith('holder-of-p') ? Number(r.slice('holder-of-p'.length)) : undefined);

/** Reads a schedule from parsed JSON, checking every field; throws ScheduleError naming the first bad one. */
export function parseSchedule(raw: unknown): Schedule {
  if (!isObj(raw)) fail('', 'must be a JSON object with version, instances, partitions, steps');
  const o = raw as Record<string, unknown>;
  if (o.version !== 1) fail('version', `must be 1, got ${JSON.stringify(o.version)}`);
  const instances = whole(o.instances, 'instances', 2, 16);
  const partitions = whole(o.partitions, 'partitions', 1, 16);
  if (!Array.isArray(o.steps) || o.steps.length === 0) fail('steps', 'must be a non-empty list');
  const steps = (o.steps as unknown[]).map((s, i) => parseStep(s, `steps[${i}]`, partitions));
  return { version: 1, instances, partitions, steps, ...(typeof o.origin === 'string' ? { origin: o.origin } : {}) };
}

function parseStep(raw: unknown, where: string, partitions: number): Step {
  if (!isObj(raw)) fail(where, 'must be an object with role, gapMs and action');
  const s = raw as Record<string, unknown>;
  if (!isRole(s.role)) fail(`${where}.role`, `must be one of ${ROLES_FIXED.join(', ')} or holder-of-p<N>, got ${JSON.stringify(s.role)}`);
  const role = s.role as Role;
  const p = rolePartition(role);
  if (p !== undefined && p >= partitions) fail(`${where}.role`, `${role}: the schedule has ${partitions} partition(s)`);
  const gapMs = whole(s.gapMs, `${where}.gapMs`, 0, 600_000);
  if (s.after !== undefined && !MOMENTS.includes(s.after as MomentType)) fail(`${where}.after`, `must be one of ${MOMENTS.join(', ')}, got ${JSON.stringify(s.after)}`);
  if (s.after !== undefined && role === 'store') fail(`${where}.after`, 'the store prints no protocol lines: give a deployment role');
  const delayMs = s.delayMs === undefined ? undefined : whole(s.delayMs, `${where}.delayMs`, 0, 60_000);
  const action = parseAction(s.action, `${where}.action`, role);
  const restarts = action.do === 'fault' && (action.fault === 'kill' || action.fault === 'terminate');
  if (s.restartAfterMs !== undefined && !restarts) fail(`${where}.restartAfterMs`, 'only a kill or terminate step restarts its deployment');
  const restartAfterMs = s.restartAfterMs === undefined ? undefined : whole(s.restartAfterMs, `${where}.restartAfterMs`, 0, 600_000);
  return {
    role, gapMs, ...(s.after !== undefined ? { after: s.after as MomentType } : {}), ...(delayMs !== undefined ? { delayMs } : {}), action,
    ...(restartAfterMs !== undefined ? { restartAfterMs } : {}),
  };
}

function parseAction(raw: unknown, where: string, role: Role): Action {
  if (!isObj(raw)) fail(where, 'must be an object with "do"');
  const a = raw as Record<string, unknown>;
  if (a.do === 'command') {
    if (a.cmd !== 'start' && a.cmd !== 'stop') fail(`${where}.cmd`, `must be start or stop, got ${JSON.stringify(a.cmd)}`);
    return { do: 'command', cmd: a.cmd as 'start' | 'stop' };
  }
  if (a.do !== 'fault') fail(`${where}.do`, `must be fault or command, got ${JSON.stringify(a.do)}`);
  const fault = a.fault as FaultName;
  if (!Object.hasOwn(FAULTS, fault)) fail(`${where}.fault`, `must be one of ${Object.keys(FAULTS).join(', ')}, got ${JSON.stringify(a.fault)}`);
  if ((fault === 'store-stall') !== (role === 'store')) fail(where, fault === 'store-stall' ? 'store-stall is a fault of the store: role must be "store"' : `role "store" takes only store-stall, not ${fault}`);
  if (a.params !== undefined && !isObj(a.params)) fail(`${where}.params`, 'must be an object');
  const windowed = !FAULTS[fault].instant;
  if (windowed && a.ms === undefined) fail(`${where}.ms`, `${fault} needs a duration in ms`);
  if (!windowed && a.ms !== undefined) fail(`${where}.ms`, `${fault} is an instant: it takes no ms`);
  const ms = windowed ? whole(a.ms, `${where}.ms`, 1, 600_000) : undefined;
  const params = (a.params ?? {}) as Record<string, unknown>;
  checkParams(fault, params, `${where}.params`);
  return { do: 'fault', fault, params: params as never, ...(ms !== undefined ? { ms } : {}) } as Action;
}

const oneOf = (v: unknown, allowed: readonly unknown[], where: string) => {
  if (!allowed.includes(v)) fail(where, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
};

/** The parameters each fault reads (the fault files' own types), checked before anything runs. */
function checkParams(fault: FaultName, p: Record<string, unknown>, where: string): void {
  if (fault === 'network') {
    oneOf(p.path, ['store', 'sink'], `${where}.path`);
    const m = isObj(p.mode) ? p.mode : fail(`${where}.mode`, 'must be an object with kind');
    oneOf(m.kind, ['pass', 'latency', 'blackhole', 'reset', 'hold'], `${where}.mode.kind`);
    if (m.kind === 'latency') whole(m.ms, `${where}.mode.ms`, 1, 60_000);
    if (m.direction !== undefined) oneOf(m.direction, ['up', 'down'], `${where}.mode.direction`);
  } else if (fault === 'clock-step') {
    if (!Number.isInteger(p.offsetMs) || p.offsetMs === 0) fail(`${where}.offsetMs`, `must be a non-zero whole number of ms, got ${JSON.stringify(p.offsetMs)}`);
    if (p.clocks !== undefined) oneOf(p.clocks, ['wall', 'both'], `${where}.clocks`);
    if (p.clocks === 'both' && (p.offsetMs as number) < 0) fail(`${where}.offsetMs`, 'a monotonic clock never steps back: step both clocks forward only');
  } else if (fault === 'receiver') {
    const m = isObj(p.mode) ? p.mode : fail(`${where}.mode`, 'must be an object with kind');
    oneOf(m.kind, ['slow', 'reset', 'unavailable'], `${where}.mode.kind`);
    if (m.kind === 'slow') whole(m.ms, `${where}.mode.ms`, 1, 60_000);
  } else if (Object.keys(p).length) fail(where, `${fault} takes no parameters`);
}

/** The schedule in words, one line per step: what `baton explore` prints for a shrunk failure. */
export function describeSchedule(s: Schedule): string[] {
  return s.steps.map((st, i) => `${i + 1}. +${st.gapMs} ms${st.after ? `, after its next ${st.after}${st.delayMs ? ` + ${st.delayMs} ms` : ''}` : ''}: ${describeAction(st.action)} → ${st.role}` +
    (st.restartAfterMs !== undefined ? `, restarted ${st.restartAfterMs} ms later` : ''));
}

export function describeAction(a: Action): string {
  if (a.do === 'command') return a.cmd.toUpperCase();
  const params = Object.keys(a.params).length ? ` ${JSON.stringify(a.params)}` : '';
  return `${a.fault}${params}${a.ms ? ` for ${a.ms} ms` : ''}`;
}
