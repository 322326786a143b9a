// Renewing by upsert: "set holder = me, expires = now + lease" whoever holds the row. A holder
// that lost its lease without noticing takes it back from the new holder, and a renew never fails.
import { overrideWithRaw, type Strategy } from './strategy.ts';

export const renewUpsert: Strategy = {
  name: 'renew-upsert',
  stores: ['sqlite', 'postgres'],
  bug: 'renew is an upsert that does not check who holds the lease',
  async apply(parts, ctx) {
    return overrideWithRaw(parts, ctx, (raw) => ({
      async renew(holder, held) {
        for (const h of held) {
          const now = await raw.now();
          const leaseMs = ctx.timing.leaseMs;
          await raw.putLease({ name: h.name, holder, fence: h.fence, version: 0, leaseMs, acquiredAt: now, renewedAt: now, expiresAt: now + leaseMs });
        }
        return held.map((h) => h.name);
      },
    }));
  },
};
