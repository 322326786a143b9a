// What a running scenario can do: start workers, send them commands and signals, inject faults,
// wait for events or deliveries, mark the timeline. Every action lands on the history.
import { monotonicMs, sleep } from '../coordination/clock.ts';
import type { Cluster } from './cluster.ts';
import type { Sink } from './sink.ts';
import type { History, HistoryEvent } from './history.ts';
import { holds } from './checkers/leases.ts';
import { between } from './random.ts';
import { FAULTS, type Fault, type FaultEnv, type FaultMoment, type FaultName, type FaultParams, type World } from './faults/faults.ts';
import { shiftClock } from './faults/clock.ts';
import { workerLabels, type Marks, type Scenario, type ScenarioContext, type Trigger } from './scenario.ts';

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
  const inject = async <N extends FaultName>(fault: N, target: string, params: FaultParams[N], moment?: FaultMoment) => {
    const kind = FAULTS[fault] as Fault<FaultParams[N]>;
    const why = kind.available(faultEnv, params);
    if (why !== true) throw new Error(`fault ${fault} is not available here: ${why}`);
    if (isStopped) return undefined; // the run is over: inject nothing more
    // How late the harness was for the moment it was asked to hit (it reads the worker's lines off a pipe).
    const placed = moment ? { moment: { ...moment, lagMs: Math.round((now() - moment.at - moment.delayMs) * 10) / 10 } } : {};
    record({ type: 'fault', fault, phase: 'start', target, ...params, ...placed });
    const heal = await kind.inject(world, target, params, moment);
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
  const spawn = async (label: string, options?: { clockOffsetMs?: number; monotonic?: boolean }) => {
    world.clocks.get(label)?.dispose(); // a restarted worker gets its own clock, or none
    world.clocks.delete(label);
    if (options?.clockOffsetMs === undefined) return cluster.spawn(label);
    const clock = shiftClock(options.clockOffsetMs, { useFaketime: faultEnv.faketime, monotonic: options.monotonic });
    world.clocks.set(label, clock);
    record({ type: 'fault', fault: 'clock', phase: 'start', target: label, offsetMs: options.clockOffsetMs, mode: clock.mode, ...(clock.monotonic ? { monotonic: true } : {}) });
    return cluster.spawn(label, clock.env, { monotonicOffsets: () => clock.monotonicOffsets() });
  };
  const after = async (tr: Trigger): Promise<FaultMoment | undefined> => {
    const line = tr.after === 'delivered'
      ? await sink.next((d) => d.via === tr.of, tr.timeoutMs ?? 5_000).then((d) => d && { t: d.at - p.origin, seq: d.seq })
      : await cluster.waitFor((e) => e.source === tr.of && e.type === tr.after, tr.timeoutMs ?? 5_000);
    if (!line) return undefined;
    const delayMs = tr.delayMs ?? 0;
    const wait = line.t + delayMs - now();
    if (wait > 0) await sleep(wait);
    return { after: tr.after, of: tr.of, at: line.t, delayMs, ...(line.seq !== undefined ? { seq: line.seq } : {}) };
  };
  const holder = (lock: string) => {
    const open = holds({ events: history.events, deliveries: [] }).filter((x) => x.lock === lock && x.endedBy === 'end of run');
    return open.at(-1)?.source;
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
    after: (tr) => until(after(tr)),
    inject: (fault, target, params, moment) => until(inject(fault, target, params, moment)),
    async fault(fault, target, params, ms, moment) {
      const heal = await until(inject(fault, target, params, moment));
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
    holder,
    async requireHolder(lock = 'auto') {
      const { leaseMs, retryMs } = p.scenario.settings.timing;
      const end = now() + leaseMs + 2 * retryMs;
      while (holder(lock) === undefined && now() < end) await until(sleep(retryMs / 3));
      const who = holder(lock);
      if (who === undefined) throw new Error(`no deployment held ${lock} by t=${Math.round(now())}ms: the fault had no holder to act on`);
      return who;
    },
    mark(name) {
      const t = now();
      marks[name] = t;
      history.events.push({ t, source: 'harness', type: 'mark', name });
      return t;
    },
  };
}
