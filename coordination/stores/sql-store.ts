// The store operations SQLite and PostgreSQL share: the same statements (sql.ts) through each
// engine's own way of running a query. A subclass supplies only the connection, its namespace
// handling and `query`.
import {
  statements, renewMany, toLease, toLeaseState, toInstance, toProgress, toControl, toLog,
  type Dialect,
} from './sql.ts';
import type {
  Store, StoreKind, StoreInfo, NamespaceState, HeldLease, ProgressValues, Desired, Lease, LeaseState,
  InstanceEntry, Progress, Control, LogEntry,
} from './store.ts';

export type Row = Record<string, unknown>;

export abstract class SqlStore implements Store {
  abstract readonly kind: StoreKind;
  readonly #dialect: Dialect;
  readonly #sql: ReturnType<typeof statements>;
  /** The renew statement for each number of held leases: built once, as a heartbeat runs it every tick. */
  readonly #renews = new Map<number, string>();

  constructor(dialect: Dialect) {
    this.#dialect = dialect;
    this.#sql = statements(dialect);
  }

  /** Runs one statement (positional parameters) and returns its rows. */
  protected abstract query(q: string, args: unknown[]): Promise<Row[]>;
  abstract info(): Promise<StoreInfo>;
  abstract init(): Promise<void>;
  abstract namespaceState(): Promise<NamespaceState>;
  abstract dropNamespace(): Promise<void>;
  abstract close(): Promise<void>;

  async now(): Promise<number> {
    return Number((await this.query(this.#sql.now, []))[0]!.now);
  }

  async acquire(name: string, holder: string, leaseMs: number): Promise<Lease | null> {
    const [row] = await this.query(this.#sql.acquire, [name, holder, leaseMs]);
    return row ? toLease(row) : null;
  }

  async renew(holder: string, held: HeldLease[]): Promise<string[]> {
    if (held.length === 0) return [];
    const args = [holder, ...held.flatMap((h) => [h.name, h.fence])];
    return (await this.query(this.#renewText(held.length), args)).map((r) => String(r.name));
  }

  #renewText(count: number): string {
    let text = this.#renews.get(count);
    if (text === undefined) this.#renews.set(count, (text = renewMany(this.#dialect, count)));
    return text;
  }

  async release(name: string, holder: string, fence: number): Promise<boolean> {
    return (await this.query(this.#sql.release, [name, holder, fence])).length === 1;
  }

  async readLease(name: string): Promise<LeaseState | null> {
    const [row] = await this.query(this.#sql.readLease, [name]);
    return row ? toLeaseState(row) : null;
  }

  async listLeases(prefix: string): Promise<LeaseState[]> {
    return (await this.query(this.#sql.listLeases, [prefix, prefix.length])).map(toLeaseState);
  }

  async heartbeat(e: { id: string; pid: number; host: string; role: string }): Promise<void> {
    await this.query(this.#sql.heartbeat, [e.id, e.pid, e.host, e.role]);
  }

  async listAlive(aliveMs: number): Promise<InstanceEntry[]> {
    return (await this.query(this.#sql.listAlive, [aliveMs])).map(toInstance);
  }

  async deregister(id: string): Promise<void> {
    await this.query(this.#sql.deregister, [id]);
  }

  async readProgress(automation: string, partition: number): Promise<Progress | null> {
    const [row] = await this.query(this.#sql.readProgress, [automation, partition]);
    return row ? toProgress(row) : null;
  }

  async casProgress(automation: string, partition: number, fence: number, expect: ProgressValues | null, next: ProgressValues): Promise<boolean> {
    const rows = expect === null
      ? await this.query(this.#sql.insertProgress, [automation, partition, next.nextSeq, next.inFlight, fence])
      : await this.query(this.#sql.casProgress, [automation, partition, next.nextSeq, next.inFlight, fence, expect.nextSeq, expect.inFlight]);
    return rows.length === 1;
  }

  async readControl(automation: string): Promise<Control | null> {
    const [row] = await this.query(this.#sql.readControl, [automation]);
    return row ? toControl(row) : null;
  }

  async writeControl(automation: string, desired: Desired, by: string): Promise<Control> {
    return toControl((await this.query(this.#sql.writeControl, [automation, desired, by]))[0]!);
  }

  async appendLog(e: { instance: string; level: string; message: string }, keep: number): Promise<void> {
    await this.query(this.#sql.appendLog, [e.instance, e.level, e.message]);
    await this.query(this.#sql.trimLog, [keep]);
  }

  async readLog(limit: number): Promise<LogEntry[]> {
    return (await this.query(this.#sql.readLog, [limit])).map(toLog);
  }
}
