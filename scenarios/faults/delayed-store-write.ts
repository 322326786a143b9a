import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, drain, fleetRunning, type Scenario } from '../../harness/scenario.ts';

export const delayedStoreWrite: Scenario = {
  name: 'delayed-store-write',
  title: 'Slow and delayed store traffic from the holder',
  claim: 'The holder\'s store round trips first take longer than its renew deadline (so no renew can vouch for it), then are held past its lease and delivered late; it must never act on a lease it cannot vouch for, and its late writes must change nothing.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 100, intervalMs: 50 },
  scalesWithInstances: true,
  needs: [{ fault: 'network', params: { path: 'store', mode: { kind: 'hold' } } }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 20));
    const { leaseMs, renewDeadlineMs, retryMs } = ctx.settings.timing;
    const slow = ctx.holder('auto') ?? 'd1';
    // One-way latency: a round trip takes between the renew deadline and the lease.
    const ms = Math.round(ctx.between(renewDeadlineMs + 100, leaseMs - 100) / 2);
    await ctx.fault('network', slow, { path: 'store', mode: { kind: 'latency', ms } }, 3_000);
    await ctx.sleep(leaseMs);
    const held = ctx.holder('auto') ?? slow;
    await ctx.fault('network', held, { path: 'store', mode: { kind: 'hold' } }, leaseMs + 2 * retryMs + ctx.between(0, 400));
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
