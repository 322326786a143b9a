// The fault suite end to end: real CLI, real workers, real stores, real faults. `correct` must
// pass; each negative control must FAIL, caught by a check on effects in the scenario built to
// expose it; a saved failing run must re-check to the same failure; nothing may be left running.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newTag, processesTagged } from './support/procs.ts';

const pg = inject('postgresUri');
const pgSkip = inject('postgresSkip');
// The multi-process suites need the atomic findAndModify of the race server (docs/mongodb-test-server.md).
const mongo = inject('mongoRaceUri');
const mongoSkip = inject('mongoSkip');
const mongoStandIn = !!inject('mongoRaceNote');
const dirs: string[] = [];
const out = () => { const d = mkdtempSync(join(tmpdir(), 'baton-faults-')); dirs.push(d); return d; };

async function baton(args: string[]) {
  const tag = newTag();
  const r = await execa('node', ['bin/baton.js', ...args], { reject: false, env: { BATON_TEST_TAG: tag }, timeout: 240_000 });
  expect(processesTagged(tag)).toEqual([]); // nothing left running, whatever the verdict
  return r;
}

interface Saved { scenarios: { name: string; status: string; skipped?: string; checks: { name: string; status: string }[] }[] }
const report = (dir: string): Saved => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
const failedChecks = (dir: string, scenario: string) =>
  report(dir).scenarios.find((s) => s.name === scenario)!.checks.filter((c) => c.status === 'fail').map((c) => c.name);

describe.sequential('baton verify --suite faults', () => {
  it('passes for the built-in worker on SQLite and says which scenarios SQLite cannot run', async () => {
    const dir = out();
    const r = await baton(['verify', '--store', 'sqlite', '--suite', 'faults', '--seed', '7', '--out', dir, '--format', 'json,md']);
    expect(r.stdout).toMatch(/PASSED: \d+ of \d+ scenarios passed, 3 skipped/);
    expect(r.exitCode).toBe(0);
    const skipped = report(dir).scenarios.filter((s) => s.status === 'skipped');
    expect(skipped.map((s) => s.name).sort()).toEqual(['delayed-store-write', 'standby-partition', 'store-partition']);
    expect(skipped[0]!.skipped).toContain('SQLite has no network path');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('**Not run on this store:**');
  }, 240_000);

  it.skipIf(!!pgSkip)(`passes for the built-in worker on PostgreSQL with every fault available${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, async () => {
    const dir = out();
    const r = await baton(['verify', '--store', pg, '--suite', 'faults', '--seed', '7', '--out', dir, '--format', 'json']);
    expect(r.stdout).toMatch(/PASSED: (\d+) of \1 scenarios passed in/);
    expect(r.exitCode).toBe(0);
  }, 240_000);

  it.skipIf(!!mongoSkip)(`passes seed and fault suites on MongoDB, the stand-in named in the report${mongoSkip ? ` (skipped: ${mongoSkip})` : ''}`, async () => {
    const dir = out();
    // Two scenarios at a time: the stand-in is one Python process on a 2-core machine shared with other test files.
    const r = await baton(['verify', '--store', mongo, '--suite', 'all', '--seed', '7', '--concurrency', '2', '--out', dir, '--format', 'json,md']);
    expect(r.stdout).toMatch(/PASSED: \d+ of \d+ scenarios passed/);
    expect(r.exitCode).toBe(0);
    const skipped = report(dir).scenarios.filter((s) => s.status === 'skipped');
    for (const s of skipped) expect(s.skipped).toMatch(/needs fault/);
    if (mongoStandIn) {
      // SecantusDB is not a server the harness can stall; every network fault runs through the proxy.
      expect(skipped.map((s) => s.name).sort()).toEqual(['stalled-renew', 'store-stall']);
      expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('SecantusDB 0.7.0b3 stand-in with baton\'s test launcher');
    }
  }, 240_000);
});

// Each negative control against the scenarios that expose its bug (any one of them must catch it,
// with the effect check named), as measured in reports/matrix/README.md.
const CONTROLS: [strategy: string, scenarios: string[], check: string, store: 'sqlite' | 'postgres' | 'mongodb'][] = [
  ['no-fencing', ['delayed-write'], 'holders never interleave on a partition', 'sqlite'],
  ['no-renew-deadline', ['pause-within-deadline'], 'every send inside a safe window of its lease', 'sqlite'],
  ['client-clock', ['clock-skew'], 'work resumes after every heal', 'sqlite'],
  ['check-then-set', ['thundering-herd'], 'each message takes effect once', 'sqlite'],
  ['renew-upsert', ['stalled-renew'], 'holders never interleave on a partition', 'sqlite'],
  ['no-renew-deadline', ['delayed-store-write', 'store-stall'], 'every send inside a safe window of its lease', 'postgres'],
  ['renew-upsert', ['delayed-store-write'], 'holders never interleave on a partition', 'postgres'],
  ['no-fencing', ['delayed-write'], 'holders never interleave on a partition', 'mongodb'],
];

describe.sequential('negative controls', () => {
  for (const [strategy, scenarios, caughtBy, store] of CONTROLS) {
    const skip = (store === 'postgres' && !!pgSkip) || (store === 'mongodb' && !!mongoSkip);
    const uri = { sqlite: 'sqlite', postgres: pg, mongodb: mongo }[store];
    it.skipIf(skip)(`${strategy} fails ${scenarios.join(' / ')} on ${store}, caught by "${caughtBy}"`, async () => {
      const dir = out();
      const r = await baton(['verify', '--store', uri, '--scenario', ...scenarios, '--strategy', strategy,
        '--seed', '7', '--out', dir, '--format', 'json']);
      expect(r.exitCode).toBe(1);
      expect(scenarios.flatMap((s) => failedChecks(dir, s))).toContain(caughtBy);
      if (strategy === 'no-fencing') {
        // Jepsen's analyze: the saved histories alone re-check to the same failure.
        const again = await baton(['check', dir]);
        expect(again.exitCode).toBe(1);
        expect(again.stdout).toContain(`✘ ${scenarios[0]}:`);
        expect(again.stdout).toContain(`✘ ${caughtBy}`);
        expect(again.stdout).toContain('(same as saved)');
      }
    });
  }
});

describe('baton check', () => {
  it('re-checks the committed sample to its saved verdicts, counting the skipped scenarios apart', async () => {
    const r = await baton(['check', 'reports/sample']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toMatch(/\(saved: /);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('PASSED: 17 of 17 scenarios passed when re-checked from reports/sample, 3 skipped when they ran');
  });

  it('refuses a directory that holds no histories, with exit 2 and one line', async () => {
    const r = await baton(['check', out()]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('holds no history/ directory');
  });
});

// Every temp directory this file made is removed.
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
