// The fault suite end to end: real CLI, real workers, real stores, real faults. `correct` must
// pass on every store (the negative controls are in controls-e2e.test.ts, so the two files run side by side).
import { describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baton, out, report } from './support/e2e.ts';

const pg = inject('postgresUri');
const pgSkip = inject('postgresSkip');
// The multi-process suites need the atomic findAndModify of the race server (docs/mongodb-test-server.md).
const mongo = inject('mongoRaceUri');
const mongoSkip = inject('mongoSkip');
const mongoStandIn = !!inject('mongoRaceNote');

describe.sequential('baton verify --suite faults', () => {
  it('passes for the built-in worker on SQLite and says which scenarios SQLite cannot run', async () => {
    const dir = out();
    const r = await baton(['verify', '--store', 'sqlite', '--suite', 'faults', '--seed', '7', '--out', dir, '--format', 'json,md']);
    expect(r.stdout).toMatch(/PASSED: \d+ of \d+ scenarios passed, 6 skipped/);
    expect(r.exitCode).toBe(0);
    const skipped = report(dir).scenarios.filter((s) => s.status === 'skipped');
    expect(skipped.map((s) => s.name).sort()).toEqual(['delayed-store-write', 'holder-clock-back', 'holder-clock-forward', 'holder-clock-slow-store',
      'standby-partition', 'store-partition']);
    expect(skipped.find((s) => s.name === 'store-partition')!.skipped).toContain('SQLite has no network path');
    expect(skipped.find((s) => s.name === 'holder-clock-back')!.skipped).toContain('SQLite\'s clock is the host clock');
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
      expect(skipped.map((s) => s.name).sort()).toEqual(['holder-clock-slow-store', 'stalled-renew', 'store-stall']);
      expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('SecantusDB 0.7.0b3 stand-in with baton\'s test launcher');
    }
  }, 240_000);
});
