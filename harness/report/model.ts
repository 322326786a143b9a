// The full result of one `baton verify` run: what report.json holds and every renderer reads.
import type { Check } from '../checkers/check.ts';
import type { ScenarioResult } from '../runner.ts';
import type { FaultEnv } from '../faults/faults.ts';
import type { Timeline } from '../timeline.ts';

export interface Environment {
  node: string;
  os: string;
  cpus: number;
  cpuModel: string;
}

export interface Report {
  /** error: some scenario could not be judged (exit 2); failed: a check failed (exit 1). */
  status: 'passed' | 'failed' | 'error';
  startedAt: string;
  durationMs: number;
  seed: number;
  command: string;
  worker: string;
  strategy: string;
  store: { kind: string; version: string; uri: string; why: string };
  /** What the fault injectors could do against this store. */
  faults: FaultEnv;
  environment: Environment;
  /** `timeline` is optional so that a report.json written before it existed still renders. */
  scenarios: (Omit<ScenarioResult, 'history' | 'checks' | 'timeline'> & { checks: Check[]; timeline?: Timeline })[];
}

/** The process exit status for a run's verdict: 0 passed, 1 a check failed, 2 could not be judged. */
/** The scenarios whose checks may back a claim: one the environment broke (ERROR) says nothing for or against the system. */
export const judgedScenarios = (r: Report): Report['scenarios'] => r.scenarios.filter((s) => s.status !== 'error');

export const EXIT_CODE: Record<Report['status'], number> = { passed: 0, failed: 1, error: 2 };

/** Bumped whenever a field changes meaning or goes away, so readers of report.json can tell. */
export const REPORT_SCHEMA_VERSION = 2;

/** A bound a program can compare with: `{ min?, max?, unit }`, or null when it is prose only. */
export interface BoundRange {
  min?: number;
  max?: number;
  unit: string;
}

/** Reads the usual bound shapes: `<= 3100`, `< 1400`, `>= 1`, `0 (…)`, `4 distinct`. */
export function boundRange(bound: string, unit: string): BoundRange | null {
  const m = /^\s*(<=|<|>=|>)?\s*(-?\d+(?:\.\d+)?)(?:\s|$|\()/.exec(bound);
  if (!m) return null;
  const n = Number(m[2]);
  if (m[1] === '<=' || m[1] === '<') return { max: n, unit };
  if (m[1] === '>=' || m[1] === '>') return { min: n, unit };
  return { min: n, max: n, unit };
}

/** report.json: numbers that are not numbers (NaN, ±Infinity) become null, never a bare NaN; each check's bound also as numbers. */
export function toJson(r: Report): string {
  const finite = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
  const scenarios = r.scenarios.map((s) => ({ ...s, checks: s.checks.map((c) => ({ ...c, boundRange: boundRange(c.bound, c.unit) })) }));
  return JSON.stringify({ schemaVersion: REPORT_SCHEMA_VERSION, ...r, scenarios }, finite, 2) + '\n';
}
