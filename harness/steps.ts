// Steps that scenarios share: the usual start of a fleet, a drain that waits while messages
// keep coming, a holder killed with a request in flight. Each acts only through the context.
import { isAck, isType, type ScenarioContext } from './scenario.ts';

/** The seed's starting picture: d1 starts alone and takes the lock, then d2 starts and is DENIED. */
export async function holderThenStandby(ctx: ScenarioContext): Promise<void> {
  await ctx.spawn('d1');
  await ctx.waitFor(isType('acquired', 'd1'), 10_000);
  await ctx.spawn('d2');
  await ctx.waitFor(isType('denied', 'd2'), 10_000);
}

/**
 * The usual start of a fault scenario: d1 starts first and takes the lock (so the holder is known),
 * the others join as standbys, START goes through the last one, and `accepted` messages get
 * through before any fault. `clock` starts some workers with a shifted wall clock.
 */
export async function fleetRunning(ctx: ScenarioContext, accepted: number, clock: Record<string, number> = {}, monotonic: string[] = []): Promise<void> {
  const [first, ...rest] = ctx.workers;
  const spawn = (w: string) => ctx.spawn(w, { clockOffsetMs: clock[w], ...(monotonic.includes(w) ? { monotonic: true } : {}) });
  await spawn(first!);
  await ctx.waitFor(isType('acquired', first), 10_000);
  await Promise.all(rest.map(spawn));
  ctx.command(ctx.workers.at(-1)!, { cmd: 'start' });
  await ctx.waitFor(isAck('start'), 5_000);
  await ctx.waitAccepted(accepted, 20_000);
}

/** Every deployment started with its clock shiftable (a shift of 0 to begin with), so whichever holds the lease can be stepped. */
export const steppable = (ctx: ScenarioContext): Record<string, number> => Object.fromEntries(ctx.workers.map((w) => [w, 0]));

/** A drain gives up once no message has been accepted for this long: no fault is under way, so a
 *  fleet that is quiet for three leases (a takeover takes one) has stopped. */
const drainQuietMs = (ctx: ScenarioContext) => 3 * ctx.settings.timing.leaseMs + 2_000;
/** However slowly messages still come, a drain ends after this. */
const DRAIN_CAP_MS = 120_000;

/**
 * Waits for every message of the plan for as long as messages keep being accepted, then lets late
 * deliveries land. A fixed timeout judged a busy machine (still delivering, only slowly) the same
 * as a fleet that had stopped: "no message lost" failed with the tail of the plan in flight.
 */
export async function drain(ctx: ScenarioContext): Promise<void> {
  const end = ctx.now() + DRAIN_CAP_MS;
  let seen = ctx.accepted();
  let lastProgress = ctx.now();
  while (seen < ctx.settings.messages && ctx.now() < end && ctx.now() - lastProgress < drainQuietMs(ctx)) {
    await ctx.waitAccepted(seen + 1, Math.min(drainQuietMs(ctx) - (ctx.now() - lastProgress), end - ctx.now()));
    if (ctx.accepted() > seen) { seen = ctx.accepted(); lastProgress = ctx.now(); }
  }
  await ctx.sleep(ctx.settings.timing.leaseMs / 2);
}

/**
 * Holds `who`'s next request to the sink and then kills it, so that request is delivered only when
 * the returned heal is called: a dead holder's delayed write. The hold starts just after an answer
 * arrived, so what is held is a request (holding mid-exchange would catch an answer instead, and
 * the worker would only wait).
 */
export async function killWithRequestInFlight(ctx: ScenarioContext, who: string): Promise<(() => Promise<void>) | undefined> {
  await ctx.next((e) => e.source === who && e.type === 'sent', 5_000);
  const send = ctx.next((e) => e.source === who && e.type === 'send', 5_000);
  const heal = await ctx.inject('network', who, { path: 'sink', mode: { kind: 'hold' } });
  await send;
  await ctx.sleep(20);
  ctx.kill(who, 'SIGKILL');
  return heal;
}

/**
 * Freezes the holder between two sends, a little after a renew came back, until `wakeAfterMs`
 * past the moment that renew was SENT (the lease runs from there, not from the pause: a pause that
 * began late in a renew period would otherwise outlast the lease). With `stepBack`, halfway through
 * its wall clock is stepped back by more than the pause plus a lease, so that to a deadline counted
 * on the wall clock almost no time has passed when it wakes.
 */
export async function freezeHolder(ctx: ScenarioContext, wakeAfterMs: number, o: { stepBack?: boolean } = {}): Promise<void> {
  const { leaseMs, retryMs } = ctx.settings.timing;
  const holder = await ctx.requireHolder();
  const renewed = await ctx.next((e) => e.source === holder && e.type === 'renewed', 5_000);
  const moment = await ctx.after({ of: holder, after: 'sent', delayMs: Math.min(10, ctx.settings.intervalMs / 4), timeoutMs: retryMs });
  const renewSent = typeof renewed?.sent === 'number' ? renewed.sent : renewed?.t ?? ctx.now();
  const wakeAt = renewSent + wakeAfterMs;
  const wake = await ctx.inject('pause', holder, {}, moment);
  if (o.stepBack) {
    await ctx.sleep(Math.max(0, (wakeAt - ctx.now()) / 2));
    await ctx.inject('clock-step', holder, { offsetMs: -(wakeAfterMs + leaseMs) });
  }
  await ctx.sleep(Math.max(0, wakeAt - ctx.now()));
  await wake?.();
}
