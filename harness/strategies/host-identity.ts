// An instance ID derived from where the process runs (its hostname and PID), and an acquire that
// lets an ID re-enter a lease it already holds. Unique on one host, where PIDs differ; in
// containers every deployment is PID 1 on a host named alike, the IDs collide, and each
// deployment "re-enters" the lease its twin holds: two deployments act on one lease at once.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { override, type Strategy } from './strategy.ts';

export const hostIdentity: Strategy = {
  name: 'host-identity',
  bug: 'instance ID derived from hostname and PID, and an acquire that re-enters a lease held under the same ID',
  exposedBy: ['containers'],
  instanceId: () => createHash('sha256').update(`${hostname()}:${process.pid}`).digest('hex').slice(0, 16),
  async apply(parts, ctx) {
    const real = parts.store;
    const store = override(real, {
      // "Is it free for me?": a lease held under my own ID looks free to me, as to a re-entrant lock.
      async listLeases(prefix) {
        return (await real.listLeases(prefix)).map((l) => (l.holder === ctx.id && !l.expired ? { ...l, holder: null } : l));
      },
      async acquire(name, holder, leaseMs) {
        const cur = await real.readLease(name);
        // Re-entrant: "it is already mine" — a renew under my own name, whoever I am.
        if (cur && cur.holder === ctx.id && !cur.expired && (await real.renew(holder, [{ name, fence: cur.fence }])).includes(name)) {
          return { ...cur, holder };
        }
        return real.acquire(name, holder, leaseMs);
      },
    });
    return { ...parts, store };
  },
};
