// A checker that throws is an ERROR of its own scenario (of its own row, inside the invariants),
// never an exception that takes the rest of the suite's verdicts and reports with it.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenarios } from '../harness/runner.ts';
import { BUILTIN_WORKER } from '../harness/cluster.ts';
import { QUICK, type Scenario } from '../harness/scenario.ts';
import { check, guarded, type Check } from '../harness/checkers/check.ts';
import { verdictOf } from '../harness/judge.ts';

const scenario = (name: string, checks: () => Check[]): Scenario => ({
  name, title: name, claim: name, scalesWithInstances: false,
  settings: { instances: 2, timing: QUICK, partitions: 1, messages: 0, intervalMs: 50 },
  async run(ctx) { await ctx.spawn('d1'); await ctx.sleep(200); },
  checks,
});

describe('a checker that throws', () => {
  it('is an ERROR row named after the checker, and the checks beside it still judge', () => {
    function brokenChecker(): Check { throw new Error('index out of range'); }
    const rows = [guarded(brokenChecker), guarded(() => check('fine', true, 0, '', '0'))];
    expect(rows.map((c) => c.status)).toEqual(['error', 'pass']);
    expect(rows[0]).toMatchObject({ name: 'brokenChecker could judge this history', measured: 'the checker threw: index out of range' });
    expect(verdictOf(rows)).toBe('error');
  });

  it('makes its scenario an ERROR while the other scenarios of the run are judged as usual (real workers, SQLite)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-judge-'));
    try {
      const results = await runScenarios([
        scenario('throws', () => { throw new Error('a checker bug'); }),
        scenario('judged', () => [check('ran', true, 1, 'run', '1')]),
      ], { storeUri: `sqlite:${dir}`, workerCommand: BUILTIN_WORKER, seed: 1, concurrency: 2, faultEnv: { store: 'sqlite', faketime: false, storeProxy: false } });
      const by = Object.fromEntries(results.map((r) => [r.name, r]));
      expect(by.throws!.status).toBe('error');
      expect(by.throws!.checks[0]!.measured).toContain('a checker bug');
      expect(by.judged!.status).toBe('passed');
      expect(by.judged!.history.events.some((e) => e.type === 'started')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
