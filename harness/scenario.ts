// A scenario is data plus a script of actions and a list of checks. It never spawns a process or
// touches a store itself: the runner hands it a context that does.
import type { Timing } from '../coordination/timing.ts';
import type { History, HistoryEvent } from '../harness/history.ts';
import type { Check } from '../harness/checkers/check.ts';

export interface Settings {
  /** Deployments (worker processes) the scenario runs: d1 … dN. */
  instances: number;
  timing: Timing;
  partitions: number;
  /** Messages in the plan (0 = keep sending until stopped). */
  messages: number;
  intervalMs: number;
}

export interface ScenarioContext {
  readonly settings: Settings;
  /** Labels of the scenario's deployments: d1 … d<instances>. */
  readonly workers: string[];
  /** A whole number in [min, max] from the run's seed (replayable with --seed). */
  between(min: number, max: number): number;
  /** Starts worker `label` and resolves with its `started` event (undefined if it never started). */
  spawn(label: string): Promise<HistoryEvent | undefined>;
  command(label: string, cmd: Record<string, unknown>): void;
  kill(label: string, signal: NodeJS.Signals): void;
  /** First event so far or from now on matching `pred`, or undefined after `timeoutMs`. */
  waitFor(pred: (e: HistoryEvent) => boolean, timeoutMs: number): Promise<HistoryEvent | undefined>;
  /** Waits until the sink has accepted `n` distinct messages (or `timeoutMs` passes). */
  waitAccepted(n: number, timeoutMs: number): Promise<boolean>;
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
