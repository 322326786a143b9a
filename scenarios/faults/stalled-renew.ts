import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, fleetRunning, isType, killWithRequestInFlight, type Scenario } from '../../harness/scenario.ts';

export const stalledRenew: Scenario = {
  name: 'stalled-renew',
  title: 'A renew stuck in a stalled store lands after two takeovers',
  claim: 'The idle holder\'s renew is stuck in a stalled store while the holder is frozen; a standby takes over, then dies with a delivery in flight; only then does the old renew reach the store. It must change nothing: above all it must not let the next holder get a fence that was already handed out.',
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: 0, intervalMs: 50 },
  scalesWithInstances: false,
  expectedMs: 11000,
  needs: [{ fault: 'store-stall' }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(5, 15));
    const { leaseMs, retryMs } = ctx.settings.timing;
    // Idle, the holder writes nothing but its renew (then its heartbeat): the first write it
    // attempts once the store stalls is a renew, sent well inside its deadline.
    const a = ctx.holder('auto') ?? 'd1';
    ctx.command(a, { cmd: 'stop' });
    await ctx.sleep(ctx.settings.intervalMs + 1_000);
    // Half a retry period after a renew came back, between two ticks, so the stall catches the
    // next renew rather than the heartbeat that ends this tick (delayed-store-write says why).
    if (await ctx.next((e) => e.source === a && e.type === 'renewed', retryMs * 3)) await ctx.sleep(retryMs / 2);
    const stall = await ctx.inject('store-stall', '', {});
    await ctx.next((e) => e.source === a && e.type === 'renewed', retryMs * 3); // usually none: it is stuck
    const cont = await ctx.inject('pause', a, {});
    await ctx.sleep(leaseMs + 2 * retryMs + ctx.between(0, 300));
    await stall?.();
    const b = await ctx.next((e) => isType('acquired')(e) && e.source !== a, leaseMs * 2);
    if (!b) return void (await cont?.());
    ctx.command(b.source, { cmd: 'start' });
    await ctx.waitAccepted(ctx.accepted() + ctx.between(5, 15), 10_000);
    const deliverLate = await killWithRequestInFlight(ctx, b.source);
    await cont?.(); // the stuck renew reaches the store now
    await ctx.next((e) => isType('acquired')(e) && e.source !== b.source, leaseMs * 3);
    await ctx.sleep(retryMs + 10 * ctx.settings.intervalMs);
    await deliverLate?.();
    await ctx.sleep(leaseMs / 2);
  },
  checks: (h, _m, s) => invariants(h, s),
};
