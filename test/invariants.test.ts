// The effect-based invariants against hand-written histories: one that must pass and one that
// must fail for each, the known false alarms as must-pass, and 'not-exercised' where nothing
// the check judges happened.
import { describe, expect, it } from 'vitest';
import { fromJsonLines, settingsOf, toJsonLines, type History, type HistoryDelivery, type HistoryEvent, type HistorySettings } from '../harness/history.ts';
import { actOnlyInSafeHold, isSafeAt, safeHolds } from '../harness/checkers/holds.ts';
import { noInterleaving } from '../harness/checkers/interleaving.ts';
import { noDoubleEffect } from '../harness/checkers/effects.ts';
import { livenessAfterHeal } from '../harness/checkers/liveness.ts';
import { fencesIncreasing, mutualExclusion, takeoverLatency } from '../harness/checkers/leases.ts';
import { noLoss, oneRequestPerSend, staleRefusalsStepDown } from '../harness/checkers/deliveries.ts';
import { clockShiftApplied } from '../harness/checkers/clock.ts';
import { resumesFromCheckpoint, stopHonoured } from '../harness/checkers/control.ts';
import type { Check } from '../harness/checkers/check.ts';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const ID: Record<string, string> = { d1: A, d2: B };
const S: HistorySettings = {
  instances: 2, timing: { leaseMs: 2_000, renewDeadlineMs: 1_400, retryMs: 300 }, partitions: 1, messages: 0, intervalMs: 100,
  lock: 'auto', automation: 'auto',
};

type Fence = number | null;
const ev = (t: number, source: string, type: string, fields: Record<string, unknown> = {}): HistoryEvent =>
  ({ t, source, type, ...(ID[source] ? { instance: ID[source] } : {}), ...fields });
const harness = (t: number, type: string, fields: Record<string, unknown> = {}) => ev(t, 'harness', type, fields);
const acquired = (t: number, who: string, fence: Fence, sent = t - 5) => ev(t, who, 'acquired', { lock: 'auto', fence, sent });
const renewed = (t: number, who: string, fence: Fence, sent = t - 5) => ev(t, who, 'renewed', { lock: 'auto', fence, sent });
const send = (t: number, who: string, seq: number, fence: Fence, resend = false) =>
  ev(t, who, 'send', { automation: 'auto', seq, fence, partition: 0, resend });
const del = (t: number, who: string, seq: number, fence: Fence, status: HistoryDelivery['status'] = 'accepted'): HistoryDelivery =>
  ({ t, at: t, automation: 'auto', seq, fence, instance: ID[who]!, partition: 0, status });
/** A send line and its delivery 2 ms later. */
const sendAndDeliver = (t: number, who: string, seq: number, fence: Fence) => ({ e: send(t, who, seq, fence), d: del(t + 2, who, seq, fence) });

function hist(events: HistoryEvent[], deliveries: HistoryDelivery[] = []): History {
  const base = [harness(0, 'settings', { ...S }), ev(0, 'd1', 'started', { id: A, idAgain: A }), ev(1, 'd2', 'started', { id: B, idAgain: B })];
  return { events: [...base, ...events].sort((a, b) => a.t - b.t), deliveries: [...deliveries].sort((a, b) => a.t - b.t) };
}
const verdict = (c: Check) => c.status;
const renewsEvery300 = (who: string, fence: Fence, from: number, to: number) =>
  Array.from({ length: Math.floor((to - from) / 300) + 1 }, (_, i) => renewed(from + i * 300, who, fence));

/**
 * The correct worker SIGSTOPped past its lease. A (d1) holds fence 1; its last renew was sent at
 * 1000 and answered at 1005, so it may act until 1000 + 1400 + 2 = 2402. At 1100 it prints `send`
 * for seq 7 and is frozen; that delivery is held back and arrives at 5000. B (d2) takes over with
 * fence 2 at 3010, re-sends seq 7 in doubt at 3400, delivers 8 at 3500. A wakes and its seq 7
 * arrives stale at 5000; A prints `lost` at 5001.
 */
function pausedHolder(o: { fenced?: boolean; lateSendAt?: number; secondStraggler?: boolean } = {}): History {
  const f = (n: number): Fence => (o.fenced === false ? null : n);
  const early = Array.from({ length: 7 }, (_, seq) => sendAndDeliver(100 + seq * 100, 'd1', seq, f(1)));
  const lateAt = o.lateSendAt ?? 1100;
  return hist([
    acquired(10, 'd1', f(1)), ev(20, 'd2', 'denied', { lock: 'auto', holder: A }),
    harness(50, 'command', { target: 'd1', cmd: 'start' }),
    renewed(305, 'd1', f(1), 300), renewed(605, 'd1', f(1), 600), renewed(1005, 'd1', f(1), 1000),
    ...early.map((x) => x.e), send(lateAt, 'd1', 7, f(1)),
    ...(o.secondStraggler ? [send(lateAt + 50, 'd1', 9, f(1))] : []),
    harness(lateAt + 10, 'fault', { fault: 'pause', phase: 'start', target: 'd1' }),
    acquired(3010, 'd2', f(2), 3005), ...renewsEvery300('d2', f(2), 3310, 6010),
    send(3398, 'd2', 7, f(2), true), send(3498, 'd2', 8, f(2)),
    harness(4990, 'fault', { fault: 'pause', phase: 'end', target: 'd1' }),
    ev(5001, 'd1', 'lost', { lock: 'auto', fence: f(1), reason: 'receiver refused the fence' }),
    send(3598, 'd2', 9, f(2)), ...Array.from({ length: 25 }, (_, i) => send(3698 + i * 100, 'd2', 10 + i, f(2))),
  ], [
    ...early.map((x) => x.d), del(3400, 'd2', 7, f(2)), del(3500, 'd2', 8, f(2)), del(3600, 'd2', 9, f(2)),
    ...Array.from({ length: 25 }, (_, i) => del(3700 + i * 100, 'd2', 10 + i, f(2))),
    del(5000, 'd1', 7, f(1), o.fenced === false ? 'duplicate' : 'stale'),
    ...(o.secondStraggler ? [del(5002, 'd1', 9, f(1), 'stale')] : []),
  ]);
}

/** A lock freed the instant its holder dies: d1 SIGKILLed at 1000, d2 acquires at 1010 and re-sends d1's in-flight seq 4. */
function freedAtDeath(takeoverAt = 1010, until = 6000): History {
  const early = Array.from({ length: 5 }, (_, seq) => sendAndDeliver(100 + seq * 200, 'd1', seq, 1));
  const later = Array.from({ length: Math.floor((until - takeoverAt - 100) / 100) }, (_, i) => sendAndDeliver(takeoverAt + 50 + i * 100, 'd2', 4 + i, 2));
  return hist([
    acquired(10, 'd1', 1), ev(20, 'd2', 'denied', { lock: 'auto', holder: A }), harness(50, 'command', { target: 'd1', cmd: 'start' }),
    ...renewsEvery300('d1', 1, 305, 905), ...early.map((x) => x.e),
    harness(1000, 'signal', { target: 'd1', signal: 'SIGKILL' }), ev(1003, 'd1', 'exit', { code: null, signal: 'SIGKILL' }),
    acquired(takeoverAt, 'd2', 2), ...renewsEvery300('d2', 2, takeoverAt + 300, until), ...later.map((x) => x.e),
  ], [...early.map((x) => x.d), ...later.map((x) => x.d)]);
}

describe('safe holds', () => {
  it('count the deadline from when the renew was sent, and end at SIGKILL', () => {
    const [a] = safeHolds(pausedHolder(), S.timing.renewDeadlineMs);
    expect(a).toMatchObject({ source: 'd1', fence: 1, start: 10, end: 5001, endedBy: 'lost' });
    expect(a!.safe).toEqual([{ from: 10, to: 2402 }]);
    expect([isSafeAt(a!, 2402), isSafeAt(a!, 2403)]).toEqual([true, false]);
    const [killed] = safeHolds(freedAtDeath(), S.timing.renewDeadlineMs);
    expect(killed).toMatchObject({ end: 1000, endedBy: 'SIGKILL' });
  });
  it('settings come from the history and survive a JSON-lines round trip', () => {
    const h = fromJsonLines(toJsonLines(pausedHolder()));
    expect(settingsOf(h)).toEqual(S);
    expect(settingsOf({ events: [], deliveries: [] })).toBeUndefined();
    expect(verdict(noInterleaving(h, settingsOf(h)!))).toBe('pass');
  });
});

describe('a correct worker paused past its lease (must pass)', () => {
  const h = pausedHolder();
  it('passes every invariant: the late seq 7 is the one tolerated straggler, B\'s seq 7 the in-doubt re-send', () => {
    expect([actOnlyInSafeHold(h, S), noInterleaving(h, S), noDoubleEffect(h, S), mutualExclusion(h, S), fencesIncreasing(h), noLoss(h, 35)]
      .map(verdict)).toEqual(Array(6).fill('pass'));
    expect(noInterleaving(h, S).bound).toContain('excused: 1');
  });
  it('says a seq arrived twice even though nothing is unexcused', () => {
    const c = noDoubleEffect(h, S);
    expect(c).toMatchObject({ measured: 0, unit: 'unexcused duplicates (1 excused repeat)' });
    expect(c.bound).toMatch(/^0 \(in-doubt re-sends excused: 1 — at-least-once/);
    expect(c.evidence[0]).toMatch(/seq 7 arrived 2×.*in-doubt re-send/);
  });
  it('recovers within lease + retry + slack after the pause heals', () => {
    expect(livenessAfterHeal(h, S)).toMatchObject({ status: 'pass' });
  });
});

describe('the same run gone wrong (must fail)', () => {
  it('without fences the late delivery interleaves: no straggler excuse', () => {
    const c = noInterleaving(pausedHolder({ fenced: false }), S);
    expect(c).toMatchObject({ status: 'fail', measured: 1 });
    expect(c.evidence[0]).toContain('seq=7 fence=null from d1');
  });
  it('a second late delivery with fence 1 is a violation (A must stop after the refusal)', () => {
    expect(noInterleaving(pausedHolder({ secondStraggler: true }), S)).toMatchObject({ status: 'fail', measured: 1 });
  });
  it('a send printed after the renew deadline (2600 > 1000 + 1400) is outside the safe window', () => {
    const h = pausedHolder({ lateSendAt: 2600 });
    const c = actOnlyInSafeHold(h, S);
    expect(c).toMatchObject({ status: 'fail', measured: 1 });
    expect(c.evidence[0]).toMatch(/t=2600ms d1 send .*last confirm t=1005ms \(sent 1000ms\), safe until 2402ms/);
    expect(verdict(noInterleaving(h, S))).toBe('fail');
  });
  it('B and A both deliver seq 8 while A never stopped: a duplicate, and overlapping safe windows', () => {
    const h = hist([
      acquired(10, 'd1', 1), ...renewsEvery300('d1', 1, 305, 4000), send(3300, 'd1', 8, 1),
      acquired(3010, 'd2', 2), send(3400, 'd2', 8, 2, true),
    ], [del(3302, 'd1', 8, 1), del(3402, 'd2', 8, 2, 'duplicate')]);
    expect(noDoubleEffect(h, S)).toMatchObject({ status: 'fail', measured: 1, unit: 'unexcused duplicates' });
    expect(mutualExclusion(h, S)).toMatchObject({ status: 'fail', measured: 1 });
  });
});

describe('a lock freed the instant its holder dies (must pass)', () => {
  const h = freedAtDeath();
  it('has no lower bound on takeover latency', () => {
    expect(takeoverLatency(h, 3_000)).toMatchObject({ status: 'pass', measured: 10 });
  });
  it('passes every invariant', () => {
    expect([actOnlyInSafeHold(h, S), noInterleaving(h, S), noDoubleEffect(h, S), mutualExclusion(h, S), fencesIncreasing(h),
      livenessAfterHeal(h, S), noLoss(h, 50)].map(verdict)).toEqual(Array(7).fill('pass'));
    expect(noDoubleEffect(h, S).bound).toContain('in-doubt re-sends excused: 1');
  });
});

describe('liveness after a heal', () => {
  it('passes when the standby takes over and delivers within lease + retry + slack', () => {
    const c = livenessAfterHeal(freedAtDeath(), S);
    expect(c.measured).toBe(62); // first delivery by d2: 1010 + 50 + 2 - 1000
    expect(c.evidence.join('\n')).toContain('SIGKILL d1 at t=1000ms: auto held by d2 (fence 2) after 10 ms');
  });
  it('fails when nobody takes over within the bound (2800 ms)', () => {
    const c = livenessAfterHeal(freedAtDeath(5_000, 9_000), S);
    expect(c).toMatchObject({ status: 'fail', measured: '1 of 1 heals did not recover' });
    expect(c.evidence[0]).toContain('auto held by nobody at +2800 ms');
  });
  it('fails when the history ends before the bound with nothing recovered, and says so', () => {
    const h = hist([acquired(10, 'd1', 1), harness(1000, 'signal', { target: 'd1', signal: 'SIGKILL' }), ev(1500, 'd2', 'denied', { lock: 'auto', holder: A })]);
    const c = livenessAfterHeal(h, S);
    expect(c.status).toBe('fail');
    expect(c.evidence[0]).toContain('history ended before the bound');
  });
  it('does not judge a lease whose work was all delivered when the history ended before the bound', () => {
    const all = Array.from({ length: 5 }, (_, seq) => del(100 + seq * 50, 'd1', seq, 1));
    const h = hist([acquired(10, 'd1', 1), ...renewsEvery300('d1', 1, 305, 905), harness(1000, 'signal', { target: 'd1', signal: 'SIGKILL' }),
      ev(1500, 'd2', 'denied', { lock: 'auto', holder: A })], all);
    const c = livenessAfterHeal(h, { ...S, messages: 5 });
    expect(c.status).toBe('pass');
    expect(c.evidence[0]).toContain('auto not judged: its work was done');
    // One seq short, and the same history fails.
    expect(livenessAfterHeal({ ...h, deliveries: all.slice(0, 4) }, { ...S, messages: 5 }).status).toBe('fail');
  });
  it('fails when the lease is taken over but the running workload never delivers again', () => {
    const h = freedAtDeath();
    const silent: History = { events: h.events.filter((e) => !(e.source === 'd2' && e.type === 'send')), deliveries: h.deliveries.filter((d) => d.instance !== B) };
    const c = livenessAfterHeal(silent, S);
    expect(c.status).toBe('fail');
    expect(c.evidence[0]).toContain('p0 delivered nothing within 2900 ms');
  });
  it('does not count the stopped worker\'s own hold as recovery after SIGTERM', () => {
    const h = hist([acquired(10, 'd1', 1), ...renewsEvery300('d1', 1, 305, 905), harness(1000, 'signal', { target: 'd1', signal: 'SIGTERM' }),
      ev(1100, 'd1', 'released', { lock: 'auto', fence: 1 }), ev(5000, 'harness', 'mark', { name: 'end' })]);
    expect(livenessAfterHeal(h, S).evidence[0]).toContain('auto held by nobody');
  });
  it('is not exercised without a fault, kill or stop', () => {
    expect(livenessAfterHeal(hist([acquired(10, 'd1', 1)]), S)).toMatchObject({ status: 'not-exercised', measured: 'no fault, kill or stop happened' });
  });
});

describe('fencing tokens', () => {
  const store = (fence: number, holder: string | null) => harness(9_000, 'store', { leases: [{ name: 'auto', holder, fence }] });
  it('pass when they increase and the store read-back agrees', () => {
    expect(verdict(fencesIncreasing(hist([acquired(10, 'd1', 1), acquired(3010, 'd2', 2), store(2, B)])))).toBe('pass');
    expect(verdict(fencesIncreasing(hist([acquired(10, 'd1', 1), acquired(3010, 'd2', 2), store(3, null)])))).toBe('pass');
  });
  it('fail on a reused fence', () => {
    expect(verdict(fencesIncreasing(hist([acquired(10, 'd1', 1), acquired(3010, 'd2', 1)])))).toBe('fail');
  });
  it('fail when the store holds a lower fence than reported, or another one while the last acquirer holds it', () => {
    const low = fencesIncreasing(hist([acquired(10, 'd1', 1), acquired(3010, 'd2', 2), store(1, B)]));
    expect(low.status).toBe('fail');
    expect(low.evidence[0]).toBe('store: auto fence 1 < 2 reported by the workers');
    expect(verdict(fencesIncreasing(hist([acquired(10, 'd1', 1), acquired(3010, 'd2', 2), store(5, B)])))).toBe('fail');
  });
  it('are not exercised when no worker has a fencing token', () => {
    expect(fencesIncreasing(hist([acquired(10, 'd1', null), acquired(3010, 'd2', null)])))
      .toMatchObject({ status: 'not-exercised', measured: 'no fencing token: a delayed write cannot be refused' });
  });
});

describe('acting only in a safe hold', () => {
  it('fails on a send with no hold at all, passes on sends inside the window', () => {
    expect(verdict(actOnlyInSafeHold(hist([send(100, 'd1', 0, 1)]), S))).toBe('fail');
    expect(verdict(actOnlyInSafeHold(hist([acquired(10, 'd1', 1), send(100, 'd1', 0, 1)]), S))).toBe('pass');
  });
  it('is not exercised without sends', () => {
    expect(actOnlyInSafeHold(hist([acquired(10, 'd1', 1)]), S)).toMatchObject({ status: 'not-exercised', measured: 'no sends at all' });
  });
});

describe('interleaving', () => {
  it('passes when A takes the lease back with a higher fence after B', () => {
    const h = hist([acquired(10, 'd1', 1), acquired(3010, 'd2', 2), acquired(6010, 'd1', 3),
      send(98, 'd1', 0, 1), send(3098, 'd2', 1, 2), send(6098, 'd1', 2, 3)],
      [del(100, 'd1', 0, 1), del(3100, 'd2', 1, 2), del(6100, 'd1', 2, 3)]);
    expect(verdict(noInterleaving(h, S))).toBe('pass');
  });
  it('fails a higher fence taken while the other holder was still safe (a stolen lease)', () => {
    // d1 steals the lease with fence 3 at 4000 while d2 (fence 2) renews on; its fence is higher,
    // but d2 never lost the lease: the steal is no re-acquisition.
    const h = hist([acquired(10, 'd1', 1), acquired(3010, 'd2', 2), ...renewsEvery300('d2', 2, 3310, 6910), acquired(4000, 'd1', 3),
      send(98, 'd1', 0, 1), send(3098, 'd2', 1, 2), send(4098, 'd1', 2, 3)],
      [del(100, 'd1', 0, 1), del(3100, 'd2', 1, 2), del(4100, 'd1', 2, 3)]);
    expect(verdict(noInterleaving(h, S))).toBe('fail');
  });
  it('fails a send carrying a fence that is not its hold\'s', () => {
    const h = hist([acquired(10, 'd1', 1), send(98, 'd1', 0, 10)], [del(100, 'd1', 0, 10)]);
    expect(verdict(actOnlyInSafeHold(h, S))).toBe('fail');
  });
  it('fenceless: passes only when A\'s new hold began after B\'s hold ended', () => {
    const events = [acquired(10, 'd1', null), ev(2000, 'd1', 'lost', { lock: 'auto', fence: null }), acquired(3010, 'd2', null),
      send(100, 'd1', 0, null), send(3100, 'd2', 1, null)];
    const dels = [del(102, 'd1', 0, null), del(3102, 'd2', 1, null), del(6102, 'd1', 2, null)];
    const after = hist([...events, ev(5000, 'd2', 'released', { lock: 'auto', fence: null }), acquired(6010, 'd1', null), send(6100, 'd1', 2, null)], dels);
    expect(verdict(noInterleaving(after, S))).toBe('pass');
    // d2 renews on: its hold is still safe when d1 takes the lease "back" at 6010.
    const during = hist([...events, ...renewsEvery300('d2', null, 3310, 7000), acquired(6010, 'd1', null), send(6100, 'd1', 2, null)], dels);
    expect(verdict(noInterleaving(during, S))).toBe('fail');
    // A frozen d2 that stopped renewing at 3310 prints `lost` only when it wakes (7000): d1's take-back at 6010 is legitimate.
    const frozen = hist([...events, renewed(3310, 'd2', null), ev(7000, 'd2', 'lost', { lock: 'auto', fence: null }), acquired(6010, 'd1', null), send(6100, 'd1', 2, null)], dels);
    expect(verdict(noInterleaving(frozen, S))).toBe('pass');
  });
  it('is not exercised without deliveries', () => {
    expect(verdict(noInterleaving(hist([]), S))).toBe('not-exercised');
  });
});

/**
 * The wrong culprit (partitioning, seed 4242): d1 held p1 for a moment and released it without
 * delivering there; d2 took p1 and delivers on it; then d1, holding nothing on p1, sends on it.
 * The stray delivery is the violation, never the holder it interrupted.
 */
describe('interleaving judged by windows first', () => {
  const S2: HistorySettings = { ...S, partitions: 2 };
  const lease = 'auto.p1';
  const p1 = (t: number, who: string, type: string, fields: Record<string, unknown>) => ev(t, who, type, { lock: lease, ...fields });
  const sendP1 = (t: number, who: string, seq: number, fence: number) => ev(t, who, 'send', { automation: 'auto', seq, fence, partition: 1, resend: false });
  const delP1 = (t: number, who: string, seq: number, fence: number, status: HistoryDelivery['status'] = 'accepted'): HistoryDelivery =>
    ({ t, at: t, automation: 'auto', seq, fence, instance: ID[who]!, partition: 1, status });
  function stray(strayAt: number): History {
    const d2Seqs = Array.from({ length: 40 }, (_, i) => ({ t: 400 + i * 100, seq: 1 + 2 * i }));
    return {
      events: [
        harness(0, 'settings', { ...S2 }), ev(0, 'd1', 'started', { id: A, idAgain: A }), ev(1, 'd2', 'started', { id: B, idAgain: B }),
        p1(10, 'd1', 'acquired', { fence: 1, sent: 5 }), p1(200, 'd1', 'released', { fence: 1, sent: 195 }),
        p1(300, 'd2', 'acquired', { fence: 2, sent: 295 }),
        ...Array.from({ length: 15 }, (_, i) => p1(600 + i * 300, 'd2', 'renewed', { fence: 2, sent: 595 + i * 300 })),
        ...d2Seqs.map((x) => sendP1(x.t - 2, 'd2', x.seq, 2)),
        sendP1(strayAt - 2, 'd1', 81, 1),
      ].sort((a, b) => a.t - b.t),
      deliveries: [...d2Seqs.map((x) => delP1(x.t, 'd2', x.seq, 2)), delP1(strayAt, 'd1', 81, 1, 'stale')].sort((a, b) => a.t - b.t),
    };
  }
  it('fails on the stray delivery even when it is the last on its partition, naming d1', () => {
    const c = noInterleaving(stray(4_500), S2);
    expect(c.status).toBe('fail');
    expect(c.measured).toBe(1);
    expect(c.evidence).toHaveLength(1);
    expect(c.evidence[0]).toMatch(/seq=81 fence=1 from d1 .*held no lease on p1/);
  });
  it('blames only the stray delivery, never the holder it interrupted', () => {
    const c = noInterleaving(stray(2_050), S2);
    expect(c.measured).toBe(1);
    expect(c.evidence.join('\n')).not.toMatch(/from d2/);
  });
});

describe('double effects', () => {
  it('excuse a retry after a send whose answer never came', () => {
    const h = hist([acquired(10, 'd1', 1), send(100, 'd1', 0, 1), ev(400, 'd1', 'sent', { automation: 'auto', seq: 0, fence: 1, status: 'failed' }),
      send(500, 'd1', 0, 1, true)], [del(102, 'd1', 0, 1), del(502, 'd1', 0, 1, 'duplicate')]);
    const c = noDoubleEffect(h, S);
    expect(c).toMatchObject({ status: 'pass', measured: 0, unit: 'unexcused duplicates (1 excused repeat)' });
    expect(c.bound).toContain('retries after a failed send excused: 1');
  });
  it('fail on a re-send after an ANSWERED send', () => {
    const h = hist([acquired(10, 'd1', 1), send(100, 'd1', 0, 1), ev(110, 'd1', 'sent', { automation: 'auto', seq: 0, fence: 1, status: 'accepted' }),
      send(500, 'd1', 0, 1, true)], [del(102, 'd1', 0, 1), del(502, 'd1', 0, 1, 'duplicate')]);
    expect(verdict(noDoubleEffect(h, S))).toBe('fail');
  });
  it('are not exercised without deliveries', () => {
    expect(noDoubleEffect(hist([]), S)).toMatchObject({ status: 'not-exercised', measured: 'no deliveries' });
  });
});

describe('STOP measured from the command', () => {
  const run = (lastSendAt: number) => hist([
    harness(100, 'command', { target: 'd2', cmd: 'stop' }), ev(900, 'd2', 'ack', { cmd: 'stop' }), send(lastSendAt, 'd1', 9, 1),
    harness(3000, 'command', { target: 'd2', cmd: 'start' }), ev(3050, 'd2', 'ack', { cmd: 'start' }),
  ], [del(50, 'd1', 8, 1), del(3100, 'd1', 9, 1)]);
  it('passes with the time since the command, not since the ack', () => {
    expect(stopHonoured(run(950), 1000)).toMatchObject({ status: 'pass', name: 'STOP through d2 honoured', measured: 850 });
    expect(verdict(resumesFromCheckpoint(run(950)))).toBe('pass');
  });
  it('fails when sends continue 1200 ms after the command', () => {
    expect(stopHonoured(run(1300), 1000)).toMatchObject({ status: 'fail', measured: 1200 });
  });
});

describe('stale refusals', () => {
  it('are not exercised when no stale write happened', () => {
    expect(staleRefusalsStepDown(hist([], [del(10, 'd1', 0, 1)]), 1000)).toMatchObject({ status: 'not-exercised', measured: 'no stale write happened' });
  });
});

describe('a graceful release handed over before its line was printed', () => {
  // d1 releases fence 1: the store applies it at 1000 (the release was sent at 999) and d2
  // acquires fence 2 at 1003, before d1 prints `released` at 1004. Seen in a real membership-churn run.
  const handover = (released: HistoryEvent) => hist([acquired(10, 'd1', 1), ...renewsEvery300('d1', 1, 305, 905), released, acquired(1003, 'd2', 2)]);
  it('passes when the release says when it was sent', () => {
    expect(verdict(mutualExclusion(handover(ev(1004, 'd1', 'released', { lock: 'auto', fence: 1, sent: 999 })), S))).toBe('pass');
  });
  it('passes when the line trails by no more than the printing slack', () => {
    expect(verdict(mutualExclusion(handover(ev(1004, 'd1', 'released', { lock: 'auto', fence: 1 })), S))).toBe('pass');
  });
  it('fails when the old holder was still safe long after the new one acquired', () => {
    expect(verdict(mutualExclusion(handover(ev(1200, 'd1', 'released', { lock: 'auto', fence: 1 })), S))).toBe('fail');
    expect(verdict(mutualExclusion(handover(ev(1200, 'd1', 'released', { lock: 'auto', fence: 1, sent: 1150 })), S))).toBe('fail');
  });
});

describe('liveness when faults overlap', () => {
  // The standbys are frozen from 900 to 4000 while the holder is killed at 1000: nobody can take
  // over before 4000, so recovery is owed from 4000 on, not from the kill.
  const herd = (takeoverAt: number) => hist([
    acquired(10, 'd1', 1), ...renewsEvery300('d1', 1, 305, 905), harness(900, 'fault', { fault: 'pause', phase: 'start', target: 'd2' }),
    harness(1000, 'signal', { target: 'd1', signal: 'SIGKILL' }), harness(4000, 'fault', { fault: 'pause', phase: 'end', target: 'd2' }),
    acquired(takeoverAt, 'd2', 2), ...renewsEvery300('d2', 2, takeoverAt + 300, 9000), harness(9500, 'mark', { name: 'end' }),
  ]);
  it('judges a crash during a pause from the end of the pause', () => {
    expect(verdict(livenessAfterHeal(herd(4100), S))).toBe('pass');
  });
  it('still fails when recovery is late after the last fault ended', () => {
    expect(verdict(livenessAfterHeal(herd(7500), S))).toBe('fail');
  });
});

describe('liveness with a second crash inside the first recovery window', () => {
  // d1 is killed at 1000; d2 takes over at 1900 and is itself killed at 2500, inside the first
  // kill's window: recovery is owed from 2500 on, for both.
  const twoKills = (extra: HistoryEvent[]) => hist([
    acquired(10, 'd1', 1), ...renewsEvery300('d1', 1, 305, 905), harness(1000, 'signal', { target: 'd1', signal: 'SIGKILL' }),
    acquired(1900, 'd2', 2), harness(2500, 'signal', { target: 'd2', signal: 'SIGKILL' }), ...extra, harness(9000, 'mark', { name: 'end' }),
  ]);
  it('fails when nobody recovers after the second kill, and judges the first from it', () => {
    const c = livenessAfterHeal(twoKills([]), S);
    expect(c.status).toBe('fail');
    expect(c.evidence.some((l) => l.startsWith('SIGKILL d1 at t=1000ms (judged from t=2500ms'))).toBe(true);
  });
  it('passes when a third deployment takes over after the second kill', () => {
    expect(verdict(livenessAfterHeal(twoKills([acquired(4600, 'd3', 3)]), S))).toBe('pass');
  });
});

describe('fences read back from a store table the worker does not use', () => {
  it('compares nothing when the lease table is empty (a worker with its own tables)', () => {
    const h = hist([acquired(10, 'd1', 1), acquired(3000, 'd2', 2), harness(9000, 'store', { leases: [] })]);
    expect(verdict(fencesIncreasing(h))).toBe('pass');
  });
});

describe('in-doubt re-send across a hold that never sent', () => {
  // d1 (fence 1) dies with seq 5 in flight; d2 acquires fence 2 but its answer came after its own
  // deadline and it gives the lease up at once, sending nothing; d1… a third holder (d2 again,
  // fence 3) re-sends seq 5. That is the in-doubt re-send of d1's in-flight message.
  const run = (resendSeq: number) => hist([
    acquired(10, 'd1', 1), send(100, 'd1', 5, 1), harness(150, 'signal', { target: 'd1', signal: 'SIGKILL' }),
    acquired(3000, 'd2', 2, 1500), ev(3001, 'd2', 'lost', { lock: 'auto', fence: 2, reason: 'renew deadline passed' }),
    acquired(5000, 'd2', 3), send(5010, 'd2', resendSeq, 3, true),
  ], [del(102, 'd1', 5, 1), del(5012, 'd2', resendSeq, 3, 'duplicate')]);
  it('excuses it', () => {
    expect(verdict(noDoubleEffect(run(5), S))).toBe('pass');
  });
  it('does not excuse a repeat of a seq nobody had in flight', () => {
    const h = run(5);
    h.deliveries.push(del(60, 'd1', 4, 1), del(5100, 'd2', 4, 3, 'duplicate'));
    h.events.push(send(58, 'd1', 4, 1), send(5098, 'd2', 4, 3));
    h.events.sort((a, b) => a.t - b.t); h.deliveries.sort((a, b) => a.t - b.t);
    expect(verdict(noDoubleEffect(h, S))).toBe('fail');
  });
});

describe('fence order judged on when acquisitions were made', () => {
  it('passes a lower fence printed late by a worker paused between its answer and its line', () => {
    // d1's acquire (fence 1) was answered at 105 but it was frozen before printing until 4000;
    // d2's (fence 2) was sent at 3000, long after. Printed order 2, 1; made order 1, 2.
    const h = hist([ev(4000, 'd1', 'acquired', { lock: 'auto', fence: 1, sent: 100 }), acquired(3010, 'd2', 2, 3000)]);
    expect(verdict(fencesIncreasing(h))).toBe('pass');
  });
  it('fails a lower fence for an acquire sent after a higher one was answered', () => {
    const h = hist([acquired(3010, 'd2', 2, 3000), acquired(4000, 'd1', 1, 3500)]);
    expect(verdict(fencesIncreasing(h))).toBe('fail');
  });
});

describe('clock shifts reaching the workers', () => {
  const run = (reportedOffsetMs: number) => ({
    events: [
      { t: 0, source: 'harness', type: 'settings', ...S, wall: 1_000_000 },
      { t: 10, source: 'harness', type: 'fault', fault: 'clock', phase: 'start', target: 'd1', offsetMs: 600_000, mode: 'faketime' },
      { t: 500, source: 'd1', type: 'started', id: A, wall: 1_000_500 + reportedOffsetMs },
    ],
    deliveries: [],
  });
  it('passes when the worker reports the shifted clock', () => {
    expect(verdict(clockShiftApplied(run(600_000)))).toBe('pass');
  });
  it('is not exercised when the shift did not reach the worker (a static binary, an ignored offset)', () => {
    expect(verdict(clockShiftApplied(run(0)))).toBe('not-exercised');
  });
});

describe('raw requests per send line', () => {
  const base = [acquired(100, 'd1', 1), send(200, 'd1', 0, 1), send(300, 'd1', 1, 1)];
  it('passes one request per line, and a retry announced with its own send line', () => {
    const h = hist([...base, send(1400, 'd1', 1, 1)], [del(202, 'd1', 0, 1), del(302, 'd1', 1, 1), del(1402, 'd1', 1, 1, 'duplicate')]);
    expect(verdict(oneRequestPerSend(h))).toBe('pass');
  });
  it('pairs rapid retries each with its own line, though the next line follows within the 50 ms slack', () => {
    const retries = Array.from({ length: 20 }, (_, i) => 1000 + i * 30);
    const h = hist([...base, ...retries.map((t) => send(t, 'd1', 1, 1))],
      [del(202, 'd1', 0, 1), del(302, 'd1', 1, 1), ...retries.map((t) => del(t + 2, 'd1', 1, 1, 'duplicate'))]);
    expect(verdict(oneRequestPerSend(h))).toBe('pass');
  });
  it('fails a client that retried a timed-out request under one line', () => {
    const h = hist(base, [del(202, 'd1', 0, 1), del(302, 'd1', 1, 1), del(1302, 'd1', 1, 1, 'duplicate')]);
    const c = oneRequestPerSend(h);
    expect(c.status).toBe('fail');
    expect(c.measured).toBe(2);
    expect(c.evidence[0]).toMatch(/seq=1 .*→ 2 requests/);
  });
  it('is not exercised when no delivery matches a send line', () => {
    expect(verdict(oneRequestPerSend(hist([acquired(100, 'd1', 1)], [del(202, 'd1', 0, 1)])))).toBe('not-exercised');
  });
});

describe('recovery by a deployment restarted after its crash', () => {
  // d1 holds fence 1 and delivers; its sink path is held from 1000 to 5000; it is killed at 1100,
  // restarted, and takes the lease again at 3000 (fence 2). The kill is judged from 5000, when the
  // hold overlapping it ends: by then the restarted d1 holds the lease — that is recovery.
  const run = (restarted: boolean) => hist([
    harness(50, 'command', { cmd: 'start' }),
    acquired(100, 'd1', 1), ...renewsEvery300('d1', 1, 400, 1000),
    harness(1000, 'fault', { fault: 'network', phase: 'start', target: 'd1', path: 'sink', mode: { kind: 'hold' } }),
    harness(1100, 'signal', { signal: 'SIGKILL', target: 'd1' }), ev(1110, 'd1', 'exit', { code: null, signal: 'SIGKILL' }),
    ...(restarted ? [acquired(3000, 'd1', 2), ...renewsEvery300('d1', 2, 3300, 8000)] : []),
    harness(5000, 'fault', { fault: 'network', phase: 'end', target: 'd1', path: 'sink', mode: { kind: 'hold' } }),
  ], [
    ...Array.from({ length: 8 }, (_, i) => del(200 + i * 100, 'd1', i, 1)),
    ...(restarted ? Array.from({ length: 30 }, (_, i) => del(5050 + i * 100, 'd1', 8 + i, 2)) : []),
  ]);
  it('passes when the restarted deployment holds the lease again', () => {
    expect(livenessAfterHeal(run(true), S).status).toBe('pass');
  });
  it('fails when nobody takes the lease after the crash', () => {
    expect(livenessAfterHeal(run(false), S).status).toBe('fail');
  });
});
