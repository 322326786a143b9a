import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { fleetRunning, steppable } from '../../harness/steps.ts';

export const holderClockSlowStore: Scenario = {
  name: 'holder-clock-slow-store',
  title: 'The holder\'s clock is stepped back while its store is slow, then stalled',
  claim: 'Twice the holder cannot renew and its wall clock is stepped back by a few leases as the trouble begins: first its store round trips take longer than its renew deadline (no renew can vouch for it, and its lease runs out between renews); then the store stalls its writes for longer than a lease. Each time it must stop acting within its renew deadline, counted on a clock no one can step, while a standby takes over.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 0, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 14000,
  needs: [{ fault: 'clock-step' }, { fault: 'network', params: { path: 'store', mode: { kind: 'latency', ms: 0 } } }, { fault: 'store-stall' }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25), steppable(ctx));
    const { leaseMs, renewDeadlineMs, retryMs } = ctx.settings.timing;
    const a = await ctx.requireHolder();
    const moment = await ctx.after({ of: a, after: 'renewed', delayMs: ctx.between(10, retryMs / 3) });
    // One-way: a round trip takes between the renew deadline and the lease, for four round trips.
    const ms = Math.round(ctx.between(renewDeadlineMs + 100, leaseMs - 100) / 2);
    const slow = await ctx.inject('network', a, { path: 'store', mode: { kind: 'latency', ms } }, moment);
    await ctx.inject('clock-step', a, { offsetMs: -ctx.between(2, 4) * leaseMs });
    await ctx.sleep(8 * ms);
    await slow?.();
    await ctx.sleep(leaseMs);
    const b = await ctx.requireHolder();
    const stallMs = leaseMs + 2 * retryMs + ctx.between(0, 500);
    const stall = await ctx.inject('store-stall', '', {}, await ctx.after({ of: b, after: 'renewed', delayMs: ctx.between(10, retryMs / 3) }));
    await ctx.inject('clock-step', b, { offsetMs: -(stallMs + leaseMs) });
    await ctx.sleep(stallMs);
    await stall?.();
    await ctx.sleep(leaseMs);
    ctx.command(ctx.workers[0]!, { cmd: 'stop' });
    await ctx.sleep(ctx.settings.intervalMs + 1_000);
  },
  checks: (h, _m, s) => invariants(h, s),
};
