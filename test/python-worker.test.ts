// A worker in another language, written from docs/worker-protocol.md alone
// (examples/python-worker/worker.py), through the real CLI on SQLite: the protocol is enough.
import { describe, expect, it } from 'vitest';
import { execa, execaSync } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newTag, processesTagged } from './support/procs.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKER = join(ROOT, 'examples', 'python-worker', 'worker.py');
const SCENARIOS = ['instance-id', 'lock-exclusion', 'failover', 'partitioning'];

function pythonVersion(): string | undefined {
  try {
    const r = execaSync('python3', ['--version'], { reject: false });
    return r.exitCode === 0 ? r.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

const python = pythonVersion();

interface ReportCheck {
  name: string;
  status: string;
  measured: unknown;
  unit: string;
  bound: string;
  evidence: string[];
}

/** Every failed check in report.json, with its evidence, so a red test says why. */
function failedChecks(dir: string): string {
  const file = join(dir, 'report.json');
  if (!existsSync(file)) return '(no report.json)';
  const report = JSON.parse(readFileSync(file, 'utf8')) as { scenarios: { name: string; checks: ReportCheck[] }[] };
  return report.scenarios.flatMap((s) => s.checks.filter((c) => c.status === 'fail').map((c) =>
    `${s.name}: ${c.name}: measured ${String(c.measured)} ${c.unit}, bound ${c.bound}\n    ${c.evidence.slice(0, 5).join('\n    ')}`)).join('\n') || '(none)';
}

describe.skipIf(!python)(`the Python example worker${python ? ` (${python})` : ' — skipped: python3 not found on PATH'}`, () => {
  it('passes the seed scenarios on SQLite through baton verify', async () => {
    const out = mkdtempSync(join(tmpdir(), 'baton-python-'));
    const tag = newTag();
    try {
      // `exec` so the harness sees the worker's own exit, not the shell's.
      const r = await execa('node', ['bin/baton.js', 'verify', '--store', 'sqlite', '--scenario', ...SCENARIOS,
        '--seed', '3', '--out', out, '--worker', `exec python3 ${JSON.stringify(WORKER)}`],
      { cwd: ROOT, reject: false, timeout: 120_000, env: { BATON_TEST_TAG: tag } });
      const why = `exit ${r.exitCode}${r.timedOut ? ' (timed out)' : ''}\n--- stderr ---\n${r.stderr}\n--- failed checks ---\n${failedChecks(out)}`;
      expect(r.exitCode, why).toBe(0);
      expect(r.stdout, why).toContain(`PASSED: ${SCENARIOS.length} of ${SCENARIOS.length} scenarios passed`);
      // Every worker exited (SIGTERM at the end of each scenario is a graceful exit).
      expect(processesTagged(tag)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 150_000);
});
