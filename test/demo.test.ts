// `baton demo --script`: unattended, it shows a takeover, writes the same report as verify, exits 0
// and leaves no process; a script with a typo fails before anything starts.
import { describe, expect, it, onTestFinished } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newTag, processesTagged } from './support/procs.ts';
import { parseScript } from '../harness/demo/script.ts';

describe('baton demo', () => {
  it('runs a script unattended: a kill, a takeover, a report, exit 0, nothing left running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-demo-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const tag = newTag();
    const r = await execa('node', ['bin/baton.js', 'demo', '--script', 'kill-active@3s, quit@10s', '--out', dir],
      { reject: false, env: { BATON_TEST_TAG: tag }, timeout: 60_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/ACTIVE d\d · STANDBY .* takeovers 1/);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ status: 'passed', command: "npx baton demo --store sqlite --instances 3 --script 'kill-active@3s, quit@10s'" });
    const takeover = report.scenarios[0].checks.find((c: { name: string }) => c.name === 'work resumes after every heal');
    expect(takeover.status).toBe('pass');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('class="lane"');
    expect(processesTagged(tag)).toEqual([]);
  }, 60_000);

  it('refuses a script it cannot read, before anything starts', async () => {
    const r = await execa('node', ['bin/baton.js', 'demo', '--script', 'kill-activ@3s'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('baton: --script: unknown action "kill-activ": use kill-active, pause-active, stop, start, quit');
    expect(() => parseScript('pause-active@2s')).toThrow('pause-active needs "for <duration>"');
    expect(parseScript('kill-active@4s, pause-active@1.5s for 500ms').map((a) => [a.name, a.atMs, a.forMs]))
      .toEqual([['pause-active', 1500, 500], ['kill-active', 4000, undefined], ['quit', 9000, undefined]]);
  });
});
