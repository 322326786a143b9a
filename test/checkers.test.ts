// Every checker against a hand-written history that must pass and one that must fail.
import { describe, expect, it } from 'vitest';
import { fromJsonLines, toJsonLines, type History, type HistoryEvent, type HistorySettings } from '../harness/history.ts';
import { idsStable, idsUnique, idsWellFormed } from '../harness/checkers/identity.ts';
import {
  cleanRelease, deniedWhileHeld, fencesIncreasing, handoffLatency, heartbeatCadence, mutualExclusion, oneActive,
  ownershipVisible, takeoverLatency,
} from '../harness/checkers/leases.ts';
import { balanced, inOrder, noGaps, noLoss, seedSplit, staleRefusalsStepDown } from '../harness/checkers/deliveries.ts';
import { resumesFromCheckpoint, statusAgrees, stopHonoured } from '../harness/checkers/control.ts';
import type { Check } from '../harness/checkers/check.ts';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const ev = (t: number, source: string, type: string, fields: Record<string, unknown> = {}): HistoryEvent =>
  ({ t, source, type, instance: source === 'd1' ? A : source === 'd2' ? B : undefined, ...fields });
const started = [ev(0, 'd1', 'started', { id: A, idAgain: A }), ev(1, 'd2', 'started', { id: B, idAgain: B })];
const hist = (events: HistoryEvent[], deliveries: Partial<History['deliveries'][number]>[] = []): History => ({
  events: [...started, ...events].sort((a, b) => a.t - b.t),
  deliveries: deliveries.map((d) => ({ at: 0, t: 0, automation: 'auto', seq: 0, fence: 1, instance: A, partition: 0, status: 'accepted', ...d })),
});
const d = (t: number, seq: number, fence: number, instance = A, status: 'accepted' | 'duplicate' | 'stale' = 'accepted', partition = 0) =>
  ({ t, seq, fence, instance, status, partition });
const verdict = (c: Check) => c.status;
const S: HistorySettings = { instances: 2, timing: { leaseMs: 2_000, renewDeadlineMs: 1_400, retryMs: 300 }, partitions: 1, messages: 0, intervalMs: 100 };

describe('identity checkers', () => {
  it('pass on distinct, well-formed, stable IDs', () => {
    const h = hist([ev(5, 'd1', 'renewed')]);
    expect([idsUnique(h), idsWellFormed(h), idsStable(h)].map(verdict)).toEqual(['pass', 'pass', 'pass']);
  });
  it('fail on a repeated, malformed or drifting ID', () => {
    const dup: History = { events: [ev(0, 'd1', 'started', { id: A }), ev(1, 'd2', 'started', { id: A })], deliveries: [] };
    expect(verdict(idsUnique(dup))).toBe('fail');
    expect(verdict(idsWellFormed({ events: [ev(0, 'd1', 'started', { id: 'XYZ' })], deliveries: [] }))).toBe('fail');
    expect(verdict(idsStable(hist([{ ...ev(5, 'd1', 'renewed'), instance: 'cccccccccccccccc' }])))).toBe('fail');
  });
});

describe('lease checkers', () => {
  const handover = [
    ev(10, 'd1', 'acquired', { lock: 'L', fence: 1 }), ev(20, 'd2', 'denied', { lock: 'L', holder: A }),
    ev(300, 'd1', 'renewed', { lock: 'L', fence: 1 }), ev(600, 'd1', 'renewed', { lock: 'L', fence: 1 }),
    ev(900, 'd1', 'renewed', { lock: 'L', fence: 1 }), ev(1200, 'd1', 'renewed', { lock: 'L', fence: 1 }),
    ev(1300, 'd2', 'ack', { cmd: 'status', holders: [{ holder: A }] }),
    ev(1400, 'd1', 'released', { lock: 'L', fence: 1 }), ev(1700, 'd2', 'acquired', { lock: 'L', fence: 2 }),
  ];
  it('pass on a clean handover', () => {
    const h = hist(handover);
    expect([
      mutualExclusion(h, S), fencesIncreasing(h), deniedWhileHeld(h, 'd2', 'd1'), ownershipVisible(h, 'd2', 'd1'),
      heartbeatCadence(h, 'd1', 300, 1400), cleanRelease(h, 'd1'), handoffLatency(h, 'd1', 800),
    ].map(verdict)).toEqual(Array(7).fill('pass'));
  });
  it('fail on overlap, reused fence, no denial, wrong owner, slow heartbeat, no release, slow handoff', () => {
    const overlap = hist([ev(10, 'd1', 'acquired', { lock: 'L', fence: 1 }), ev(50, 'd2', 'acquired', { lock: 'L', fence: 1 })]);
    expect(verdict(mutualExclusion(overlap, S))).toBe('fail');
    expect(verdict(fencesIncreasing(overlap))).toBe('fail');
    const quiet = hist([ev(10, 'd1', 'acquired', { lock: 'L', fence: 1 }), ev(1300, 'd2', 'ack', { cmd: 'status', holders: [{ holder: B }] }),
      ...[300, 1900, 2100, 2400].map((t) => ev(t, 'd1', 'renewed', { lock: 'L', fence: 1 }))]);
    expect(verdict(deniedWhileHeld(quiet, 'd2', 'd1'))).toBe('fail');
    expect(verdict(ownershipVisible(quiet, 'd2', 'd1'))).toBe('fail');
    expect(verdict(heartbeatCadence(quiet, 'd1', 300, 1400))).toBe('fail');
    expect(verdict(cleanRelease(quiet, 'd1'))).toBe('fail');
    const slow = hist([ev(10, 'd1', 'released', { lock: 'L', fence: 1 }), ev(2000, 'd2', 'acquired', { lock: 'L', fence: 2 })]);
    expect(verdict(handoffLatency(slow, 'd1', 800))).toBe('fail');
  });
  it('times a handoff from the release request: on a fast store the taker\'s line can come before the releaser\'s', () => {
    const fast = hist([ev(10, 'd1', 'acquired', { lock: 'L', fence: 1 }), ev(400, 'd2', 'acquired', { lock: 'L', fence: 2, sent: 395 }),
      ev(405, 'd1', 'released', { lock: 'L', fence: 1, sent: 390 })]);
    expect(handoffLatency(fast, 'd1', 800)).toMatchObject({ status: 'pass', measured: 10 });
  });
  it('judges takeover latency and the one-ACTIVE rule', () => {
    const kill = (t: number) => hist([ev(10, 'd1', 'acquired', { lock: 'L', fence: 1 }), ev(20, 'd2', 'denied', { lock: 'L', holder: A }),
      ev(100, 'harness', 'signal', { target: 'd1', signal: 'SIGKILL' }), ev(t, 'd2', 'acquired', { lock: 'L', fence: 2 })]);
    expect(takeoverLatency(kill(5100), 7000)).toMatchObject({ status: 'pass', name: 'takeover after d1 was killed', measured: 5000 });
    // No lower bound: a lock freed the instant its holder dies is correct.
    expect(verdict(takeoverLatency(kill(110), 7000))).toBe('pass');
    expect(verdict(takeoverLatency(kill(9000), 7000))).toBe('fail');
    expect(verdict(oneActive(kill(5100), 2))).toBe('fail');
    expect(verdict(oneActive(hist(handover.slice(0, 2)), 2))).toBe('pass');
  });
  it('does not count a handover during the harness\'s shutdown against one ACTIVE (SQLite seed 103)', () => {
    const run = [ev(10, 'd1', 'acquired', { lock: 'L', fence: 1 }), ev(20, 'd2', 'denied', { lock: 'L', holder: A })];
    const outro = [ev(5160, 'd1', 'released', { lock: 'L', fence: 1 }), ev(5175, 'd2', 'acquired', { lock: 'L', fence: 2 })];
    expect(verdict(oneActive(hist([...run, ev(5000, 'harness', 'shutdown'), ...outro]), 2))).toBe('pass');
    // The same handover while the scenario still runs is a second ACTIVE.
    expect(verdict(oneActive(hist([...run, ...outro, ev(5200, 'harness', 'shutdown')]), 2))).toBe('fail');
  });
});

describe('delivery checkers', () => {
  it('pass on a complete, ordered, split stream with one in-doubt re-send after takeover', () => {
    const h = hist([], [d(1, 0, 1), d(2, 1, 1, B, 'accepted', 1), d(3, 2, 1), d(4, 3, 1, B, 'accepted', 1), d(5, 2, 2, B, 'duplicate'), d(6, 4, 2, B)]);
    expect([noLoss(h, 5), noGaps(h, 2), inOrder(h)].map(verdict)).toEqual(['pass', 'pass', 'pass']);
    expect([seedSplit(h, 2, 4.5), balanced(h, 4.5)].map(verdict)).toEqual(['pass', 'pass']);
  });
  it('fail on a gap, a real duplicate, an old holder writing late, disorder, a mixed split, imbalance', () => {
    const h = hist([], [d(1, 0, 1), d(2, 2, 1), d(3, 1, 2, B), d(4, 0, 2, B, 'duplicate'), d(5, 3, 1, A, 'stale'), d(6, 1, 1)]);
    expect(verdict(noLoss(h, 5))).toBe('fail');
    expect(verdict(noGaps(hist([], [d(1, 0, 1), d(2, 2, 1)]), 1))).toBe('fail');
    expect(verdict(inOrder(h))).toBe('fail');
    expect(verdict(seedSplit(h, 2, 10))).toBe('fail');
    const lopsided = hist([], [...Array.from({ length: 10 }, (_, i) => d(i, i * 2, 1)), d(20, 1, 1, B, 'accepted', 1)]);
    expect(verdict(balanced(lopsided, 100))).toBe('fail');
  });
  it('requires a step-down after every stale refusal', () => {
    const refused = [d(10, 5, 1, A, 'stale')];
    expect(verdict(staleRefusalsStepDown(hist([ev(30, 'd1', 'lost', { lock: 'L', fence: 1 })], refused), 1000))).toBe('pass');
    expect(verdict(staleRefusalsStepDown(hist([], refused), 1000))).toBe('fail');
  });
});

describe('control checkers', () => {
  const run = (lastSendAt: number, views: string[], resumeSeq: number) => hist([
    ev(100, 'harness', 'command', { target: 'd2', cmd: 'stop' }), ev(120, 'd2', 'ack', { cmd: 'stop' }), ev(lastSendAt, 'd1', 'send', { seq: 9 }),
    ...views.map((v, i) => ev(2000 + i, `d${i + 1}`, 'ack', { cmd: 'status', desired: v, holders: [{ holder: A }] })),
    ev(3000, 'harness', 'command', { target: 'd2', cmd: 'start' }), ev(3020, 'd2', 'ack', { cmd: 'start' }),
  ], [d(50, 8, 1), d(3100, resumeSeq, 1)]);
  it('pass when STOP is obeyed, views agree and START resumes at the checkpoint', () => {
    const h = run(150, ['STOPPED', 'STOPPED', 'STOPPED'], 9);
    expect(stopHonoured(h, 1000)).toMatchObject({ status: 'pass', name: 'STOP through d2 honoured', measured: 50 });
    expect([statusAgrees(h, ['d1', 'd2', 'd3'], 1000), resumesFromCheckpoint(h)].map(verdict)).toEqual(['pass', 'pass']);
  });
  it('fail when sending goes on, a view disagrees, or START restarts elsewhere', () => {
    const h = run(1900, ['STOPPED', 'RUNNING', 'STOPPED'], 0);
    expect([stopHonoured(h, 1000), statusAgrees(h, ['d1', 'd2', 'd3'], 1000), resumesFromCheckpoint(h)].map(verdict)).toEqual(['fail', 'fail', 'fail']);
  });
});

describe('saved histories', () => {
  it('re-check to the same verdict after a JSON-lines round trip', () => {
    const h = hist([ev(10, 'd1', 'acquired', { lock: 'L', fence: 1 }), ev(50, 'd2', 'acquired', { lock: 'L', fence: 1 })], [d(60, 0, 1)]);
    const again = fromJsonLines(toJsonLines(h));
    expect(again.deliveries).toHaveLength(1);
    expect([mutualExclusion(again, S), noLoss(again, 1)].map(verdict)).toEqual(['fail', 'pass']);
  });
});
