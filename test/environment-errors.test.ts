// A store that refuses the workers while nothing was injected is an ERROR of the environment
// (exit 2, the store's words as the cause), not a FAIL of the system: unit histories on both
// sides of the rule, and a real PostgreSQL that starts refusing a run's workers mid-run.
import { describe, expect, inject, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { storeRefusals } from '../harness/checkers/environment.ts';
import { judge, verdictOf } from '../harness/judge.ts';
import { BUILTIN_WORKER } from '../harness/cluster.ts';
import { QUICK, type Scenario } from '../harness/scenario.ts';
import { check } from '../harness/checkers/check.ts';
import type { History, HistoryEvent } from '../harness/history.ts';
import { newTag, processesTagged } from './support/procs.ts';

const settings = { instances: 2, timing: QUICK, partitions: 1, messages: 10, intervalMs: 50 };
const ev = (t: number, source: string, type: string, more: object = {}): HistoryEvent => ({ t, source, type, ...more });
const history = (...events: HistoryEvent[]): History => ({ events: [ev(0, 'harness', 'settings', settings), ...events], deliveries: [] });
const refused = (t: number) => ev(t, 'd2', 'error', { message: 'renew failed: too many connections for role "app"' });
const scenario = { checks: () => [check('no message lost', false, 3, 'missing of 10', '0')] } as unknown as Scenario;

describe('store refusals', () => {
  it('counts a refusal nobody injected, and not one inside a fault or while its connections recover', () => {
    const cut = [ev(1000, 'harness', 'fault', { fault: 'network', phase: 'start', target: 'd2', path: 'store' }),
      ev(3000, 'harness', 'fault', { fault: 'network', phase: 'end', target: 'd2', path: 'store' })];
    expect(storeRefusals(history(refused(500)))).toHaveLength(1);
    expect(storeRefusals(history(...cut, refused(2000)))).toEqual([]);
    expect(storeRefusals(history(...cut, refused(3000 + QUICK.leaseMs - 1)))).toEqual([]);
    expect(storeRefusals(history(...cut, refused(3000 + QUICK.leaseMs + 1)))).toHaveLength(1);
    // A store cut happens at an instant (terminated backends; recorded as a start with no end): it
    // excuses the reconnects right after it, not every refusal for the rest of the run.
    const storeCut = ev(1000, 'harness', 'fault', { fault: 'store-cut', phase: 'start', target: 'd2' });
    expect(storeRefusals(history(storeCut, refused(1500)))).toEqual([]);
    expect(storeRefusals(history(storeCut, refused(60_000)))).toHaveLength(1);
    // Errors that are not refusals stay the worker's own business.
    expect(storeRefusals(history(ev(500, 'd2', 'error', { message: 'renew failed: Query read timeout' })))).toEqual([]);
    expect(storeRefusals(history(ev(500, 'harness', 'error', { message: 'ECONNREFUSED' })))).toEqual([]);
  });

  it('turns the verdict into ERROR with the store\'s words, and still shows the checks', () => {
    const checks = judge(scenario, history(refused(500)), {}, settings);
    expect(verdictOf(checks)).toBe('error');
    expect(checks[0]).toMatchObject({ status: 'error', measured: 'the store refused d2: renew failed: too many connections for role "app"' });
    expect(checks.map((c) => c.name)).toContain('no message lost');
    expect(verdictOf(judge(scenario, history(), {}, settings))).toBe('failed');
  });
});

const pgUri = inject('postgresUri');

describe.skipIf(!pgUri)('a PostgreSQL that starts refusing the workers mid-run', () => {
  it('is reported as ERROR (exit 2) with "too many connections" in report.md, not as a failed claim', async () => {
    const role = `baton_refuse_${randomBytes(4).toString('hex')}`;
    const tag = newTag();
    const admin = new pg.Client({ connectionString: pgUri });
    await admin.connect();
    try {
      // A login role that may use what the harness creates (as a member of its owner), with its own connection limit.
      const owner = (await admin.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u;
      await admin.query(`CREATE ROLE ${role} LOGIN`);
      await admin.query(`GRANT ${owner} TO ${role}`);
      const workerUri = new URL(pgUri);
      workerUri.username = role;
      workerUri.password = '';
      const dir = mkdtempSync(join(tmpdir(), 'baton-refuse-'));
      const run = execa('node', ['bin/baton.js', 'verify', '--store', pgUri, '--scenario', 'failover', '--seed', '8', '--format', 'md,json', '--out', dir,
        '--worker', `BATON_STORE='${workerUri}' ${BUILTIN_WORKER}`], { reject: false, env: { BATON_TEST_TAG: tag } });
      const connections = async () => Number((await admin.query('SELECT count(*) AS n FROM pg_stat_activity WHERE usename = $1', [role])).rows[0].n);
      for (let i = 0; i < 200 && (await connections()) < 3; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 800));
      await admin.query(`ALTER ROLE ${role} CONNECTION LIMIT 0`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
      const r = await run;
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toContain('ERROR: 0 of 1 scenarios passed, 1 could not be judged');
      const md = readFileSync(join(dir, 'report.md'), 'utf8');
      expect(md).toMatch(/\*\*Not judged: the run could not complete\.\*\* the store refused d\d.*too many connections for role/);
      expect(md).not.toContain('The claim does not hold');
      // The run stopped at the first refusal instead of waiting out the scenario: the harness says so on the timeline.
      const checks = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).scenarios[0].checks;
      expect(checks).toEqual([expect.objectContaining({ name: 'scenario ran to completion', status: 'error', measured: expect.stringMatching(/^the store refused d\d: .*too many connections for role/) })]);
      expect(processesTagged(tag)).toEqual([]);
    } finally {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]).catch(() => {});
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await admin.end();
    }
  }, 90_000);
});
