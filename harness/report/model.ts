// The full result of one `baton verify` run: what report.json holds and every renderer reads.
import type { Check } from '../checkers/check.ts';
import type { ScenarioResult } from '../runner.ts';
import type { FaultEnv } from '../faults/faults.ts';

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
  scenarios: (Omit<ScenarioResult, 'history' | 'checks'> & { checks: Check[] })[];
}

export function toJson(r: Report): string {
  return JSON.stringify(r, null, 2) + '\n';
}
