import { idsActAlone, idsStable, idsUnique, idsWellFormed, ranAsContainers } from '../harness/checkers/identity.ts';
import { QUICK, isAck, type Scenario } from '../harness/scenario.ts';

export const instanceId: Scenario = {
  name: 'instance-id',
  title: 'Instance ID generation',
  claim: 'Every deployment gets its own instance ID, 16 characters, the same on every call — even when, as containers, every deployment is PID 1 on a host of the same name; and no two deployments act under one ID.',
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: 0, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 4000,
  containers: 'prefer',
  async run(ctx) {
    await Promise.all(ctx.workers.map((w) => ctx.spawn(w)));
    // Work under way, so what the IDs do can be judged at the receiver, not only what they say.
    ctx.command(ctx.workers[0]!, { cmd: 'start' });
    await ctx.waitFor(isAck('start'), 5_000);
    await ctx.waitAccepted(20, 10_000);
    await ctx.sleep(QUICK.retryMs * 2);
  },
  checks: (h) => [ranAsContainers(h), idsUnique(h), idsWellFormed(h), idsStable(h), idsActAlone(h)],
};
