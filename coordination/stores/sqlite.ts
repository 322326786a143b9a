// SQLite: the embedded default. WAL lets many processes on one host share the file; every write
// is one statement, which SQLite runs under its database write lock, so each CAS is atomic.
// Its clock is SQLite's own `unixepoch('subsec')` (the host's clock, read by the C library), which
// a skewed JS `Date` in one worker cannot move.
import Database from 'better-sqlite3';
import { sqliteFile } from './sqlite-file.ts';

export { sqliteFile };
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { schema, type Dialect } from './sql.ts';
import { SqlStore, type Row } from './sql-store.ts';
import { StoreError, assertNamespace, classifyNamespace, type StoreInfo, type NamespaceState } from './store.ts';

export const sqliteDialect: Dialect = {
  now: `CAST(unixepoch('subsec') * 1000 AS INTEGER)`,
  p: (n) => `@p${n}`,
  int: (n) => `@p${n}`,
};

/** Positional values as the `@p1, @p2 …` names the shared SQL uses (better-sqlite3 has no `?NNN`). */
export function named(args: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) out[`p${i + 1}`] = args[i];
  return out;
}

/**
 * Switches the file to WAL. Several processes opening a fresh file at once race for the switch,
 * and SQLite can answer SQLITE_BUSY at once, without waiting out the busy timeout (it will not
 * wait where waiting could deadlock): try again for up to ten seconds.
 */
function toWal(db: Database.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const until = Date.now() + 10_000; ;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > until) throw e;
      Atomics.wait(pause, 0, 0, 10 + Math.random() * 20);
    }
  }
}

export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite' as const;
  #db: Database.Database | undefined;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #file: string;

  constructor(readonly uri: string, readonly namespace: string) {
    super(sqliteDialect);
    assertNamespace(namespace);
    this.#file = sqliteFile(uri, namespace);
  }

  get #conn(): Database.Database {
    if (this.#db) return this.#db;
    // The store's directory may be new, but not its parent: a typo in the path is an error, not a tree of new directories.
    const dir = dirname(this.#file);
    if (!existsSync(dir)) {
      if (!existsSync(dirname(dir))) throw new StoreError(`SQLite directory ${dir} cannot be created: ${dirname(dir)} does not exist`);
      mkdirSync(dir);
    }
    try {
      const db = new Database(this.#file, { timeout: 10_000 });
      toWal(db);
      db.pragma('synchronous = NORMAL');
      this.#db = db;
      return db;
    } catch (e) {
      throw new StoreError(`cannot open SQLite file ${this.#file}: ${(e as Error).message}`);
    }
  }

  protected async query(q: string, args: unknown[]): Promise<Row[]> {
    const statement = this.#prepared(q);
    return statement.reader ? (statement.all(named(args)) as Row[]) : (statement.run(named(args)), []);
  }

  /** Compiling a statement costs more than running it: each is prepared once per connection. */
  #prepared(q: string): Database.Statement {
    const conn = this.#conn;
    let statement = this.#statements.get(q);
    if (!statement) {
      statement = conn.prepare(q);
      this.#statements.set(q, statement);
    }
    return statement;
  }

  async info(): Promise<StoreInfo> {
    const [row] = await this.query('SELECT sqlite_version() AS v', []);
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
    // Read-only and without the WAL switch: looking at a file that may not be ours must not change it.
    let look: Database.Database;
    try {
      look = new Database(this.#file, { readonly: true, fileMustExist: true, timeout: 5_000 });
    } catch (e) {
      throw new StoreError(`cannot open SQLite file ${this.#file}: ${(e as Error).message}`);
    }
    try {
      const rows = look.prepare(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type != 'index'`).all() as Row[];
      return classifyNamespace(rows.map((r) => (r.type === 'table' ? String(r.name) : `${String(r.type)} ${String(r.name)}`)));
    } catch (e) {
      throw new StoreError(`${this.#file} is not a SQLite database baton can read: ${(e as Error).message}`);
    } finally {
      look.close();
    }
  }

  async dropNamespace(): Promise<void> {
    await this.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(this.#file + suffix, { force: true });
  }

  async close(): Promise<void> {
    this.#statements.clear();
    this.#db?.close();
    this.#db = undefined;
  }
}

/** `<prefix>*.db` files in the store's directory, as namespace names. */
export function listSqliteNamespaces(uri: string, prefix: string): string[] {
  const dir = dirname(sqliteFile(uri, 'x'));
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.db')).map((f) => f.slice(0, -3)).sort();
}
