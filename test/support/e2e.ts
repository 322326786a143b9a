// What the end-to-end test files share: the real CLI run under a tag (nothing may be left
// running, whatever the verdict), temp output directories removed after the file, the saved report.
import { afterAll, expect } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newTag, processesTagged } from './procs.ts';

const dirs: string[] = [];
export const out = () => { const d = mkdtempSync(join(tmpdir(), 'baton-faults-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

export async function baton(args: string[]) {
  const tag = newTag();
  const r = await execa('node', ['bin/baton.js', ...args], { reject: false, env: { BATON_TEST_TAG: tag }, timeout: 240_000 });
  expect(processesTagged(tag)).toEqual([]);
  return r;
}

interface Saved { scenarios: { name: string; status: string; skipped?: string; checks: { name: string; status: string; measured?: unknown }[] }[] }
export const report = (dir: string): Saved => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
export const failedChecks = (dir: string, scenario: string) =>
  report(dir).scenarios.find((s) => s.name === scenario)!.checks.filter((c) => c.status === 'fail').map((c) => c.name);
