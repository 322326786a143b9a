// What every checker returns: a verdict, the measured value, the bound it was held to, and the
// few history lines that prove it. 'not-exercised' means the mechanism under test never happened
// in this run (nothing was sent, no fault, no fencing token): silence is not a pass. 'error'
// means the run could not be judged at all (a worker that did not start, a store that refused):
// an error of the environment, never a verdict on the system.
import type { HistoryEvent } from '../history.ts';

export interface Check {
  /** A stable key for programs (the display name may be reworded). */
  id?: string;
  name: string;
  status: 'pass' | 'fail' | 'not-exercised' | 'error';
  measured: number | string;
  unit: string;
  bound: string;
  evidence: string[];
}

export function check(name: string, ok: boolean, measured: number | string, unit: string, bound: string, evidence: string[] = []): Check {
  const rounded = typeof measured === 'number' ? Math.round(measured * 10) / 10 : measured;
  return { name, status: ok ? 'pass' : 'fail', measured: rounded, unit, bound, evidence: evidence.slice(0, 6) };
}

/** The mechanism `name` judges never happened; `why` says what was missing (it is the measured text). */
export function notExercised(name: string, why: string, bound: string, evidence: string[] = []): Check {
  return { name, status: 'not-exercised', measured: why, unit: '', bound, evidence: evidence.slice(0, 6) };
}

/** The run could not be judged: `why` is the cause (the worker's last stderr lines, the store's message). */
export function environmentError(name: string, why: string, evidence: string[] = []): Check {
  return { name, status: 'error', measured: why, unit: '', bound: 'the run completes', evidence: evidence.slice(0, 6) };
}

/**
 * Runs one checker; if it throws, its verdict is an ERROR named after the checker, with the
 * exception (Jepsen's check-safe), rather than an exception that takes every other verdict with it.
 */
export function guarded<A extends unknown[]>(checker: (...args: A) => Check, ...args: A): Check {
  try {
    return checker(...args);
  } catch (e) {
    return environmentError(`${checker.name || 'a checker'} could judge this history`, `the checker threw: ${(e as Error).message}`,
      ((e as Error).stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()));
  }
}

const SKIP = new Set(['t', 'source', 'type', 'wall', 'instance']);

/** One history line for a human: `t=1234ms d1 acquired lock=auto fence=1`. */
export function line(e: HistoryEvent): string {
  const fields = Object.entries(e)
    .filter(([k, v]) => !SKIP.has(k) && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}=${v}`);
  return [`t=${Math.round(e.t)}ms`, e.source, e.type, ...fields].join(' ');
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
