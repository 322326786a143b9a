// The invariants every fault scenario is judged on (docs/invariants.md), in one list, and which
// of them judge effects — what reached the receiver and when the worker acted — rather than the
// lock's own bookkeeping. The detection matrix counts a bug as caught on effects only by these.
import type { History, HistorySettings } from '../history.ts';
import { guarded, type Check } from './check.ts';
import { actOnlyInSafeHold } from './holds.ts';
import { noInterleaving } from './interleaving.ts';
import { noDoubleEffect } from './effects.ts';
import { livenessAfterHeal } from './liveness.ts';
import { noGaps, noLoss, oneRequestPerSend } from './deliveries.ts';
import { fencesIncreasing, mutualExclusion } from './leases.ts';
import { idsActAlone } from './identity.ts';

type Settings = Omit<HistorySettings, 'lock'> & { lock?: string };

export function invariants(h: History, s: Settings): Check[] {
  const settings = { ...s, lock: s.lock ?? 'auto' };
  // Each checker on its own: one that throws is an ERROR of its own row, the others still judge.
  return [
    guarded(actOnlyInSafeHold, h, settings),
    guarded(noInterleaving, h, settings),
    guarded(noDoubleEffect, h, settings),
    s.messages > 0 ? guarded(noLoss, h, s.messages) : guarded(noGaps, h, s.partitions),
    guarded(livenessAfterHeal, h, settings),
    guarded(mutualExclusion, h, settings),
    guarded(fencesIncreasing, h),
    guarded(idsActAlone, h),
    guarded(oneRequestPerSend, h),
  ];
}

/** Names of the checks that judge effects (see the file comment). */
export const EFFECT_CHECKS: ReadonlySet<string> = new Set<string>([
  'every send inside a safe window of its lease',
  'holders never interleave on a partition',
  'each message takes effect once',
  'no message lost',
  'no message lost (no gap in any partition)',
  'work resumes after every heal',
  'each instance ID acts from one deployment',
  'each send line makes one request',
]);
