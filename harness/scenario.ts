// The scenario contract. A scenario is data — settings, the faults it needs, a script of actions,
// a list of checks — and never spawns a process, touches a store or injects a fault itself: the
// runner hands it a context that does, and records every action on the timeline.
import type { Timing } from '../coordination/timing.ts';
import type { History, HistoryEvent } from './history.ts';
import type { Check } from './checkers/check.ts';
import type { FaultMoment, FaultName, FaultParams } from './faults/faults.ts';

/**
 * Where a fault can be placed: after a line of the worker protocol, or 'delivered' — the moment
 * the receiver has a delivery from the worker, before its answer reaches the worker (the effect
 * happened, the worker does not know yet).
 */
export type MomentType = 'acquired' | 'renewed' | 'send' | 'sent' | 'released' | 'lost' | 'denied' | 'delivered';

/** "Right after d1's next `sent`, plus 20 ms": where in a worker's loop a fault lands, whatever the loop's shape. */
export interface Trigger {
  of: string;
  after: MomentType;
  /** ms after the line's own time (not after the harness read it). Default 0. */
  delayMs?: number;
  /** Give up waiting for the line after this long. Default 5 000 ms. */
  timeoutMs?: number;
}

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
  spawn(label: string, options?: { clockOffsetMs?: number; monotonic?: boolean }): Promise<HistoryEvent | undefined>;
  /**
   * Waits for the trigger's line, then until `delayMs` past that line's own time: the moment to
   * place a fault at. Undefined if the line never came (the fault is then not placed).
   */
  after(trigger: Trigger): Promise<FaultMoment | undefined>;
  /**
   * Injects a fault on `target` (a worker label, or '' for the store), recorded on the timeline
   * with the moment it was placed at; resolves with its heal (recorded too when called), or
   * undefined for a fault with no heal.
   */
  inject<N extends FaultName>(fault: N, target: string, params: FaultParams[N], moment?: FaultMoment): Promise<(() => Promise<void>) | undefined>;
  /** Injects, waits `ms`, heals. */
  fault<N extends FaultName>(fault: N, target: string, params: FaultParams[N], ms: number, moment?: FaultMoment): Promise<void>;
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
  /**
   * The holder of `lock` (default 'auto'), waiting up to a lease and two retry periods for one
   * (a takeover under way); if none comes the scenario ends in an error that says so: faulting a
   * guessed deployment would test something else.
   */
  requireHolder(lock?: string): Promise<string>;
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
  /**
   * Deployments as containers (harness/containers.ts): 'always' for a claim about containers (not
   * exercised where namespaces are not permitted), 'prefer' to run as containers where possible
   * and on the host otherwise. `--containers` runs every scenario as containers.
   */
  containers?: 'always' | 'prefer';
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
