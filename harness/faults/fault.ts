// The fault contract (Jepsen's nemesis, etcd's failpoints): a fault says whether it can run
// against this store and worker, injects itself on a target, returns how to heal, and words
// itself for the report. The runner records every injection and heal on the timeline, so the
// checkers judge against what was really done. Each kind is one file in ./kinds; ./faults.ts
// is the registry.
import type { Cluster } from '../cluster.ts';
import type { StoreKind } from '../../coordination/stores/store.ts';
import type { Network } from './network.ts';
import type { ClockShift } from './clock.ts';
import type { Sink } from '../sink.ts';

export interface FaultEnv {
  store: StoreKind;
  /** libfaketime is installed (clock faults reach any language) and usable with this store. */
  faketime: boolean;
  /** Each worker's store traffic runs through its own proxy (network faults on the store path). */
  storeProxy: boolean;
  /** true, or why deployments cannot run in their own PID and UTS namespaces here. */
  containers?: true | string;
}

/** What a fault acts on. */
export interface World {
  cluster: Cluster;
  network: Network;
  sink: Sink;
  storeUri: string;
  namespace: string;
  clocks: Map<string, ClockShift>;
  /** Heals of faults still in force: whatever ends the scenario heals them first. */
  pending: Set<Heal>;
  /** Writes a harness event on the timeline (what a fault found or did). */
  record(e: Record<string, unknown> & { type: string }): void;
  /** ms on the scenario's timeline (the clock of every event's `t`). */
  now(): number;
  /** The monotonic ms that is t = 0 on the timeline. */
  origin: number;
}

export type Heal = () => Promise<void>;

/** When a fault was asked to begin: right after a moment of a worker's protocol (see ScenarioContext.after). */
export interface FaultMoment {
  /** The line type that triggered it: acquired, renewed, send, sent, released, lost. */
  after: string;
  of: string;
  /** The triggering line's time on the timeline, and the delay asked for after it. */
  at: number;
  delayMs: number;
  /** The triggering line's seq, for a send or sent. */
  seq?: unknown;
}

/** What a fault did to its target, as measured: the proxy's bytes, the process's state. */
export interface Reach {
  /** undefined: this fault cannot tell. */
  reached?: boolean;
  /** In words: "held 412 bytes toward the store", "d2 made no connection through BATON_STORE". */
  detail: string;
}

export interface Fault<P> {
  /** An instant (a signal, a clock step, a cut): recorded with a start and no end. */
  instant: boolean;
  /** Cuts its target off from something (a network path): the timeline draws it on the target's lane. */
  cuts?: boolean;
  /** A lasting condition set when a worker starts (a shifted clock), not a window that heals. */
  lasting?: boolean;
  /** true, or why it cannot run here. */
  available(env: FaultEnv, params?: P): true | string;
  /** Injects on `target` (a worker label; '' for the store) and returns the heal, if it has one. */
  inject(world: World, target: string, params: P, moment?: FaultMoment): Promise<Heal | undefined>;
  /** The parameters in words, after the fault's name: " (store, hold)", " -20000 ms". */
  describe(params: Record<string, unknown>): string;
}
