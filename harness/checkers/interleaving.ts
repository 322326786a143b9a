// (b) Holders do not interleave: once a partition's deliveries have moved on from deployment A to
// deployment B, A does not deliver for it again, unless A legitimately took the lease back, or it
// is the one straggler a fencing receiver refuses (A sent it while its lease was still safe, the
// network held it back, and A stops as soon as the receiver refuses it). Windows come first: a
// delivery sent while its sender held no lease on the partition is a violation in itself, and
// neither it nor one sent outside its safe window ever supersedes anyone, so the stray delivery
// is the culprit and never the holder it interrupted.
import { byTime, delivererLabel, partitionOf, sendLineFinder, type History, type HistoryDelivery, type HistoryEvent, type HistorySettings } from '../history.ts';
import { check, notExercised, type Check } from './check.ts';
import { isSafeAt, lastSafe, leaseOf, safeHolds, withLock, type SafeHold } from './holds.ts';

type Settings = Pick<HistorySettings, 'timing' | 'partitions' | 'lock'>;

interface Ctx {
  holds: SafeHold[];
  sendOf: (d: HistoryDelivery) => HistoryEvent | undefined;
  lease: string;
  /** Who delivered (by network path where known) and which process: one key per deliverer. */
  deliverer: (d: HistoryDelivery) => string;
}

const sameFence = (a: number | null, b: unknown) => a === null || b === null || b === undefined || a === b;
const holdContaining = (c: Ctx, e: HistoryEvent) => c.holds.filter((x) => x.source === e.source && x.lock === c.lease && x.start <= e.t && e.t <= x.end);
/** The holds of this lease, with the send line's fence, that the line falls in (from acquired to its end). */
const heldAtSend = (c: Ctx, e: HistoryEvent) => holdContaining(c, e).filter((x) => sameFence(x.fence, e.fence));

/**
 * A took the lease back after B lost it: A's send sits in a hold that began once the hold in which
 * B sent its superseding message was over (ended, or past its last safe moment: a frozen B prints
 * `lost` only when it wakes). With fences, A's must also be higher than B's. A higher fence alone
 * is not enough: a worker that steals a live lease gets a higher fence too.
 */
function reacquired(c: Ctx, d: HistoryDelivery, by: HistoryDelivery): boolean {
  if (d.fence !== null && by.fence !== null && !(d.fence > by.fence)) return false;
  const mine = c.sendOf(d);
  const theirs = c.sendOf(by);
  if (!mine || !theirs) return false;
  const theirHolds = holdContaining(c, theirs);
  const over = (y: SafeHold) => Math.min(y.end, lastSafe(y));
  return theirHolds.length > 0 && holdContaining(c, mine).some((x) => theirHolds.every((y) => x.start >= over(y)));
}

/**
 * The one tolerated straggler: fenced, lower than a fence the receiver already saw (so a fencing
 * receiver refuses it), and sent while A's lease was safe. Only the first per (A, lease, fence):
 * after the refusal A must stop, so a second one with that fence is a violation.
 */
function straggler(c: Ctx, d: HistoryDelivery, highest: number, seen: Set<string>): boolean {
  if (d.fence === null || !(d.fence < highest)) return false;
  const key = `${c.deliverer(d)}\u0000${c.lease}\u0000${d.fence}`;
  const first = !seen.has(key);
  seen.add(key);
  const sent = c.sendOf(d);
  return first && !!sent && c.holds.some((x) => x.source === sent.source && x.lock === c.lease && x.fence === d.fence && isSafeAt(x, sent.t));
}

/** outside: sent while its sender held no lease on the partition (judged before anything else). */
type Verdict = 'legit' | 'straggler' | 'violation' | 'outside';

/**
 * Whether a delivery may supersede others: its send line lies in a safe window of its sender's
 * hold of this lease. A delivery whose send line is unknown keeps the benefit of the doubt (the
 * harness cannot place it); one sent outside every hold, or past its deadline, proves nothing.
 */
function standing(c: Ctx, d: HistoryDelivery): 'unplaced' | 'outside' | 'unsafe' | 'safe' {
  const sent = c.sendOf(d);
  if (!sent) return 'unplaced';
  const holds = heldAtSend(c, sent);
  if (holds.length === 0) return 'outside';
  return holds.some((x) => isSafeAt(x, sent.t)) ? 'safe' : 'unsafe';
}

/** One partition's deliveries in arrival order; only legitimate ones supersede others. */
function judgePartition(c: Ctx, ds: HistoryDelivery[]): Map<HistoryDelivery, Verdict> {
  const verdicts = new Map<HistoryDelivery, Verdict>();
  const lastLegit = new Map<string, HistoryDelivery>(); // per deliverer
  const seen = new Set<string>(); // (deliverer, lease, fence) that already had a late delivery
  let highest = -Infinity;
  for (const d of ds) {
    const who = c.deliverer(d);
    const where = standing(c, d);
    const mine = lastLegit.get(who);
    const by = [...lastLegit.entries()].filter(([k]) => k !== who).map(([, x]) => x).sort((a, b) => a.t - b.t).at(-1);
    const superseded = mine && by && by.t > mine.t;
    const v: Verdict = where === 'outside' ? 'outside'
      : !superseded || reacquired(c, d, by) ? 'legit' : straggler(c, d, highest, seen) ? 'straggler' : 'violation';
    verdicts.set(d, v);
    if (v === 'legit' && where !== 'unsafe') lastLegit.set(who, d);
    if (d.fence !== null) highest = Math.max(highest, d.fence);
  }
  return verdicts;
}

/**
 * (b) Per partition, in arrival order: once B has delivered after A, A is superseded by B. A later
 * delivery by A is a violation unless A re-acquired after B lost the lease, or it is the one
 * tolerated straggler (see `straggler`). A worker without fences has no straggler excuse.
 */
const describeSend = (e: HistoryEvent) => `its send line at t=${Math.round(e.t)}ms lies in none of its holds`;

export function noInterleaving(h: History, settings: Settings): Check {
  const s = withLock(h, settings);
  const name = 'holders never interleave on a partition';
  if (h.deliveries.length === 0) return notExercised(name, 'no deliveries', '0');
  const label = delivererLabel(h);
  const holds = safeHolds(h, s.timing.renewDeadlineMs);
  const sendOf = sendLineFinder(h);
  const deliverer = (d: HistoryDelivery) => `${label(d)}\u0000${d.instance}`;
  const parts = new Map<number, HistoryDelivery[]>();
  for (const d of byTime(h.deliveries)) {
    const p = partitionOf(d, s.partitions);
    if (!parts.has(p)) parts.set(p, []);
    parts.get(p)!.push(d);
  }
  const bad: string[] = [];
  const excused: string[] = [];
  let handovers = 0;
  for (const ds of parts.values()) {
    const verdicts = judgePartition({ holds, sendOf, lease: leaseOf(ds[0]!, s), deliverer }, ds);
    handovers += ds.filter((d, i) => i > 0 && deliverer(d) !== deliverer(ds[i - 1]!)).length;
    for (const [d, v] of verdicts) {
      const text = `t=${Math.round(d.t)}ms p${partitionOf(d, s.partitions)} seq=${d.seq} fence=${d.fence} from ${label(d)} → ${d.status}`;
      if (v === 'outside') bad.push(`${text}: sent while ${label(d)} held no lease on p${partitionOf(d, s.partitions)} (${describeSend(sendOf(d)!)})`);
      if (v === 'violation') bad.push(`${text}: an older holder delivered again`);
      if (v === 'straggler') excused.push(`${text}: straggler sent inside its safe window, refused by a fencing receiver`);
    }
  }
  const evidence = bad.length ? bad : excused.length ? excused : [`${handovers} change(s) of deliverer, none going back`];
  return check(name, bad.length === 0, bad.length, 'interleaved deliveries',
    `0 (stragglers a fencing receiver refuses excused: ${excused.length})`, evidence);
}
