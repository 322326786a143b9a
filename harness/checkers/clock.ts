// Did the clock faults reach the workers? libfaketime cannot shift a static binary or a program
// that reads the clock without the C library (Go, raw syscalls); a worker that ignores
// BATON_CLOCK_OFFSET_MS is not shifted either. Then a clock scenario proved nothing about it,
// and must say so rather than pass.
import { ofType, type History } from '../history.ts';
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
