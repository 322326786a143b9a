import { describe, expect, it } from 'vitest';
import { toMarkdown, cell } from '../harness/report/markdown.ts';
import { toJunit } from '../harness/report/junit.ts';
import { toJson, type Report } from '../harness/report/model.ts';
import { check } from '../harness/checkers/check.ts';
import { holds } from '../harness/checkers/leases.ts';
import { timelineOf } from '../harness/timeline.ts';

function report(failing: boolean): Report {
  return {
    status: failing ? 'failed' : 'passed', startedAt: '2026-11-29T10:00:00.000Z', durationMs: 12_345, seed: 42,
    command: 'npx baton verify --store postgres://bob:hunter2@db/x --seed 42 --suite seed', worker: 'built-in', strategy: 'correct',
    store: { kind: 'postgres', version: 'PostgreSQL 15', uri: 'postgres://bob:hunter2@db/x', why: '--store given' },
    faults: { store: 'postgres', faketime: true, storeProxy: true },
    environment: { node: 'v20', os: 'linux', cpus: 2, cpuModel: 'cpu' },
    scenarios: [{
      name: 'failover', title: 'Scenario 2: primary fails', claim: 'no message lost', status: failing ? 'failed' : 'passed',
      durationMs: 5_000, namespace: 'ns', marks: { 'kill d1': 1000 },
      settings: { instances: 3, timing: { leaseMs: 2000, renewDeadlineMs: 1400, retryMs: 300 }, partitions: 1, messages: 80, intervalMs: 50 }, sink: { raw: 3, accepted: 3, duplicate: 0, stale: 0 },
      sentBy: { d1: '0, 1, 2, … 39 (40)', d2: '40, 41, 42, … 79 (40)' }, faults: ['SIGKILL d1 at 1.0 s'],
      holds: [{ source: 'd1', lock: 'auto', fence: 1, start: 10, end: 1000, endedBy: 'exit' }, { source: 'd2', lock: 'auto', fence: 2, start: 3000, end: 5000, endedBy: 'end of run' }],
      checks: [check('takeover after d1 was killed', true, 2000, 'ms', '<= 3100', ['t=1000ms harness signal']),
        check('no message lost', !failing, failing ? 2 : 0, 'missing of 80', '0', ['missing seq: 4 | 5'])],
    }],
  };
}

describe('report rendering', () => {
  it('shows measured values and bounds, a gantt, and redacts credentials', () => {
    const md = toMarkdown(report(false));
    expect(md).toContain('**Status:** ✅ PASSED — 1 of 1 scenarios passed');
    expect(md).toMatch(/\| takeover after d1 was killed +\| ✅ PASS +\| 2000 ms +\| <= 3100 +\|/);
    expect(md).toContain('```mermaid\ngantt');
    expect(md).toContain('**Run:** 3 deployments; lease 2000 ms, renew deadline 1400 ms, retry 300 ms; 1 partition; 80 messages, one every 50 ms per partition');
    expect(md).toContain('d1 fence 1 (exit) 0.0–1.0 s :active, 10, 1000');
    expect(md).toContain('axisFormat %S.%L');
    expect(md).toContain('**Faults applied:** SIGKILL d1 at 1.0 s');
    expect(md).toContain('**Who sent what:** d1: 0, 1, 2, … 39 (40) · d2: 40, 41, 42, … 79 (40)');
    expect(md).not.toContain('hunter2');
    expect(md).not.toMatch(/perfectly/i);
  });
  it('says FAIL and why when a check fails', () => {
    const md = toMarkdown(report(true));
    expect(md).toContain('**Status:** ❌ FAILED — 0 of 1 scenarios passed');
    expect(md).toContain('**The claim does not hold on this run.** Failed: no message lost (measured 2 missing of 80, bound 0)');
    expect(md).toMatch(/Duplicate prevention +\| — not measured/);
  });
  it('draws a run longer than a minute on an axis that does not wrap at 60 s or depend on the time zone', () => {
    const r = report(false);
    const long = { ...r, scenarios: [{ ...r.scenarios[0]!, holds: [{ source: 'd1', lock: 'auto', fence: 1, start: 10, end: 130_000, endedBy: 'exit' }], marks: { 'kill d1': 95_000 } }] };
    const md = toMarkdown(long);
    expect(md).toContain('axisFormat %L'); // one unit per second: the ms field counts seconds 0–999
    expect(md).toContain('d1 fence 1 (exit) 0.0–130.0 s :active, 0, 130');
    expect(md).toContain('kill d1 at 95.0 s :milestone, 95, 95');
    expect(md).not.toContain('%M');
  });
  it('marks standbys, faults, kills and denials in the Mermaid chart from the timeline', () => {
    const ev = (t: number, source: string, type: string, more: object = {}) => ({ t, source, type, ...more });
    const history = {
      events: [
        ...['d1', 'd2', 'd3'].map((d) => ev(0, 'harness', 'spawn', { target: d })),
        ev(100, 'd1', 'acquired', { lock: 'auto', fence: 1 }), ev(150, 'd2', 'denied', { lock: 'auto' }), ev(160, 'd2', 'denied', { lock: 'auto' }),
        ev(2000, 'harness', 'fault', { fault: 'pause', phase: 'start', target: 'd1' }), ev(2000, 'harness', 'signal', { target: 'd1', signal: 'SIGSTOP' }),
        ev(4000, 'harness', 'signal', { target: 'd1', signal: 'SIGCONT' }), ev(4000, 'harness', 'fault', { fault: 'pause', phase: 'end', target: 'd1' }),
        ev(3000, 'harness', 'fault', { fault: 'network', phase: 'start', target: 'd3', path: 'store' }),
        ev(5000, 'harness', 'fault', { fault: 'network', phase: 'end', target: 'd3', path: 'store' }),
        ev(6000, 'harness', 'fault', { fault: 'store-stall', phase: 'start' }), ev(7000, 'harness', 'fault', { fault: 'store-stall', phase: 'end' }),
        ev(8000, 'harness', 'signal', { target: 'd1', signal: 'SIGKILL' }), ev(8010, 'd1', 'exit', { code: null, signal: 'SIGKILL' }),
        ev(9000, 'd2', 'acquired', { lock: 'auto', fence: 2 }), ev(10_000, 'harness', 'mark', { name: 'end' }),
      ],
      deliveries: [],
    };
    const r = report(false);
    const base = r.scenarios[0]!;
    const withTimeline = { ...r, scenarios: [{ ...base, marks: {}, holds: holds(history), timeline: timelineOf(history) }] };
    const md = toMarkdown(withTimeline);
    expect(md).toContain('  section standby\n  d1 standby 0.0–0.1 s :done, 0, 100\n  d2 standby 0.0–9.0 s :done, 0, 9000\n  d3 standby 0.0–10.0 s :done, 0, 10000');
    expect(md).toContain('  d1 fence 1 (exit) 0.1–8.0 s :active, 100, 8010');
    expect(md).toContain('  pause d1 2.0–4.0 s :crit, 2000, 4000');
    expect(md.match(/pause d1/g)).toHaveLength(1);
    expect(md).toContain('  network store d3 3.0–5.0 s :crit, 3000, 5000');
    expect(md).toContain('  store-stall 6.0–7.0 s :crit, 6000, 7000');
    expect(md).toContain('  section events\n  d2 DENIED at 0.1 s :milestone, 150, 150');
    expect(md).toContain('  SIGKILL d1 at 8.0 s :milestone, 8000, 8000');
    // Without a timeline (a report.json from before it existed) the chart has only its holders.
    expect(toMarkdown(report(false))).not.toMatch(/section (standby|faults)/);
  });
  it('leaves a scenario the environment broke out of the safety table and of what the numbers mean', () => {
    const r = report(true);
    const broken = { ...r, status: 'error' as const, scenarios: [{ ...r.scenarios[0]!, status: 'error' as const,
      checks: [{ name: 'scenario ran to completion', status: 'error' as const, measured: 'the store refused d2: too many clients already', unit: '', bound: 'the run completes', evidence: [] }, ...r.scenarios[0]!.checks] }] };
    const md = toMarkdown(broken);
    expect(md).toContain('**Not judged: the run could not complete.** the store refused d2: too many clients already');
    expect(md).toMatch(/Duplicate prevention +\| — not measured/);
    expect(md).not.toContain('Do not rely on exactly-once delivery');
    expect(toMarkdown(r)).toContain('Do not rely on exactly-once delivery');
  });
  it('sizes the chart\'s axis to everything drawn, not only the holds', () => {
    const r = report(false);
    const timeline = { endMs: 75_000, lanes: [{ label: 'd2', alive: [], standby: [{ from: 0, to: 75_000 }], paused: [], cut: [], kills: [] }], faults: [] };
    const md = toMarkdown({ ...r, scenarios: [{ ...r.scenarios[0]!, timeline }] });
    expect(md).toContain('axisFormat %L');
    expect(md).toContain('d2 standby 0.0–75.0 s :done, 0, 75');
  });
  it('writes report.json with a schema version and never a bare NaN or Infinity', () => {
    const r = report(false);
    const odd = { ...r, scenarios: [{ ...r.scenarios[0]!, checks: [check('handoff after d1 released', false, NaN, 'ms', '<= 800'), check('x', false, Infinity, '', '')] }] };
    const json = JSON.parse(toJson(odd));
    expect(json.schemaVersion).toBe(2);
    expect(json.scenarios[0].checks.map((c: { measured: unknown }) => c.measured)).toEqual([null, null]);
    expect(JSON.parse(toJson(r)).scenarios[0].checks.map((c: { boundRange: unknown }) => c.boundRange))
      .toEqual([{ max: 3100, unit: 'ms' }, { min: 0, max: 0, unit: 'missing of 80' }]);
  });
  it('says what the numbers mean for deployments, scaled to the seed\'s 60 s lease, and says FAILED plainly', () => {
    const ok = toMarkdown(report(false));
    expect(ok).toContain('## What this means for your deployments');
    expect(ok).toContain('was replaced within 2.0 s here (lease 2.0 s, so 0.0 s beyond it, worst of 1)');
    expect(ok).toContain('expect the automation to pause for up to about 60.0 s after a crash');
    expect(ok).toContain('across 1 scenario(s), none was lost and duplicates were not measured');
    expect(toMarkdown(report(true))).toContain('no message lost FAILED in failover (2 missing of 80). Do not rely on exactly-once delivery');
  });
  it('does not back Auto recovery with a run where nothing crashed', () => {
    const r = report(false);
    const quiet = { ...r, scenarios: [{ ...r.scenarios[0]!, checks: [check('no message lost', true, 0, 'missing of 80', '0')] }] };
    expect(toMarkdown(quiet)).toMatch(/Auto recovery +\| — not measured/);
    expect(toMarkdown(r)).toMatch(/Auto recovery +\| ✅ 1 checks/);
  });
  it('escapes pipes and newlines inside table cells', () => {
    expect(cell('a|b\nc')).toBe('a\\|b<br>c');
  });
  it('writes JUnit with one failure per failed check', () => {
    const xml = toJunit(report(true));
    expect(xml).toContain('<testsuites name="baton verify" tests="2" failures="1"');
    expect(xml).toContain('<failure message="measured 2 missing of 80, bound 0">missing seq: 4 | 5</failure>');
  });
  it('names JUnit testcases the same whoever was killed, and gives each a time', () => {
    const r = report(false);
    const again = { ...r, scenarios: [{ ...r.scenarios[0]!, checks: [check('takeover after d3 was killed', true, 1900, 'ms', '<= 3100')] }] };
    const names = [r, again].map((x) => /<testcase classname="baton.failover" name="([^"]+)" time="(\d+\.\d{3})"/.exec(toJunit(x))!);
    expect(names.map((m) => m[1])).toEqual(['failover: takeover after d* was killed', 'failover: takeover after d* was killed']);
    expect(names[0]![2]).toBe('2.500'); // 5 s over 2 checks
  });
  it('puts the seed\'s instance registration row in the safety table', () => {
    const r = report(false);
    const withIds = { ...r, scenarios: [{ ...r.scenarios[0]!, checks: [...r.scenarios[0]!.checks, check('instance IDs unique', true, '4 distinct of 4', 'ids', '4 distinct')] }] };
    expect(toMarkdown(r)).toMatch(/Instance registration +\| — not measured/);
    expect(toMarkdown(withIds)).toMatch(/Instance registration +\| ✅ 1 check/);
  });
});
