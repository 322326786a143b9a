// A negative control: the built-in worker with one deliberate bug, made by decorating the parts a
// Deployment is built from (its Store, its Sender, its elector's deadline). The harness must FAIL
// every one of them; a harness that cannot fail proves nothing. Chosen in harness/worker.ts only.
import type { Store, StoreKind } from '../../coordination/stores/store.ts';
import type { Sender } from '../../coordination/sender.ts';
import type { Timing } from '../../coordination/timing.ts';
import type { RawStore } from './raw.ts';

export interface Parts {
  store: Store;
  send: Sender;
  /** Override of the elector's renew deadline (Infinity: never step down on time). */
  deadlineMs?(timing: Timing): number;
  /** The fence the worker reports and sends (null: it has none). */
  fenceOut(fence: number): number | null;
}

export interface StrategyContext {
  timing: Timing;
  /** The worker's wall clock, with BATON_CLOCK_OFFSET_MS applied (and faketime, when preloaded). */
  wallNow(): number;
  /** Row-level access that bypasses the store contract (opened only by strategies that need it). */
  raw(): Promise<RawStore>;
}

export interface Strategy {
  name: string;
  /** The bug, in one sentence, for the report. */
  bug: string;
  /** Stores it can run on (those with row-level access in ./raw.ts); absent: every store. */
  stores?: StoreKind[];
  apply(parts: Parts, ctx: StrategyContext): Promise<Parts>;
}

/** A Store whose listed methods are replaced; every other call goes to the real store. */
export function override(store: Store, methods: Partial<Store>): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key in methods) return methods[key as keyof Store];
      const v = Reflect.get(target, key, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
