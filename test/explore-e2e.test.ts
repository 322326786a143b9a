// Schedules end to end: a saved schedule replays through `baton verify --schedule` with the same
// verdict, real processes and a real receiver; `baton explore` runs, maps coverage, writes its
// report and says so in its last line; bad input is one line and exit 2.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baton, failedChecks, out } from './support/e2e.ts';

// A dead holder's delayed write: its next delivery is held in the network, it is killed and
// restarted before the hold heals, and the held request lands after the new holder's first.
const DELAYED_WRITE = {
  version: 1, instances: 3, partitions: 1, steps: [
    { role: 'holder', gapMs: 200, after: 'sent', action: { do: 'fault', fault: 'network', params: { path: 'sink', mode: { kind: 'hold' } }, ms: 4000 } },
    { role: 'holder', gapMs: 100, action: { do: 'fault', fault: 'kill', params: {} }, restartAfterMs: 500 },
  ],
};

describe.sequential('baton verify --schedule', () => {
  const file = join(out(), 'delayed-write.json');
  writeFileSync(file, JSON.stringify(DELAYED_WRITE));
  const run = async (strategy: string) => {
    const dir = out();
    const r = await baton(['verify', '--store', 'sqlite', '--schedule', file, '--strategy', strategy, '--seed', '1', '--out', dir, '--format', 'json']);
    return { r, dir };
  };

  it('replays a saved failing schedule to the same verdict, twice, and passes the correct worker under it', async () => {
    for (let i = 0; i < 2; i++) {
      const { r, dir } = await run('no-fencing');
      expect(r.exitCode).toBe(1);
      expect(failedChecks(dir, 'schedule')).toContain('holders never interleave on a partition');
    }
    const { r } = await run('correct');
    expect(r.stdout).toContain('PASSED: 1 of 1 scenarios passed');
    expect(r.exitCode).toBe(0);
  });

  it('refuses a bad schedule file in one line, exit 2', async () => {
    const bad = join(out(), 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...DELAYED_WRITE, steps: [{ role: 'leader', gapMs: 0, action: { do: 'command', cmd: 'stop' } }] }));
    for (const f of [bad, join(out(), 'missing.json')]) {
      const r = await baton(['verify', '--store', 'sqlite', '--schedule', f]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('baton explore', () => {
  it('explores the correct worker for its budget, with no failure, and writes the coverage map', async () => {
    const dir = out();
    const r = await baton(['explore', '--store', 'sqlite', '--budget', '5s', '--seed', '3', '--out', dir]);
    const last = r.stdout.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^2 schedules, 0 failing \(0 distinct after shrinking\), coverage [1-9]\d* of \d+ cells \(\d+ %\); budget of 5 s spent after \d+ s/);
    expect(r.exitCode).toBe(0);
    const md = readFileSync(join(dir, 'explore.md'), 'utf8');
    expect(md).toContain('## Not reachable here');
    expect(md).toMatch(/store-hold.*SQLite has no network path/);
    expect(existsSync(join(dir, 'explore.html'))).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'explore.json'), 'utf8'));
    expect(Object.values(json.hits as Record<string, number>).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('refuses a bad budget in one line, exit 2', async () => {
    const r = await baton(['explore', '--store', 'sqlite', '--budget', 'soon']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('baton: --budget must be a duration such as 90s, 30m or 1h, got soon');
  });
});
