// Did the clock faults reach the workers? libfaketime cannot shift a static binary or a program
// that reads the clock without the C library (Go, raw syscalls); a worker that ignores
// BATON_CLOCK_OFFSET_MS is not shifted either. Then a clock scenario proved nothing about it,
// and must say so rather than pass.
import { ofType, type History, type HistoryEvent } from '../history.ts';
import { check, notExercised, type Check } from './check.ts';

/** How far a worker's reported wall clock may be from the shift the harness applied. */
const TOLERANCE_MS = 5_000;

export function clockShiftApplied(h: History): Check {
  const name = 'clock shifts reached the workers';
  const settings = ofType(h, 'settings').find((e) => e.source === 'harness');
  const shifts = h.events.filter((e) => e.source === 'harness' && e.type === 'fault' && e.fault === 'clock' && e.offsetMs !== 0);
  const bound = `each shifted worker's wall clock within ±${TOLERANCE_MS / 1000} s of host + offset`;
  if (!settings || typeof settings.wall !== 'number' || shifts.length === 0) return notExercised(name, 'no clock shift to verify', bound);
  const rows = shifts.map((f) => {
    const started = ofType(h, 'started').find((e) => e.source === f.target && e.t >= f.t);
    if (!started || typeof started.wall !== 'number') return { ok: false, text: `${f.target}: no started line with a wall clock` };
    const expected = (settings.wall as number) + started.t + Number(f.offsetMs);
    const off = started.wall - expected;
    return { ok: Math.abs(off) <= TOLERANCE_MS, text: `${f.target}: shifted ${Number(f.offsetMs) / 1000} s, reported ${(off / 1000).toFixed(1)} s from that (${f.mode})` };
  });
  const missed = rows.filter((r) => !r.ok);
  if (missed.length) return notExercised(name, `${missed.length} of ${rows.length} shifts did not reach the worker`, bound, rows.map((r) => r.text));
  return check(name, true, `${rows.length} of ${rows.length}`, 'shifts seen', bound, rows.map((r) => r.text));
}

/** libfaketime re-reads its offset file at most once a real second: a step shows from then on. */
export const STEP_SEEN_MS = 1_100;

/**
 * Whether a clock step reached its worker: the worker's first line with a wall clock from
 * STEP_SEEN_MS after the step on (the first after it woke, if it was frozen) reports the wall clock
 * the step set, within half the step. The shift it set is the worker's start shift plus every step
 * since. Undefined `reached` when the worker printed nothing from then on.
 */
export function clockStepReach(h: History, step: HistoryEvent): { reached?: boolean; detail: string } {
  const settings = ofType(h, 'settings').find((e) => e.source === 'harness');
  const target = String(step.target);
  const spawnedAfter = h.events.find((e) => e.type === 'spawn' && e.target === target && e.t > step.t)?.t ?? Infinity;
  const start = h.events.filter((e) => e.source === 'harness' && e.type === 'fault' && e.fault === 'clock' && e.target === target && e.t <= step.t).at(-1);
  if (!start || typeof settings?.wall !== 'number') return { reached: false, detail: `${target} was not started with a shiftable clock` };
  const steps = h.events.filter((e) => e.source === 'harness' && e.type === 'fault' && e.fault === 'clock-step' && e.target === target && e.t >= start.t && e.t <= step.t);
  const shift = Number(start.offsetMs) + steps.reduce((n, e) => n + Number(e.offsetMs), 0);
  const seen = h.events.find((e) => e.source === target && typeof e.wall === 'number' && e.t >= step.t + STEP_SEEN_MS && e.t < spawnedAfter);
  if (!seen) return { detail: `${target} printed nothing after the step to show its clock` };
  const off = Number(seen.wall) - (Number(settings.wall) + seen.t + shift);
  const ok = Math.abs(off) <= Math.abs(Number(step.offsetMs)) / 2;
  return { reached: ok, detail: `${target}'s wall clock at t=${Math.round(seen.t)}ms is ${(off / 1000).toFixed(2)} s from host + ${shift / 1000} s${ok ? '' : ': the step did not reach it'}` };
}
