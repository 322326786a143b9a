// Each negative control must FAIL, caught by a check on effects in a scenario built to expose it;
// a saved failing run must re-check to the same failure; a fault that never reached a worker is not
// exercised; nothing may be left running. Real CLI, real workers, real stores, real faults.
import { describe, expect, inject, it } from 'vitest';
import { join } from 'node:path';
import { baton, failedChecks, out, report } from './support/e2e.ts';

const pg = inject('postgresUri');
const pgSkip = inject('postgresSkip');
const mongo = inject('mongoRaceUri');
const mongoSkip = inject('mongoSkip');

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
  ['unfenced-checkpoint', ['stalled-renew'], 'each message takes effect once', 'sqlite'],
  ['host-identity', ['container-failover'], 'each instance ID acts from one deployment', 'sqlite'],
  ['hidden-retry', ['slow-receiver'], 'each send line makes one request', 'sqlite'],
  ['wall-clock-deadline', ['holder-clock-back', 'store-stall', 'holder-clock-slow-store'], 'every send inside a safe window of its lease', 'postgres'],
  ['unfenced-checkpoint', ['delayed-store-write'], 'each message takes effect once', 'postgres'],
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

describe('fault reach', () => {
  it.skipIf(!!pgSkip)(`a worker that reaches its database around BATON_STORE is not exercised by store faults, never passed${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, async () => {
    const dir = out();
    // The built-in worker, told the real address instead of its proxy: its own configuration wins.
    const worker = `BATON_STORE=${JSON.stringify(pg)} exec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(process.cwd(), 'dist', 'harness', 'worker.js'))}`;
    const r = await baton(['verify', '--store', pg, '--scenario', 'store-partition', '--worker', worker, '--seed', '7', '--out', dir, '--format', 'json']);
    expect(r.stdout).toContain('0 of 1 scenarios passed, 1 not exercised');
    const s = report(dir).scenarios[0]!;
    expect(s.status).toBe('not-exercised');
    const reach = s.checks.find((c) => c.name === 'the faults reached the workers') as { measured: string } | undefined;
    expect(reach?.measured).toContain('made no connection through BATON_STORE');
    expect(r.exitCode).toBe(0);
  });
});

describe('baton check', () => {
  it('re-checks the committed sample to its saved verdicts, counting the skipped scenarios apart', async () => {
    const r = await baton(['check', 'reports/sample']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toMatch(/\(saved: /);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('PASSED: 20 of 20 scenarios passed when re-checked from reports/sample, 6 skipped when they ran');
  });

  it('refuses a directory that holds no histories, with exit 2 and one line', async () => {
    const r = await baton(['check', out()]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('holds no history/ directory');
  });
});
