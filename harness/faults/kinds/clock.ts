// A worker started with its wall clock shifted (ctx.spawn's clockOffsetMs): a lasting condition
// recorded when the worker starts, never injected or healed on its own.
import type { Fault } from '../fault.ts';

export const clockShift: Fault<{ offsetMs: number }> = {
  instant: false,
  lasting: true,
  available: () => true,
  inject: async () => { throw new Error('a clock shift is set when a worker starts: ctx.spawn(label, { clockOffsetMs })'); },
  describe: (p) => p.offsetMs === undefined ? '' : ` ${Number(p.offsetMs) > 0 ? '+' : ''}${p.offsetMs} ms`,
};
