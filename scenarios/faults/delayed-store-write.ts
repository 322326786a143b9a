import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, drain, fleetRunning, isType, killWithRequestInFlight, type Scenario } from '../../harness/scenario.ts';

export const delayedStoreWrite: Scenario = {
  name: 'delayed-store-write',
  title: 'Slow and delayed store traffic from the holder',
  claim: 'The holder\'s store round trips first take longer than its renew deadline (so no renew can vouch for it), then its store traffic is held past its lease and delivered after the next holder died with a message in flight; the old holder must never act on a lease it cannot vouch for, and its late writes must not let a fence be handed out twice.',
  // Messages until stopped: the phases take as long as the store lets them, and the new holder
  // must still be sending when it is killed.
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: 0, intervalMs: 50 },
  scalesWithInstances: false,
  expectedMs: 9500,
  needs: [{ fault: 'network', params: { path: 'store', mode: { kind: 'hold' } } }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 20));
    const { leaseMs, renewDeadlineMs, retryMs } = ctx.settings.timing;
    const slow = ctx.holder('auto') ?? 'd1';
    // One-way latency: a round trip takes between the renew deadline and the lease. It lasts four
    // round trips, so a holder that keeps going gets to send at least once (a send costs two).
    const ms = Math.round(ctx.between(renewDeadlineMs + 100, leaseMs - 100) / 2);
    await ctx.fault('network', slow, { path: 'store', mode: { kind: 'latency', ms } }, 8 * ms);
    await ctx.sleep(leaseMs);
    // The holder's store traffic (its next renew among it) is held until a new holder has taken over …
    const a = ctx.holder('auto') ?? slow;
    // Half a retry period after a renew came back: the holder is most likely between ticks, so its
    // elector's next store write is the renew, and the hold keeps it. Held mid-tick, the elector's
    // write would be the registry heartbeat, with the renew waiting unsent behind it and no late
    // renew to test (progress writes from sending are held either way).
    if (await ctx.next((e) => e.source === a && e.type === 'renewed', retryMs * 3)) await ctx.sleep(retryMs / 2);
    const healA = await ctx.inject('network', a, { path: 'store', mode: { kind: 'hold' } });
    const b = await ctx.next((e) => isType('acquired')(e) && e.source !== a, leaseMs * 3);
    if (!b) return void (await healA?.());
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
