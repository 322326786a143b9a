// Compare-and-set written as "read, decide, write": every conditional write (taking a lease,
// advancing the progress record) reads the row, judges it, and then writes unconditionally.
// Two deployments that read before either writes both win. Between reading and writing the app
// takes a few milliseconds to decide (a log line, another query), as real apps do; without that
// gap a synchronous embedded store would run both statements within microseconds.
import { sleep } from '../../coordination/clock.ts';
import { overrideWithRaw, type Strategy } from './strategy.ts';

const DECIDE_MS = 10;

export const checkThenSet: Strategy = {
  name: 'check-then-set',
  stores: ['sqlite', 'postgres'],
  bug: 'conditional writes done as a read followed by a separate unconditional write',
  async apply(parts, ctx) {
    return overrideWithRaw(parts, ctx, (raw, real) => ({
      async acquire(name, holder, leaseMs) {
        const cur = await real.readLease(name);
        if (cur && cur.holder !== null && !cur.expired) return null;
        await sleep(DECIDE_MS);
        const now = await raw.now();
        const next = { name, holder, fence: (cur?.fence ?? 0) + 1, version: (cur?.version ?? 0) + 1, leaseMs, acquiredAt: now, renewedAt: now, expiresAt: now + leaseMs };
        await raw.putLease(next);
        return next;
      },
      async casProgress(automation, partition, fence, expect, next) {
        const cur = await real.readProgress(automation, partition);
        const matches = expect === null ? cur === null
          : !!cur && cur.fence <= fence && cur.nextSeq === expect.nextSeq && cur.inFlight === expect.inFlight;
        if (!matches) return false;
        await sleep(DECIDE_MS);
        await raw.putProgress({ automation, partition, fence, ...next });
        return true;
      },
    }));
  },
};
