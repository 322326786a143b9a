// A renew deadline counted on the wall clock: "stop leading once now() - lastRenewSent >
// deadline", with now() the time of day. Right while the clock runs true; when NTP steps the
// holder's clock back (correcting a fast clock) or a VM is restored from a snapshot, the deadline
// moves out by the step, and a holder that was frozen or cut off acts long after its lease passed
// to someone else. The elector's timers poll the wall clock too, as such a loop would.
import { monotonicMs, sleep } from '../../coordination/clock.ts';
import type { Strategy, WorkerClock } from './strategy.ts';

const POLL_MS = 10;
/** Readings remembered with the monotonic time they were taken at, so lines report the truth. */
const REMEMBERED = 256;

export const wallClockDeadline: Strategy = {
  name: 'wall-clock-deadline',
  bug: 'renew deadline counted on the wall clock, which NTP or a VM restore can step back',
  exposedBy: ['clock-step'],
  async apply(parts, ctx) {
    // The worker reports when things really happened (monotonic), whatever its deadline believes:
    // each wall reading is remembered with the monotonic time it was taken at.
    const taken = new Map<number, number>();
    const clock: WorkerClock = {
      now() {
        const wall = ctx.wallNow();
        taken.set(wall, monotonicMs());
        if (taken.size > REMEMBERED) taken.delete(taken.keys().next().value!);
        return wall;
      },
      monotonicAt: (reading) => taken.get(reading) ?? monotonicMs(),
      sleep,
      timer(fn, ms) {
        const due = ctx.wallNow() + ms;
        const poll = setInterval(() => { if (ctx.wallNow() >= due) { clearInterval(poll); fn(); } }, POLL_MS);
        return () => clearInterval(poll);
      },
    };
    return { ...parts, clock };
  },
};
