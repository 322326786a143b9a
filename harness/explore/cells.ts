// What `baton explore` can try, as data: every kind of fault step (a fault of the registry with
// its parameters drawn, or a STOP), which roles it makes sense on, and at which moments of that
// role's loop. A coverage cell is kind × role × trigger; the reachable cells of a store are the
// ones whose fault can run there (SQLite has no network path and no steppable clock).
import type { Timing } from '../../coordination/timing.ts';
import { between } from '../random.ts';
import { FAULTS, type FaultEnv, type FaultName, type FaultParams } from '../faults/faults.ts';
import type { MomentType } from '../scenario.ts';
import type { Action, Role, Step } from '../schedule/schedule.ts';

type Draw = (rnd: () => number, t: Timing) => { action: Action; restartAfterMs?: number };

export interface StepKind {
  id: string;
  /** The fault of the registry this kind injects (for availability), or undefined for a command. */
  fault?: FaultName;
  params?: FaultParams[FaultName];
  roles: Role[];
  draw: Draw;
}

const fault = <N extends FaultName>(f: N, params: FaultParams[N], ms?: (rnd: () => number, t: Timing) => number): Draw =>
  (rnd, t) => ({ action: { do: 'fault', fault: f, params, ...(ms ? { ms: ms(rnd, t) } : {}) } as Action });
/** Windows short of a lease, past it, or around the renew deadline: where a lease's safety is decided. */
const window = (rnd: () => number, t: Timing) => [between(rnd, t.retryMs, t.renewDeadlineMs), between(rnd, t.renewDeadlineMs, t.leaseMs),
  between(rnd, t.leaseMs, 2 * t.leaseMs)][between(rnd, 0, 2)]!;
const restart: Draw = (rnd, t) => ({ action: { do: 'fault', fault: 'kill', params: {} }, restartAfterMs: between(rnd, t.retryMs, 2 * t.leaseMs) });
const net = (path: 'store' | 'sink', mode: FaultParams['network']['mode']) => fault('network', { path, mode }, window);

const DEPLOYED: Role[] = ['holder', 'standby', 'previous-holder', 'next-holder', 'holder-of-p1'];
const SENDERS: Role[] = ['holder', 'next-holder', 'holder-of-p1', 'previous-holder'];

export const STEP_KINDS: StepKind[] = [
  { id: 'kill', fault: 'kill', roles: DEPLOYED, draw: restart },
  { id: 'terminate', fault: 'terminate', roles: DEPLOYED, draw: (rnd, t) => ({ action: { do: 'fault', fault: 'terminate', params: {} }, restartAfterMs: between(rnd, t.retryMs, 2 * t.leaseMs) }) },
  { id: 'pause', fault: 'pause', roles: DEPLOYED, draw: fault('pause', {}, window) },
  { id: 'clock-back', fault: 'clock-step', params: { offsetMs: -1 }, roles: DEPLOYED, draw: (rnd) => fault('clock-step', { offsetMs: -between(rnd, 2, 600) * 1000 })(rnd, {} as Timing) },
  { id: 'clock-forward', fault: 'clock-step', params: { offsetMs: 1 }, roles: DEPLOYED, draw: (rnd) => fault('clock-step', { offsetMs: between(rnd, 2, 1200) * 1000 })(rnd, {} as Timing) },
  { id: 'clock-forward-both', fault: 'clock-step', params: { offsetMs: 1, clocks: 'both' }, roles: DEPLOYED,
    draw: (rnd) => fault('clock-step', { offsetMs: between(rnd, 2, 1200) * 1000, clocks: 'both' })(rnd, {} as Timing) },
  { id: 'store-hold', fault: 'network', params: { path: 'store', mode: { kind: 'pass' } }, roles: DEPLOYED, draw: net('store', { kind: 'hold' }) },
  { id: 'store-drop', fault: 'network', params: { path: 'store', mode: { kind: 'pass' } }, roles: DEPLOYED, draw: net('store', { kind: 'blackhole' }) },
  { id: 'store-replies-lost', fault: 'network', params: { path: 'store', mode: { kind: 'pass' } }, roles: DEPLOYED, draw: net('store', { kind: 'blackhole', direction: 'down' }) },
  { id: 'store-reset', fault: 'network', params: { path: 'store', mode: { kind: 'pass' } }, roles: DEPLOYED, draw: net('store', { kind: 'reset' }) },
  { id: 'store-slow', fault: 'network', params: { path: 'store', mode: { kind: 'pass' } }, roles: DEPLOYED,
    draw: (rnd, t) => net('store', { kind: 'latency', ms: between(rnd, 20, t.retryMs * 2) })(rnd, t) },
  { id: 'sink-hold', fault: 'network', params: { path: 'sink', mode: { kind: 'pass' } }, roles: SENDERS, draw: net('sink', { kind: 'hold' }) },
  { id: 'sink-drop', fault: 'network', params: { path: 'sink', mode: { kind: 'pass' } }, roles: SENDERS, draw: net('sink', { kind: 'blackhole' }) },
  { id: 'sink-replies-lost', fault: 'network', params: { path: 'sink', mode: { kind: 'pass' } }, roles: SENDERS, draw: net('sink', { kind: 'blackhole', direction: 'down' }) },
  { id: 'sink-reset', fault: 'network', params: { path: 'sink', mode: { kind: 'pass' } }, roles: SENDERS, draw: net('sink', { kind: 'reset' }) },
  { id: 'receiver-slow', fault: 'receiver', roles: SENDERS, draw: (rnd, t) => fault('receiver', { mode: { kind: 'slow', ms: between(rnd, 200, 3000) } }, window)(rnd, t) },
  { id: 'receiver-reset', fault: 'receiver', roles: SENDERS, draw: fault('receiver', { mode: { kind: 'reset' } }, (rnd, t) => between(rnd, 100, t.leaseMs)) },
  { id: 'receiver-unavailable', fault: 'receiver', roles: SENDERS, draw: fault('receiver', { mode: { kind: 'unavailable' } }, window) },
  { id: 'store-stall', fault: 'store-stall', roles: ['store'], draw: fault('store-stall', {}, window) },
  { id: 'store-cut', fault: 'store-cut', roles: DEPLOYED, draw: fault('store-cut', {}) },
  { id: 'stop', roles: DEPLOYED, draw: () => ({ action: { do: 'command', cmd: 'stop' } }) },
];

/** The moments each role's loop offers (a standby never sends; the next holder is found by its acquire). */
export const ROLE_TRIGGERS: Record<string, (MomentType | 'time')[]> = {
  holder: ['time', 'renewed', 'send', 'sent', 'delivered', 'lost'],
  standby: ['time', 'denied'],
  // Its next acquire is the lease coming back (A→B→A).
  'previous-holder': ['time', 'acquired', 'denied'],
  'next-holder': ['acquired', 'renewed', 'send', 'sent'],
  'holder-of-p1': ['time', 'renewed', 'sent'],
  store: ['time'],
};

export interface Cell { kind: string; role: Role; trigger: MomentType | 'time' }
export const cellKey = (c: Cell) => `${c.kind} · ${c.role} · ${c.trigger}`;

/** Why a kind cannot run here, or true. */
export function kindAvailable(k: StepKind, env: FaultEnv): true | string {
  return k.fault ? FAULTS[k.fault].available(env, k.params as never) : true;
}

/** Every cell the grammar can produce, split into those this store and worker can reach and those it cannot (with why). */
export function allCells(env: FaultEnv, partitions: number): { reachable: Cell[]; unreachable: { cell: Cell; why: string }[] } {
  const reachable: Cell[] = [];
  const unreachable: { cell: Cell; why: string }[] = [];
  for (const k of STEP_KINDS) {
    const why = kindAvailable(k, env);
    for (const role of k.roles.filter((r) => partitions > 1 || r !== 'holder-of-p1')) {
      for (const trigger of ROLE_TRIGGERS[role]!) {
        const cell = { kind: k.id, role, trigger };
        if (why === true) reachable.push(cell);
        else unreachable.push({ cell, why });
      }
    }
  }
  return { reachable, unreachable };
}

/** The step a cell stands for, its parameters drawn. */
export function stepFor(cell: Cell, gapMs: number, rnd: () => number, t: Timing): Step {
  const k = STEP_KINDS.find((x) => x.id === cell.kind)!;
  const { action, restartAfterMs } = k.draw(rnd, t);
  const delayMs = cell.trigger === 'time' ? undefined : [0, 0, between(rnd, 1, t.retryMs)][between(rnd, 0, 2)];
  return {
    role: cell.role, gapMs, ...(cell.trigger === 'time' ? {} : { after: cell.trigger }), ...(delayMs ? { delayMs } : {}), action,
    ...(restartAfterMs !== undefined ? { restartAfterMs } : {}),
  };
}

/** The cell a step stands for (its kind recognised from its action), or undefined for a hand-written step no kind matches. */
export function cellOfStep(st: Step): Cell | undefined {
  const a = st.action;
  const kind = a.do === 'command' ? (a.cmd === 'stop' ? 'stop' : undefined) : kindOfFault(a.fault, a.params as Record<string, unknown>);
  return kind ? { kind, role: st.role, trigger: st.after ?? 'time' } : undefined;
}

function kindOfFault(f: FaultName, p: Record<string, unknown>): string | undefined {
  if (f === 'clock-step') return (p.offsetMs as number) < 0 ? 'clock-back' : p.clocks === 'both' ? 'clock-forward-both' : 'clock-forward';
  if (f === 'receiver') return `receiver-${(p.mode as { kind: string }).kind}`;
  if (f === 'network') {
    const m = p.mode as { kind: string; direction?: string };
    const how = m.kind === 'blackhole' ? (m.direction === 'down' ? 'replies-lost' : 'drop') : m.kind === 'latency' ? 'slow' : m.kind;
    return `${p.path}-${how}`;
  }
  return f;
}
