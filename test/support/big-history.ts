// A long, correct history made by rule (no processes): 4 instances, one partition each, a
// renew every 300 ms and a send every `intervalMs`, with a graceful handoff of p0 from d1 to d2 in
// the middle. Sized in rows (events + deliveries) for the checkers' scale tests.
import type { History, HistoryDelivery, HistoryEvent, HistorySettings } from '../../harness/history.ts';

const IDS = ['d1', 'd2', 'd3', 'd4'];
const id = (label: string) => label.slice(1).padStart(16, '0');

export const BIG_SETTINGS: HistorySettings = {
  instances: 4, timing: { leaseMs: 2_000, renewDeadlineMs: 1_400, retryMs: 300 }, partitions: 4, messages: 0, intervalMs: 10,
  lock: 'auto', automation: 'auto',
};

export function bigHistory(rows: number): History {
  const P = BIG_SETTINGS.partitions;
  const perMs = (3 * P) / BIG_SETTINGS.intervalMs; // send + sent + delivery per partition per interval
  const endMs = Math.ceil(rows / perMs);
  const handoffAt = Math.round(endMs / 2 / 300) * 300 + 150;
  const events: HistoryEvent[] = [{ t: 0, source: 'harness', type: 'settings', ...BIG_SETTINGS }];
  const deliveries: HistoryDelivery[] = [];
  const ev = (t: number, source: string, type: string, f: Record<string, unknown> = {}) =>
    events.push({ t, source, type, instance: id(source), ...f });
  for (const [i, d] of IDS.entries()) {
    ev(1 + i, d, 'started', { id: id(d), idAgain: id(d) });
    ev(10 + i, d, 'acquired', { lock: `auto.p${i}`, fence: 1, sent: 5 + i });
  }
  events.push({ t: 50, source: 'harness', type: 'command', target: 'd1', cmd: 'start' });
  const holderOf = (p: number, t: number) => (p === 0 && t >= handoffAt ? 'd2' : IDS[p]!);
  const fenceOf = (p: number, t: number) => (p === 0 && t >= handoffAt ? 2 : 1);
  for (let t = 300; t < endMs; t += 300) {
    for (const [i, d] of IDS.entries()) {
      const locks = [`auto.p${i}`];
      if (d === 'd1' && t >= handoffAt) locks.length = 0;
      if (d === 'd2' && t >= handoffAt) locks.push('auto.p0');
      for (const lock of locks) ev(t + 5, d, 'renewed', { lock, fence: lock === 'auto.p0' && d === 'd2' ? 2 : 1, sent: t });
    }
    if (t + 300 > handoffAt && t <= handoffAt) {
      ev(handoffAt - 20, 'd1', 'released', { lock: 'auto.p0', fence: 1, sent: handoffAt - 30 });
      ev(handoffAt, 'd2', 'acquired', { lock: 'auto.p0', fence: 2, sent: handoffAt - 5 });
    }
  }
  const seqOf = new Array<number>(P).fill(0).map((_, p) => p);
  for (let t = 100; t < endMs; t += BIG_SETTINGS.intervalMs) {
    for (let p = 0; p < P; p++) {
      // No sends in the handoff's gap: d1 stopped before releasing, d2 starts after acquiring.
      if (p === 0 && t > handoffAt - 40 && t < handoffAt + 10) continue;
      const who = holderOf(p, t);
      const seq = seqOf[p]!;
      seqOf[p] = seq + P;
      const fence = fenceOf(p, t);
      ev(t + 1, who, 'send', { automation: 'auto', seq, fence, partition: p, resend: false, at: t + 1 });
      deliveries.push({ t: t + 2, at: t + 2, automation: 'auto', seq, fence, instance: id(who), partition: p, status: 'accepted' });
      ev(t + 3, who, 'sent', { automation: 'auto', seq, fence, partition: p, status: 'accepted' });
    }
  }
  events.sort((a, b) => a.t - b.t);
  return { events, deliveries };
}
