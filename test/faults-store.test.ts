// Store faults against real stores: a stall holds the namespace's write lock (reads go on, writes
// wait until release), and terminateBackends cuts exactly the backends behind given client ports.
import { describe, it, expect, inject, afterAll, afterEach } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Database from 'better-sqlite3';
import { SqliteStore, sqliteFile } from '../coordination/stores/sqlite.ts';
import { PostgresStore } from '../coordination/stores/postgres.ts';
import { NAMESPACE_TABLES } from '../coordination/stores/store.ts';
import { stallStore, terminateBackends, storeFaultSupport } from '../harness/faults/store.ts';
import { freshNamespace } from './support/stores.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const monoMs = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const postgresUri = inject('postgresUri');
const postgresSkip = inject('postgresSkip');
if (postgresSkip) console.log(`skipped: PostgreSQL store-fault tests — ${postgresSkip}`);

/** Opens BATON_FILE with better-sqlite3 (busy timeout 5 s), says when it starts, runs one statement, says when done. */
const childScript = (sql: string) => `
const Database = require('better-sqlite3');
const mono = () => Number(process.hrtime.bigint()) / 1e6;
const db = new Database(process.env.BATON_FILE, { timeout: 5000 });
console.log(JSON.stringify({ type: 'start', mono: mono() }));
const st = db.prepare(${JSON.stringify(sql)});
if (st.reader) st.all(); else st.run();
console.log(JSON.stringify({ type: 'done', mono: mono() }));
db.close();`;
const WRITE = childScript(`INSERT INTO baton_meta (key, value) VALUES ('stall_probe', 'written') ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
const READ = childScript(`SELECT count(*) AS n FROM baton_meta`);

interface Child {
  proc: ResultPromise;
  /** Resolves with the child's monotonic ms for its line of `type` (undefined after timeoutMs). */
  line(type: string, timeoutMs?: number): Promise<number | undefined>;
  seen(type: string): boolean;
}

const children: ResultPromise[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) { c.kill('SIGKILL'); await c; }
});

function runChild(script: string, file: string): Child {
  const proc = execa(process.execPath, ['-e', script], { cwd: ROOT, env: { BATON_FILE: file }, reject: false });
  children.push(proc);
  const lines = new Map<string, number>();
  const waiters: Array<() => void> = [];
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    try {
      const { type, mono } = JSON.parse(l) as { type: string; mono: number };
      lines.set(type, mono);
      for (const w of waiters.splice(0)) w();
    } catch { /* not ours */ }
  });
  return {
    proc,
    seen: (type) => lines.has(type),
    line: (type, timeoutMs = 10_000) => new Promise((resolve) => {
      const deadline = setTimeout(() => resolve(undefined), timeoutMs);
      const check = () => {
        if (lines.has(type)) { clearTimeout(deadline); resolve(lines.get(type)); } else waiters.push(check);
      };
      check();
      void proc.then(() => { if (!lines.has(type)) { clearTimeout(deadline); resolve(undefined); } });
    }),
  };
}

describe('store fault support', () => {
  it('says which faults each store supports, with the reason when not', () => {
    expect(storeFaultSupport('sqlite')).toEqual({ stall: true, terminate: 'no server connection to cut' });
    expect(storeFaultSupport('postgres')).toEqual({ stall: true, terminate: true });
    const mongo = storeFaultSupport('mongodb');
    expect(mongo.stall).toMatch(/issue 7/);
    expect(mongo.terminate).toMatch(/issue 7/);
  });

  it('refuses stores it cannot fault', async () => {
    await expect(stallStore('mongodb://127.0.0.1:27017', 'ns_ok')).rejects.toThrow(/issue 7/);
    await expect(terminateBackends('sqlite:/tmp/nowhere', [5432])).rejects.toThrow(/no server connection/);
  });
});

describe('SQLite stall', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-stall-'));
  const uri = `sqlite:${dir}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a bad namespace and a missing file', async () => {
    await expect(stallStore(uri, 'Bad-Name')).rejects.toThrow(/refusing/);
    await expect(stallStore(uri, '../etc')).rejects.toThrow(/refusing/);
    await expect(stallStore(uri, 'absent_ns')).rejects.toThrow(/no such SQLite namespace/);
  });

  it('holds the write lock: a child write finishes only after release, a child read during the stall', async () => {
    const ns = freshNamespace();
    const store = new SqliteStore(uri, ns);
    await store.init();
    const file = sqliteFile(uri, ns);
    try {
      const stall = await stallStore(uri, ns);
      const writer = runChild(WRITE, file);
      expect(await writer.line('start'), 'the writer started').toBeDefined();
      const reader = runChild(READ, file);
      const readDone = await reader.line('done', 5_000);
      expect(readDone, 'the read completed during the stall').toBeDefined();
      await sleep(700);
      expect(writer.seen('done'), 'the write is still waiting').toBe(false);

      const releasedAt = monoMs();
      await stall.release();
      const writeDone = await writer.line('done');
      expect(writeDone, 'the write completed after release').toBeDefined();
      expect(readDone!).toBeLessThan(releasedAt);
      expect(writeDone!).toBeGreaterThan(releasedAt);
      expect((await writer.proc).exitCode).toBe(0);
      await stall.release(); // idempotent

      // The write went through once the lock was gone.
      const check = new Database(file, { readonly: true });
      expect(check.prepare(`SELECT value FROM baton_meta WHERE key = 'stall_probe'`).pluck().all()).toEqual(['written']);
      check.close();
    } finally {
      await store.dropNamespace();
    }
  });
});

describe.skipIf(!!postgresSkip)(`PostgreSQL store faults${postgresSkip ? ` (skipped: ${postgresSkip})` : ''}`, () => {
  const clients: pg.Client[] = [];
  const client = async () => {
    const c = new pg.Client({ connectionString: postgresUri });
    c.on('error', () => {});
    await c.connect();
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.end().catch(() => {});
  });

  const exclusiveLocks = async (c: pg.Client, ns: string) => Number((await c.query(
    `SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND l.mode = 'ExclusiveLock' AND l.granted`, [ns])).rows[0].n);

  it('refuses a bad namespace and a missing schema', async () => {
    await expect(stallStore(postgresUri, 'Bad-Name')).rejects.toThrow(/refusing/);
    await expect(stallStore(postgresUri, 'public; drop')).rejects.toThrow(/refusing/);
    await expect(stallStore(postgresUri, freshNamespace())).rejects.toThrow(/does not exist/);
  });

  it('stall: an UPDATE waits until release, a SELECT does not; release rolls back', async () => {
    const ns = freshNamespace();
    const store = new PostgresStore(postgresUri, ns);
    await store.init();
    try {
      expect(await store.acquire('probe', 'someone', 60_000)).not.toBeNull();
      const stall = await stallStore(postgresUri, ns);
      const [writer, reader, observer] = [await client(), await client(), await client()];
      expect(await exclusiveLocks(observer, ns)).toBe(NAMESPACE_TABLES.length);

      let updatedAt: number | undefined;
      const update = writer.query(`UPDATE ${ns}.leases SET version = version + 1 WHERE name = 'probe'`)
        .then((r) => { updatedAt = monoMs(); return r.rowCount; });
      const read = await reader.query(`SELECT count(*) AS n FROM ${ns}.leases`);
      const readAt = monoMs();
      expect(Number(read.rows[0].n)).toBe(1);
      await sleep(700);
      expect(updatedAt, 'the UPDATE is still waiting').toBeUndefined();

      const releasedAt = monoMs();
      await stall.release();
      expect(await update).toBe(1);
      expect(readAt).toBeLessThan(releasedAt);
      expect(updatedAt!).toBeGreaterThan(releasedAt);
      expect(await exclusiveLocks(observer, ns)).toBe(0);
      const stalls = await observer.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'baton-fault-stall'`);
      expect(Number(stalls.rows[0].n), 'the stall connection is closed').toBe(0);
      await stall.release(); // idempotent
    } finally {
      await store.dropNamespace();
      await store.close();
    }
  });

  it('terminateBackends cuts exactly the backend behind a client port', async () => {
    const [victim, bystander] = [await client(), await client()];
    const portOf = async (c: pg.Client) => (await c.query(
      'SELECT client_port FROM pg_stat_activity WHERE pid = pg_backend_pid()')).rows[0].client_port as number | null;
    const [victimPort, bystanderPort] = [await portOf(victim), await portOf(bystander)];
    expect(victimPort, 'connected over TCP').toBeGreaterThan(0);
    expect(bystanderPort).not.toBe(victimPort);

    expect(await terminateBackends(postgresUri, [victimPort!])).toBe(1);
    await expect(victim.query('SELECT 1')).rejects.toThrow();
    expect((await bystander.query('SELECT 1 AS x')).rows[0].x).toBe(1);
    expect(await terminateBackends(postgresUri, [victimPort!]), 'nothing left behind that port').toBe(0);
    expect(await terminateBackends(postgresUri, [])).toBe(0);
    await expect(terminateBackends(postgresUri, [70_000])).rejects.toThrow(/not a TCP port/);
  });
});
