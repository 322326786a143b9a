import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, drain, fleetRunning, isType, type Scenario } from '../../harness/scenario.ts';

export const crashMidSend: Scenario = {
  name: 'crash-mid-send',
  title: 'Crash in the middle of a send',
  claim: 'The holder is killed right after announcing a send (between claiming a message and delivering it), and the next holder is killed right after a delivery was answered (between delivering and recording it); every message still arrives, and each in-doubt message at most once more.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 10500,
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const first = ctx.holder('auto') ?? 'd1';
    await ctx.next((e) => e.source === first && e.type === 'send', 5_000);
    ctx.kill(first, 'SIGKILL');
    const next = await ctx.next((e) => isType('acquired')(e) && e.source !== first, 10_000);
    if (next) {
      await ctx.waitAccepted(ctx.between(35, 45), 15_000);
      await ctx.next((e) => e.source === next.source && e.type === 'sent', 5_000);
      ctx.kill(next.source, 'SIGKILL');
    }
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
