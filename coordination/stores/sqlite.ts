// SQLite: the embedded default. WAL lets many processes on one host share the file; every write
// is one statement, which SQLite runs under its database write lock, so each CAS is atomic.
// Its clock is SQLite's own `unixepoch('subsec')` (the host's clock, read by the C library), which
// a skewed JS `Date` in one worker cannot move.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  schema, statements, renewMany, tableNames, toLease, toLeaseState, toInstance, toProgress, toControl, toLog,
  type Dialect,
} from './sql.ts';
import {
  StoreError, assertNamespace, type Store, type StoreInfo, type NamespaceState, type HeldLease,
  type ProgressValues, type Desired,
} from './store.ts';

const dialect: Dialect = {
  now: `CAST(unixepoch('subsec') * 1000 AS INTEGER)`,
  p: (n) => `@p${n}`,
  int: (n) => `@p${n}`,
};
const sql = statements(dialect);
type Row = Record<string, unknown>;

/** Positional values as the `@p1, @p2 …` names the shared SQL uses (better-sqlite3 has no `?NNN`). */
function named(args: unknown[]): Record<string, unknown> {
  return Object.fromEntries(args.map((v, i) => [`p${i + 1}`, v]));
}

/**
 * `sqlite:<path>`: a directory, one database file per namespace inside it (`<ns>.db`), so
 * namespaces are isolated files and dropping one deletes only that file.
 */
export function sqliteFile(uri: string, namespace: string): string {
  const path = uri.replace(/^sqlite:(\/\/)?/, '');
  if (!path) throw new StoreError('sqlite URI needs a directory: sqlite:<dir>, e.g. sqlite:./.baton');
  return join(resolve(path), `${namespace}.db`);
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  #db: Database.Database | undefined;
  readonly #file: string;

  constructor(readonly uri: string, readonly namespace: string) {
    assertNamespace(namespace);
    this.#file = sqliteFile(uri, namespace);
  }

  get #conn(): Database.Database {
    if (this.#db) return this.#db;
    mkdirSync(dirname(this.#file), { recursive: true });
    try {
      const db = new Database(this.#file, { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      this.#db = db;
      return db;
    } catch (e) {
      throw new StoreError(`cannot open SQLite file ${this.#file}: ${(e as Error).message}`);
    }
  }

  #all(q: string, ...args: unknown[]): Row[] {
    return this.#conn.prepare(q).all(named(args)) as Row[];
  }
  #run(q: string, ...args: unknown[]): void {
    this.#conn.prepare(q).run(named(args));
  }

  async info(): Promise<StoreInfo> {
    const [row] = this.#all('SELECT sqlite_version() AS v');
    return { kind: 'sqlite', version: `SQLite ${row!.v}`, uri: `sqlite:${dirname(this.#file)}`, namespace: this.namespace };
  }

  async init(): Promise<void> {
    const db = this.#conn;
    db.transaction(() => {
      for (const s of schema('INTEGER PRIMARY KEY AUTOINCREMENT')) db.exec(s);
    }).immediate();
  }

  async namespaceState(): Promise<NamespaceState> {
    if (!existsSync(this.#file)) return 'absent';
    const names = this.#all(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      .map((r) => String(r.name));
    if (names.length === 0) return 'empty';
    const ours = new Set<string>(tableNames);
    if (!names.includes('baton_meta') || names.some((n) => !ours.has(n))) return 'foreign';
    return 'baton';
  }

  async dropNamespace(): Promise<void> {
    await this.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(this.#file + suffix, { force: true });
  }

  async now(): Promise<number> {
    return Number(this.#all(sql.now)[0]!.now);
  }

  async acquire(name: string, holder: string, leaseMs: number) {
    const [row] = this.#all(sql.acquire, name, holder, leaseMs);
    return row ? toLease(row) : null;
  }

  async renew(holder: string, held: HeldLease[]) {
    if (held.length === 0) return [];
    const args = held.flatMap((h) => [h.name, h.fence]);
    return this.#all(renewMany(dialect, held.length), holder, ...args).map((r) => String(r.name));
  }

  async release(name: string, holder: string, fence: number) {
    return this.#all(sql.release, name, holder, fence).length === 1;
  }

  async readLease(name: string) {
    const [row] = this.#all(sql.readLease, name);
    return row ? toLeaseState(row) : null;
  }

  async listLeases(prefix: string) {
    return this.#all(sql.listLeases, prefix, prefix.length).map(toLeaseState);
  }

  async heartbeat(e: { id: string; pid: number; host: string; role: string }) {
    this.#run(sql.heartbeat, e.id, e.pid, e.host, e.role);
  }

  async listAlive(aliveMs: number) {
    return this.#all(sql.listAlive, aliveMs).map(toInstance);
  }

  async deregister(id: string) {
    this.#run(sql.deregister, id);
  }

  async readProgress(automation: string, partition: number) {
    const [row] = this.#all(sql.readProgress, automation, partition);
    return row ? toProgress(row) : null;
  }

  async casProgress(automation: string, partition: number, fence: number, expect: ProgressValues | null, next: ProgressValues) {
    const rows = expect === null
      ? this.#all(sql.insertProgress, automation, partition, next.nextSeq, next.inFlight, fence)
      : this.#all(sql.casProgress, automation, partition, next.nextSeq, next.inFlight, fence, expect.nextSeq, expect.inFlight);
    return rows.length === 1;
  }

  async readControl(automation: string) {
    const [row] = this.#all(sql.readControl, automation);
    return row ? toControl(row) : null;
  }

  async writeControl(automation: string, desired: Desired, by: string) {
    return toControl(this.#all(sql.writeControl, automation, desired, by)[0]!);
  }

  async appendLog(e: { instance: string; level: string; message: string }, keep: number) {
    this.#run(sql.appendLog, e.instance, e.level, e.message);
    this.#run(sql.trimLog, keep);
  }

  async readLog(limit: number) {
    return this.#all(sql.readLog, limit).map(toLog);
  }

  async close() {
    this.#db?.close();
    this.#db = undefined;
  }
}
