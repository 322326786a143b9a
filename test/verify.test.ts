// `baton verify` end to end: real CLI, real worker processes, real store, real sink.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_WORKER } from '../harness/cluster.ts';
import { list } from '../harness/commands/verify.ts';
import { newTag, processesTagged } from './support/procs.ts';

const baton = (args: string[], opts = {}) => execa('node', ['bin/baton.js', 'verify', ...args], { reject: false, ...opts });
const out = () => mkdtempSync(join(tmpdir(), 'baton-verify-'));

describe('baton verify', () => {
  it('passes the seed scenarios on the embedded store and writes all three files', async () => {
    const dir = out();
    const summary = join(out(), 'step-summary.md');
    const r = await baton(['--store', 'sqlite', '--scenario', 'lock-exclusion', 'failover', '--seed', '5', '--instances', '4', '--out', dir],
      { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.stdout).toContain('PASSED: 2 of 2 scenarios passed');
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(json).toMatchObject({ schemaVersion: 2, status: 'passed', seed: 5, store: { kind: 'sqlite' } });
    expect(readFileSync(summary, 'utf8')).toMatch(/^### baton verify: PASSED\n\n\| # +\| Scenario/);
    expect(json.scenarios.map((s: { name: string }) => s.name)).toEqual(['lock-exclusion', 'failover']);
    // --instances scales failover; lock-exclusion's two deployments are part of its claim.
    expect(json.scenarios.map((s: { settings: { instances: number } }) => s.settings.instances)).toEqual([2, 4]);
    expect(json.command).toBe('npx baton verify --store sqlite --seed 5 --scenario lock-exclusion failover --instances 4');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('## Test 2: Scenario 2: primary fails ✅');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('failures="0"');
    expect(existsSync(join(dir, 'history', 'failover.jsonl'))).toBe(true);
  });

  it('FAILS a worker that breaks the contract (every deployment claims one instance ID)', async () => {
    const dir = out();
    const r = await baton(['--store', 'sqlite', '--scenario', 'instance-id', '--out', dir, '--format', 'json',
      '--worker', `BATON_INSTANCE_ID=aaaaaaaaaaaaaaaa ${BUILTIN_WORKER}`]);
    expect(r.exitCode).toBe(1);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    const unique = json.scenarios[0].checks.find((c: { name: string }) => c.name === 'instance IDs unique');
    expect(unique).toMatchObject({ status: 'fail', measured: '1 distinct of 4' });
    expect(existsSync(join(dir, 'report.md'))).toBe(false);
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`leaves no worker and no namespace behind when interrupted with ${signal} (exit ${code})`, async () => {
      const storeDir = out();
      const tag = newTag();
      const child = baton(['--store', `sqlite:${storeDir}`, '--scenario', 'expiry-takeover', '--out', out()], { env: { BATON_TEST_TAG: tag } });
      await new Promise((r) => setTimeout(r, 5_000));
      expect(processesTagged(tag).filter((pid) => pid !== child.pid).length).toBeGreaterThan(0);
      child.kill(signal);
      const r = await child;
      expect(r.exitCode).toBe(code);
      await new Promise((res) => setTimeout(res, 300));
      expect(processesTagged(tag)).toEqual([]);
      expect(readdirSync(storeDir).filter((f) => f.endsWith('.db'))).toEqual([]);
    });
  }

  it('refuses an --out it cannot write before anything runs: under /proc, a file, exit 2 in seconds', async () => {
    const file = join(out(), 'a-file');
    writeFileSync(file, '');
    for (const [dir, why] of [['/proc/baton-report', 'is under /proc'], [file, 'is a file, not a directory']]) {
      const tag = newTag();
      const r = await baton(['--store', 'sqlite', '--out', dir], { env: { BATON_TEST_TAG: tag }, timeout: 20_000 });
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([`baton: --out ${dir} ${why}${why.startsWith('is under') ? ', which holds no files: choose a directory on disk' : ''}`]);
      expect(processesTagged(tag)).toEqual([]);
    }
  });

  it('a worker that cannot start is an ERROR (exit 2) at once, with its stderr in every report, not a FAIL', async () => {
    const dir = out();
    const tag = newTag();
    const started = Date.now();
    const r = await baton(['--store', 'sqlite', '--scenario', 'lock-exclusion', 'failover', '--out', dir,
      '--worker', `sh -c 'echo cannot reach the license server >&2; exit 3'`], { env: { BATON_TEST_TAG: tag } });
    expect(r.exitCode).toBe(2);
    expect(Date.now() - started).toBeLessThan(25_000); // it used to wait out every step: 108–196 s
    expect(r.stdout).toContain('ERROR: 0 of 2 scenarios passed, 2 could not be judged');
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(json.status).toBe('error');
    expect(json.scenarios[0].checks).toEqual([expect.objectContaining({ status: 'error', measured: expect.stringContaining('cannot reach the license server') })]);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('⚠️ ERROR');
    expect(md).toContain('exited (code 3) before it printed "started": cannot reach the license server');
    expect(md).not.toMatch(/NaN|Infinity|undefined|❌/);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<error message="worker d\d exited \(code 3\)/);
    expect(processesTagged(tag)).toEqual([]);
  });

  it('refuses a SQLite directory whose parent does not exist (a typo), in one line, exit 2, nothing created', async () => {
    const r = await baton(['--store', 'sqlite:/nonexistent-baton-parent/store', '--out', out()]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('baton: SQLite directory /nonexistent-baton-parent/store cannot be created: /nonexistent-baton-parent does not exist');
    expect(existsSync('/nonexistent-baton-parent')).toBe(false);
  });

  it('reads --scenario and --format lists the same way: commas, spaces, or both', () => {
    expect([list('md,json'), list(['md', 'json']), list(['md,', 'json']), list(' md , json ')]).toEqual(Array(4).fill(['md', 'json']));
  });

  it('prints its version, and a random seed it was not given, so the run can be replayed', async () => {
    const v = await execa('node', ['bin/baton.js', '--version'], { reject: false });
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    const dir = out();
    const r = await baton(['--store', 'sqlite', '--scenario', 'instance-id', '--out', dir, '--format', 'json']);
    const seed = Number(/seed (\d+) \(random; --seed \1 replays/.exec(r.stderr)?.[1]);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).seed).toBe(seed);
  });
});
