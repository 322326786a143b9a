import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, drain, fleetRunning, type Scenario } from '../../harness/scenario.ts';

export const pauseWithinDeadline: Scenario = {
  name: 'pause-within-deadline',
  title: 'Holder paused past its renew deadline, but not its lease',
  claim: 'The holder is frozen between sends for longer than its renew deadline but shorter than its lease; when it wakes it must not act before a fresh renew, even though no one else has taken the lease yet.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 8000,
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const holder = ctx.holder('auto') ?? 'd1';
    // Freeze it between two sends: an answer arrived, and a few ms later it is waiting for its next turn.
    await ctx.next((e) => e.source === holder && e.type === 'sent', 5_000);
    await ctx.sleep(Math.min(10, ctx.settings.intervalMs / 4));
    const { leaseMs, renewDeadlineMs } = ctx.settings.timing;
    await ctx.fault('pause', holder, {}, ctx.between(renewDeadlineMs + 100, leaseMs - 150));
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
