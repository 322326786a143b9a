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
    // The lease runs from the holder's last renew, not from the pause: time the wake-up from the
    // renew, or a pause that starts late in a renew period ends after the lease (a takeover, not
    // this scenario). Then freeze it between two sends: an answer arrived, and a few ms later it
    // is waiting for its next turn.
    const renewed = await ctx.next((e) => e.source === holder && e.type === 'renewed', 5_000);
    await ctx.next((e) => e.source === holder && e.type === 'sent', 5_000);
    await ctx.sleep(Math.min(10, ctx.settings.intervalMs / 4));
    const { leaseMs, renewDeadlineMs } = ctx.settings.timing;
    const renewSent = typeof renewed?.sent === 'number' ? renewed.sent : renewed?.t ?? ctx.now();
    const wake = renewSent + ctx.between(renewDeadlineMs + 100, leaseMs - 150);
    await ctx.fault('pause', holder, {}, Math.max(0, wake - ctx.now()));
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
