// PostgreSQL: each CAS is one INSERT … ON CONFLICT … WHERE … RETURNING or UPDATE … RETURNING
// statement, which PostgreSQL runs under the row's lock, so it is atomic. The clock is the
// server's `now()` (the statement's start): a statement that waited on a lock sees an older
// time, which only makes a lease look less expired — the safe direction.
import pg from 'pg';
import {
  schema, statements, renewMany, tableNames, toLease, toLeaseState, toInstance, toProgress, toControl, toLog,
  type Dialect,
} from './sql.ts';
import {
  StoreError, assertNamespace, type Store, type StoreInfo, type NamespaceState, type HeldLease,
  type ProgressValues, type Desired,
} from './store.ts';
import { redact } from '../redact.ts';

const dialect: Dialect = {
  now: `(extract(epoch from now()) * 1000)::bigint`,
  p: (n) => `$${n}`,
  int: (n) => `$${n}::bigint`,
};
const sql = statements(dialect);
type Row = Record<string, unknown>;

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  #failed: StoreError | undefined;

  constructor(readonly uri: string, readonly namespace: string) {
    assertNamespace(namespace);
    this.#pool = new pg.Pool({
      connectionString: uri,
      max: 3,
      connectionTimeoutMillis: 5_000,
      query_timeout: 15_000,
      options: `-c search_path=${namespace}`,
    });
    // An idle client's error (server restart) must not crash the process; the next query reports it.
    this.#pool.on('error', () => {});
  }

  async #all(q: string, ...args: unknown[]): Promise<Row[]> {
    try {
      return (await this.#pool.query(q, args)).rows as Row[];
    } catch (e) {
      throw this.#explain(e);
    }
  }

  #explain(e: unknown): Error {
    const err = e as { code?: string; message?: string };
    const where = redact(this.uri);
    switch (err.code) {
      case 'ECONNREFUSED': return new StoreError(`cannot reach PostgreSQL at ${where}: connection refused (is the server running?)`);
      case 'ENOTFOUND': case 'EAI_AGAIN': return new StoreError(`cannot resolve the PostgreSQL host in ${where}: check the URI`);
      case '28P01': case '28000': return new StoreError(`PostgreSQL refused the credentials in ${where}: check user and password`);
      case '3D000': return new StoreError(`PostgreSQL database in ${where} does not exist: create it or fix the URI`);
    }
    if (/timeout/i.test(err.message ?? '')) {
      return new StoreError(`PostgreSQL at ${where} did not answer in time: ${redact(err.message ?? '')}`);
    }
    return e instanceof Error ? Object.assign(e, { message: redact(e.message) }) : new StoreError(redact(String(e)));
  }

  async info(): Promise<StoreInfo> {
    const [row] = await this.#all('SHOW server_version');
    return { kind: 'postgres', version: `PostgreSQL ${row!.server_version}`, uri: redact(this.uri), namespace: this.namespace };
  }

  async init(): Promise<void> {
    if (this.#failed) throw this.#failed;
    const client = await this.#pool.connect().catch((e) => { throw this.#explain(e); });
    try {
      await client.query('BEGIN');
      // Concurrent CREATE … IF NOT EXISTS can still collide in PostgreSQL's catalogs; serialise
      // the instances that start at the same moment.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.namespace]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.namespace}`);
      for (const s of schema('BIGSERIAL PRIMARY KEY')) await client.query(s);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw this.#explain(e);
    } finally {
      client.release();
    }
  }

  async namespaceState(): Promise<NamespaceState> {
    const schemas = await this.#all('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', this.namespace);
    if (schemas.length === 0) return 'absent';
    const names = (await this.#all(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, this.namespace,
    )).map((r) => String(r.table_name));
    if (names.length === 0) return 'empty';
    const ours = new Set<string>(tableNames);
    if (!names.includes('baton_meta') || names.some((n) => !ours.has(n))) return 'foreign';
    return 'baton';
  }

  async dropNamespace(): Promise<void> {
    await this.#all(`DROP SCHEMA IF EXISTS ${this.namespace} CASCADE`);
  }

  async now(): Promise<number> {
    return Number((await this.#all(sql.now))[0]!.now);
  }

  async acquire(name: string, holder: string, leaseMs: number) {
    const [row] = await this.#all(sql.acquire, name, holder, leaseMs);
    return row ? toLease(row) : null;
  }

  async renew(holder: string, held: HeldLease[]) {
    if (held.length === 0) return [];
    const args = held.flatMap((h) => [h.name, h.fence]);
    return (await this.#all(renewMany(dialect, held.length), holder, ...args)).map((r) => String(r.name));
  }

  async release(name: string, holder: string, fence: number) {
    return (await this.#all(sql.release, name, holder, fence)).length === 1;
  }

  async readLease(name: string) {
    const [row] = await this.#all(sql.readLease, name);
    return row ? toLeaseState(row) : null;
  }

  async listLeases(prefix: string) {
    return (await this.#all(sql.listLeases, prefix, prefix.length)).map(toLeaseState);
  }

  async heartbeat(e: { id: string; pid: number; host: string; role: string }) {
    await this.#all(sql.heartbeat, e.id, e.pid, e.host, e.role);
  }

  async listAlive(aliveMs: number) {
    return (await this.#all(sql.listAlive, aliveMs)).map(toInstance);
  }

  async deregister(id: string) {
    await this.#all(sql.deregister, id);
  }

  async readProgress(automation: string, partition: number) {
    const [row] = await this.#all(sql.readProgress, automation, partition);
    return row ? toProgress(row) : null;
  }

  async casProgress(automation: string, partition: number, fence: number, expect: ProgressValues | null, next: ProgressValues) {
    const rows = expect === null
      ? await this.#all(sql.insertProgress, automation, partition, next.nextSeq, next.inFlight, fence)
      : await this.#all(sql.casProgress, automation, partition, next.nextSeq, next.inFlight, fence, expect.nextSeq, expect.inFlight);
    return rows.length === 1;
  }

  async readControl(automation: string) {
    const [row] = await this.#all(sql.readControl, automation);
    return row ? toControl(row) : null;
  }

  async writeControl(automation: string, desired: Desired, by: string) {
    return toControl((await this.#all(sql.writeControl, automation, desired, by))[0]!);
  }

  async appendLog(e: { instance: string; level: string; message: string }, keep: number) {
    await this.#all(sql.appendLog, e.instance, e.level, e.message);
    await this.#all(sql.trimLog, keep);
  }

  async readLog(limit: number) {
    return (await this.#all(sql.readLog, limit)).map(toLog);
  }

  async close() {
    await this.#pool.end().catch(() => {});
  }
}
