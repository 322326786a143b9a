// The elector's timing in one process against a real store: graceful handoff (holder releases →
// standby holds), crash takeover (holder stops renewing and never releases → standby holds),
// and contention (4 electors on one lock: store acquire attempts per lease actually won).
import { randomBytes } from 'node:crypto';
import { Elector } from '../coordination/elector.ts';
import type { Timing } from '../coordination/timing.ts';
import { openStore, type Store } from '../coordination/stores/index.ts';
import { percentile, round, sleep, spread, until, type Figure } from './measure.ts';

interface Candidate {
  elector: Elector;
  acquiredAt?: number;
  /** When this elector's store calls start failing (a crash that leaves the lease to expire). */
  crash(): void;
  lastRenewSentAt(): number;
}

function candidate(store: Store, id: string, timing: Timing, counters?: { attempts: number; wins: number }): Candidate {
  let crashed = false;
  let lastSent = 0;
  const dead = () => Promise.reject(new Error('crashed'));
  const view = new Proxy(store, {
    get(t, k) {
      if (crashed && (k === 'renew' || k === 'release' || k === 'acquire')) return dead;
      if (k === 'renew') return (...a: Parameters<Store['renew']>) => { lastSent = performance.now(); return t.renew(...a); };
      if (k === 'acquire' && counters) return (...a: Parameters<Store['acquire']>) => { counters.attempts++; return t.acquire(...a); };
      const v = Reflect.get(t, k);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  const c: Candidate = {
    elector: new Elector({
      store: view, id, timing, leases: ['L'], share: async () => 1,
      lead: (_n, _f, signal) => new Promise((r) => signal.addEventListener('abort', () => r())),
      emit: (e) => {
        if (e.type === 'acquired') { c.acquiredAt = performance.now(); lastSent = e.sent; if (counters) counters.wins++; }
      },
    }),
    crash: () => { crashed = true; },
    lastRenewSentAt: () => lastSent,
  };
  return c;
}

async function withStore<T>(uri: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await openStore(uri, `bench_${randomBytes(4).toString('hex')}`);
  await store.init();
  try {
    return await fn(store);
  } finally {
    await store.dropNamespace().catch(() => {});
    await store.close();
  }
}

/** One holder, one standby; returns ms from the release (or the crash's lease expiry) to the standby's acquire. */
async function handover(uri: string, timing: Timing, mode: 'release' | 'crash'): Promise<number> {
  return withStore(uri, async (store) => {
    const a = candidate(store, 'a', timing);
    a.elector.start();
    await until(() => a.elector.isLeading('L'), 5_000);
    const b = candidate(store, 'b', timing);
    b.elector.start();
    await sleep(timing.retryMs * 1.5 + Math.random() * timing.retryMs); // b settled into its standby rhythm
    let from: number;
    if (mode === 'release') {
      from = performance.now();
      await a.elector.releaseAll(60_000);
    } else {
      a.crash();
      from = a.lastRenewSentAt() + timing.leaseMs; // the earliest the store can let b in
    }
    await until(() => b.acquiredAt !== undefined, timing.leaseMs * 3);
    await Promise.all([a.elector.stop(), b.elector.stop()]);
    return b.acquiredAt === undefined ? NaN : b.acquiredAt - from;
  });
}

async function trials(n: number, once: () => Promise<number>): Promise<number[]> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await once());
  return xs.filter(Number.isFinite);
}

export async function election(stores: [string, string][], n: number): Promise<Figure[]> {
  const out: Figure[] = [];
  const handoffTiming = { leaseMs: 2_000, renewDeadlineMs: 1_400, retryMs: 300 };
  const crashTiming = { leaseMs: 2_000, renewDeadlineMs: 1_400, retryMs: 1_000 };
  for (const [name, uri] of stores) {
    const handoff = await trials(n, () => handover(uri, handoffTiming, 'release'));
    const pgGoal = name === 'PostgreSQL';
    const bound = pgGoal ? 50 : handoffTiming.retryMs / 2;
    out.push({
      group: 'handoff and takeover', name: `${name}: graceful handoff (release → standby holds), p50 of ${handoff.length}`,
      measured: rounded(spreadP50(handoff)), unit: 'ms', goal: `p50 ≤ ${bound} ms${pgGoal ? ' (woken by NOTIFY)' : ' (retry/2: polled)'}`,
      met: percentile(handoff, 50) <= bound, note: `retry ${handoffTiming.retryMs} ms; min/median/max of the ${handoff.length} handoffs`,
    });
    const takeover = await trials(n, () => handover(uri, crashTiming, 'crash'));
    out.push({
      group: 'handoff and takeover', name: `${name}: crash takeover beyond the lease, p95 of ${takeover.length}`,
      measured: { min: round(Math.min(...takeover)), median: round(percentile(takeover, 95)), max: round(Math.max(...takeover)) },
      unit: 'ms after lease expiry', goal: '≤ 250 ms at p95', met: percentile(takeover, 95) <= 250,
      note: `lease ${crashTiming.leaseMs} ms, retry ${crashTiming.retryMs} ms; the "median" column is the p95; measured from the last renew sent + lease`,
    });
    out.push(await contention(name, uri));
  }
  return out;
}

/** 4 electors on one lock; the holder hands it back every 300 ms. Attempts ÷ leases won. */
async function contention(name: string, uri: string): Promise<Figure> {
  const timing = { leaseMs: 2_000, renewDeadlineMs: 1_400, retryMs: 100 };
  const ratios: number[] = [];
  for (let run = 0; run < 3; run++) {
    const counters = { attempts: 0, wins: 0 };
    await withStore(uri, async (store) => {
      const all = ['a', 'b', 'c', 'd'].map((id) => candidate(store, id, timing, counters));
      all.forEach((c) => c.elector.start());
      const end = performance.now() + 3_000;
      while (performance.now() < end) {
        await sleep(300);
        await all.find((c) => c.elector.isLeading('L'))?.elector.releaseAll(0);
      }
      await Promise.all(all.map((c) => c.elector.stop()));
    });
    ratios.push(counters.attempts / Math.max(1, counters.wins));
  }
  const s = spread(ratios);
  return {
    group: 'store operations', name: `${name}: contention, acquire attempts per lease won (4 electors, release every 300 ms)`,
    measured: rounded(s), unit: 'attempts per win', goal: '≤ 1.5', met: s.median <= 1.5, note: 'min/median/max of 3 runs of 3 s',
  };
}

const spreadP50 = (xs: number[]) => ({ min: Math.min(...xs), median: percentile(xs, 50), max: Math.max(...xs) });
const rounded = (s: { min: number; median: number; max: number }) => ({ min: round(s.min), median: round(s.median), max: round(s.max) });
