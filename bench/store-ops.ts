// Store operations against their floor: baton's acquire + release and its one-statement renew,
// next to the SAME SQL statements issued raw through the same driver (prepared once, named on
// PostgreSQL). The ratio is baton's overhead. Peers run the nearest thing they offer, side by side:
// a PostgreSQL advisory lock, a Redis mutex (redis-semaphore), a lock file (proper-lockfile).
import Database from 'better-sqlite3';
import pg from 'pg';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../coordination/stores/index.ts';
import { renewMany, statements } from '../coordination/stores/sql.ts';
import { named, sqliteDialect, sqliteFile } from '../coordination/stores/sqlite.ts';
import { postgresDialect, statementName } from '../coordination/stores/postgres.ts';
import { rate, repeat, round, type Figure } from './measure.ts';

const HELD = 8;
const leases = Array.from({ length: HELD }, (_, i) => ({ name: `L.p${i}`, fence: 0 }));

/** One operation pair, run by baton and raw: the same statements with the same arguments. */
interface Ops {
  cycle(): Promise<unknown>;
  renew(): Promise<unknown>;
}

function batonOps(store: Store): Ops {
  return {
    cycle: async () => {
      const l = await store.acquire('cycle', 'me', 60_000);
      if (l) await store.release('cycle', 'me', l.fence);
    },
    renew: () => store.renew('me', leases),
  };
}

function rawSqlite(file: string): Ops & { close(): void } {
  const db = new Database(file);
  const sql = statements(sqliteDialect);
  const acquire = db.prepare(sql.acquire);
  const release = db.prepare(sql.release);
  const renew = db.prepare(renewMany(sqliteDialect, HELD));
  const renewArgs = named(['me', ...leases.flatMap((l) => [l.name, l.fence])]);
  return {
    cycle: async () => {
      const row = acquire.get(named(['cycle', 'me', 60_000])) as { fence: number } | undefined;
      if (row) release.all(named(['cycle', 'me', row.fence]));
    },
    renew: async () => renew.all(renewArgs),
    close: () => db.close(),
  };
}

async function rawPostgres(uri: string, namespace: string): Promise<Ops & { close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: uri, options: `-c search_path=${namespace}` });
  await client.connect();
  const sql = statements(postgresDialect);
  const q = (text: string, values: unknown[]) => client.query({ name: statementName(text), text, values });
  const renewText = renewMany(postgresDialect, HELD);
  const renewArgs = ['me', ...leases.flatMap((l) => [l.name, l.fence])];
  return {
    cycle: async () => {
      const { rows } = await q(sql.acquire, ['cycle', 'me', 60_000]);
      if (rows[0]) await q(sql.release, ['cycle', 'me', rows[0].fence]);
    },
    renew: () => q(renewText, renewArgs),
    close: () => client.end(),
  };
}

async function prepare(store: Store): Promise<void> {
  await store.init();
  for (const l of leases) l.fence = (await store.acquire(l.name, 'me', 3_600_000))!.fence;
}

/** baton vs raw, alternating within each run so drift hits both. */
async function versus(name: string, store: string, baton: Ops, raw: Ops, seconds: number, runs: number): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const op of ['cycle', 'renew'] as const) {
    const label = op === 'cycle' ? 'acquire + release' : `renew ${HELD} leases (one statement)`;
    const rawRates: number[] = [];
    const m = await repeat(runs, async () => {
      const r = await rate(seconds, raw[op]);
      rawRates.push(r);
      return r / (await rate(seconds, baton[op]));
    });
    out.push({
      group: 'store operations', name: `${name}: ${label}, baton ÷ raw statement`, measured: roundSpread(m), unit: '× the raw time',
      goal: '≤ 1.2×', met: m.median <= 1.2, floor: `raw: ${Math.round(Math.max(...rawRates))} ops/s (${store})`,
    });
  }
  return out;
}

const roundSpread = (s: { min: number; median: number; max: number }) => ({ min: round(s.min), median: round(s.median), max: round(s.max) });

export async function storeOps(pgUri: string, seconds: number, runs: number): Promise<{ figures: Figure[]; peers: [string, number][] }> {
  const figures: Figure[] = [];
  const peers: [string, number][] = [];
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  try {
    const ns = `bench_${randomBytes(4).toString('hex')}`;
    const sqlite = await openStore(`sqlite:${dir}`, ns);
    await prepare(sqlite);
    const raw = rawSqlite(sqliteFile(`sqlite:${dir}`, ns));
    figures.push(...await versus('SQLite', 'better-sqlite3, prepared', batonOps(sqlite), raw, seconds, runs));
    peers.push(['baton acquire + release, SQLite', await rate(seconds, batonOps(sqlite).cycle)]);
    raw.close();
    await sqlite.close();
    peers.push(['proper-lockfile lock + unlock', await lockfileRate(dir, seconds)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ns = `bench_${randomBytes(4).toString('hex')}`;
  const postgres = await openStore(pgUri, ns);
  try {
    await prepare(postgres);
    const raw = await rawPostgres(pgUri, ns);
    figures.push(...await versus('PostgreSQL', 'pg, named statement', batonOps(postgres), raw, seconds, runs));
    peers.push(['baton acquire + release, PostgreSQL', await rate(seconds, batonOps(postgres).cycle)]);
    await raw.close();
    peers.push(['pg_try_advisory_lock + unlock', await advisoryRate(pgUri, seconds)]);
  } finally {
    await postgres.dropNamespace().catch(() => {});
    await postgres.close();
  }
  const redis = await redisRate(seconds);
  if (redis !== undefined) peers.push(['redis-semaphore Mutex acquire + release', redis]);
  return { figures, peers };
}

async function advisoryRate(uri: string, seconds: number): Promise<number> {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  try {
    return await rate(seconds, async () => {
      await client.query('SELECT pg_try_advisory_lock(424242)');
      await client.query('SELECT pg_advisory_unlock(424242)');
    });
  } finally {
    await client.end();
  }
}

async function lockfileRate(dir: string, seconds: number): Promise<number> {
  const { default: lockfile } = await import('proper-lockfile');
  const file = join(dir, 'lockfile-target');
  closeSync(openSync(file, 'w'));
  return rate(seconds, async () => { const release = await lockfile.lock(file); await release(); });
}

/** A Redis mutex's cycle, or undefined when no Redis answers on 127.0.0.1:6379. */
async function redisRate(seconds: number): Promise<number | undefined> {
  const { Redis } = await import('ioredis');
  const { Mutex } = await import('redis-semaphore');
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const key = `baton-bench-${randomBytes(4).toString('hex')}`;
    return await rate(seconds, async () => { const m = new Mutex(redis, key); await m.acquire(); await m.release(); });
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}
