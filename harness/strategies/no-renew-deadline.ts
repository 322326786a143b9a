// A holder that keeps acting until a renew is refused: no renew deadline on its own monotonic
// clock, so a paused or slow holder acts after its lease may have passed to someone else.
import type { Strategy } from './strategy.ts';

export const noRenewDeadline: Strategy = {
  name: 'no-renew-deadline',
  bug: 'no renew deadline: the holder acts until a renew is refused, not until its deadline',
  apply: async (parts) => ({ ...parts, deadlineMs: () => Infinity }),
};
