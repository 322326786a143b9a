// The scenario contract. A scenario is data — settings, the faults it needs, a script of actions,
// a list of checks — and never spawns a process, touches a store or injects a fault itself: the
// runner hands it a context that does, and records every action on the timeline.
import type { Timing } from '../coordination/timing.ts';
import type { History, HistoryEvent } from './history.ts';
import type { Check } from './checkers/check.ts';
import type { FaultName, FaultParams } from './faults/faults.ts';

export interface Settings {
  /** Deployments (worker processes) the scenario runs: d1 … dN. */
  instances: number;
  timing: Timing;
  partitions: number;
  /** Messages in the plan (0 = keep sending until stopped). */
  messages: number;
  intervalMs: number;
  /** Seconds of random faults, for a scenario that runs a fault schedule (the soak; `--duration`). */
  faultSeconds?: number;
}

export interface ScenarioContext {
  readonly settings: Settings;
  /** Labels of the scenario's deployments: d1 … d<instances>. */
  readonly workers: string[];
  /** A whole number in [min, max] from the run's seed (replayable with --seed). */
  between(min: number, max: number): number;
  /**
   * Starts worker `label` and resolves with its `started` event (undefined if it never started).
   * `clockOffsetMs` starts it with its wall clock shifted (libfaketime where usable, else BATON_CLOCK_OFFSET_MS).
   */
  spawn(label: string, options?: { clockOffsetMs?: number }): Promise<HistoryEvent | undefined>;
  /**
   * Injects a fault on `target` (a worker label, or '' for the store), recorded on the timeline;
   * resolves with its heal (recorded too when called), or undefined for a fault with no heal.
   */
  inject<N extends FaultName>(fault: N, target: string, params: FaultParams[N]): Promise<(() => Promise<void>) | undefined>;
  /** Injects, waits `ms`, heals. */
  fault<N extends FaultName>(fault: N, target: string, params: FaultParams[N], ms: number): Promise<void>;
  /** true, or why the fault cannot run on this store and worker. */
  available<N extends FaultName>(fault: N, params?: FaultParams[N]): true | string;
  command(label: string, cmd: Record<string, unknown>): void;
  kill(label: string, signal: NodeJS.Signals): void;
  /** First event so far or from now on matching `pred`, or undefined after `timeoutMs`. */
  waitFor(pred: (e: HistoryEvent) => boolean, timeoutMs: number): Promise<HistoryEvent | undefined>;
  /** The next event from now on matching `pred` (past ones do not count), or undefined after `timeoutMs`. */
  next(pred: (e: HistoryEvent) => boolean, timeoutMs: number): Promise<HistoryEvent | undefined>;
  /** Waits until the sink has accepted `n` distinct messages (or `timeoutMs` passes). */
  waitAccepted(n: number, timeoutMs: number): Promise<boolean>;
  /** Distinct messages the sink has accepted so far. */
  accepted(): number;
  sleep(ms: number): Promise<void>;
  /** ms since the scenario started. */
  now(): number;
  /** The label of the worker that holds `lock` now, by its own events. */
  holder(lock: string): string | undefined;
  /** Writes a marker on the timeline. */
  mark(name: string): number;
}

export type Marks = Record<string, number>;

export interface Scenario {
  name: string;
  title: string;
  /** The seed's claim this scenario puts to the test, in plain words. */
  claim: string;
  settings: Settings;
  /** True if `--instances` may change `settings.instances` (the count is not part of the claim). */
  scalesWithInstances: boolean;
  /** About how long it runs on a quiet machine (measured): the runner starts the longest first, so a suite does not end on one long straggler. */
  expectedMs?: number;
  /** Faults the claim depends on: if one cannot run here, the scenario is skipped and says why. */
  needs?: { [N in FaultName]: { fault: N; params?: FaultParams[N] } }[FaultName][];
  run(ctx: ScenarioContext): Promise<void>;
  checks(h: History, marks: Marks, settings: Settings): Check[];
}

export const workerLabels = (n: number) => Array.from({ length: n }, (_, i) => `d${i + 1}`);

/** Quick timings for scenarios that are not about the seed's 5-second lease. */
export const QUICK: Timing = { leaseMs: 2_000, renewDeadlineMs: 1_400, retryMs: 300 };

export const isType = (type: string, source?: string) => (e: HistoryEvent) =>
  e.type === type && (source === undefined || e.source === source);
export const isAck = (cmd: string, source?: string) => (e: HistoryEvent) =>
  e.type === 'ack' && e.cmd === cmd && (source === undefined || e.source === source);

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
export async function fleetRunning(ctx: ScenarioContext, accepted: number, clock: Record<string, number> = {}): Promise<void> {
  const [first, ...rest] = ctx.workers;
  await ctx.spawn(first!, { clockOffsetMs: clock[first!] });
  await ctx.waitFor(isType('acquired', first), 10_000);
  await Promise.all(rest.map((w) => ctx.spawn(w, { clockOffsetMs: clock[w] })));
  ctx.command(ctx.workers.at(-1)!, { cmd: 'start' });
  await ctx.waitFor(isAck('start'), 5_000);
  await ctx.waitAccepted(accepted, 20_000);
}

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
