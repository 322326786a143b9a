// The checkpoint after a delivery ("seq n is done") written as a plain upsert: no fence and no
// expected value. A holder whose checkpoint is delayed (held in the network, stuck behind a
// stalled store) writes it after the next holder has moved on, and rewinds the progress record:
// whoever runs the partition next sends again what was already delivered.
import { overrideWithRaw, type Strategy } from './strategy.ts';

export const unfencedCheckpoint: Strategy = {
  name: 'unfenced-checkpoint',
  stores: ['sqlite', 'postgres'],
  bug: 'the checkpoint after a delivery is written without a fence or an expected value',
  async apply(parts, ctx) {
    return overrideWithRaw(parts, ctx, (raw, real) => ({
      async casProgress(automation, partition, fence, expect, next) {
        const done = expect !== null && expect.inFlight !== null && next.inFlight === null;
        if (!done) return real.casProgress(automation, partition, fence, expect, next);
        await raw.putProgress({ automation, partition, fence, ...next });
        return true;
      },
    }));
  },
};
