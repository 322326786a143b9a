import { invariants } from '../../harness/checkers/suite.ts';
import { ranAsContainers } from '../../harness/checkers/identity.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning } from '../../harness/steps.ts';

export const containerFailover: Scenario = {
  name: 'container-failover',
  title: 'Deployments as containers: each PID 1 on a host of the same name',
  claim: 'Each deployment runs in its own PID and UTS namespace, as replicas of one image do: each is PID 1 on a host named "app". One is ACTIVE, the rest stand by; the active one crashes and a standby takes over, with no message lost or taking effect twice, and no two deployments acting under one instance ID.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 7000,
  containers: 'always',
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const holder = await ctx.requireHolder();
    ctx.mark(`SIGKILL ${holder}`);
    ctx.kill(holder, 'SIGKILL');
    await drain(ctx);
  },
  checks: (h, _m, s) => [ranAsContainers(h), ...invariants(h, s)],
};
