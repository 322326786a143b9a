import { balanced, holdersDoNotInterleave, noDuplicate, noLoss, seedSplit } from '../harness/checkers/deliveries.ts';
import { mutualExclusion } from '../harness/checkers/leases.ts';
import { QUICK, isAck, type Scenario } from './scenario.ts';

const MESSAGES = 120;

export const partitioning: Scenario = {
  name: 'partitioning',
  title: 'Parallel instance coordination',
  claim: 'Two instances split the messages (one even, one odd) with no duplicate; a third joins and one leaves mid-run with no duplicate and no gap.',
  settings: { timing: QUICK, partitions: 2, messages: MESSAGES, intervalMs: 50 },
  async run(ctx) {
    await Promise.all([ctx.spawn('d1'), ctx.spawn('d2')]);
    // Each settles on one partition once both have registered (the fair share drops to 1).
    await ctx.sleep(QUICK.retryMs * 4);
    ctx.command('d1', { cmd: 'start' });
    await ctx.waitFor(isAck('start'), 5_000);
    await ctx.waitAccepted(40, 20_000);
    ctx.mark('third joins');
    await ctx.spawn('d3');
    await ctx.waitAccepted(60, 20_000);
    ctx.mark('first leaves');
    ctx.kill('d1', 'SIGTERM');
    await ctx.waitAccepted(MESSAGES, 30_000);
  },
  checks: (h, marks, s) => [
    seedSplit(h, s.partitions, marks['third joins']!),
    balanced(h, marks['third joins']!),
    noLoss(h, MESSAGES),
    noDuplicate(h),
    holdersDoNotInterleave(h),
    mutualExclusion(h),
  ],
};
