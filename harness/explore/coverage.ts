// What a run of a schedule really covered: each step whose role had a deployment and whose moment
// came (its `step n: role = dX` mark) and whose fault reached its target — bytes held on a path
// the worker uses, the process seen stopped, the clock seen moved, the process seen to exit, the
// STOP acknowledged. A fault that never reached the worker is not coverage. And the handoff
// pattern the lease went through (A→B, A→B→A, A→B→C), measured from who held it.
import { byTime, type History } from '../history.ts';
import { holds } from '../checkers/leases.ts';
import { reachOf } from '../checkers/reach.ts';
import type { Schedule } from '../schedule/schedule.ts';
import { leaseOf } from '../schedule/play.ts';
import { cellKey, cellOfStep } from './cells.ts';

export interface StepCoverage { step: number; cell?: string; outcome: 'reached' | 'missed' | 'skipped'; detail: string }

const STEP_MARK = /^step (\d+): \S+ = (\S*)$/;
const SKIP_MARK = /^step (\d+) skipped: (.*)$/;

export function stepCoverage(s: Schedule, h: History): StepCoverage[] {
  const marks = h.events.filter((e) => e.type === 'mark');
  return s.steps.map((st, i) => {
    const n = i + 1;
    const cell = cellOfStep(st);
    const base = { step: n, ...(cell ? { cell: cellKey(cell) } : {}) };
    const skipped = marks.map((m) => SKIP_MARK.exec(String(m.name))).find((m) => m && Number(m[1]) === n);
    if (skipped) return { ...base, outcome: 'skipped', detail: skipped[2]! };
    const mark = marks.find((m) => { const x = STEP_MARK.exec(String(m.name)); return x && Number(x[1]) === n; });
    if (!mark) return { ...base, outcome: 'skipped', detail: 'the run ended before this step' };
    const target = STEP_MARK.exec(String(mark.name))![2]!;
    const r = stepReached(h, st.action, target, mark.t);
    return { ...base, outcome: r.reached ? 'reached' : 'missed', detail: r.text };
  });
}

function stepReached(h: History, a: Schedule['steps'][number]['action'], target: string, t: number): { reached: boolean; text: string } {
  const later = byTime(h.events.filter((e) => e.t >= t));
  if (a.do === 'command') {
    const ack = later.find((e) => e.type === 'ack' && e.cmd === a.cmd && e.source === target);
    return { reached: !!ack, text: ack ? `${target} acknowledged ${a.cmd.toUpperCase()}` : `${target} never acknowledged ${a.cmd.toUpperCase()}` };
  }
  const start = later.find((e) => e.type === 'fault' && e.phase === 'start' && e.fault === a.fault && (e.target ?? '') === target);
  if (!start) return { reached: false, text: `${a.fault} was never injected` };
  if (a.fault === 'kill' || a.fault === 'terminate') {
    const exit = later.find((e) => e.type === 'exit' && e.source === target && e.t >= start.t);
    return { reached: !!exit, text: exit ? `${target} exited (${exit.signal ?? exit.code})` : `${target} never exited` };
  }
  const r = reachOf(h, start);
  // A fault that cannot measure its reach (a SQLite stall) counts, as in the fault-reach check.
  return { reached: r.reached !== false && !r.unused, text: r.text };
}

/** The pattern partition 0's lease went through: A (never changed hands), A→B, A→B→A, A→B→C. */
export function handoffPattern(h: History, partitions: number): string {
  const lease = leaseOf(0, partitions);
  const order: string[] = [];
  for (const x of holds(h).filter((x) => x.lock === lease).sort((a, b) => a.start - b.start)) if (order.at(-1) !== x.source) order.push(x.source);
  if (order.length <= 1) return 'A';
  if (order.length === 2) return 'A→B';
  if (new Set(order).size < order.length) return 'A→B→A';
  return 'A→B→C';
}

export type Hits = Map<string, number>;

/** Adds a run's reached cells to the tally. */
export function addHits(hits: Hits, steps: StepCoverage[]): void {
  for (const s of steps) if (s.cell && s.outcome === 'reached') hits.set(s.cell, (hits.get(s.cell) ?? 0) + 1);
}

