import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, isType, type Scenario, type ScenarioContext } from '../../harness/scenario.ts';
import type { FaultMoment } from '../../harness/faults/faults.ts';
import { fleetRunning, killWithRequestInFlight } from '../../harness/steps.ts';

const { leaseMs, retryMs } = QUICK;

/**
 * Where the store is reached over the network, the write is also held on its way there from the
 * same moment: a server-side stall alone would apply the waiting write the instant it ends, before
 * any standby could take over, where an embedded store's writer waits in its own frozen process.
 */
async function alsoHeldOnTheWay(ctx: ScenarioContext, who: string, moment: FaultMoment | undefined): Promise<() => Promise<void>> {
  const hold = { path: 'store' as const, mode: { kind: 'hold' as const } };
  const heal = ctx.available('network', hold) === true ? await ctx.inject('network', who, hold, moment) : undefined;
  return async () => { await heal?.(); };
}

/**
 * A checkpoint stuck in a stalled store: the holder's delivery is held in the network while the
 * store stalls, then let through, so the first write the holder attempts is the checkpoint that
 * records it; the holder is frozen with that write waiting, past its lease, and the stall ends.
 * A standby takes over and sends on; only then does the frozen holder wake and its checkpoint
 * reach the store (an embedded store's write waits in the holder's own process).
 */
async function stuckCheckpoint(ctx: ScenarioContext): Promise<void> {
  const a = await ctx.requireHolder();
  const moment = await ctx.after({ of: a, after: 'send' });
  if (!moment) return;
  const request = await ctx.inject('network', a, { path: 'sink', mode: { kind: 'hold' } }, moment);
  const stall = await ctx.inject('store-stall', '', {});
  const answered = ctx.after({ of: a, after: 'sent', timeoutMs: 2_000 });
  await request?.();
  const held = await alsoHeldOnTheWay(ctx, a, await answered);
  await ctx.sleep(20);
  const wake = await ctx.inject('pause', a, {});
  await ctx.sleep(leaseMs + 2 * retryMs + ctx.between(0, 300));
  await stall?.();
  const b = await ctx.next((e) => isType('acquired')(e) && e.source !== a, leaseMs * 2);
  if (b) await ctx.waitAccepted(ctx.accepted() + ctx.between(5, 15), 10_000);
  await wake?.();
  await held(); // the stuck checkpoint reaches the store now
  await ctx.sleep(leaseMs);
}

/**
 * A renew stuck in a stalled store: the idle holder writes nothing but its renew, so the first
 * write it attempts once the store stalls is a renew, sent well inside its deadline; it is frozen
 * meanwhile, a standby takes over and dies with a delivery in flight, and only then does the old
 * renew land.
 */
async function stuckRenew(ctx: ScenarioContext): Promise<void> {
  const a = await ctx.requireHolder();
  ctx.command(a, { cmd: 'stop' });
  await ctx.sleep(ctx.settings.intervalMs + 1_000);
  // Half a retry period after a renew came back, between two ticks, so the stall catches the
  // next renew rather than the heartbeat that ends this tick.
  const moment = await ctx.after({ of: a, after: 'renewed', delayMs: retryMs / 2, timeoutMs: retryMs * 3 });
  const stall = await ctx.inject('store-stall', '', {}, moment);
  const held = await alsoHeldOnTheWay(ctx, a, moment);
  await ctx.next((e) => e.source === a && e.type === 'renewed', retryMs * 3); // usually none: it is stuck
  const cont = await ctx.inject('pause', a, {});
  await ctx.sleep(leaseMs + 2 * retryMs + ctx.between(0, 300));
  await stall?.();
  const b = await ctx.next((e) => isType('acquired')(e) && e.source !== a, leaseMs * 2);
  if (!b) {
    await cont?.();
    await held();
    await ctx.sleep(leaseMs);
    return;
  }
  ctx.command(b.source, { cmd: 'start' });
  await ctx.waitAccepted(ctx.accepted() + ctx.between(5, 15), 10_000);
  const deliverLate = await killWithRequestInFlight(ctx, b.source);
  await cont?.();
  await held(); // the stuck renew reaches the store now
  await ctx.next((e) => isType('acquired')(e) && e.source !== b.source, leaseMs * 3);
  await ctx.sleep(retryMs + 10 * ctx.settings.intervalMs);
  await deliverLate?.();
  await ctx.sleep(leaseMs / 2);
}

export const stalledRenew: Scenario = {
  name: 'stalled-renew',
  title: 'A checkpoint and a renew stuck in a stalled store land after a takeover',
  claim: 'Twice a write of the holder is stuck in a stalled store (and, where the store is reached over the network, held on its way there) while the holder is frozen past its lease: first the checkpoint recording a delivery, then (the automation stopped) an idle holder\'s renew; each time a standby takes over (the second time it dies with a delivery in flight) before the stuck write reaches the store. The late write must change nothing: no fence handed out twice, no work rewound.',
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: 0, intervalMs: 50 },
  scalesWithInstances: false,
  expectedMs: 16000,
  needs: [{ fault: 'store-stall' }, { fault: 'pause' }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(5, 15));
    await stuckCheckpoint(ctx);
    await ctx.waitAccepted(ctx.accepted() + 5, 10_000);
    await stuckRenew(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
