// What a running scenario can do: start workers, send them commands and signals, inject faults,
// wait for events or deliveries, mark the timeline. Every action lands on the history.
import { monotonicMs, sleep } from '../coordination/clock.ts';
import type { Cluster } from './cluster.ts';
import type { Sink } from './sink.ts';
import type { History, HistoryEvent } from './history.ts';
import { holds } from './checkers/leases.ts';
import { between } from './random.ts';
import { FAULTS, type FaultEnv, type FaultName, type FaultParams, type World } from './faults/faults.ts';
import { shiftClock } from './faults/clock.ts';
import { workerLabels, type Marks, type Scenario, type ScenarioContext } from './scenario.ts';

export interface ContextParts {
  scenario: Scenario;
  cluster: Cluster;
  sink: Sink;
  history: History;
  marks: Marks;
  origin: number;
  random: () => number;
  world: World;
  faultEnv: FaultEnv;
  /** Rejects when the run must end at once (the store refused the workers); every wait then rejects with it. */
  stopped: Promise<never>;
}

export function scenarioContext(p: ContextParts): ScenarioContext {
  const { cluster, sink, history, marks, world, faultEnv } = p;
  const now = () => monotonicMs() - p.origin;
  const record = (e: Omit<HistoryEvent, 't' | 'source'>) => history.events.push({ t: now(), source: 'harness', ...e } as HistoryEvent);
  let isStopped = false;
  p.stopped.catch(() => { isStopped = true; });
  const inject = async <N extends FaultName>(fault: N, target: string, params: FaultParams[N]) => {
    const why = FAULTS[fault].available(faultEnv, params);
    if (why !== true) throw new Error(`fault ${fault} is not available here: ${why}`);
    if (isStopped) return undefined; // the run is over: inject nothing more
    record({ type: 'fault', fault, phase: 'start', target, ...params });
    const heal = await FAULTS[fault].inject(world, target, params);
    if (!heal) return undefined;
    const healOnce = async () => {
      if (!world.pending.delete(healOnce)) return;
      await heal();
      record({ type: 'fault', fault, phase: 'end', target, ...params });
    };
    world.pending.add(healOnce);
    // Stopped while injecting: the clean-up may already have healed what it knew of; heal this too.
    if (isStopped) await healOnce();
    return healOnce;
  };
  const spawn = async (label: string, options?: { clockOffsetMs?: number }) => {
    world.clocks.get(label)?.dispose(); // a restarted worker gets its own clock, or none
    world.clocks.delete(label);
    if (options?.clockOffsetMs === undefined) return cluster.spawn(label);
    const clock = shiftClock(options.clockOffsetMs, { useFaketime: faultEnv.faketime });
    world.clocks.set(label, clock);
    record({ type: 'fault', fault: 'clock', phase: 'start', target: label, offsetMs: options.clockOffsetMs, mode: clock.mode });
    return cluster.spawn(label, clock.env);
  };
  // Every wait races the stop, so a run the environment has broken unwinds at once.
  const until = <T>(wait: Promise<T>): Promise<T> => Promise.race([wait, p.stopped]);
  return {
    settings: p.scenario.settings,
    workers: workerLabels(p.scenario.settings.instances),
    between: (min, max) => between(p.random, min, max),
    spawn: (label, options) => until(spawn(label, options)),
    command: (label, cmd) => cluster.command(label, cmd),
    kill: (label, signal) => cluster.kill(label, signal),
    inject: (fault, target, params) => until(inject(fault, target, params)),
    async fault(fault, target, params, ms) {
      const heal = await until(inject(fault, target, params));
      try {
        await until(sleep(ms));
      } finally {
        await heal?.();
      }
    },
    available: (fault, params) => FAULTS[fault].available(faultEnv, params),
    // Past events count too: a worker's `acquired` can arrive in the same read as its `started`,
    // before the scenario gets to ask for it.
    waitFor: async (pred: (e: HistoryEvent) => boolean, ms: number) => history.events.find(pred) ?? until(cluster.waitFor(pred, ms)),
    next: (pred, ms) => until(cluster.waitFor(pred, ms)),
    async waitAccepted(n, timeoutMs) {
      const end = now() + timeoutMs;
      while (sink.counts().accepted < n) {
        if (now() > end) return false;
        await until(sleep(20));
      }
      return true;
    },
    accepted: () => sink.counts().accepted,
    sleep: (ms) => until(sleep(ms)),
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
