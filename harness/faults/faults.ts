// Faults as parts (Jepsen's nemesis, etcd's failpoints): each says whether it can run against
// this store and worker, injects itself, and returns how to heal. The runner records every
// injection and heal on the timeline, so checkers judge against what was really done.
import type { Cluster } from '../cluster.ts';
import type { StoreKind } from '../../coordination/stores/store.ts';
import type { ProxyMode } from './proxy.ts';
import type { Network, NetworkPath } from './network.ts';
import { stallStore, terminateBackends, storeFaultSupport } from './store.ts';
import type { ClockShift } from './clock.ts';

export interface FaultEnv {
  store: StoreKind;
  /** libfaketime is installed (clock faults reach any language) and usable with this store. */
  faketime: boolean;
  /** Each worker's store traffic runs through its own proxy (network faults on the store path). */
  storeProxy: boolean;
}

/** What a fault acts on. */
export interface World {
  cluster: Cluster;
  network: Network;
  storeUri: string;
  namespace: string;
  clocks: Map<string, ClockShift>;
  /** Heals of faults still in force: whatever ends the scenario heals them first. */
  pending: Set<Heal>;
  /** Writes a harness event on the timeline (what a fault found or did). */
  record(e: Record<string, unknown> & { type: string }): void;
}

export type Heal = () => Promise<void>;

export interface FaultParams {
  pause: Record<string, never>;
  kill: Record<string, never>;
  terminate: Record<string, never>;
  network: { path: NetworkPath; mode: ProxyMode };
  'clock-step': { offsetMs: number };
  'store-stall': Record<string, never>;
  'store-cut': Record<string, never>;
}
export type FaultName = keyof FaultParams;

export interface Fault<N extends FaultName> {
  /** true, or why it cannot run here. */
  available(env: FaultEnv, params?: FaultParams[N]): true | string;
  /** Injects on `target` (a worker label; '' for the store) and returns the heal, if it has one. */
  inject(world: World, target: string, params: FaultParams[N]): Promise<Heal | undefined>;
}

const signal = <N extends 'kill' | 'terminate'>(sig: NodeJS.Signals): Fault<N> => ({
  available: () => true,
  inject: async (w, target) => { w.cluster.kill(target, sig); return undefined; },
});

export const FAULTS: { [N in FaultName]: Fault<N> } = {
  kill: signal('SIGKILL'),
  terminate: signal('SIGTERM'),
  pause: {
    available: () => true,
    async inject(w, target) {
      w.cluster.kill(target, 'SIGSTOP');
      return async () => w.cluster.kill(target, 'SIGCONT');
    },
  },
  network: {
    available: (env, p) => p?.path !== 'store' || env.storeProxy ? true
      : env.store === 'sqlite' ? 'SQLite has no network path'
      : `this ${env.store} URI cannot be proxied: a MongoDB driver connects to replica-set members by name, around a proxy (a single host with directConnection=true can be)`,
    async inject(w, target, p) {
      w.network.setMode(target, p.path, p.mode);
      return async () => w.network.setMode(target, p.path, { kind: 'pass' });
    },
  },
  'clock-step': {
    available: (env) => env.faketime ? true
      : env.store === 'sqlite' ? 'SQLite\'s clock is the host clock of each process: a skewed process skews the store, so only a start-time BATON_CLOCK_OFFSET_MS is used'
      : 'stepping a running worker\'s clock needs libfaketime (apt-get install faketime)',
    async inject(w, target, p) {
      const clock = w.clocks.get(target);
      if (!clock) throw new Error(`${target} was not started with a shifted clock`);
      await clock.step(p.offsetMs);
      return undefined;
    },
  },
  'store-stall': {
    available: (env) => storeFaultSupport(env.store).stall,
    async inject(w) {
      const stall = await stallStore(w.storeUri, w.namespace);
      return () => stall.release();
    },
  },
  'store-cut': {
    available: (env) => storeFaultSupport(env.store).terminate,
    async inject(w, target) {
      // Zero is possible (no connection open at that instant, a server not on loopback): say so.
      const terminated = await terminateBackends(w.storeUri, w.network.storePorts(target));
      w.record({ type: 'fault-result', fault: 'store-cut', target, terminated });
      return undefined;
    },
  },
};
