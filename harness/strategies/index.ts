import { clientClock } from './client-clock.ts';
import { checkThenSet } from './check-then-set.ts';
import { renewUpsert } from './renew-upsert.ts';
import { noFencing } from './no-fencing.ts';
import { noRenewDeadline } from './no-renew-deadline.ts';
import { wallClockDeadline } from './wall-clock-deadline.ts';
import { unfencedCheckpoint } from './unfenced-checkpoint.ts';
import { hostIdentity } from './host-identity.ts';
import { hiddenRetry } from './hidden-retry.ts';
import type { Strategy } from './strategy.ts';

export type { Strategy, Parts, StrategyContext, WorkerClock } from './strategy.ts';

const correct: Strategy = { name: 'correct', bug: 'none: the library as shipped', apply: async (parts) => parts };

/** `correct` first, then the negative controls. */
export const STRATEGIES: Strategy[] = [
  correct, clientClock, noFencing, noRenewDeadline, checkThenSet, renewUpsert,
  wallClockDeadline, unfencedCheckpoint, hostIdentity, hiddenRetry,
];
export const STRATEGY_NAMES = STRATEGIES.map((s) => s.name);
export const strategyByName = (name: string) => STRATEGIES.find((s) => s.name === name);
