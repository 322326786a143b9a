// Checks on who held which lease when, from the workers' own lifecycle events and the harness's
// signals. Holding ends at `lost`, `released` or the process's `exit`, whichever comes first.
import { ofType, instancesByLabel, statusHolder, type History, type HistoryEvent } from '../history.ts';
import { check, line, median, type Check } from './check.ts';

export interface Hold {
  source: string;
  lock: string;
  fence: number;
  start: number;
  end: number;
  endedBy: string;
}

export function holds(h: History): Hold[] {
  const end = Math.max(0, ...h.events.map((e) => e.t));
  const out: Hold[] = [];
  for (const a of ofType(h, 'acquired')) {
    const stop = h.events.find((e) => e.source === a.source && e.t >= a.t && (
      e.type === 'exit' || ((e.type === 'lost' || e.type === 'released') && e.lock === a.lock && e.fence === a.fence)));
    out.push({ source: a.source, lock: String(a.lock), fence: Number(a.fence), start: a.t, end: stop?.t ?? end, endedBy: stop?.type ?? 'end of run' });
  }
  return out.sort((x, y) => x.start - y.start);
}

/** No two workers believe they hold the same lease at the same moment. */
export function mutualExclusion(h: History): Check {
  const all = holds(h);
  const overlaps: string[] = [];
  for (const a of all) {
    for (const b of all) {
      // A hold still open when the run ended lasts for ever: nothing ended it.
      const aEnd = a.endedBy === 'end of run' ? Infinity : a.end;
      if (a !== b && a.lock === b.lock && a.source !== b.source && a.start <= b.start && b.start < aEnd) {
        overlaps.push(`${a.source} held ${a.lock} fence ${a.fence} (${a.endedBy}); ${b.source} acquired fence ${b.fence} at t=${Math.round(b.start)}ms`);
      }
    }
  }
  return check('at most one holder per lease at any time', all.length > 0 && overlaps.length === 0, overlaps.length, 'overlaps', '0',
    overlaps.length ? overlaps : all.map((x) => `${x.source} held ${x.lock} fence ${x.fence} t=${Math.round(x.start)}–${Math.round(x.end)}ms (${x.endedBy})`));
}

export function fencesIncreasing(h: History): Check {
  const acquired = ofType(h, 'acquired');
  const bad: HistoryEvent[] = [];
  const last = new Map<string, number>();
  for (const a of acquired) {
    const prev = last.get(String(a.lock)) ?? 0;
    if (Number(a.fence) <= prev) bad.push(a);
    last.set(String(a.lock), Math.max(prev, Number(a.fence)));
  }
  return check('fencing tokens strictly increasing', acquired.length > 0 && bad.length === 0,
    acquired.map((a) => a.fence).join(', '), 'fences in order', 'strictly increasing per lease', (bad.length ? bad : acquired).map(line));
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
  const max = Math.max(...gaps);
  const ok = gaps.length >= 3 && med >= retryMs * 0.7 && med <= retryMs * 1.3 && max < renewDeadlineMs;
  return check(`heartbeat cadence of ${source}`, ok, `median ${Math.round(med)} ms, max ${Math.round(max)} ms over ${gaps.length} renews`, '',
    `median ${retryMs * 0.7}–${retryMs * 1.3}, max < ${renewDeadlineMs}`, gaps.slice(0, 6).map((g) => `${Math.round(g)}ms`));
}

export function cleanRelease(h: History, source: string): Check {
  const rel = ofType(h, 'released').filter((e) => e.source === source);
  return check(`${source} released cleanly`, rel.length > 0, rel.length, 'releases', '>= 1', rel.map(line));
}

/** Latency from `from` (first event matching) to the next acquisition by a different worker. */
function latencyToAcquire(h: History, name: string, from: HistoryEvent | undefined, by: string, maxMs: number, minMs = 0): Check {
  const next = from && ofType(h, 'acquired').find((e) => e.t > from.t && e.source !== by);
  const ms = from && next ? next.t - from.t : NaN;
  const ok = Number.isFinite(ms) && ms <= maxMs && ms >= minMs;
  return check(name, ok, Number.isFinite(ms) ? ms : 'no takeover', 'ms', minMs ? `${minMs}–${maxMs}` : `<= ${maxMs}`,
    [from, next].filter((e): e is HistoryEvent => !!e).map(line));
}

export function handoffLatency(h: History, from: string, maxMs: number): Check {
  const released = ofType(h, 'released').find((e) => e.source === from);
  return latencyToAcquire(h, `handoff after ${from} released`, released, from, maxMs);
}

/** From the first SIGKILL the harness sent to the next acquisition by anyone else. */
export function takeoverLatency(h: History, maxMs: number, minMs = 0): Check {
  const kill = h.events.find((e) => e.type === 'signal' && e.signal === 'SIGKILL');
  const killed = String(kill?.target ?? 'nobody');
  return latencyToAcquire(h, `takeover after ${killed} was killed`, kill, killed, maxMs, minMs);
}

/** The seed's "1 ACTIVE, rest STANDBY": one worker acquires, every other one is denied. */
export function oneActive(h: History, workers: number): Check {
  const active = new Set(ofType(h, 'acquired').map((e) => e.source));
  const standby = new Set(ofType(h, 'denied').map((e) => e.source));
  const lost = ofType(h, 'lost');
  const ok = active.size === 1 && standby.size === workers - 1 && lost.length === 0;
  return check('exactly one ACTIVE, the rest STANDBY', ok, `${active.size} active, ${standby.size} standby, ${lost.length} lost`, '',
    `1 active, ${workers - 1} standby, 0 lost`, [...ofType(h, 'acquired'), ...lost].map(line));
}
