// Making a failing schedule small: drop steps, then shorten what is left (windows, gaps, restart
// delays, moment delays), keeping each change only while the schedule still fails. `fails` decides
// what "still fails" means — for real runs, the same check failing at the rate the original
// reproduced — so this file is pure and is tested on planted failures without a process.
import type { Schedule, Step } from '../schedule/schedule.ts';

export interface Shrunk { schedule: Schedule; tries: number }

/** Candidate runs, most shrinking first; stops when no candidate fails or `maxTries` is spent. */
export async function shrinkSchedule(s: Schedule, fails: (c: Schedule) => Promise<boolean>, maxTries = 40): Promise<Shrunk> {
  let cur = s;
  let tries = 0;
  const attempt = async (c: Schedule) => {
    if (tries >= maxTries) return false;
    tries++;
    if (!(await fails(c))) return false;
    cur = c;
    return true;
  };
  for (let changed = true; changed && tries < maxTries;) {
    changed = false;
    // Halves first (ddmin's big steps), then single steps, from the last (later steps depend on earlier ones less often than the reverse).
    for (const c of dropCandidates(cur)) if (await attempt(c)) { changed = true; break; }
    if (changed) continue;
    for (const c of shortenCandidates(cur)) if (await attempt(c)) { changed = true; break; }
  }
  return { schedule: { ...cur, origin: `shrunk from ${s.steps.length} to ${cur.steps.length} step(s)${s.origin ? `; ${s.origin}` : ''}` }, tries };
}

const withSteps = (s: Schedule, steps: Step[]): Schedule => ({ ...s, steps });

function dropCandidates(s: Schedule): Schedule[] {
  const n = s.steps.length;
  if (n <= 1) return [];
  const out: Schedule[] = [];
  if (n >= 4) {
    const half = Math.floor(n / 2);
    out.push(withSteps(s, s.steps.slice(0, half)), withSteps(s, s.steps.slice(half)));
  }
  for (let i = n - 1; i >= 0; i--) out.push(withSteps(s, s.steps.filter((_, j) => j !== i)));
  return out;
}

/** Each number that times a step, halved (or cleared), one at a time; never below what the parser accepts. */
function shortenCandidates(s: Schedule): Schedule[] {
  const out: Schedule[] = [];
  s.steps.forEach((st, i) => {
    const put = (changed: Step) => out.push(withSteps(s, s.steps.map((x, j) => (j === i ? changed : x))));
    if (st.action.do === 'fault' && st.action.ms !== undefined && st.action.ms > 50) put({ ...st, action: { ...st.action, ms: Math.round(st.action.ms / 2) } });
    if (st.gapMs > 50) put({ ...st, gapMs: Math.round(st.gapMs / 2) });
    if (st.restartAfterMs !== undefined && st.restartAfterMs > 50) put({ ...st, restartAfterMs: Math.round(st.restartAfterMs / 2) });
    if (st.delayMs) { const { delayMs: _d, ...rest } = st; put(rest); }
  });
  return out;
}
