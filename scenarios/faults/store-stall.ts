import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning, steppable } from '../../harness/steps.ts';

export const storeStall: Scenario = {
  name: 'store-stall',
  title: 'The store stalls: reads answer, writes wait',
  claim: 'Every write to the store waits for longer than a lease, from between two of the holder\'s deliveries on (reads still answer, so standbys see the lease expire; where clocks can be stepped, the holder\'s wall clock is stepped back as the stall begins, as an NTP step during an outage would), then the store stutters; when it comes back, exactly one deployment holds the lease and nothing is sent twice.',
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 10500,
  needs: [{ fault: 'store-stall' }],
  async run(ctx) {
    const stepBack = ctx.available('clock-step') === true;
    await fleetRunning(ctx, ctx.between(10, 25), stepBack ? steppable(ctx) : {});
    const { leaseMs, retryMs } = ctx.settings.timing;
    const holder = await ctx.requireHolder();
    const stallMs = leaseMs + 2 * retryMs + ctx.between(0, 500);
    // Between two of the holder's deliveries, so the write the stall catches is the one that
    // claims its next message: when the store comes back, that claim may still succeed, and the
    // holder must then check its deadline before it sends.
    const { intervalMs } = ctx.settings;
    const moment = await ctx.after({ of: holder, after: 'sent', delayMs: ctx.between(intervalMs / 4, (3 * intervalMs) / 4) });
    const heal = await ctx.inject('store-stall', '', {}, moment);
    if (stepBack) await ctx.inject('clock-step', holder, { offsetMs: -(stallMs + leaseMs) });
    await ctx.sleep(stallMs);
    await heal?.();
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
