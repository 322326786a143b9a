// Checks on who held which lease when, from the workers' own lifecycle events and the harness's
// signals. Holding ends at `lost`, `released` or the process's `exit`, whichever comes first.
// `holds` is the belief timeline the report draws; the safety checks use the safe windows of
// ./holds.ts instead (a belief can outlive the lease when the holder is paused).
import { byTime, endOf, fenceOf, maxOf, ofType, instancesByLabel, statusHolder, type History, type HistoryEvent, type HistorySettings } from '../history.ts';
import { check, line, median, notExercised, type Check } from './check.ts';
import { describeHold, safeHolds, sentAt, RELEASE_SLACK_MS, type SafeHold } from './holds.ts';

export interface Hold {
  source: string;
  lock: string;
  fence: number;
  start: number;
  end: number;
  endedBy: string;
}

/** Beliefs, for the runner's timeline and `ctx.holder`: one sweep of each worker's own lines. */
export function holds(h: History): Hold[] {
  const end = endOf(h);
  const out: Hold[] = [];
  const bySource = new Map<string, HistoryEvent[]>();
  for (const e of byTime(h.events)) {
    if (e.source === 'harness') continue;
    const list = bySource.get(e.source) ?? [];
    list.push(e);
    bySource.set(e.source, list);
  }
  for (const events of bySource.values()) {
    const open = new Map<string, Hold>();
    const close = (hold: Hold, e: HistoryEvent) => { hold.end = e.t; hold.endedBy = e.type; open.delete(hold.lock); };
    for (const e of events) {
      if (e.type === 'acquired') {
        const hold = { source: e.source, lock: String(e.lock), fence: Number(e.fence), start: e.t, end, endedBy: 'end of run' };
        open.set(hold.lock, hold);
        out.push(hold);
      } else if (e.type === 'exit') {
        for (const hold of [...open.values()]) close(hold, e);
      } else if (e.type === 'lost' || e.type === 'released') {
        const hold = open.get(String(e.lock));
        if (hold && hold.fence === Number(e.fence)) close(hold, e);
      }
    }
  }
  return out.sort((x, y) => x.start - y.start);
}

/** The overlap is only the delay in printing a `released` line that has no `sent` time. */
const releaseLag = (x: SafeHold, w: { from: number; to: number }) =>
  x.endedBy === 'released (time printed)' && w.to === x.end && w.to - w.from <= RELEASE_SLACK_MS;

/**
 * (g) No two different instances are inside a safe window of the same lease at the same moment.
 * Judged on safe windows, not on belief (acquired → lost): a correct worker paused past its lease
 * prints `lost` only when it wakes, long after a standby took over, but it could not act in between.
 * A hold still open at the end of the run is safe only until its last confirm + deadline.
 */
export function mutualExclusion(h: History, s: Pick<HistorySettings, 'timing'>): Check {
  const all = safeHolds(h, s.timing.renewDeadlineMs);
  const overlaps: string[] = [];
  // A sweep per lease over holds sorted by their first safe moment: each is compared only with
  // the holds whose safe windows are still open, not with every other hold.
  const byLock = new Map<string, SafeHold[]>();
  for (const x of all) {
    if (!x.safe.length) continue;
    if (!byLock.has(x.lock)) byLock.set(x.lock, []);
    byLock.get(x.lock)!.push(x);
  }
  for (const list of byLock.values()) {
    const open: SafeHold[] = [];
    for (const b of list.sort((x, y) => x.safe[0]!.from - y.safe[0]!.from)) {
      const from = b.safe[0]!.from;
      for (let i = open.length - 1; i >= 0; i--) if (open[i]!.safe.at(-1)!.to <= from) open.splice(i, 1);
      for (const a of open) {
        // Two deployments, not two IDs: deployments that share an instance ID are still two holders.
        if (a.source === b.source) continue;
        const both = a.safe.flatMap((x) => b.safe.map((y) => ({ from: Math.max(x.from, y.from), to: Math.min(x.to, y.to) })))
          .filter((w) => w.from < w.to && !releaseLag(a, w) && !releaseLag(b, w));
        if (both.length) overlaps.push(`${a.source} fence ${a.fence} and ${b.source} fence ${b.fence} both safe on ${a.lock} at t=${Math.round(both[0]!.from)}–${Math.round(both[0]!.to)}ms`);
      }
      open.push(b);
    }
  }
  return check('at most one holder per lease at any time', all.length > 0 && overlaps.length === 0, overlaps.length, 'overlaps', '0 (on safe windows)',
    overlaps.length ? overlaps : all.map((x) => describeHold(x)));
}

/**
 * (f) Fencing tokens strictly increase per lease across acquisitions (in time order), so a
 * receiver can refuse a delayed write. When the harness read the lease table back at the end
 * (`store` event), each lease's stored fence is >= the highest fence any worker reported, and
 * equal to it while the last acquirer still holds it: a store that went backwards would hand an
 * old token out again.
 */
export function fencesIncreasing(h: History): Check {
  const name = 'fencing tokens strictly increasing';
  const acquired = byTime(ofType(h, 'acquired'));
  if (acquired.length > 0 && acquired.every((a) => fenceOf(a) === null)) {
    return notExercised(name, 'no fencing token: a delayed write cannot be refused', 'strictly increasing per lease', acquired.map(line));
  }
  const bad: string[] = [];
  for (const [i, a] of acquired.entries()) {
    const fence = fenceOf(a);
    if (fence === null) { bad.push(`${line(a)} (no fence, while other acquisitions have one)`); continue; }
    // Judged on when requests were made, not when lines were printed: an acquire sent after
    // another was answered must get a higher fence; a fence is never handed out twice.
    const clash = acquired.slice(0, i).find((b) => b.lock === a.lock && fenceOf(b) !== null &&
      (fenceOf(b) === fence || (b.t < sentAt(a) && fenceOf(b)! > fence)));
    if (clash) bad.push(`${line(a)} (after ${clash.source}'s fence ${clash.fence})`);
  }
  bad.push(...storeMismatches(h, acquired));
  return check(name, acquired.length > 0 && bad.length === 0, acquired.map((a) => a.fence).join(', '), 'fences in order',
    'strictly increasing per lease; store read-back >= highest reported', bad.length ? bad : acquired.map(line));
}

interface StoredLease {
  name: string;
  holder: string | null;
  fence: number | null;
}

/** The lease table read back at the end, against the fences the workers reported. */
function storeMismatches(h: History, acquired: HistoryEvent[]): string[] {
  const store = ofType(h, 'store').filter((e) => e.source === 'harness').at(-1);
  if (!store) return [];
  const table = (store.leases ?? []) as StoredLease[];
  // An empty table: the worker keeps its leases elsewhere (its own tables, Redis): nothing to compare.
  if (table.length === 0) return [];
  const ids = instancesByLabel(h);
  const out: string[] = [];
  const reportedBy = new Map<string, number>();
  for (const e of h.events) {
    const f = e.source !== 'harness' && typeof e.lock === 'string' ? fenceOf(e) : null;
    if (f !== null) reportedBy.set(String(e.lock), Math.max(reportedBy.get(String(e.lock)) ?? -Infinity, f));
  }
  for (const lock of new Set(acquired.map((a) => String(a.lock)))) {
    const top = reportedBy.get(lock);
    if (top === undefined) continue;
    const lastBy = acquired.filter((a) => a.lock === lock).at(-1)!;
    const row = table.find((r) => r.name === lock);
    const lastHolds = !!row?.holder && row.holder === (lastBy.instance ?? ids.get(lastBy.source));
    if (!row) out.push(`store: ${lock} missing from the lease table; workers reported fence ${top}`);
    else if (row.fence === null || row.fence < top) out.push(`store: ${lock} fence ${row.fence} < ${top} reported by the workers`);
    else if (lastHolds && row.fence !== top) out.push(`store: ${lock} held by its last acquirer ${lastBy.source} with fence ${row.fence}, which reported ${top}`);
  }
  return out;
}

export function deniedWhileHeld(h: History, standby: string, holder: string): Check {
  const holderId = instancesByLabel(h).get(holder);
  const denied = ofType(h, 'denied').filter((e) => e.source === standby);
  const ok = denied.some((e) => e.holder === holderId);
  return check(`${standby} denied while ${holder} holds the lock`, ok, ok ? 'DENIED' : 'not denied', '', `denied, holder = ${holder}`, denied.map(line));
}

export function ownershipVisible(h: History, viewer: string, holder: string): Check {
  const holderId = instancesByLabel(h).get(holder);
  const status = ofType(h, 'ack').filter((e) => e.source === viewer && e.cmd === 'status');
  const seen = status.map(statusHolder);
  const ok = seen.length > 0 && seen.every((s) => s === holderId);
  return check(`owner read from ${viewer} is ${holder}`, ok, seen.join(', ') || 'no status', '', `holder = ${holderId}`, status.map(line));
}

/** The holder renews every retry period: median interval near retryMs, none near the deadline. */
export function heartbeatCadence(h: History, source: string, retryMs: number, renewDeadlineMs: number): Check {
  const t = ofType(h, 'renewed').filter((e) => e.source === source).map((e) => e.t);
  const gaps = t.slice(1).map((x, i) => x - t[i]!);
  const med = median(gaps);
  const max = maxOf(gaps);
  const ok = gaps.length >= 3 && med >= retryMs * 0.7 && med <= retryMs * 1.3 && max < renewDeadlineMs;
  return check(`heartbeat cadence of ${source}`, ok, `median ${Math.round(med)} ms, max ${Math.round(max)} ms over ${gaps.length} renews`, '',
    `median ${retryMs * 0.7}–${retryMs * 1.3}, max < ${renewDeadlineMs}`, gaps.slice(0, 6).map((g) => `${Math.round(g)}ms`));
}

export function cleanRelease(h: History, source: string): Check {
  const rel = ofType(h, 'released').filter((e) => e.source === source);
  return check(`${source} released cleanly`, rel.length > 0, rel.length, 'releases', '>= 1', rel.map(line));
}

/**
 * Latency from `from` to the next acquisition by a different worker. A worker's release takes
 * effect somewhere between its request (`sent`) and its line (`t`); on a fast store the standby's
 * `acquired` line can come first, so the clock starts at the request when the worker reports it.
 */
function latencyToAcquire(h: History, name: string, from: HistoryEvent | undefined, by: string, maxMs: number): Check {
  const start = from && (typeof from.sent === 'number' ? from.sent : from.t);
  const next = start !== undefined && ofType(h, 'acquired').find((e) => e.t > start && e.source !== by);
  const ms = start !== undefined && next ? next.t - start : NaN;
  const ok = Number.isFinite(ms) && ms <= maxMs;
  return check(name, ok, Number.isFinite(ms) ? ms : 'no takeover', 'ms', `<= ${maxMs}`,
    [from, next].filter((e): e is HistoryEvent => !!e).map(line));
}

export function handoffLatency(h: History, from: string, maxMs: number): Check {
  const released = ofType(h, 'released').find((e) => e.source === from);
  return latencyToAcquire(h, `handoff after ${from} released`, released, from, maxMs);
}

/**
 * From the first SIGKILL the harness sent to the next acquisition by anyone else. No lower bound:
 * a lock freed the instant its holder dies (a PostgreSQL session advisory lock) is correct, and an
 * unsafe early takeover is caught where it matters, by actOnlyInSafeHold and noInterleaving.
 */
export function takeoverLatency(h: History, maxMs: number): Check {
  const kill = h.events.find((e) => e.type === 'signal' && e.signal === 'SIGKILL');
  const killed = String(kill?.target ?? 'nobody');
  return latencyToAcquire(h, `takeover after ${killed} was killed`, kill, killed, maxMs);
}

/** From the first `signal` the harness sent (SIGTERM: a graceful stop) to the next acquisition by anyone else. */
export function handoffAfterSignal(h: History, signal: NodeJS.Signals, maxMs: number): Check {
  const sent = h.events.find((e) => e.type === 'signal' && e.signal === signal);
  const from = String(sent?.target ?? 'nobody');
  return latencyToAcquire(h, `handoff after ${from} got ${signal}`, sent, from, maxMs);
}

/**
 * The seed's "1 ACTIVE, rest STANDBY": one worker acquires, every other one is denied, while the
 * scenario runs. Once the harness shuts the workers down, the holder releases on its way out and
 * a standby not yet stopped may take over: a handover the claim is not about.
 */
export function oneActive(h: History, workers: number): Check {
  const end = h.events.find((e) => e.source === 'harness' && e.type === 'shutdown')?.t ?? Infinity;
  const during = (...types: string[]) => ofType(h, ...types).filter((e) => e.t < end);
  const active = new Set(during('acquired').map((e) => e.source));
  const standby = new Set(during('denied').map((e) => e.source));
  const lost = during('lost');
  const ok = active.size === 1 && standby.size === workers - 1 && lost.length === 0;
  return check('exactly one ACTIVE, the rest STANDBY', ok, `${active.size} active, ${standby.size} standby, ${lost.length} lost`, '',
    `1 active, ${workers - 1} standby, 0 lost`, [...during('acquired'), ...lost].map(line));
}
