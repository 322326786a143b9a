import { idsStable, idsUnique, idsWellFormed } from '../harness/checkers/identity.ts';
import { QUICK, type Scenario } from '../harness/scenario.ts';

export const instanceId: Scenario = {
  name: 'instance-id',
  title: 'Instance ID generation',
  claim: 'Every deployment gets its own instance ID, 16 characters, the same on every call.',
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: 0, intervalMs: 100 },
  scalesWithInstances: true,
  expectedMs: 2500,
  async run(ctx) {
    await Promise.all(ctx.workers.map((w) => ctx.spawn(w)));
    await ctx.sleep(QUICK.retryMs * 3);
  },
  checks: (h) => [idsUnique(h), idsWellFormed(h), idsStable(h)],
};
