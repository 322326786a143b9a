import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, drain, fleetRunning, type Scenario } from '../../harness/scenario.ts';

export const storeStall: Scenario = {
  name: 'store-stall',
  title: 'The store stalls: reads answer, writes wait',
  claim: 'Every write to the store waits for longer than a lease (reads still answer, so standbys see the lease expire), then the store stutters; when it comes back, exactly one deployment holds the lease and nothing is sent twice.',
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 10500,
  needs: [{ fault: 'store-stall' }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const { leaseMs, retryMs } = ctx.settings.timing;
    await ctx.fault('store-stall', '', {}, leaseMs + 2 * retryMs + ctx.between(0, 500));
    // Then the store stutters: short stalls with short gaps. Reads always answer, so every
    // deployment advances by about one write per gap, in lockstep: what one of them reads is
    // still true when it writes only if the write is a real compare-and-set.
    for (let i = 0; i < 6; i++) {
      await ctx.fault('store-stall', '', {}, 200);
      await ctx.sleep(ctx.between(5, 30));
    }
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
