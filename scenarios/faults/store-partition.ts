import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning } from '../../harness/steps.ts';

export const storePartition: Scenario = {
  name: 'store-partition',
  title: 'Holder cut off from the store past its lease, then healed',
  claim: 'Every packet between the holder and the store is dropped for longer than a lease; the holder stops acting within its renew deadline, a standby takes over, and after the network heals the old holder rejoins as a standby. Then the store cuts the new holder\'s connections, and work goes on.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 9000,
  needs: [{ fault: 'network', params: { path: 'store', mode: { kind: 'blackhole' } } }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const holder = ctx.holder('auto') ?? 'd1';
    const { leaseMs, retryMs } = ctx.settings.timing;
    await ctx.fault('network', holder, { path: 'store', mode: { kind: 'blackhole' } }, leaseMs + 2 * retryMs + ctx.between(0, 500));
    // Then the store side cuts the new holder's connections (pg_terminate_backend): it must
    // reconnect and carry on, or hand over.
    await ctx.waitAccepted(ctx.between(45, 55), 10_000);
    const cut = ctx.holder('auto');
    if (cut && ctx.available('store-cut') === true) await ctx.inject('store-cut', cut, {});
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
