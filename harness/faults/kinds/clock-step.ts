// A clock step on a running worker: its wall clock jumps by offsetMs (NTP correcting a fast
// clock steps it back; a VM restored from a snapshot jumps forward). `clocks: 'both'` moves its
// monotonic clock too (forward only: no monotonic clock ever runs backwards, so stepping one back
// would fail every correct design). Needs libfaketime, and a worker started with a shifted clock
// (ctx.spawn's clockOffsetMs, 0 for "not shifted yet"; `monotonic: true` for a 'both' step).
import type { Fault } from '../fault.ts';

export interface ClockStepParams { offsetMs: number; clocks?: 'wall' | 'both' }

export const clockStep: Fault<ClockStepParams> = {
  instant: true,
  available: (env) => env.faketime ? true
    : env.store === 'sqlite' ? 'SQLite\'s clock is the host clock of each process: a skewed process skews the store, so only a start-time BATON_CLOCK_OFFSET_MS is used'
    : 'stepping a running worker\'s clock needs libfaketime (apt-get install faketime)',
  async inject(w, target, p) {
    const clock = w.clocks.get(target);
    if (!clock) throw new Error(`${target} was not started with a shifted clock`);
    if (p.clocks === 'both' && !clock.monotonic) throw new Error(`${target} was not started with a shiftable monotonic clock`);
    if (p.clocks === 'both' && p.offsetMs < 0) throw new Error('a monotonic clock never steps back: step both clocks forward only');
    await clock.step(p.offsetMs);
    return undefined;
  },
  describe: (p) => ` ${Number(p.offsetMs) > 0 ? '+' : ''}${p.offsetMs} ms${p.clocks === 'both' ? ' (wall and monotonic)' : ' (wall)'}`,
};
