import { noDoubleEffect } from '../harness/checkers/effects.ts';
import { resumesFromCheckpoint, statusAgrees, stopHonoured } from '../harness/checkers/control.ts';
import { QUICK, isAck, isType, workerLabels, type Scenario } from '../harness/scenario.ts';

export const anyDeploymentControl: Scenario = {
  name: 'any-deployment-control',
  title: 'Scenario 3: control from any deployment',
  claim: 'STOP issued on a standby stops the active one within a bound; every deployment shows the same state; START resumes where it stopped.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 0, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 4000,
  async run(ctx) {
    await Promise.all(ctx.workers.map((w) => ctx.spawn(w)));
    await ctx.waitFor(isType('acquired'), 10_000);
    const active = ctx.holder('auto') ?? 'd1';
    const standbys = ctx.workers.filter((w) => w !== active);
    // Each command goes through a standby drawn from the seed, and is marked on the timeline.
    const through = (cmd: 'start' | 'stop') => {
      const via = standbys[ctx.between(0, standbys.length - 1)]!;
      ctx.mark(`${cmd.toUpperCase()} via ${via}`);
      ctx.command(via, { cmd });
    };
    through('start');
    await ctx.waitFor(isAck('start'), 5_000);
    await ctx.waitAccepted(ctx.between(10, 25), 15_000);
    through('stop');
    await ctx.waitFor(isAck('stop'), 5_000);
    await ctx.sleep(1_000);
    const asked = ctx.mark('status from all');
    for (const w of ctx.workers) ctx.command(w, { cmd: 'status' });
    await ctx.waitFor((e) => isAck('status')(e) && e.t > asked, 5_000);
    await ctx.sleep(500);
    through('start');
    await ctx.waitFor((e) => isAck('start')(e) && e.t > asked, 5_000);
    await ctx.sleep(1_000);
  },
  checks: (h, marks, s) => [
    stopHonoured(h, s.intervalMs + 1_000),
    statusAgrees(h, workerLabels(s.instances), marks['status from all']!),
    resumesFromCheckpoint(h),
    noDoubleEffect(h, s),
  ],
};
