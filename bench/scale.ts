// N deployments × P partitions on PostgreSQL, in one process: how long until every partition is
// held and shares are balanced within 1, and how many store writes a retry period costs once
// they are. The deployments are the real ones (Deployment, its elector, its registry); only the
// connections are shared, a few pools for all, so 64 instances fit the server's 100 connections.
import { randomBytes } from 'node:crypto';
import { Deployment } from '../coordination/deployment.ts';
import { openStore, type Store } from '../coordination/stores/index.ts';
import { round, sleep, type Figure } from './measure.ts';

const TIMING = { leaseMs: 2_000, renewDeadlineMs: 1_400, retryMs: 300 };
const WRITES = new Set(['acquire', 'renew', 'release', 'heartbeat', 'casProgress', 'writeControl', 'appendLog', 'deregister']);
const POOLS = 8;
const TICKS = 20;

export const GRID: [instances: number, partitions: number][] = [[16, 1], [16, 256], [24, 256], [64, 1], [64, 256]];

/** One instance's store writes, and its count as each of its heartbeats (one per tick) began. */
interface Tally { writes: number; beats: { t: number; writes: number }[] }

/** The store seen through a write tally; release notifications left out (64 LISTEN connections). */
function counted(store: Store, tally: Tally): Store {
  return new Proxy(store, {
    get(t, k) {
      if (k === 'watchReleases') return undefined;
      const v = Reflect.get(t, k);
      if (typeof v !== 'function') return v;
      if (!WRITES.has(String(k))) return v.bind(t);
      return (...a: unknown[]) => {
        if (k === 'heartbeat') tally.beats.push({ t: performance.now(), writes: tally.writes });
        tally.writes++;
        return (v as (...x: unknown[]) => unknown).apply(t, a);
      };
    },
  });
}

/**
 * The fleet's writes per tick (a tick is one retry period): each instance counted over exactly
 * TICKS of its own ticks from `from`, so where a clock window's edges fell among 24 instances'
 * ticks (one heartbeat more or less) cannot move the figure; with it, how long those ticks took
 * on average, which must be the retry period for "per tick" to mean "per retry period".
 * Undefined until every instance has ticked that often.
 */
function writesPerTick(tallies: Tally[], from: number): { writes: number; tickMs: number } | undefined {
  let writes = 0;
  let ms = 0;
  for (const { beats } of tallies) {
    const a = beats.findIndex((b) => b.t >= from);
    if (a < 0 || a + TICKS >= beats.length) return undefined;
    writes += beats[a + TICKS]!.writes - beats[a]!.writes;
    ms += beats[a + TICKS]!.t - beats[a]!.t;
  }
  return { writes: writes / TICKS, tickMs: ms / TICKS / tallies.length };
}

interface Cell { settledLeases: number | undefined; perTick?: { writes: number; tickMs: number }; spread: number }

async function cell(uri: string, instances: number, partitions: number): Promise<Cell> {
  const ns = `bench_${randomBytes(4).toString('hex')}`;
  const pools = await Promise.all(Array.from({ length: POOLS }, () => openStore(uri, ns)));
  await pools[0]!.init();
  const tallies = Array.from({ length: instances }, (): Tally => ({ writes: 0, beats: [] }));
  const fleet = tallies.map((tally, i) => new Deployment({
    store: counted(pools[i % POOLS]!, tally), id: randomBytes(8).toString('hex'), lock: 'auto', timing: TIMING, partitions,
    plan: { automation: 'auto', count: 0, intervalMs: 1_000 }, send: async () => 'accepted',
  }));
  try {
    const started = performance.now();
    await Promise.all(fleet.map((d) => d.start()));
    let settledAt: number | undefined;
    while (performance.now() - started < TIMING.leaseMs * 10) {
      const counts = fleet.map((d) => d.held().length);
      const names = new Set(fleet.flatMap((d) => d.held().map((h) => h.name)));
      if (names.size === partitions && Math.max(...counts) - Math.min(...counts) <= 1) { settledAt = performance.now(); break; }
      await sleep(50);
    }
    await sleep(TIMING.leaseMs); // the last hand-backs finish: what is measured is the steady state
    const from = performance.now();
    let perTick: Cell['perTick'];
    while ((perTick = writesPerTick(tallies, from)) === undefined && performance.now() - from < TIMING.retryMs * TICKS * 3) await sleep(TIMING.retryMs);
    const counts = fleet.map((d) => d.held().length);
    return {
      settledLeases: settledAt === undefined ? undefined : (settledAt - started) / TIMING.leaseMs,
      perTick,
      spread: Math.max(...counts) - Math.min(...counts),
    };
  } finally {
    await Promise.all(fleet.map((d) => d.stop()));
    await pools[0]!.dropNamespace().catch(() => {});
    await Promise.all(pools.map((p) => p.close()));
  }
}

export async function scale(uri: string): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const [n, p] of GRID) {
    const c = await cell(uri, n, p);
    const settled = c.settledLeases;
    out.push({
      group: 'scale', name: `${n} instances × ${p} partitions: time to settle`, unit: 'lease periods',
      measured: one(settled === undefined ? NaN : round(settled)), goal: '≤ 3 (every partition held, shares within 1)',
      met: settled !== undefined && settled <= 3, note: `PostgreSQL, lease ${TIMING.leaseMs} ms, retry ${TIMING.retryMs} ms; one run; spread at the end ${c.spread}`,
    });
    const w = c.perTick;
    out.push({
      group: 'scale', name: `${n} instances × ${p} partitions: store writes per retry period, settled`, unit: 'writes',
      measured: one(w ? round(w.writes, 1) : NaN), goal: `≤ 2 × instances = ${2 * n}`, met: !!w && w.writes <= 2 * n,
      note: w
        ? `${TICKS} ticks of every instance, starting one lease period after settling; mean tick ${round(w.tickMs)} ms (retry ${TIMING.retryMs} ms)`
        : `not measured: some instance ticked fewer than ${TICKS + 1} times in ${(TIMING.retryMs * TICKS * 3) / 1000} s`,
    });
  }
  return out;
}

const one = (x: number) => ({ min: x, median: x, max: x });
