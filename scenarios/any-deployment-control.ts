import { noDuplicate } from '../harness/checkers/deliveries.ts';
import { resumesFromCheckpoint, statusAgrees, stopHonoured } from '../harness/checkers/control.ts';
import { QUICK, isAck, isType, type Scenario } from './scenario.ts';

const WORKERS = ['d1', 'd2', 'd3'];

export const anyDeploymentControl: Scenario = {
  name: 'any-deployment-control',
  title: 'Scenario 3: control from any deployment',
  claim: 'STOP issued on a standby stops the active one within a bound; every deployment shows the same state; START resumes where it stopped.',
  settings: { timing: QUICK, partitions: 1, messages: 0, intervalMs: 50 },
  async run(ctx) {
    await Promise.all(WORKERS.map((w) => ctx.spawn(w)));
    await ctx.waitFor(isType('acquired'), 10_000);
    const active = ctx.holder('auto') ?? 'd1';
    const [viaStop, viaStart] = WORKERS.filter((w) => w !== active) as [string, string];
    ctx.command(viaStart, { cmd: 'start' });
    await ctx.waitFor(isAck('start'), 5_000);
    await ctx.waitAccepted(15, 15_000);
    ctx.mark(`STOP via ${viaStop}`);
    ctx.command(viaStop, { cmd: 'stop' });
    await ctx.waitFor(isAck('stop'), 5_000);
    await ctx.sleep(1_000);
    const asked = ctx.mark('status from all');
    for (const w of WORKERS) ctx.command(w, { cmd: 'status' });
    await ctx.waitFor((e) => isAck('status')(e) && e.t > asked, 5_000);
    await ctx.sleep(500);
    ctx.mark(`START via ${viaStart}`);
    ctx.command(viaStart, { cmd: 'start' });
    await ctx.waitFor((e) => isAck('start')(e) && e.t > asked, 5_000);
    await ctx.sleep(1_000);
  },
  checks: (h, marks, s) => {
    const via = Object.keys(marks).find((k) => k.startsWith('STOP via '))?.slice(9) ?? 'd2';
    return [
      stopHonoured(h, via, s.intervalMs + 1_000),
      statusAgrees(h, WORKERS, marks['status from all']!),
      resumesFromCheckpoint(h),
      noDuplicate(h),
    ];
  },
};
