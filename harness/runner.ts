// Runs scenarios: each in its own namespace (database / schema / file) with its own sink and
// workers, several at once (p-limit). It creates the namespace, refuses one that already exists,
// and drops only what it created.
import pLimit from 'p-limit';
import { randomBytes } from 'node:crypto';
import { monotonicMs, sleep } from '../coordination/clock.ts';
import { openStore, StoreError, type Store } from '../coordination/stores/index.ts';
import { redact } from '../coordination/redact.ts';
import { Cluster } from './cluster.ts';
import { Sink } from './sink.ts';
import { holds, type Hold } from './checkers/leases.ts';
import { check, type Check } from './checkers/check.ts';
import type { History, HistoryEvent } from './history.ts';
import { seededRandom, between } from './random.ts';
import type { ScenarioProgress } from './progress.ts';
import { workerLabels, type Marks, type Scenario, type ScenarioContext, type Settings } from '../scenarios/scenario.ts';

export interface RunOptions {
  /** Resolved store URI (never `auto` / `memory`). */
  storeUri: string;
  /** Shell command that starts one worker. */
  workerCommand: string;
  /** Seeds every random choice a scenario makes. */
  seed: number;
  /** Deployments for the scenarios that scale (`scalesWithInstances`); others keep their own count. */
  instances?: number;
  concurrency: number;
  strategy?: string;
  /** Told when each scenario starts and finishes. */
  progress?(e: ScenarioProgress): void;
}

export interface ScenarioResult {
  name: string;
  title: string;
  claim: string;
  status: 'passed' | 'failed';
  durationMs: number;
  namespace: string;
  checks: Check[];
  history: History;
  holds: Hold[];
  marks: Marks;
  /** The settings the scenario actually ran with (after --instances). */
  settings: Settings;
  sink: { raw: number; accepted: number; duplicate: number; stale: number };
}

/** Namespaces this process created and has not dropped yet: what an interrupt must clean up. */
const created = new Set<Store>();

/** Drops every namespace still in `created` (Ctrl-C), giving up after `ms`. */
export async function dropCreatedNamespaces(ms = 5_000): Promise<void> {
  const drops = [...created].map((s) => s.dropNamespace().catch(() => {}));
  await Promise.race([Promise.all(drops), sleep(ms)]);
}

export async function runScenarios(scenarios: Scenario[], o: RunOptions): Promise<ScenarioResult[]> {
  const limit = pLimit(o.concurrency);
  const runId = randomBytes(3).toString('hex');
  return Promise.all(scenarios.map((s, i) => limit(() => runOne(withInstances(s, o.instances), `baton_${runId}_${i}_${s.name.replace(/-/g, '_')}`.slice(0, 48), o))));
}

function withInstances(s: Scenario, instances: number | undefined): Scenario {
  return s.scalesWithInstances && instances ? { ...s, settings: { ...s.settings, instances } } : s;
}

async function runOne(scenario: Scenario, namespace: string, o: RunOptions): Promise<ScenarioResult> {
  o.progress?.({ phase: 'start', name: scenario.name });
  const origin = monotonicMs();
  const history: History = { events: [], deliveries: [] };
  const marks: Marks = {};
  const store = await openStore(o.storeUri, namespace);
  const sink = new Sink();
  let cluster: Cluster | undefined;
  let failure: string | undefined;
  try {
    const state = await store.namespaceState();
    if (state !== 'absent') throw new StoreError(`namespace ${namespace} already exists (${state}): refusing to touch it`);
    created.add(store);
    await store.init();
    await sink.start();
    cluster = new Cluster({
      command: o.workerCommand,
      origin,
      env: workerEnv(scenario, o, namespace, sink.url),
      record: (e) => history.events.push(e),
    });
    await scenario.run(context(scenario, cluster, sink, history, marks, origin, seededRandom(o.seed, scenario.name)));
  } catch (e) {
    failure = redact((e as Error).message);
  } finally {
    await cluster?.shutdown();
    await sink.stop();
    if (created.delete(store)) await store.dropNamespace().catch(() => {});
    await store.close();
  }
  history.deliveries = sink.deliveries.map((d) => ({ ...d, t: d.at - origin }));
  history.events.sort((a, b) => a.t - b.t);
  const checks = failure
    ? [check('scenario ran to completion', false, 'error', '', 'no error', [failure])]
    : scenario.checks(history, marks, scenario.settings);
  const status = checks.every((c) => c.status === 'pass') ? 'passed' : 'failed';
  const durationMs = monotonicMs() - origin;
  const checksPassed = checks.filter((c) => c.status === 'pass').length;
  o.progress?.({ phase: 'finish', name: scenario.name, passed: status === 'passed', checksPassed, checks: checks.length, durationMs });
  return {
    name: scenario.name, title: scenario.title, claim: scenario.claim, status, durationMs, namespace, checks,
    history, holds: holds(history), marks, settings: scenario.settings, sink: sink.counts(),
  };
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

function context(s: Scenario, cluster: Cluster, sink: Sink, history: History, marks: Marks, origin: number, random: () => number): ScenarioContext {
  const now = () => monotonicMs() - origin;
  return {
    settings: s.settings,
    workers: workerLabels(s.settings.instances),
    between: (min, max) => between(random, min, max),
    spawn: (label) => cluster.spawn(label),
    command: (label, cmd) => cluster.command(label, cmd),
    kill: (label, signal) => cluster.kill(label, signal),
    // Past events count too: a worker's `acquired` can arrive in the same read as its `started`,
    // before the scenario gets to ask for it.
    waitFor: async (pred: (e: HistoryEvent) => boolean, ms: number) => history.events.find(pred) ?? cluster.waitFor(pred, ms),
    async waitAccepted(n, timeoutMs) {
      const until = now() + timeoutMs;
      while (sink.counts().accepted < n) {
        if (now() > until) return false;
        await sleep(20);
      }
      return true;
    },
    sleep: (ms) => sleep(ms),
    now,
    holder(lock) {
      const open = holds({ events: history.events, deliveries: [] }).filter((x) => x.lock === lock && x.endedBy === 'end of run');
      return open.at(-1)?.source;
    },
    mark(name) {
      const t = now();
      marks[name] = t;
      history.events.push({ t, source: 'harness', type: 'mark', name });
      return t;
    },
  };
}
