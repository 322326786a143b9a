// An HTTP client that retries a failed or timed-out delivery on its own, without telling the
// code above it: one `send` becomes two requests whenever the receiver is slow (past the
// client's 1 s timeout) or the connection breaks after the request was applied. Only a
// receiver that dedupes would hide it; the effect happens twice.
import { httpSender } from '../../coordination/sender.ts';
import type { Strategy } from './strategy.ts';

const CLIENT_TIMEOUT_MS = 1_000;

export const hiddenRetry: Strategy = {
  name: 'hidden-retry',
  bug: 'the HTTP client retries a timed-out or broken delivery by itself, unseen by the caller',
  async apply(parts, ctx) {
    const once = httpSender(ctx.sinkUrl, CLIENT_TIMEOUT_MS);
    return {
      ...parts,
      send: async (m, signal) => {
        const first = await once(m, signal);
        return first === 'failed' && !signal.aborted ? once(m, signal) : first;
      },
    };
  },
};
