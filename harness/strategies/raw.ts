// Direct access to a SQL store's lease and progress rows, bypassing every safety rule of the
// store contract. Only the negative controls use it, through their own connection, so nothing in
// coordination/ can reach it.
import { pgDriver, sqliteDriver } from '../drivers.ts';
import { storeKind } from '../../coordination/stores/index.ts';
import { sqliteFile } from '../../coordination/stores/sqlite-file.ts';
import type { Lease, LeaseState, Progress } from '../../coordination/stores/store.ts';

export interface RawStore {
  /** The store's clock, integer ms. */
  now(): Promise<number>;
  readLease(name: string): Promise<LeaseState | null>;
  /** Writes `lease` only if the row's version is still `expectVersion` (null: only if absent). */
  casLease(lease: Lease, expectVersion: number | null): Promise<boolean>;
  /** Writes `lease` whatever is there (an upsert). */
  putLease(lease: Lease): Promise<void>;
  putProgress(p: Progress): Promise<void>;
  close(): Promise<void>;
}

type Run = (q: string, args: unknown[]) => Promise<Record<string, unknown>[]>;

const LEASE_COLUMNS = 'name, holder, fence, version, lease_ms, acquired_at, renewed_at, expires_at';
const leaseArgs = (l: Lease) => [l.name, l.holder, l.fence, l.version, l.leaseMs, l.acquiredAt, l.renewedAt, l.expiresAt];

export async function openRaw(uri: string, namespace: string): Promise<RawStore> {
  const kind = storeKind(uri);
  if (kind === 'sqlite') return rawSql(sqliteRunner(uri, namespace), `CAST(unixepoch('subsec') * 1000 AS INTEGER)`, (n) => `@p${n}`);
  if (kind === 'postgres') return rawSql(postgresRunner(uri, namespace), `(extract(epoch from now()) * 1000)::bigint`, (n) => `$${n}`);
  throw new Error('the broken strategies run on SQLite and PostgreSQL only');
}

function sqliteRunner(uri: string, namespace: string): { run: Run; close(): Promise<void> } {
  const db = new (sqliteDriver())(sqliteFile(uri, namespace), { timeout: 10_000 });
  return {
    run: async (q, args) => {
      const s = db.prepare(q);
      const named = Object.fromEntries(args.map((v, i) => [`p${i + 1}`, v]));
      return s.reader ? (s.all(named) as Record<string, unknown>[]) : (s.run(named), []);
    },
    close: async () => { db.close(); },
  };
}

function postgresRunner(uri: string, namespace: string): { run: Run; close(): Promise<void> } {
  const pool = new (pgDriver().Pool)({ connectionString: uri, max: 2, options: `-c search_path=${namespace}` });
  pool.on('error', () => {});
  return {
    run: async (q, args) => (await pool.query(q, args)).rows,
    close: async () => { await pool.end().catch(() => {}); },
  };
}

function rawSql({ run, close }: { run: Run; close(): Promise<void> }, now: string, p: (n: number) => string): RawStore {
  const values = Array.from({ length: 8 }, (_, i) => p(i + 1)).join(', ');
  const toLease = (r: Record<string, unknown>): LeaseState => ({
    name: String(r.name), holder: r.holder == null ? null : String(r.holder), fence: Number(r.fence), version: Number(r.version),
    leaseMs: Number(r.lease_ms), acquiredAt: Number(r.acquired_at), renewedAt: Number(r.renewed_at), expiresAt: Number(r.expires_at),
    expired: Boolean(Number(r.expired)), remainingMs: Number(r.remaining_ms),
  });
  return {
    now: async () => Number((await run(`SELECT ${now} AS now`, []))[0]!.now),
    async readLease(name) {
      const [row] = await run(`SELECT *, expires_at <= ${now} AS expired, expires_at - ${now} AS remaining_ms FROM leases WHERE name = ${p(1)}`, [name]);
      return row ? toLease(row) : null;
    },
    async casLease(l, expectVersion) {
      const rows = expectVersion === null
        ? await run(`INSERT INTO leases (${LEASE_COLUMNS}) VALUES (${values}) ON CONFLICT (name) DO NOTHING RETURNING name`, leaseArgs(l))
        : await run(`UPDATE leases SET holder = ${p(2)}, fence = ${p(3)}, version = ${p(4)}, lease_ms = ${p(5)}, acquired_at = ${p(6)},
            renewed_at = ${p(7)}, expires_at = ${p(8)} WHERE name = ${p(1)} AND version = ${p(9)} RETURNING name`, [...leaseArgs(l), expectVersion]);
      return rows.length === 1;
    },
    async putLease(l) {
      await run(`INSERT INTO leases (${LEASE_COLUMNS}) VALUES (${values}) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,
        fence = excluded.fence, version = leases.version + 1, lease_ms = excluded.lease_ms, acquired_at = excluded.acquired_at,
        renewed_at = excluded.renewed_at, expires_at = excluded.expires_at`, leaseArgs(l));
    },
    async putProgress(x) {
      await run(`INSERT INTO progress (automation, partition_no, next_seq, in_flight, fence) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})
        ON CONFLICT (automation, partition_no) DO UPDATE SET next_seq = excluded.next_seq, in_flight = excluded.in_flight,
        fence = excluded.fence`, [x.automation, x.partition, x.nextSeq, x.inFlight, x.fence]);
    },
    close,
  };
}
