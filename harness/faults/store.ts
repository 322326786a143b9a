// Store-side faults. Each touches only the run's namespace (one SQLite file, one PostgreSQL
// schema) or backends the harness can prove are one worker's (by client port, through the fault
// proxy on loopback); nothing else on a shared server is ever locked or cut.
import type pg from 'pg';
import { pgDriver, sqliteDriver } from '../drivers.ts';
import { existsSync } from 'node:fs';
import { sqliteFile } from '../../coordination/stores/sqlite-file.ts';
import { redact } from '../../coordination/redact.ts';

const NAMESPACE = /^[a-z][a-z0-9_]{0,47}$/;

export interface StoreStall {
  release(): Promise<void>;
  /** How many of these client ports' sessions are waiting on the stall now (undefined: this store cannot tell). */
  waiting(clientPorts: number[]): Promise<number | undefined>;
}

function storeKind(uri: string): 'sqlite' | 'postgres' | 'mongodb' | undefined {
  if (/^sqlite:/i.test(uri)) return 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(uri)) return 'postgres';
  if (/^mongodb(\+srv)?:\/\//i.test(uri)) return 'mongodb';
  return undefined;
}

function checkNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace)) {
    throw new Error(`refusing a store fault on namespace ${JSON.stringify(namespace)}: must match ${NAMESPACE}`);
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Holds the namespace's write lock until release(); reads go on, writes wait.
 * SQLite: its own connection to <dir>/<namespace>.db runs BEGIN EXCLUSIVE (in WAL mode readers
 * continue, writers wait on their busy timeout: the workers' is 10 s, keep stalls shorter).
 * PostgreSQL: a dedicated client runs BEGIN; LOCK TABLE <every table of schema namespace> IN
 * EXCLUSIVE MODE (plain SELECTs still run, writes and SELECT … FOR UPDATE wait) and ROLLBACK on
 * release(). Refuses a namespace not matching /^[a-z][a-z0-9_]{0,47}$/ and one that does not exist.
 */
export async function stallStore(uri: string, namespace: string): Promise<StoreStall> {
  checkNamespace(namespace);
  const kind = storeKind(uri);
  if (kind === 'sqlite') return stallSqlite(uri, namespace);
  if (kind === 'postgres') return stallPostgres(uri, namespace);
  throw new Error(`cannot stall ${kind ?? 'this'} store: ${storeFaultSupport(kind ?? 'mongodb').stall}`);
}

function stallSqlite(uri: string, namespace: string): StoreStall {
  const file = sqliteFile(uri, namespace);
  if (!existsSync(file)) throw new Error(`refusing to stall ${file}: no such SQLite namespace`);
  // A short busy timeout: if a worker is mid-write, wait for it, but never for long.
  const db = new (sqliteDriver())(file, { fileMustExist: true, timeout: 5_000 });
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    throw new Error(`cannot take the write lock of ${file}: ${(e as Error).message}`);
  }
  return releasedOnce(async () => {
    try {
      db.exec('ROLLBACK');
    } finally {
      db.close();
    }
  }, async () => undefined); // a writer waits inside its own process: nothing here can see it
}

/** A stall whose release runs once, however often it is called (the scenario, then the runner's cleanup). */
function releasedOnce(release: () => Promise<void>, waiting: StoreStall['waiting']): StoreStall {
  let done: Promise<void> | undefined;
  return { release: () => (done ??= release()), waiting };
}

/** A dedicated connection for one fault; a dropped one must never crash the harness. */
async function connect(uri: string, name: string, purpose: string): Promise<pg.Client> {
  const client = new (pgDriver().Client)({ connectionString: uri, connectionTimeoutMillis: 5_000, application_name: name });
  client.on('error', () => {}); // a dropped stall connection ends the stall by itself (the server rolls back)
  try {
    await client.connect();
    return client;
  } catch (e) {
    throw new Error(`cannot reach PostgreSQL at ${redact(uri)} to ${purpose}: ${redact((e as Error).message)}`);
  }
}

async function stallPostgres(uri: string, namespace: string): Promise<StoreStall> {
  const client = await connect(uri, 'baton-fault-stall', 'stall it');
  try {
    const schemas = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [namespace]);
    if (schemas.rowCount === 0) throw new Error(`refusing to stall schema ${namespace}: it does not exist`);
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname`, [namespace]);
    if (tables.rows.length === 0) throw new Error(`refusing to stall schema ${namespace}: it has no tables`);
    const names = tables.rows.map((r) => `${quoteIdent(namespace)}.${quoteIdent(r.name)}`).join(', ');
    await client.query('BEGIN');
    // Waiting behind a worker's open write is fine; waiting forever is not.
    await client.query(`SET LOCAL lock_timeout = '5s'`);
    await client.query(`LOCK TABLE ${names} IN EXCLUSIVE MODE`);
  } catch (e) {
    await client.end().catch(() => {});
    throw e;
  }
  return releasedOnce(async () => {
    try {
      await client.query('ROLLBACK');
    } finally {
      await client.end().catch(() => {});
    }
  }, async (ports) => {
    if (ports.length === 0) return 0;
    const r = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND client_port = ANY($1::int[])`, [ports]);
    return Number(r.rows[0]?.n ?? 0);
  });
}

/**
 * PostgreSQL: pg_terminate_backend for the backends whose client_port is one of `clientPorts`
 * (the worker's fault-proxy upstream sockets) AND whose client_addr is loopback; returns how many
 * were terminated. Never touches other backends (nor its own).
 */
export async function terminateBackends(uri: string, clientPorts: number[]): Promise<number> {
  if (storeKind(uri) !== 'postgres') throw new Error(`cannot terminate backends: ${storeFaultSupport(storeKind(uri) ?? 'mongodb').terminate}`);
  for (const p of clientPorts) {
    if (!Number.isInteger(p) || p < 1 || p > 65_535) throw new Error(`not a TCP port: ${p}`);
  }
  if (clientPorts.length === 0) return 0;
  const client = await connect(uri, 'baton-fault-terminate', 'cut connections');
  try {
    const r = await client.query<{ pid: number; terminated: boolean }>(
      `SELECT pid, pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
       WHERE client_port = ANY($1::int[])
         AND (client_addr <<= inet '127.0.0.0/8' OR client_addr = inet '::1' OR client_addr <<= inet '::ffff:127.0.0.0/104')
         AND pid <> pg_backend_pid()`,
      [clientPorts],
    );
    return r.rows.filter((row) => row.terminated).length;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Which store faults a store kind supports: true, or the reason it does not. */
export function storeFaultSupport(kind: 'sqlite' | 'postgres' | 'mongodb'): { stall: true | string; terminate: true | string } {
  switch (kind) {
    case 'sqlite': return { stall: true, terminate: 'no server connection to cut' };
    case 'postgres': return { stall: true, terminate: true };
    case 'mongodb': {
      const reason = 'needs a server the harness started; see issue 7';
      return { stall: reason, terminate: reason };
    }
  }
}
