import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, isType, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning, freezeHolder, steppable } from '../../harness/steps.ts';

export const holderClockBack: Scenario = {
  name: 'holder-clock-back',
  title: 'The holder\'s clock is stepped back while it is frozen',
  claim: 'Twice the holder is frozen between sends and, while frozen, its wall clock is stepped back by more than the pause (NTP correcting a fast clock, a VM restored from a snapshot): first past its renew deadline but within its lease, so no one has taken over when it wakes; then past its lease, so a standby has. Each time it must not act before a fresh renew: a deadline counted on the wall clock would say almost no time had passed.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 150, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 11000,
  needs: [{ fault: 'clock-step' }, { fault: 'pause' }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25), steppable(ctx));
    const { leaseMs, renewDeadlineMs, retryMs } = ctx.settings.timing;
    await freezeHolder(ctx, ctx.between(renewDeadlineMs + 100, leaseMs - 150), { stepBack: true });
    await ctx.waitAccepted(ctx.accepted() + ctx.between(5, 10), 10_000);
    const before = ctx.now();
    await freezeHolder(ctx, leaseMs + 2 * retryMs + ctx.between(0, 500), { stepBack: true });
    await ctx.waitFor((e) => isType('acquired')(e) && e.t > before, leaseMs);
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
