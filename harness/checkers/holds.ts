// Holds and their safe windows: the one model of "who may act on which lease when" that every
// effect checker shares. A worker believes it holds a lease from `acquired` until `lost`,
// `released`, its exit or its SIGKILL. It may only RELY on the lease while a successful
// acquire/renew is fresh: from the moment it has the answer (the line's `t`) until the renew
// deadline counted from when that request was SENT (the line's `sent`). A worker that is paused
// past that point still believes it holds the lease (it prints `lost` only after waking up), but
// its safe window has closed.
import { byTime, fenceOf, instancesByLabel, memo, ofType, partitionOf, endOf, settingsOf, type History, type HistoryEvent, type HistorySettings } from '../history.ts';
import { partitionLease } from '../../coordination/partitions.ts';
import { check, line, notExercised, type Check } from './check.ts';

/** Gap between a worker's last deadline check and printing its line (the line comes after the check). */
export const EPS_MS = 2;

export interface Confirm {
  /** When the worker had the answer (it printed `acquired` / `renewed`). */
  t: number;
  /** When that request was sent (the line's `sent`, or `t` when the worker does not report it). */
  sent: number;
}

export interface Window {
  from: number;
  to: number;
}

export interface SafeHold {
  source: string;
  instance: string;
  lock: string;
  fence: number | null;
  start: number;
  end: number;
  endedBy: string;
  confirms: Confirm[];
  /** Disjoint, sorted: the moments the worker may act on this lease. */
  safe: Window[];
}

/** Fences match when both are numbers and equal, or when either is null (a fenceless worker). */
const sameFence = (a: number | null, b: number | null) => a === null || b === null || a === b;

/** When the request was sent: never after its answer was printed (a `sent` later than `t` is a slip or a lie). */
export const sentAt = (e: HistoryEvent) => (typeof e.sent === 'number' && Number.isFinite(e.sent) ? Math.min(e.sent, e.t) : e.t);

/** Does `e` end the hold `a` began? Its own lost/released, its process's exit, or its SIGKILL. */
function endsHold(e: HistoryEvent, a: HistoryEvent): boolean {
  if (e === a || e.t < a.t) return false;
  if (e.source === 'harness') return e.type === 'signal' && e.signal === 'SIGKILL' && e.target === a.source;
  if (e.source !== a.source) return false;
  return e.type === 'exit' || ((e.type === 'lost' || e.type === 'released') && e.lock === a.lock && sameFence(fenceOf(e), fenceOf(a)));
}

/** Union of [c.t, c.sent + deadline + EPS] over the confirms, clipped to [start, end] (both ends included). */
function safeWindows(confirms: Confirm[], deadlineMs: number, start: number, end: number): Window[] {
  const ws = confirms
    .map((c) => ({ from: Math.max(c.t, start), to: Math.min(c.sent + deadlineMs + EPS_MS, end) }))
    .filter((w) => w.to > w.from)
    .sort((a, b) => a.from - b.from);
  const out: Window[] = [];
  for (const w of ws) {
    const last = out.at(-1);
    if (last && w.from <= last.to) last.to = Math.max(last.to, w.to);
    else out.push({ ...w });
  }
  return out;
}

/**
 * A graceful release ends the hold when the release was SENT (`sent`): the worker stopped acting
 * before it asked, and a standby may acquire the instant the store applies it, before the
 * `released` line is printed. Without `sent`, the line's own time stands in (see RELEASE_SLACK_MS).
 */
const releaseEnd = (released: HistoryEvent, a: HistoryEvent) =>
  typeof released.sent === 'number' && Number.isFinite(released.sent) ? Math.max(a.t, released.sent) : released.t;

/** How long a `released` line without `sent` may trail the store's release (printing it comes after). */
export const RELEASE_SLACK_MS = 50;

/** Every worker `acquired` becomes one hold, with its confirms and safe windows. */
export function safeHolds(h: History, renewDeadlineMs: number): SafeHold[] {
  // Frozen: shared by every checker of this history, so none may sort it in place.
  return memo(h, `safeHolds ${renewDeadlineMs}`, () => Object.freeze(computeSafeHolds(h, renewDeadlineMs)) as SafeHold[]);
}

function computeSafeHolds(h: History, renewDeadlineMs: number): SafeHold[] {
  const events = byTime(h.events);
  const runEnd = endOf(h);
  const ids = instancesByLabel(h);
  const lines = linesByWorker(events);
  return events.filter((e) => e.type === 'acquired' && e.source !== 'harness').map((a) => {
    const fence = fenceOf(a);
    const own = lines.get(a.source)!;
    // Only this worker's lines after its acquire: each hold costs its own span, not the whole run.
    let stop: HistoryEvent | undefined;
    const renews: HistoryEvent[] = [];
    for (let i = own.index.get(a)! + 1; i < own.events.length && !stop; i++) {
      const e = own.events[i]!;
      if (endsHold(e, a)) stop = e;
      else if (e.type === 'renewed' && e.source === a.source && e.lock === a.lock && sameFence(fenceOf(e), fence) && e.t >= a.t) renews.push(e);
    }
    const end = stop ? (stop.type === 'released' ? releaseEnd(stop, a) : stop.t) : runEnd;
    const confirms = [a, ...renews.filter((e) => e.t <= end)].map((c) => ({ t: c.t, sent: sentAt(c) }));
    // The end of the recording ends nothing: a hold still open then is safe until its last confirm + deadline.
    return {
      source: a.source, instance: a.instance ?? ids.get(a.source) ?? a.source, lock: String(a.lock), fence,
      start: a.t, end, endedBy: stop ? (stop.type === 'signal' ? 'SIGKILL' : stop.type === 'released' && stop.sent === undefined ? 'released (time printed)' : stop.type) : 'end of run',
      confirms, safe: safeWindows(confirms, renewDeadlineMs, a.t, stop ? end : Infinity),
    };
  });
}

/**
 * Each worker's own lines and the harness's SIGKILLs of it, in time order, with the position of
 * each `acquired` line (the only ones a hold starts from: indexing every line costs a map entry
 * per event, which dominates on a large history).
 */
function linesByWorker(events: HistoryEvent[]): Map<string, { events: HistoryEvent[]; index: Map<HistoryEvent, number> }> {
  const out = new Map<string, { events: HistoryEvent[]; index: Map<HistoryEvent, number> }>();
  for (const e of events) {
    const who = e.source !== 'harness' ? e.source : e.type === 'signal' && e.signal === 'SIGKILL' ? String(e.target) : undefined;
    if (who === undefined) continue;
    let w = out.get(who);
    if (!w) out.set(who, (w = { events: [], index: new Map() }));
    if (e.type === 'acquired') w.index.set(e, w.events.length);
    w.events.push(e);
  }
  return out;
}

export const isSafeAt = (hold: SafeHold, t: number) => hold.safe.some((w) => w.from <= t && t <= w.to);

/** The last moment the holder could rely on the lease (its start if it never could). */
export const lastSafe = (hold: SafeHold) => hold.safe.at(-1)?.to ?? hold.start;

/** Settings with the lock name filled in: the argument's, else the history's, else "auto". */
export function withLock<S extends { lock?: string }>(h: History, s: S): S & { lock: string } {
  return { ...s, lock: s.lock ?? settingsOf(h)?.lock ?? 'auto' };
}

/** The lease guarding a send or delivery's partition. */
export function leaseOf(x: object, s: Pick<HistorySettings, 'partitions' | 'lock'>): string {
  return partitionLease(s.lock ?? 'auto', partitionOf(x, s.partitions), s.partitions);
}

/** `d1 fence 1: last confirm t=1005ms (sent 1000ms), safe until 2402ms` — why a moment is or is not safe. */
export function describeHold(hold: SafeHold, t = Infinity): string {
  const c = hold.confirms.filter((x) => x.t <= t).at(-1) ?? hold.confirms[0]!;
  return `${hold.source} ${hold.lock} fence ${hold.fence}: held t=${Math.round(hold.start)}–${Math.round(hold.end)}ms (${hold.endedBy}), ` +
    `last confirm t=${Math.round(c.t)}ms (sent ${Math.round(c.sent)}ms), safe until ${Math.round(lastSafe(hold))}ms`;
}

/**
 * (a) A worker acts only inside a safe window of a hold of the partition's lease: every `send`
 * line by A for partition p falls inside a safe window of one of A's holds of lease(p).
 * This catches a worker that forgot its renew deadline even when no duplicate happened to occur:
 * a send after the deadline is a send the store may already have handed to someone else.
 */
export function actOnlyInSafeHold(h: History, settings: Pick<HistorySettings, 'timing' | 'partitions' | 'lock'>): Check {
  const s = withLock(h, settings);
  const name = 'every send inside a safe window of its lease';
  const bound = `0 (safe window: from a confirm's answer to its send + renewDeadline ${s.timing.renewDeadlineMs} ms + ${EPS_MS} ms)`;
  const sends = byTime(ofType(h, 'send'));
  if (sends.length === 0) return notExercised(name, 'no sends at all', bound);
  const holds = safeHolds(h, s.timing.renewDeadlineMs);
  // The send must carry its own hold's fence: a token from another (older, or made-up) hold is no
  // proof of anything to a receiver that fences.
  const outside = sends.filter((e) => !holds.some((x) => x.source === e.source && x.lock === leaseOf(e, s) &&
    sameFence(x.fence, fenceOf(e)) && isSafeAt(x, e.t)));
  const evidence = outside.map((e) => {
    const mine = holds.filter((x) => x.source === e.source && x.lock === leaseOf(e, s) && x.start <= e.t).at(-1);
    return `${line(e)} — ${mine ? describeHold(mine, e.t) : `no hold of ${leaseOf(e, s)}`}`;
  });
  return check(name, outside.length === 0, outside.length, `sends outside of ${sends.length}`, bound,
    outside.length ? evidence : [`all ${sends.length} sends inside a safe window`]);
}
