import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { STEP_SEEN_MS } from '../../harness/checkers/clock.ts';
import { drain, fleetRunning, steppable } from '../../harness/steps.ts';

const TWENTY_MINUTES = 1_200_000;

export const holderClockForward: Scenario = {
  name: 'holder-clock-forward',
  title: 'The holder\'s clock jumps forward, then it crashes',
  claim: 'The holder\'s clock jumps 20 minutes forward (its wall clock, or, by the seed, its wall and monotonic clocks together, as after a VM resume); it keeps working or steps down, and when whoever then holds the lease crashes, a standby takes over within one lease: an expiry written from the holder\'s own clock would keep the lease for 20 minutes.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 150, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 9000,
  needs: [{ fault: 'clock-step' }],
  async run(ctx) {
    const both = ctx.between(0, 1) === 1;
    // d1 takes the lease first; only its monotonic clock is made steppable.
    await fleetRunning(ctx, ctx.between(10, 25), steppable(ctx), both ? ['d1'] : []);
    const { leaseMs } = ctx.settings.timing;
    const a = await ctx.requireHolder();
    await ctx.inject('clock-step', a, { offsetMs: TWENTY_MINUTES, clocks: both && a === 'd1' ? 'both' : 'wall' });
    // Renews stamped from the stepped clock have reached the store (a lease's worth of them).
    await ctx.sleep(STEP_SEEN_MS + leaseMs);
    const holder = await ctx.requireHolder();
    ctx.mark(`SIGKILL ${holder}`);
    ctx.kill(holder, 'SIGKILL');
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
