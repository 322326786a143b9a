import { inOrder, noDuplicate, noLoss } from '../harness/checkers/deliveries.ts';
import { mutualExclusion, oneActive } from '../harness/checkers/leases.ts';
import { QUICK, isAck, type Scenario } from './scenario.ts';

const MESSAGES = 40;
const WORKERS = ['d1', 'd2', 'd3', 'd4'];

export const normalOperation: Scenario = {
  name: 'normal-operation',
  title: 'Scenario 1: normal operation',
  claim: 'With 4 deployments, one is ACTIVE and sends every message in order; the other three stay STANDBY.',
  settings: { timing: QUICK, partitions: 1, messages: MESSAGES, intervalMs: 50 },
  async run(ctx) {
    await Promise.all(WORKERS.map((w) => ctx.spawn(w)));
    ctx.command('d1', { cmd: 'start' });
    await ctx.waitFor(isAck('start', 'd1'), 5_000);
    await ctx.waitAccepted(MESSAGES, 30_000);
  },
  checks: (h) => [oneActive(h, WORKERS.length), mutualExclusion(h), noLoss(h, MESSAGES), noDuplicate(h), inOrder(h)],
};
