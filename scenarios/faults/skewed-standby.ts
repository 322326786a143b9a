import { invariants } from '../../harness/checkers/suite.ts';
import { clockShiftApplied } from '../../harness/checkers/clock.ts';
import { QUICK, isAck, isType, type Scenario } from '../../harness/scenario.ts';
import { drain } from '../../harness/steps.ts';

const TWENTY_MINUTES = 1_200_000;

export const skewedStandby: Scenario = {
  name: 'skewed-standby',
  title: 'A deployment whose clock runs 20 minutes fast joins',
  claim: 'While the automation runs, a deployment joins whose wall clock is 20 minutes fast (a host whose time sync failed); it must not take the lease while the holder renews it, and when whoever holds the lease then crashes, a standby takes over within one lease. To a deployment that judges expiry on its own clock every live lease looks 20 minutes old, and a lease it stamps lasts 20 minutes.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 120, intervalMs: 50 },
  scalesWithInstances: false,
  expectedMs: 8000,
  async run(ctx) {
    await ctx.spawn('d1');
    await ctx.waitFor(isType('acquired', 'd1'), 10_000);
    await ctx.spawn('d3');
    ctx.command('d3', { cmd: 'start' });
    await ctx.waitFor(isAck('start'), 5_000);
    await ctx.waitAccepted(ctx.between(10, 25), 20_000);
    await ctx.spawn('d2', { clockOffsetMs: TWENTY_MINUTES });
    await ctx.sleep(ctx.settings.timing.leaseMs);
    // Nobody holding now is the bug's own effect (a lease stamped 20 minutes ahead, its holder
    // gone): the drain then runs dry and the messages are lost. Otherwise, crash the holder.
    const holder = ctx.holder('auto');
    if (holder) {
      ctx.mark(`SIGKILL ${holder}`);
      ctx.kill(holder, 'SIGKILL');
    }
    await drain(ctx);
  },
  checks: (h, _m, s) => [clockShiftApplied(h), ...invariants(h, s)],
};
