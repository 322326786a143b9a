import { fencesIncreasing, mutualExclusion, takeoverLatency } from '../harness/checkers/leases.ts';
import { check } from '../harness/checkers/check.ts';
import { ofType } from '../harness/history.ts';
import { type Scenario } from '../harness/scenario.ts';
import { holderThenStandby } from '../harness/steps.ts';

const SEED = { leaseMs: 5_000, renewDeadlineMs: 3_000, retryMs: 1_000 };

export const expiryTakeover: Scenario = {
  name: 'expiry-takeover',
  title: 'Lock expiry and recovery',
  claim: 'A holder with a 5-second lease stops renewing (killed); 7 seconds later another instance holds the lock with a higher fence.',
  settings: { instances: 2, timing: SEED, partitions: 1, messages: 0, intervalMs: 100 },
  scalesWithInstances: false,
  expectedMs: 9000,
  async run(ctx) {
    await holderThenStandby(ctx);
    ctx.kill('d1', 'SIGKILL');
    ctx.mark('killed');
    await ctx.sleep(7_000);
    ctx.mark('7 s later');
  },
  checks: (h, marks, s) => {
    const later = ofType(h, 'acquired').filter((e) => e.source === 'd2' && e.t <= marks['7 s later']!);
    return [
      check('a standby holds the lock 7 s after the crash', later.length === 1, later.length ? `d2, fence ${later[0]!.fence}` : 'nobody', '',
        'd2 with a fence above d1\'s', later.map((e) => `t=${Math.round(e.t)}ms d2 acquired fence=${e.fence}`)),
      // No later than one lease plus a retry period. No lower bound: a lock freed the moment its
      // holder dies is correct; a takeover that is unsafely early fails the safe-hold checks instead.
      takeoverLatency(h, s.timing.leaseMs + 2 * s.timing.retryMs),
      fencesIncreasing(h),
      mutualExclusion(h, s),
    ];
  },
};
