// Runs scenarios: each in its own namespace (database / schema / file) with its own sink and
// workers, several at once (p-limit). It creates the namespace, refuses one that already exists,
// and drops only what it created.
import pLimit from 'p-limit';
import { randomBytes } from 'node:crypto';
import { monotonicMs, within } from '../coordination/clock.ts';
import { openStore, StoreError, type Store } from '../coordination/stores/index.ts';
import { redact } from '../coordination/redact.ts';
import { Cluster, WorkerStartError } from './cluster.ts';
import { Sink } from './sink.ts';
import { holds, type Hold } from './checkers/leases.ts';
import type { Check } from './checkers/check.ts';
import { delivererLabel, type History, type HistoryEvent } from './history.ts';
import { seededRandom } from './random.ts';
import type { ScenarioProgress } from './progress.ts';
import { scenarioContext } from './context.ts';
import { Network } from './faults/network.ts';
import { timelineOf, type Timeline } from './timeline.ts';
import { describeFaults } from './applied-faults.ts';
import { isUnexcusedRefusal, refusalCause } from './checkers/environment.ts';
import { FAULTS, type FaultEnv, type World } from './faults/faults.ts';
import { judge, verdictOf, type ScenarioStatus } from './judge.ts';
import { CONTAINER_HOSTNAME, containersAvailable } from './containers.ts';
import type { Marks, Scenario, Settings } from './scenario.ts';

export interface RunOptions {
  /** Resolved store URI (never `auto` / `memory`). */
  storeUri: string;
  /** Shell command that starts one worker. */
  workerCommand: string;
  /** Seeds every random choice a scenario makes. */
  seed: number;
  /** Deployments for the scenarios that scale (`scalesWithInstances`); others keep their own count. */
  instances?: number;
  /** Seconds of faults for the scenarios with a fault schedule (the soak). */
  faultSeconds?: number;
  concurrency: number;
  strategy?: string;
  /** Which faults can run against this store and worker. */
  faultEnv: FaultEnv;
  /** Every deployment of every scenario as a container (`--containers`; checked available before the run). */
  containers?: boolean;
  /** Told when each scenario starts and finishes. */
  progress?(e: ScenarioProgress): void;
}

export interface ScenarioResult {
  name: string;
  title: string;
  claim: string;
  /** skipped: a fault the claim needs cannot run on this store (see `skipped`). */
  status: ScenarioStatus;
  skipped?: string;
  durationMs: number;
  namespace: string;
  checks: Check[];
  history: History;
  holds: Hold[];
  marks: Marks;
  /** The settings the scenario actually ran with (after --instances). */
  settings: Settings;
  sink: { raw: number; accepted: number; duplicate: number; stale: number };
  /** Who delivered what (accepted seqs per deployment), as the seed's report shows the even/odd split. */
  sentBy: Record<string, string>;
  /** What the harness did, in words: `pause d1 at 4.3 s for 1.8 s`, `SIGKILL d2 at 6.0 s`. */
  faults: string[];
  /** Who was standing by, paused, cut off or killed when: what the report's pictures draw. */
  timeline: Timeline;
}

/**
 * Ends the run as soon as a worker says the store refused it while no fault was under way (see
 * checkers/environment.ts): waiting out the scenario would only time out on a broken environment.
 */
function refusalWatch(history: History): { see(e: HistoryEvent): void; stopped: Promise<never> } {
  let stop!: (e: Error) => void;
  const stopped = new Promise<never>((_, reject) => { stop = reject; });
  stopped.catch(() => {}); // a scenario that is not waiting when it fires hears of it at its next wait
  let fired = false;
  return {
    stopped,
    see(e) {
      if (fired || !isUnexcusedRefusal(history, e)) return;
      fired = true;
      stop(new StoreError(refusalCause([e])));
    },
  };
}

/** Namespaces this process created and has not dropped yet: what an interrupt must clean up. */
const created = new Set<Store>();

/** Drops every namespace still in `created` (Ctrl-C), giving up after `ms`. */
export async function dropCreatedNamespaces(ms = 5_000): Promise<void> {
  const drops = [...created].map((s) => s.dropNamespace().catch(() => {}));
  await within(Promise.all(drops), ms);
}

export async function runScenarios(scenarios: Scenario[], o: RunOptions): Promise<ScenarioResult[]> {
  const limit = pLimit(o.concurrency);
  const runId = randomBytes(3).toString('hex');
  const run = (s: Scenario, i: number) => limit(() => runOne(withOverrides(s, o), `baton_${runId}_${i}_${s.name.replace(/-/g, '_')}`.slice(0, 48), o));
  // Queued longest first; results keep the suite's order.
  const results = new Array<Promise<ScenarioResult>>(scenarios.length);
  const longestFirst = scenarios.map((s, i) => ({ s, i })).sort((a, b) => (b.s.expectedMs ?? 0) - (a.s.expectedMs ?? 0));
  for (const { s, i } of longestFirst) results[i] = run(s, i);
  return Promise.all(results);
}

/** The scenario with the run's overrides: --instances where the count is free, --duration where it has a fault schedule. */
function withOverrides(s: Scenario, o: RunOptions): Scenario {
  const instances = s.scalesWithInstances && o.instances ? o.instances : s.settings.instances;
  const faultSeconds = s.settings.faultSeconds !== undefined && o.faultSeconds ? o.faultSeconds : s.settings.faultSeconds;
  return { ...s, settings: { ...s.settings, instances, ...(faultSeconds === undefined ? {} : { faultSeconds }) } };
}

async function runOne(scenario: Scenario, namespace: string, o: RunOptions): Promise<ScenarioResult> {
  o.progress?.({ phase: 'start', name: scenario.name });
  const origin = monotonicMs();
  const history: History = { events: [settingsEvent(scenario.settings)], deliveries: [] };
  const marks: Marks = {};
  const now = () => monotonicMs() - origin;
  const skip = unavailableNeed(scenario, o.faultEnv);
  if (skip) {
    history.events.push({ t: 0, source: 'harness', type: 'skipped', reason: skip });
    return finish(scenario, o, { namespace, origin, history, marks, checks: [], skipped: skip, sink: new Sink().counts() });
  }
  const containers = containerMode(scenario, o);
  if (containers.event) history.events.push({ t: 0, source: 'harness', ...containers.event });
  if (containers.notRun) {
    history.events.push({ t: 0, source: 'harness', type: 'not-exercised', reason: containers.notRun });
    return finish(scenario, o, { namespace, origin, history, marks, checks: [], skipped: containers.notRun, notExercised: true, sink: new Sink().counts() });
  }
  const sink = new Sink();
  const network = new Network();
  let store: Store | undefined;
  let world: World | undefined;
  try {
    store = await openStore(o.storeUri, namespace);
    const state = await store.namespaceState();
    if (state !== 'absent') throw new StoreError(`namespace ${namespace} already exists (${state}): refusing to touch it`);
    created.add(store);
    await store.init();
    await sink.start();
    const refused = refusalWatch(history);
    const cluster = new Cluster({
      command: o.workerCommand,
      containers: containers.use,
      origin,
      env: workerEnv(scenario, o, namespace, sink.url),
      prepareEnv: (label, env) => network.attach(label, env),
      record: (e) => { history.events.push(e); refused.see(e); },
    });
    sink.attribute((port) => network.sinkOwner(port));
    world = {
      cluster, network, sink, storeUri: o.storeUri, namespace, clocks: new Map(), pending: new Set(), origin, now,
      record: (e) => history.events.push({ t: now(), source: 'harness', ...e } as HistoryEvent),
    };
    const random = seededRandom(o.seed, scenario.name);
    await scenario.run(scenarioContext({ scenario, cluster, sink, history, marks, origin, random, world, faultEnv: o.faultEnv, stopped: refused.stopped }));
  } catch (e) {
    // On the timeline, so that re-checking the saved history gives the same verdict.
    const environment = e instanceof WorkerStartError || e instanceof StoreError;
    history.events.push({ t: now(), source: 'harness', type: 'error', message: redact((e as Error).message), ...(environment ? { environment } : {}) });
  } finally {
    await cleanUp(world, network, sink, store, history, now);
  }
  history.deliveries = sink.deliveries.map((d) => ({ ...d, t: d.at - origin }));
  history.events.sort((a, b) => a.t - b.t);
  return finish(scenario, o, { namespace, origin, history, marks, checks: judge(scenario, history, marks, scenario.settings), sink: sink.counts() });
}

/**
 * Every step runs whatever the one before it did: faults still in force are healed first (a held
 * store lock would otherwise block the namespace's drop), then workers, proxies, clocks, the sink,
 * the read-back of the lease table, and the namespace.
 */
async function cleanUp(world: World | undefined, network: Network, sink: Sink, store: Store | undefined, history: History, now: () => number): Promise<void> {
  const step = async (what: string, fn: () => Promise<unknown> | unknown) => {
    try {
      await fn();
    } catch (e) {
      history.events.push({ t: now(), source: 'harness', type: 'cleanup-error', step: what, message: redact((e as Error).message) });
    }
  };
  if (world) {
    const w = world;
    await step('heal faults', () => within(Promise.all([...w.pending].map((heal) => heal())), 10_000));
    await step('stop workers', () => w.cluster.shutdown());
    await step('restore clocks', () => { for (const c of w.clocks.values()) c.dispose(); });
  }
  await step('close proxies', () => network.close());
  await step('stop sink', () => sink.stop());
  if (!store) return;
  await step('read back leases', async () => {
    history.events.push({ t: now(), source: 'harness', type: 'store', leases: await readBack(store, 'auto') });
  });
  await step('drop namespace', async () => { if (created.delete(store)) await store.dropNamespace(); });
  await step('close store', () => store.close());
}

interface Outcome {
  namespace: string;
  origin: number;
  history: History;
  marks: Marks;
  checks: Check[];
  sink: ScenarioResult['sink'];
  skipped?: string;
  /** With `skipped`: the claim could not be exercised here (no containers), rather than not run on this store. */
  notExercised?: boolean;
}

function finish(scenario: Scenario, o: RunOptions, r: Outcome): ScenarioResult {
  const status = r.skipped ? (r.notExercised ? 'not-exercised' : 'skipped') : verdictOf(r.checks);
  const durationMs = monotonicMs() - r.origin;
  const checksPassed = r.checks.filter((c) => c.status === 'pass').length;
  const notExercised = r.checks.filter((c) => c.status === 'not-exercised').length;
  o.progress?.({ phase: 'finish', name: scenario.name, passed: status !== 'failed' && status !== 'error', error: status === 'error', checksPassed, checks: r.checks.length, durationMs, skipped: r.skipped, notExercised });
  return {
    name: scenario.name, title: scenario.title, claim: scenario.claim, status, skipped: r.skipped, durationMs, namespace: r.namespace,
    checks: r.checks, history: r.history, holds: holds(r.history), marks: r.marks, settings: scenario.settings, sink: r.sink,
    sentBy: sentBy(r.history), faults: describeFaults(r.history), timeline: timelineOf(r.history),
  };
}

/**
 * Whether the scenario's deployments run as containers, the timeline event that says so (or why
 * not), and, for a claim about containers where there can be none, why it is not exercised.
 */
function containerMode(s: Scenario, o: RunOptions): { use: boolean; event?: { type: string } & Record<string, unknown>; notRun?: string } {
  if (!s.containers && !o.containers) return { use: false };
  const can = o.faultEnv.containers ?? containersAvailable();
  if (can === true) return { use: true, event: { type: 'containers', hostname: CONTAINER_HOSTNAME } };
  if (s.containers === 'always') return { use: false, notRun: `deployments as containers: ${can}` };
  return { use: false, event: { type: 'containers', unavailable: can } };
}

/** Why the scenario cannot run here (a fault it needs is unavailable), or undefined. */
function unavailableNeed(s: Scenario, env: FaultEnv): string | undefined {
  for (const need of s.needs ?? []) {
    const why = FAULTS[need.fault].available(env, need.params as never);
    if (why !== true) return `needs fault ${need.fault}: ${why}`;
  }
  return undefined;
}

function settingsEvent(s: Settings): HistoryEvent {
  // `wall`: the host's wall clock at t = 0, against which a shifted worker's clock is checked.
  return { t: 0, source: 'harness', type: 'settings', ...s, lock: 'auto', automation: 'auto', wall: Date.now() };
}

/** The lease table as the store has it at the end (empty for a worker that keeps its locks elsewhere). */
async function readBack(store: Store, lock: string) {
  const leases = await store.listLeases(lock).catch(() => []);
  return leases.map(({ name, holder, fence }) => ({ name, holder, fence }));
}

function workerEnv(s: Scenario, o: RunOptions, namespace: string, sinkUrl: string): Record<string, string> {
  const { timing, partitions, messages, intervalMs } = s.settings;
  return {
    BATON_STORE: o.storeUri,
    BATON_NAMESPACE: namespace,
    BATON_LOCK: 'auto',
    BATON_AUTOMATION: 'auto',
    BATON_LEASE_MS: String(timing.leaseMs),
    BATON_RENEW_DEADLINE_MS: String(timing.renewDeadlineMs),
    BATON_RETRY_MS: String(timing.retryMs),
    BATON_PARTITIONS: String(partitions),
    BATON_MESSAGES: String(messages),
    BATON_INTERVAL_MS: String(intervalMs),
    BATON_SINK: sinkUrl,
    BATON_CLOCK_OFFSET_MS: '0',
    ...(o.strategy ? { BATON_STRATEGY: o.strategy } : {}),
  };
}

/** `d1: 0, 2, 4, … 118 (60)`: each deployment's accepted seqs, the first three and the last. */
export function sentBy(h: History): Record<string, string> {
  const label = delivererLabel(h);
  const seqs = new Map<string, number[]>();
  for (const d of h.deliveries) {
    if (d.status !== 'accepted') continue;
    const who = label(d);
    if (!seqs.has(who)) seqs.set(who, []);
    seqs.get(who)!.push(d.seq);
  }
  const out: Record<string, string> = {};
  for (const who of [...seqs.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
    const s = seqs.get(who)!.sort((a, b) => a - b);
    out[who] = `${s.length > 4 ? `${s.slice(0, 3).join(', ')}, … ${s.at(-1)}` : s.join(', ')} (${s.length})`;
  }
  return out;
}
