// A negative control: the built-in worker with one deliberate bug, made by decorating the parts a
// Deployment is built from (its Store, its Sender, its elector's deadline). The harness must FAIL
// every one of them; a harness that cannot fail proves nothing. Chosen in harness/worker.ts only.
import type { Store, StoreKind } from '../../coordination/stores/store.ts';
import type { Sender } from '../../coordination/sender.ts';
import type { Timing } from '../../coordination/timing.ts';
import type { Clock } from '../../coordination/clock.ts';
import type { RawStore } from './raw.ts';
import type { FaultName } from '../faults/faults.ts';

export interface Parts {
  store: Store;
  send: Sender;
  /** Override of the elector's renew deadline (Infinity: never step down on time). */
  deadlineMs?(timing: Timing): number;
  /** Override of the elector's clock (the wall clock, for a deadline counted on it). */
  clock?: WorkerClock;
  /** The fence the worker reports and sends (null: it has none). */
  fenceOut(fence: number): number | null;
}

/** An elector clock that is not the monotonic one, and can say when (monotonic ms) one of its readings was taken. */
export interface WorkerClock extends Clock {
  monotonicAt(reading: number): number;
}

export interface StrategyContext {
  timing: Timing;
  /** The worker's wall clock, with BATON_CLOCK_OFFSET_MS applied (and faketime, when preloaded). */
  wallNow(): number;
  /** Row-level access that bypasses the store contract (opened only by strategies that need it). */
  raw(): Promise<RawStore>;
  /** The instance ID the worker runs under. */
  id: string;
  /** The receiver's base URL (BATON_SINK), for a strategy that sends its own way. */
  sinkUrl: string;
}

export interface Strategy {
  name: string;
  /** The bug, in one sentence, for the report. */
  bug: string;
  /** Stores it can run on (those with row-level access in ./raw.ts); absent: every store. */
  stores?: StoreKind[];
  /** Faults without which its bug cannot show: where none of them can run, the strategy is not run, and the run says why. */
  exposedBy?: (FaultName | 'containers')[];
  /** The instance ID it runs under, when the bug is in how IDs are made (default: the library's). */
  instanceId?(): string;
  apply(parts: Parts, ctx: StrategyContext): Promise<Parts>;
}

/**
 * The parts with some store methods replaced by ones that reach the lease and progress rows
 * directly (ctx.raw: a connection of their own, closed with the store): how the broken
 * strategies bypass the store contract.
 */
export async function overrideWithRaw(parts: Parts, ctx: StrategyContext, methods: (raw: RawStore, real: Store) => Partial<Store>): Promise<Parts> {
  const raw = await ctx.raw();
  const real = parts.store;
  return { ...parts, store: override(real, { ...methods(raw, real), close: async () => { await raw.close(); await real.close(); } }) };
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
