import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, isType, type MomentType, type Scenario, type ScenarioContext } from '../../harness/scenario.ts';
import { drain, fleetRunning } from '../../harness/steps.ts';

/**
 * Where in its loop the holder is frozen: right after it announced a send (the request has not
 * left), when its delivery has reached the receiver (the answer, and so its checkpoint, comes
 * only after it wakes), and between ticks a little after a renew (its next send is due before its
 * next renew). Each catches a different bug: a late request, a late checkpoint, acting on wake.
 */
const MOMENTS: { after: MomentType; delay: (ctx: ScenarioContext) => number }[] = [
  { after: 'send', delay: () => 0 },
  { after: 'delivered', delay: () => 0 },
  { after: 'renewed', delay: (ctx) => ctx.between(10, ctx.settings.timing.retryMs / 3) },
];

export const staleHolderPause: Scenario = {
  name: 'stale-holder-pause',
  title: 'Stale holder: paused past its lease',
  claim: 'The holder is frozen (SIGSTOP) for longer than its lease at three moments of its loop: right after announcing a send, when its delivery has reached the receiver but before the answer is back, and between ticks just after a renew; each time a standby takes over, and when the old holder wakes, nothing it does reaches the receiver as a second voice or rewinds the work.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 150, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 14000,
  needs: [{ fault: 'pause' }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const { leaseMs, retryMs } = ctx.settings.timing;
    for (const m of MOMENTS) {
      const holder = await ctx.requireHolder();
      const moment = await ctx.after({ of: holder, after: m.after, delayMs: m.delay(ctx) });
      if (!moment) continue;
      await ctx.fault('pause', holder, {}, leaseMs + 2 * retryMs + ctx.between(0, 500), moment);
      // The next moment needs a settled holder that is sending again.
      await ctx.waitFor((e) => isType('acquired')(e) && e.t > moment.at, leaseMs);
      await ctx.waitAccepted(ctx.accepted() + ctx.between(5, 10), 10_000);
    }
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
