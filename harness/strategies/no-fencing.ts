// No fencing token: the receiver gets `fence: null` and cannot refuse a delayed write, and the
// progress record is written with a constant fence (its value-compare stays), as a design that
// trusts its lock would.
import { override, type Strategy } from './strategy.ts';

export const noFencing: Strategy = {
  name: 'no-fencing',
  bug: 'no fencing token: a delayed write from a deposed holder cannot be refused',
  async apply(parts) {
    const real = parts.store;
    return {
      ...parts,
      store: override(real, { casProgress: (a, p, _fence, expect, next) => real.casProgress(a, p, 0, expect, next) }),
      send: (m, signal) => parts.send({ ...m, fence: null }, signal),
      fenceOut: () => null,
    };
  },
};
