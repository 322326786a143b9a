// PostgreSQL: each CAS is one INSERT … ON CONFLICT … WHERE … RETURNING or UPDATE … RETURNING
// statement, which PostgreSQL runs under the row's lock, so it is atomic. The clock is the
// server's `now()` (the statement's start): a statement that waited on a lock sees an older
// time, which only makes a lease look less expired — the safe direction.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { schema, type Dialect } from './sql.ts';
import { SqlStore, type Row } from './sql-store.ts';
import { StoreError, assertNamespace, classifyNamespace, type StoreInfo, type NamespaceState } from './store.ts';
import { redact } from '../redact.ts';

export const postgresDialect: Dialect = {
  now: `(extract(epoch from now()) * 1000)::bigint`,
  p: (n) => `$${n}`,
  int: (n) => `$${n}::bigint`,
  // NOTIFY is transactional: listeners hear of the release only once it is committed.
  announce: (q) => `WITH released AS (${q}) SELECT name, pg_notify(${releaseChannel('current_schema()')}, name) FROM released`,
};

/** The channel a namespace's releases are announced on (an SQL expression of the schema name). */
function releaseChannel(schemaSql: string): string {
  return `'baton_released_' || ${schemaSql}`;
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;

  constructor(readonly uri: string, readonly namespace: string) {
    super(postgresDialect);
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

  protected async query(q: string, args: unknown[]): Promise<Row[]> {
    try {
      // Named: each connection parses and plans a statement once, then only binds and executes it.
      const named = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(q) ? { name: statementName(q) } : {};
      return (await this.#pool.query({ ...named, text: q, values: args })).rows as Row[];
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
    const [row] = await this.query('SHOW server_version', []);
    return { kind: 'postgres', version: `PostgreSQL ${row!.server_version}`, uri: redact(this.uri), namespace: this.namespace };
  }

  async init(): Promise<void> {
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

  /** A connection of its own that LISTENs; when it drops, onLost tells the standby to poll again. */
  async watchReleases(onRelease: (name: string) => void, onLost: () => void): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: this.uri, connectionTimeoutMillis: 5_000, query_timeout: 5_000, keepAlive: true });
    let closing = false;
    const lost = () => { if (!closing) { closing = true; onLost(); client.end().catch(() => {}); } };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n) => { if (n.payload) onRelease(n.payload); });
    try {
      await client.connect();
      await client.query(`LISTEN "baton_released_${this.namespace}"`);
    } catch (e) {
      await client.end().catch(() => {});
      throw this.#explain(e);
    }
    return async () => { closing = true; await client.end().catch(() => {}); };
  }

  async namespaceState(): Promise<NamespaceState> {
    const schemas = await this.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [this.namespace]);
    if (schemas.length === 0) return 'absent';
    // The catalogs, not information_schema (which hides what the user has no rights to, and all
    // but tables): a view, function, type or sequence of anyone else's makes the schema foreign.
    const objects = await this.query(`
      SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c', 'S')
      UNION ALL SELECT p.proname, 'function' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
      UNION ALL SELECT t.typname, 'type' FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 AND t.typrelid = 0 AND t.typelem = 0`, [this.namespace]);
    const ours = (r: Row) => (r.kind === 'r' ? String(r.name) : r.kind === 'S' && r.name === 'logs_id_seq' ? undefined : `${String(r.kind)} ${String(r.name)}`);
    return classifyNamespace(objects.map(ours).filter((n): n is string => n !== undefined));
  }

  async dropNamespace(): Promise<void> {
    await this.query(`DROP SCHEMA IF EXISTS ${this.namespace} CASCADE`, []);
  }

  async close(): Promise<void> {
    await this.#pool.end().catch(() => {});
  }
}

const names = new Map<string, string>();
/** A stable name per statement text (pg keeps the prepared statement per connection under it). */
export function statementName(q: string): string {
  let name = names.get(q);
  if (!name) {
    name = `baton_${createHash('sha1').update(q).digest('hex').slice(0, 16)}`;
    names.set(q, name);
  }
  return name;
}

/** Schemas whose name starts with `prefix`. */
export async function listPostgresNamespaces(uri: string, prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      'SELECT schema_name AS name FROM information_schema.schemata WHERE left(schema_name, length($1)) = $1 ORDER BY 1', [prefix]);
    return rows.map((r) => r.name);
  } catch (e) {
    throw new StoreError(`cannot list schemas at ${redact(uri)}: ${redact((e as Error).message)}`);
  } finally {
    await client.end().catch(() => {});
  }
}
