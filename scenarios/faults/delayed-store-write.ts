import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, isType, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning, killWithRequestInFlight } from '../../harness/steps.ts';

export const delayedStoreWrite: Scenario = {
  name: 'delayed-store-write',
  title: 'Slow and delayed store traffic from the holder',
  claim: 'The holder\'s store round trips first take longer than its renew deadline (so no renew can vouch for it); then its store traffic is held from right after a delivery was answered (the checkpoint recording it, and the renews behind it) past its lease, and delivered after the next holder died with a message in flight; the old holder must never act on a lease it cannot vouch for, and its late writes must neither let a fence be handed out twice nor rewind the work.',
  // Messages until stopped: the phases take as long as the store lets them, and the new holder
  // must still be sending when it is killed.
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: 0, intervalMs: 50 },
  scalesWithInstances: false,
  expectedMs: 9500,
  needs: [
    { fault: 'network', params: { path: 'store', mode: { kind: 'latency', ms: 0 } } }, { fault: 'network', params: { path: 'store', mode: { kind: 'hold' } } },
    { fault: 'network', params: { path: 'sink', mode: { kind: 'hold' } } },
  ],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 20));
    const { leaseMs, renewDeadlineMs, retryMs } = ctx.settings.timing;
    const slow = await ctx.requireHolder();
    // One-way latency: a round trip takes between the renew deadline and the lease. It lasts four
    // round trips, so a holder that keeps going gets to send at least once (a send costs two).
    const ms = Math.round(ctx.between(renewDeadlineMs + 100, leaseMs - 100) / 2);
    await ctx.fault('network', slow, { path: 'store', mode: { kind: 'latency', ms } }, 8 * ms);
    await ctx.sleep(leaseMs);
    // The holder's store traffic is held from right after one of its deliveries was answered, so
    // what is held is the checkpoint that records it, and, behind it, the renews that follow.
    const a = await ctx.requireHolder();
    const moment = await ctx.after({ of: a, after: 'sent' });
    const healA = await ctx.inject('network', a, { path: 'store', mode: { kind: 'hold' } }, moment);
    const b = await ctx.next((e) => isType('acquired')(e) && e.source !== a, leaseMs * 3);
    if (!b) {
      // Nobody took over (the hold caught nothing?): heal, and let the run end as usual.
      await healA?.();
      return drain(ctx);
    }
    await ctx.waitAccepted(ctx.accepted() + ctx.between(5, 15), 10_000);
    // … which then dies with a delivery in flight; only now does the old holder's traffic land.
    const healB = await killWithRequestInFlight(ctx, b.source);
    await healA?.();
    await ctx.next((e) => isType('acquired')(e) && e.source !== b.source, leaseMs * 3);
    await ctx.sleep(retryMs + 10 * ctx.settings.intervalMs);
    await healB?.();
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
