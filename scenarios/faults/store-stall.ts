import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, drain, fleetRunning, type Scenario } from '../../harness/scenario.ts';

export const storeStall: Scenario = {
  name: 'store-stall',
  title: 'The store stalls: reads answer, writes wait',
  claim: 'Every write to the store waits for longer than a lease (reads still answer, so standbys see the lease expire); when the store comes back, exactly one deployment holds the lease and nothing is sent twice.',
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  needs: [{ fault: 'store-stall' }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const { leaseMs, retryMs } = ctx.settings.timing;
    await ctx.fault('store-stall', '', {}, leaseMs + 2 * retryMs + ctx.between(0, 500));
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
