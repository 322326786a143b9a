import { noLoss, staleRefusalsStepDown } from '../harness/checkers/deliveries.ts';
import { noDoubleEffect } from '../harness/checkers/effects.ts';
import { noInterleaving } from '../harness/checkers/interleaving.ts';
import { actOnlyInSafeHold } from '../harness/checkers/holds.ts';
import { fencesIncreasing, mutualExclusion, takeoverLatency } from '../harness/checkers/leases.ts';
import { QUICK, isAck, isType, type Scenario } from '../harness/scenario.ts';

const MESSAGES = 80;

export const failover: Scenario = {
  name: 'failover',
  title: 'Scenario 2: primary fails',
  claim: 'The active deployment is killed mid-automation; a standby takes over within its bound; no message lost, none delivered twice.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: MESSAGES, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 7000,
  async run(ctx) {
    await Promise.all(ctx.workers.map((w) => ctx.spawn(w)));
    await ctx.waitFor(isType('acquired'), 10_000);
    ctx.command(ctx.workers.at(-1)!, { cmd: 'start' });
    await ctx.waitFor(isAck('start'), 5_000);
    const killAfter = ctx.between(10, 50);
    await ctx.waitAccepted(killAfter, 20_000);
    const victim = ctx.holder('auto') ?? 'd1';
    ctx.mark(`SIGKILL ${victim} after ${killAfter} accepted`);
    ctx.kill(victim, 'SIGKILL');
    await ctx.waitAccepted(MESSAGES, 40_000);
  },
  checks: (h, _m, s) => [
    takeoverLatency(h, s.timing.leaseMs + 2 * s.timing.retryMs + 500),
    noLoss(h, MESSAGES),
    noDoubleEffect(h, s),
    noInterleaving(h, s),
    actOnlyInSafeHold(h, s),
    staleRefusalsStepDown(h, 1_000),
    fencesIncreasing(h),
    mutualExclusion(h, s),
  ],
};
