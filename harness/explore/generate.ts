// Seeded schedules from a weighted grammar (Jepsen's generators): a handoff pattern — one fault,
// two overlapping, the lease handed A→B, A→B→A, A→B→C, two releases in a row — filled with cells
// drawn from the reachable map, the cells hit least so far drawn most (FoundationDB's buggify
// counts what was covered; here the count steers). The same seed and the same hits give the same
// schedule, so a run of the explorer replays.
import type { Timing } from '../../coordination/timing.ts';
import { between } from '../random.ts';
import type { Schedule, Step } from '../schedule/schedule.ts';
import { cellKey, stepFor, type Cell } from './cells.ts';

export interface Grammar {
  reachable: Cell[];
  /** Times each cell was hit (reached) so far. */
  hits: ReadonlyMap<string, number>;
  timing: Timing;
  instances: number;
  partitions: number;
}

type Pick = (where: (c: Cell) => boolean) => Cell | undefined;

/** Steps that take the lease away from its holder (the start of every handoff pattern). */
const DISRUPTS = new Set(['kill', 'terminate', 'pause', 'store-drop', 'store-hold', 'store-cut']);

type Planned = Cell & { gapMs?: number; fixed?: Partial<Step> };
interface Pattern { id: string; weight: number; steps(pick: Pick, g: Grammar, rnd: () => number): Planned[] }

const PATTERNS: Pattern[] = [
  { id: 'one fault', weight: 3, steps: (pick) => [pick(() => true)!] },
  // A second fault inside the first's window: a pause during a store hold, a clock step while frozen.
  {
    id: 'two at once', weight: 3,
    steps: (pick, g) => {
      const first = pick((c) => c.role === 'holder' && !['kill', 'terminate', 'stop'].includes(c.kind))!;
      const second = pick((c) => c.role === 'holder' && c.trigger === 'time' && c.kind !== first.kind);
      return second ? [first, { ...second, gapMs: g.timing.retryMs }] : [first];
    },
  },
  {
    id: 'A→B', weight: 2,
    steps: (pick) => [pick((c) => c.role === 'holder' && DISRUPTS.has(c.kind))!, pick((c) => c.role === 'next-holder')].filter((c): c is Cell => !!c),
  },
  {
    id: 'A→B→A', weight: 2,
    steps: (pick, g) => {
      const back = pick((c) => c.role === 'previous-holder');
      return [
        { kind: 'pause', role: 'holder', trigger: 'renewed', fixed: { action: { do: 'fault', fault: 'pause', params: {}, ms: g.timing.leaseMs * 2 } } },
        { kind: 'terminate', role: 'next-holder', trigger: 'acquired', fixed: { restartAfterMs: g.timing.leaseMs } },
        ...(back ? [back] : []),
      ];
    },
  },
  {
    id: 'A→B→C', weight: 2,
    steps: (pick) => [
      { kind: 'kill', role: 'holder', trigger: 'sent' },
      { kind: 'kill', role: 'next-holder', trigger: 'acquired' },
      ...[pick((c) => c.role === 'next-holder')].filter((c): c is Cell => !!c),
    ],
  },
  // A dead holder's delayed write (Jepsen's classic): its next request, to the store or the
  // receiver, held in the network past a takeover; it dies meanwhile, and the request lands late.
  {
    id: 'delayed write', weight: 2,
    steps: (pick, g, rnd) => {
      const hold = pick((c) => c.role === 'holder' && (c.kind === 'store-hold' || c.kind === 'sink-hold') && ['send', 'sent', 'delivered', 'renewed'].includes(c.trigger)) ?? { kind: 'sink-hold', role: 'holder', trigger: 'sent' };
      const path = hold.kind === 'store-hold' ? 'store' : 'sink';
      return [
        { ...hold, fixed: { action: { do: 'fault', fault: 'network', params: { path, mode: { kind: 'hold' } }, ms: between(rnd, g.timing.leaseMs + g.timing.retryMs, 3 * g.timing.leaseMs) } } },
        { kind: 'kill', role: 'holder', trigger: 'time', gapMs: between(rnd, 0, g.timing.retryMs), fixed: { restartAfterMs: between(rnd, 0, 2 * g.timing.leaseMs) } },
      ];
    },
  },
  {
    id: 'two releases', weight: 1,
    steps: () => [{ kind: 'terminate', role: 'holder', trigger: 'send' }, { kind: 'terminate', role: 'next-holder', trigger: 'acquired', gapMs: 0 }],
  },
];

/** One schedule: a pattern, its cells, their parameters; `origin` names where it came from. */
export function generateSchedule(rnd: () => number, g: Grammar, origin: string): Schedule {
  const reachable = new Set(g.reachable.map(cellKey));
  const pick: Pick = (where) => weightedCell(rnd, g.reachable.filter(where), g.hits);
  const pattern = weighted(rnd, PATTERNS.map((p) => [p, p.weight] as const));
  const cells: Planned[] = pattern.steps(pick, g, rnd).filter((c) => reachable.has(cellKey(c)));
  const steps = (cells.length ? cells : [pick(() => true)! as Planned]).map((c, i) => ({
    ...stepFor(c, c.gapMs ?? (i === 0 ? between(rnd, 0, g.timing.leaseMs) : between(rnd, 0, g.timing.leaseMs / 2)), rnd, g.timing),
    ...c.fixed,
  }));
  return { version: 1, instances: g.instances, partitions: g.partitions, steps, origin: `${origin}, ${cells.length ? pattern.id : 'one fault'}` };
}

/** A cell never hit weighs 10, one hit n times 1 / (1 + n). */
function weightedCell(rnd: () => number, cells: Cell[], hits: ReadonlyMap<string, number>): Cell | undefined {
  if (!cells.length) return undefined;
  return weighted(rnd, cells.map((c) => { const n = hits.get(cellKey(c)) ?? 0; return [c, n === 0 ? 10 : 1 / (1 + n)] as const; }));
}

function weighted<T>(rnd: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let r = rnd() * total;
  for (const [x, w] of items) if ((r -= w) < 0) return x;
  return items.at(-1)![0];
}
