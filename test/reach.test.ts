// Faults judged on whether they reached a worker, IDs judged on what deployments did, and the
// verdicts that follow: hand-written histories that must pass and ones that must not.
import { describe, expect, it } from 'vitest';
import type { History, HistoryEvent } from '../harness/history.ts';
import { faultsReached, REACH_CHECK_ID } from '../harness/checkers/reach.ts';
import { idsActAlone, ranAsContainers } from '../harness/checkers/identity.ts';
import { clockStepReach } from '../harness/checkers/clock.ts';
import { verdictOf } from '../harness/judge.ts';
import { toJunit } from '../harness/report/junit.ts';
import type { Report } from '../harness/report/model.ts';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const ev = (t: number, source: string, type: string, fields: Record<string, unknown> = {}): HistoryEvent => ({ t, source, type, ...fields });
const harness = (t: number, type: string, fields: Record<string, unknown>) => ev(t, 'harness', type, fields);
const started = [ev(0, 'd1', 'started', { id: A, instance: A }), ev(1, 'd2', 'started', { id: B, instance: B })];
const hold = { fault: 'network', path: 'store', mode: { kind: 'hold' } };
const NEED = [{ fault: 'network', params: { path: 'store', mode: { kind: 'hold' } } }];
const hist = (events: HistoryEvent[], deliveries: Partial<History['deliveries'][number]>[] = []): History => ({
  events: [...started, ...events],
  deliveries: deliveries.map((d) => ({ at: 0, t: 0, automation: 'auto', seq: 0, fence: 1, instance: A, partition: 0, status: 'accepted', ...d })),
});

describe('the faults reached the workers', () => {
  const result = (t: number, fields: Record<string, unknown>) => harness(t, 'fault-result', { fault: 'network', target: 'd1', path: 'store', ...fields });
  it('passes when the hold caught bytes', () => {
    const h = hist([harness(100, 'fault', { ...hold, phase: 'start', target: 'd1' }), result(900, { reached: true, detail: 'held 113 bytes' })]);
    const c = faultsReached(h, NEED);
    expect([c.status, c.id, c.measured]).toEqual(['pass', REACH_CHECK_ID, '1 of 1']);
  });
  it('is not exercised when the worker never connected through BATON_STORE', () => {
    const h = hist([harness(100, 'fault', { ...hold, phase: 'start', target: 'd1' }),
      result(900, { reached: false, unused: true, detail: 'd1 made no connection through BATON_STORE' })]);
    const c = faultsReached(h, NEED);
    expect(c.status).toBe('not-exercised');
    expect(String(c.measured)).toContain('d1 made no connection through BATON_STORE');
    expect(verdictOf([c])).toBe('not-exercised');
  });
  it('is not exercised when no injection of a needed fault touched anyone, or it was never injected', () => {
    const none = hist([harness(100, 'fault', { ...hold, phase: 'start', target: 'd1' }), result(900, { reached: false, detail: 'held 0 bytes' })]);
    expect(faultsReached(none, NEED).status).toBe('not-exercised');
    expect(faultsReached(hist([]), NEED).measured).toContain('never injected');
  });
  it('passes when one of several stutters caught a writer; an unmeasurable fault counts as reached', () => {
    const stall = (t: number, reached: boolean) => [harness(t, 'fault', { fault: 'store-stall', phase: 'start', target: '' }),
      harness(t + 200, 'fault-result', { fault: 'store-stall', target: '', reached, detail: '' })];
    expect(faultsReached(hist([...stall(100, false), ...stall(400, true)]), [{ fault: 'store-stall' }]).status).toBe('pass');
    expect(faultsReached(hist([harness(100, 'fault', { fault: 'store-stall', phase: 'start', target: '' })]), [{ fault: 'store-stall' }]).status).toBe('pass');
  });
  it('a failed check still outranks a fault that did not reach', () => {
    const notReached = { ...faultsReached(hist([]), NEED) };
    expect(verdictOf([notReached, { id: 'x', name: 'x', status: 'fail', measured: 1, unit: '', bound: '0', evidence: [] }])).toBe('failed');
  });
});

describe('a clock step reaching its worker', () => {
  const run = (wallAfter: number): History => ({
    events: [
      harness(0, 'settings', { wall: 1_000_000 }),
      harness(10, 'fault', { fault: 'clock', phase: 'start', target: 'd1', offsetMs: 0, mode: 'faketime' }),
      harness(2_000, 'fault', { fault: 'clock-step', phase: 'start', target: 'd1', offsetMs: -5_000 }),
      ev(2_500, 'd1', 'renewed', { wall: 1_002_500 }), // before libfaketime re-read its file: not judged
      ev(3_500, 'd1', 'renewed', { wall: wallAfter }),
    ],
    deliveries: [],
  });
  const step = (h: History) => h.events.find((e) => e.fault === 'clock-step')!;
  it('reached when the wall clock it reports moved by the step', () => {
    expect(clockStepReach(run(1_003_500 - 5_000), step(run(0))).reached).toBe(true);
  });
  it('did not reach a worker whose clock did not move (a static binary)', () => {
    expect(clockStepReach(run(1_003_500), step(run(0))).reached).toBe(false);
  });
});

describe('each instance ID acts from one deployment', () => {
  it('passes when each ID delivers through its own deployment\'s path', () => {
    const h = hist([ev(5, 'd1', 'acquired', { instance: A, lock: 'auto' })], [{ via: 'd1', instance: A }, { via: 'd2', instance: B, seq: 1 }]);
    expect(idsActAlone(h).status).toBe('pass');
  });
  it('fails when two deployments deliver under one ID, though each printed its own in `started`', () => {
    const h = hist([], [{ via: 'd1', instance: A }, { via: 'd2', instance: A, seq: 1 }]);
    const c = idsActAlone(h);
    expect(c.status).toBe('fail');
    expect(c.evidence[0]).toContain('delivered through d1, d2');
  });
  it('fails when two deployments take a lease under one ID', () => {
    const h = hist([ev(5, 'd1', 'acquired', { instance: A }), ev(6, 'd2', 'acquired', { instance: A })]);
    expect(idsActAlone(h).status).toBe('fail');
  });
  it('is not exercised with one deployment', () => {
    expect(idsActAlone({ events: [started[0]!], deliveries: [] }).status).toBe('not-exercised');
  });
});

describe('deployments as containers', () => {
  it('says so from the run\'s containers event, and not exercised where they were not permitted', () => {
    expect(ranAsContainers(hist([harness(0, 'containers', { hostname: 'app' })])).status).toBe('pass');
    const no = ranAsContainers(hist([harness(0, 'containers', { unavailable: 'unshare: Operation not permitted' })]));
    expect([no.status, no.measured]).toEqual(['not-exercised', 'not permitted here: unshare: Operation not permitted']);
    expect(ranAsContainers(hist([])).status).toBe('not-exercised');
  });
});

describe('JUnit', () => {
  it('marks a check that was not exercised as skipped, with why', () => {
    const report = { durationMs: 1000, scenarios: [{ name: 's', durationMs: 1000, checks: [
      { name: 'a', status: 'pass', measured: 1, unit: '', bound: '', evidence: [] },
      { name: 'b', status: 'not-exercised', measured: 'no fault, kill or stop happened', unit: '', bound: '', evidence: [] },
    ] }] } as unknown as Report;
    const xml = toJunit(report);
    expect(xml).toContain('skipped="1"');
    expect(xml).toContain('<skipped message="not exercised: no fault, kill or stop happened"/>');
  });
});
