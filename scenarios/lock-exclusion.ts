import { cleanRelease, deniedWhileHeld, fencesIncreasing, handoffLatency, heartbeatCadence, mutualExclusion, ownershipVisible } from '../harness/checkers/leases.ts';
import { QUICK, isAck, isType, type Scenario } from '../harness/scenario.ts';
import { holderThenStandby } from '../harness/steps.ts';

export const lockExclusion: Scenario = {
  name: 'lock-exclusion',
  title: 'Distributed locking',
  claim: 'One instance takes the lock; a second is DENIED; the holder heartbeats; a clean release hands over at once.',
  settings: { instances: 2, timing: QUICK, partitions: 1, messages: 0, intervalMs: 100 },
  scalesWithInstances: false,
  expectedMs: 3500,
  async run(ctx) {
    await holderThenStandby(ctx);
    ctx.command('d2', { cmd: 'status' });
    await ctx.waitFor(isAck('status', 'd2'), 5_000);
    await ctx.sleep(QUICK.retryMs * 6);
    ctx.command('d1', { cmd: 'release' });
    await ctx.waitFor(isType('acquired', 'd2'), 10_000);
  },
  checks: (h, _m, s) => [
    mutualExclusion(h, s),
    ownershipVisible(h, 'd2', 'd1'),
    deniedWhileHeld(h, 'd2', 'd1'),
    heartbeatCadence(h, 'd1', s.timing.retryMs, s.timing.renewDeadlineMs),
    cleanRelease(h, 'd1'),
    handoffLatency(h, 'd1', s.timing.retryMs + 500),
    fencesIncreasing(h),
  ],
};
