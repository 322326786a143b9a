import { invariants } from '../../harness/checkers/suite.ts';
import { clockShiftApplied } from '../../harness/checkers/clock.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning } from '../../harness/steps.ts';

const TEN_MINUTES = 600_000;
/** libfaketime re-reads its offset file at most once a real second: a step is seen within this. */
const STEP_SEEN_MS = 1_000;

export const clockSkew: Scenario = {
  name: 'clock-skew',
  title: 'Clock skew: deployments whose wall clocks disagree by 10 minutes',
  claim: 'The holder\'s wall clock runs 10 minutes fast and a standby\'s 10 minutes slow (and, where the clock can be stepped, another standby jumps 20 minutes ahead mid-run); when the holder crashes, a standby still takes over within one lease. Harmless for a store-clock design, deadly for a client-clock one.',
  // Enough messages (10 s of sending) that work is still left when the holder is killed, after the
  // step and its wait: a takeover that never comes must cost messages, or it goes unseen.
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 200, intervalMs: 50 },
  scalesWithInstances: false,
  expectedMs: 13000,
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25), { d1: TEN_MINUTES, d2: -TEN_MINUTES, d3: 0 });
    if (ctx.available('clock-step') === true) {
      await ctx.inject('clock-step', 'd3', { offsetMs: 2 * TEN_MINUTES });
      // A client-clock design now sees every live lease as expired on d3. Wait until d3 has
      // surely looked (a standby looks at least once a lease) and the old holder has kept acting
      // beside it, so the theft has effects and the kill below lands on the thief: killing the
      // holder from before the theft would leave the thief to carry on and hide it.
      await ctx.sleep(STEP_SEEN_MS + 2 * ctx.settings.timing.leaseMs);
    }
    const holder = ctx.holder('auto') ?? 'd1';
    ctx.mark(`SIGKILL ${holder}`);
    ctx.kill(holder, 'SIGKILL');
    // Waits while messages keep coming: on a slow store (the MongoDB stand-in under load) 200
    // messages outlast any fixed bound.
    await drain(ctx);
  },
  checks: (h, _m, s) => [clockShiftApplied(h), ...invariants(h, s)],
};
