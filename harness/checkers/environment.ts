// Errors of the environment that a worker reports: the store refused it (too many clients, server
// down, file cannot be opened) while the harness was not injecting anything. Then the run says
// nothing about the system, for or against, and is an ERROR with the store's own words as the
// cause, instead of a FAIL for the stall that follows. A refusal inside a fault (or within one
// lease after it, while connections recover) is the fault working, not the environment failing.
import { byTime, settingsOf, type History, type HistoryEvent } from '../history.ts';
import { faultWindows } from '../applied-faults.ts';
import { line } from './check.ts';

/**
 * What stores and drivers say when they refuse a connection. Matched on the message text, so it
 * works for a worker in any language; a worker whose messages say none of these is judged on its
 * behaviour as usual.
 */
const REFUSED = new RegExp([
  'too many (clients|connections)', 'remaining connection slots are reserved', 'connection slots are reserved',
  'database system is (starting up|shutting down|in recovery mode)', 'not permitted to log in', 'password authentication failed',
  'ECONNREFUSED', 'connection refused', 'could not connect to server',
  'unable to open database file', 'SQLITE_CANTOPEN', 'disk I/O error', 'database or disk is full', 'SQLITE_FULL',
  'MongoServerSelectionError',
].join('|'), 'i');

const isRefusal = (e: HistoryEvent) => e.source !== 'harness' && e.type === 'error' && REFUSED.test(String(e.message));

/**
 * Whether a refusal at time t is excused by a fault under way or recovering. Faults recorded
 * after t cannot excuse it, so a live run (which has seen only the past) and a re-check of the
 * whole history agree.
 */
function excuser(h: History): (t: number) => boolean {
  const recoverMs = settingsOf(h)?.timing.leaseMs ?? 0;
  const windows = faultWindows(byTime(h.events), Infinity);
  return (t) => windows.some((w) => t >= w.from && t <= w.to + recoverMs);
}

/** Whether `e`, just recorded, is a worker saying the store refused it while no fault was under way. */
export function isUnexcusedRefusal(h: History, e: HistoryEvent): boolean {
  return isRefusal(e) && !excuser(h)(e.t);
}

/** Every such refusal in a history. */
export function storeRefusals(h: History): HistoryEvent[] {
  const excused = excuser(h);
  return h.events.filter((e) => isRefusal(e) && !excused(e.t));
}

/** The cause to print for an ERROR: the first refusal, in the store's words, and how many there were. */
export function refusalCause(refusals: HistoryEvent[]): string {
  const first = refusals[0]!;
  return `the store refused ${first.source}${refusals.length > 1 ? ` (and ${refusals.length - 1} more refusal${refusals.length > 2 ? 's' : ''})` : ''}: ${first.message}`;
}

export const refusalEvidence = (refusals: HistoryEvent[]) => refusals.map(line);
