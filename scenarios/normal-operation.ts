import { inOrder, noLoss } from '../harness/checkers/deliveries.ts';
import { noDoubleEffect } from '../harness/checkers/effects.ts';
import { mutualExclusion, oneActive } from '../harness/checkers/leases.ts';
import { QUICK, isAck, type Scenario } from '../harness/scenario.ts';

const MESSAGES = 40;

export const normalOperation: Scenario = {
  name: 'normal-operation',
  title: 'Scenario 1: normal operation',
  claim: 'With several deployments (the seed has 4), one is ACTIVE and sends every message in order; all the others stay STANDBY.',
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: MESSAGES, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 3000,
  async run(ctx) {
    await Promise.all(ctx.workers.map((w) => ctx.spawn(w)));
    ctx.command('d1', { cmd: 'start' });
    await ctx.waitFor(isAck('start', 'd1'), 5_000);
    await ctx.waitAccepted(MESSAGES, 30_000);
  },
  checks: (h, _m, s) => [oneActive(h, s.instances), mutualExclusion(h, s), noLoss(h, MESSAGES), noDoubleEffect(h, s), inOrder(h)],
};
