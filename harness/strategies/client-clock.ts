// The seed's design: a lease expires when the CLIENT's wall clock says so. Each writer stamps
// expiresAt from its own clock, and each reader compares it with its own, so two clocks that
// disagree decide who may hold the lock. Atomic (a CAS on the row's version): the clock is the bug.
import { overrideWithRaw, type Strategy } from './strategy.ts';

export const clientClock: Strategy = {
  name: 'client-clock',
  stores: ['sqlite', 'postgres'],
  bug: 'lease expiry judged on each client\'s wall clock instead of the store\'s',
  async apply(parts, ctx) {
    return overrideWithRaw(parts, ctx, (raw, real) => ({
      async acquire(name, holder, leaseMs) {
        const cur = await raw.readLease(name);
        const now = ctx.wallNow();
        if (cur && cur.holder !== null && cur.expiresAt > now) return null;
        const next = { name, holder, fence: (cur?.fence ?? 0) + 1, version: (cur?.version ?? 0) + 1, leaseMs, acquiredAt: now, renewedAt: now, expiresAt: now + leaseMs };
        return (await raw.casLease(next, cur?.version ?? null)) ? next : null;
      },
      // Readers judge expiry on their own clock too: a standby with a fast clock sees a live lease as expired.
      async listLeases(prefix) {
        const now = ctx.wallNow();
        return (await real.listLeases(prefix)).map((l) => ({ ...l, expired: l.expiresAt <= now, remainingMs: l.expiresAt - now }));
      },
      async renew(holder, held) {
        const renewed: string[] = [];
        for (const h of held) {
          const cur = await raw.readLease(h.name);
          if (!cur || cur.holder !== holder || cur.fence !== h.fence) continue;
          const now = ctx.wallNow();
          if (await raw.casLease({ ...cur, version: cur.version + 1, renewedAt: now, expiresAt: now + cur.leaseMs }, cur.version)) renewed.push(h.name);
        }
        return renewed;
      },
    }));
  },
};
