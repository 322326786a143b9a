// (c) No double effect: each (automation, seq) takes effect once in the world. Judged on the RAW
// deliveries of every status, because a receiver that neither dedupes nor fences applies a stale
// or duplicate copy too. Two repeats are excused, because no protocol can avoid them and a
// receiver that dedupes by (automation, seq) applies each message once (at-least-once delivery):
// the in-doubt re-send after a takeover, and the retry after a send whose answer never came.
import { byTime, delivererLabel, ofType, partitionOf, sendLineFinder, type History, type HistoryDelivery, type HistoryEvent, type HistorySettings } from '../history.ts';
import { partitionOfLease } from '../../coordination/partitions.ts';
import { check, notExercised, type Check } from './check.ts';
import { lastSafe, safeHolds, withLock, type SafeHold } from './holds.ts';

type Settings = Pick<HistorySettings, 'timing' | 'partitions' | 'lock'>;

const sendsIn = (sends: HistoryEvent[], hold: SafeHold, p: number, P: number) =>
  sends.filter((e) => e.source === hold.source && partitionOf(e, P) === p && e.t >= hold.start && e.t <= hold.end);

/**
 * In-doubt re-sends: X acquires lease(p) (hold H_X); the previous hold H_Y of that lease (latest
 * start before H_X, any instance, X included) had stopped before H_X began: it ended by death or
 * stop (exit, SIGKILL, lost, released), or its safe window had closed (a paused holder that will
 * print `lost` when it wakes). Y's last send line for p inside H_Y may or may not have landed; X
 * cannot know, so X's FIRST send line in H_X for p may repeat that seq. One per takeover.
 */
function inDoubtResends(h: History, holds: SafeHold[], s: Settings): Set<HistoryEvent> {
  const sends = byTime(ofType(h, 'send'));
  const out = new Set<HistoryEvent>();
  const over = (y: SafeHold, t: number) => Math.min(y.end, lastSafe(y)) <= t;
  for (const x of holds) {
    const p = partitionOfLease(withLock(h, s).lock, x.lock, s.partitions);
    // The previous hold that sent on p; holds in between that never sent (an acquire answered
    // after its own deadline, given up at once) pass the in-flight seq on untouched.
    const before = holds.filter((o) => o !== x && o.lock === x.lock && o.start < x.start).sort((a, b) => b.start - a.start);
    const y = before.find((o) => !over(o, x.start) || sendsIn(sends, o, p, s.partitions).length > 0);
    if (!y || !over(y, x.start)) continue;
    const inFlight = sendsIn(sends, y, p, s.partitions).at(-1);
    const first = sendsIn(sends, x, p, s.partitions)[0];
    if (inFlight && first && Number(first.seq) === Number(inFlight.seq)) out.add(first);
  }
  return out;
}

/** Retries: a send line by an instance whose previous attempt at that seq got `sent` status 'failed'. */
function retriesAfterFailure(h: History): Set<HistoryEvent> {
  const out = new Set<HistoryEvent>();
  const failedSinceLastSend = new Map<string, boolean>(); // absent: never sent
  for (const e of byTime(h.events)) {
    if (e.type !== 'send' && e.type !== 'sent') continue;
    const k = `${e.source}\u0000${e.automation}\u0000${e.seq}`;
    if (e.type === 'sent' && e.status === 'failed') failedSinceLastSend.set(k, true);
    if (e.type !== 'send') continue;
    if (failedSinceLastSend.get(k)) out.add(e);
    failedSinceLastSend.set(k, false);
  }
  return out;
}

/** Deliveries grouped by (automation, seq), each group in arrival order (a map per automation: no string key per delivery). */
function groupBySeq(deliveries: HistoryDelivery[]): { size: number; values(): HistoryDelivery[][] } {
  const byAutomation = new Map<unknown, Map<unknown, HistoryDelivery[]>>();
  let size = 0;
  for (const d of deliveries) {
    let seqs = byAutomation.get(d.automation);
    if (!seqs) byAutomation.set(d.automation, (seqs = new Map()));
    const g = seqs.get(d.seq);
    if (g) g.push(d);
    else { seqs.set(d.seq, [d]); size++; }
  }
  return { size, values: () => [...byAutomation.values()].flatMap((seqs) => [...seqs.values()]) };
}

/**
 * (c) Group raw deliveries by (automation, seq). Every copy after the first is a repeat, and is a
 * duplicate unless a copy in the group is the delivery of an excused send line (in-doubt re-send
 * or retry after failure); each excused send line excuses one repeat, whichever copy arrived first.
 */
export function noDoubleEffect(h: History, settings: Settings): Check {
  const s = withLock(h, settings);
  const name = 'each message takes effect once';
  const dedupe = 'at-least-once; a receiver that dedupes by (automation, seq) applies each once';
  if (h.deliveries.length === 0) return notExercised(name, 'no deliveries', `0 (${dedupe})`);
  const label = delivererLabel(h);
  const sendOf = sendLineFinder(h);
  const inDoubt = inDoubtResends(h, safeHolds(h, s.timing.renewDeadlineMs), s);
  const retries = retriesAfterFailure(h);
  const groups = groupBySeq(byTime(h.deliveries));
  const fmt = (d: HistoryDelivery) => `t=${Math.round(d.t)}ms fence=${d.fence} from ${label(d)} → ${d.status}`;
  const dups: string[] = [];
  const excused: string[] = [];
  let unexcused = 0;
  let excusedInDoubt = 0;
  let excusedRetries = 0;
  for (const ds of [...groups.values()].filter((g) => g.length > 1)) {
    const lines = new Set(ds.map(sendOf).filter((e): e is HistoryEvent => !!e)); // each send line excuses once
    const doubt = [...lines].filter((e) => inDoubt.has(e)).length;
    const retry = [...lines].filter((e) => retries.has(e) && !inDoubt.has(e)).length;
    const repeats = ds.length - 1;
    const ok = Math.min(repeats, doubt + retry);
    excusedInDoubt += Math.min(ok, doubt);
    excusedRetries += ok - Math.min(ok, doubt);
    const text = `seq ${ds[0]!.seq} arrived ${ds.length}×: ${ds.map(fmt).join('; ')}`;
    unexcused += repeats - ok;
    if (repeats > ok) dups.push(`${text} — ${repeats - ok} unexcused`);
    else excused.push(`${text} — excused (${doubt ? 'in-doubt re-send after a takeover' : 'retry after an unanswered send'})`);
  }
  const nExcused = excusedInDoubt + excusedRetries;
  // Never "0 duplicates" alone when a seq did arrive twice: say how many repeats were excused.
  const unit = nExcused ? `unexcused duplicates (${nExcused} excused repeat${nExcused > 1 ? 's' : ''})` : 'unexcused duplicates';
  const bound = `0 (in-doubt re-sends excused: ${excusedInDoubt}${excusedRetries ? `, retries after a failed send excused: ${excusedRetries}` : ''} — ${dedupe})`;
  return check(name, unexcused === 0, unexcused, unit, bound,
    [...dups, ...excused].length ? [...dups, ...excused] : [`${groups.size} seqs, each delivered once`]);
}
