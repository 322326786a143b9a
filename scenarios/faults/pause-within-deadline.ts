import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning, freezeHolder, steppable } from '../../harness/steps.ts';

export const pauseWithinDeadline: Scenario = {
  name: 'pause-within-deadline',
  title: 'Holder paused past its renew deadline, but not its lease',
  claim: 'The holder is frozen between sends for longer than its renew deadline but shorter than its lease (and, where clocks can be stepped, its wall clock is stepped back meanwhile); when it wakes it must not act before a fresh renew, even though no one else has taken the lease yet.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 8000,
  needs: [{ fault: 'pause' }],
  async run(ctx) {
    const stepBack = ctx.available('clock-step') === true;
    await fleetRunning(ctx, ctx.between(10, 25), stepBack ? steppable(ctx) : {});
    const { leaseMs, renewDeadlineMs } = ctx.settings.timing;
    await freezeHolder(ctx, ctx.between(renewDeadlineMs + 100, leaseMs - 150), { stepBack });
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
