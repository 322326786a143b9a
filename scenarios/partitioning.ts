import { balanced, noLoss, seedSplit } from '../harness/checkers/deliveries.ts';
import { noDoubleEffect } from '../harness/checkers/effects.ts';
import { noInterleaving } from '../harness/checkers/interleaving.ts';
import { actOnlyInSafeHold } from '../harness/checkers/holds.ts';
import { mutualExclusion } from '../harness/checkers/leases.ts';
import { QUICK, isAck, type Scenario } from '../harness/scenario.ts';

const MESSAGES = 120;

export const partitioning: Scenario = {
  name: 'partitioning',
  title: 'Parallel instance coordination',
  claim: 'Two instances split the messages (one even, one odd) with no duplicate; a third joins and one leaves mid-run with no duplicate and no gap.',
  settings: { instances: 3, timing: QUICK, partitions: 2, messages: MESSAGES, intervalMs: 50 },
  scalesWithInstances: false,
  expectedMs: 6000,
  async run(ctx) {
    await Promise.all([ctx.spawn('d1'), ctx.spawn('d2')]);
    // Each settles on one partition once both have registered (the fair share drops to 1).
    await ctx.sleep(QUICK.retryMs * 4);
    ctx.command('d1', { cmd: 'start' });
    await ctx.waitFor(isAck('start'), 5_000);
    const joinAfter = ctx.between(30, 50);
    await ctx.waitAccepted(joinAfter, 20_000);
    ctx.mark(`third joins after ${joinAfter} accepted`);
    await ctx.spawn('d3');
    const leaveAfter = joinAfter + ctx.between(15, 30);
    const leaver = `d${ctx.between(1, 2)}`;
    await ctx.waitAccepted(leaveAfter, 20_000);
    ctx.mark(`${leaver} leaves after ${leaveAfter} accepted`);
    ctx.kill(leaver, 'SIGTERM');
    await ctx.waitAccepted(MESSAGES, 30_000);
  },
  checks: (h, _m, s) => {
    const joined = h.events.find((e) => e.type === 'spawn' && e.target === 'd3')?.t ?? Infinity;
    return [
      seedSplit(h, s.partitions, joined),
      balanced(h, joined),
      noLoss(h, MESSAGES),
      noDoubleEffect(h, s),
      noInterleaving(h, s),
      actOnlyInSafeHold(h, s),
      mutualExclusion(h, s),
    ];
  },
};
