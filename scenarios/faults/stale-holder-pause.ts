import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, drain, fleetRunning, type Scenario } from '../../harness/scenario.ts';

export const staleHolderPause: Scenario = {
  name: 'stale-holder-pause',
  title: 'Stale holder: paused past its lease',
  claim: 'The holder is frozen (SIGSTOP) right after announcing a send, for longer than its lease; a standby takes over; when the old holder wakes, nothing it does reaches the receiver as a second voice.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 8000,
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const holder = ctx.holder('auto') ?? 'd1';
    await ctx.next((e) => e.source === holder && e.type === 'send', 5_000);
    const { leaseMs, retryMs } = ctx.settings.timing;
    await ctx.fault('pause', holder, {}, leaseMs + 2 * retryMs + ctx.between(0, 500));
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
