// Did the faults reach the workers? A fault on a path the worker never used (it connected to its
// database from its own config, not through BATON_STORE), a hold that caught no bytes, a pause
// that never stopped the process: the scenario then tested nothing of what it claims, and says
// "not exercised" instead of passing. Judged from the `fault-result` events the faults record
// (harness/faults/kinds), so a saved history re-checks the same.
import { byTime, type History, type HistoryEvent } from '../history.ts';
import { describeFault } from '../applied-faults.ts';
import { check, notExercised, type Check } from './check.ts';
import { clockStepReach } from './clock.ts';

/** A fault the claim depends on (a scenario's `needs`): its kind, and its path for a network fault. */
export interface Need {
  fault: string;
  params?: object;
}

export const REACH_CHECK_ID = 'fault-reach';

const pathOf = (n: Need) => (n.params as { path?: string } | undefined)?.path;
const modeOf = (n: Need) => (n.params as { mode?: { kind?: string } } | undefined)?.mode?.kind;
const matches = (need: Need, e: HistoryEvent) => e.fault === need.fault && (pathOf(need) === undefined || e.path === pathOf(need)) &&
  (modeOf(need) === undefined || (e.mode as { kind?: string } | undefined)?.kind === modeOf(need));
const needName = (n: Need) => `${n.fault}${pathOf(n) ? ` (${pathOf(n)}${modeOf(n) ? `, ${modeOf(n)}` : ''})` : ''}`;

/** What one injection (its `fault` start event) did, from the result its fault recorded; `reached` undefined: not measurable. */
export function reachOf(h: History, s: HistoryEvent, results = h.events.filter((e) => e.source === 'harness' && e.type === 'fault-result')):
  { reached: boolean | undefined; unused: boolean; text: string } {
  const r = s.fault === 'clock-step' ? clockStepReach(h, s) : results.find((x) => x.t >= s.t && x.fault === s.fault && x.target === s.target && x.path === s.path);
  return { reached: r?.reached as boolean | undefined, unused: !!(r as { unused?: boolean } | undefined)?.unused, text: `${describeFault(s)}: ${r ? String(r.detail) : 'not measurable'}` };
}

/**
 * Each fault the claim needs reached a worker: of its injections at least one touched its target
 * (a short stutter of a stall may catch nobody; every one of them cannot), and none was on a path
 * the worker never used at all. A fault that cannot measure its reach counts as reached.
 */
export function faultsReached(h: History, needs: Need[]): Check {
  const name = 'the faults reached the workers';
  const bound = 'each fault the claim needs touched a worker (bytes held or dropped, a process stopped, a clock moved), on paths the workers use';
  const events = byTime(h.events.filter((e) => e.source === 'harness'));
  const results = events.filter((e) => e.type === 'fault-result');
  const rows = events.filter((e) => e.type === 'fault' && e.phase === 'start' && needs.some((n) => matches(n, e))).map((s) => ({ s, ...reachOf(h, s, results) }));
  const misses = needs.flatMap((n) => {
    const mine = rows.filter((r) => matches(n, r.s));
    if (mine.length === 0) return [`${needName(n)} was never injected`];
    if (mine.some((r) => r.unused)) return [`${needName(n)}: ${mine.find((r) => r.unused)!.text}`];
    return mine.every((r) => r.reached === false) ? [`${needName(n)}: none of its ${mine.length} injection(s) touched a worker`] : [];
  });
  const evidence = [...misses, ...rows.map((r) => r.text)];
  const reached = rows.filter((r) => r.reached === true).length;
  const unmeasured = rows.filter((r) => r.reached === undefined).length;
  if (misses.length) return { ...notExercised(name, misses.join('; '), bound, evidence), id: REACH_CHECK_ID };
  return { ...check(name, true, `${reached} of ${rows.length}`, `injections reached${unmeasured ? ` (${unmeasured} not measurable)` : ''}`, bound, evidence), id: REACH_CHECK_ID };
}
