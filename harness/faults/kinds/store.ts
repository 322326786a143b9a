// Faults of the store itself: a stall (its write lock held: reads answer, writes wait) and a cut
// (the server terminates one worker's connections).
import { stallStore, terminateBackends, storeFaultSupport } from '../store.ts';
import type { Fault } from '../fault.ts';

export const storeStall: Fault<Record<string, never>> = {
  instant: false,
  available: (env) => storeFaultSupport(env.store).stall,
  async inject(w) {
    const stall = await stallStore(w.storeUri, w.namespace);
    return async () => {
      // Measured at the end of the stall, before it lets go: who was kept waiting by it.
      const waiting = await stall.waiting(w.network.allStorePorts()).catch(() => undefined);
      await stall.release();
      if (waiting !== undefined) {
        w.record({ type: 'fault-result', fault: 'store-stall', target: '', reached: waiting > 0,
          detail: waiting ? `${waiting} worker session(s) were waiting on the stalled store when it ended` : 'no worker session was waiting on the stalled store when it ended' });
      }
    };
  },
  describe: () => '',
};

export const storeCut: Fault<Record<string, never>> = {
  instant: true,
  available: (env) => storeFaultSupport(env.store).terminate,
  async inject(w, target) {
    // Zero is possible (no connection open at that instant, a server not on loopback): say so.
    const terminated = await terminateBackends(w.storeUri, w.network.storePorts(target));
    w.record({ type: 'fault-result', fault: 'store-cut', target, terminated, reached: terminated > 0,
      detail: terminated ? `terminated ${terminated} of ${target}'s backends` : `${target} had no backend open to terminate` });
    return undefined;
  },
  describe: () => '',
};
