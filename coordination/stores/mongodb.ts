// MongoDB: each CAS is one findOneAndUpdate / updateOne on one document, which MongoDB applies
// atomically. Expiry is judged with `$$NOW` (the server's clock) inside update pipelines and
// `$expr`. Times are stored as integer ms (`$toLong: '$$NOW'`) rather than BSON dates: valid on
// every MongoDB since 4.2 and also on stand-ins that mis-compare dates with `$$NOW`
// (docs/mongodb-test-server.md).
import { MongoClient, MongoServerError, ObjectId, type Db, type Document, type MongoClientOptions } from 'mongodb';
import {
  StoreError, assertNamespace, classifyNamespace, type Store, type StoreInfo, type NamespaceState, type HeldLease,
  type ProgressValues, type Desired, type Lease, type LeaseState, type InstanceEntry, type Progress,
  type Control, type LogEntry,
} from './store.ts';
import { redact } from '../redact.ts';
import { DEFAULT_TIMING } from '../timing.ts';

const NOW = { $toLong: '$$NOW' };
// In an update pipeline a string starting with `$` is a field path: every caller-supplied value
// goes in as a literal, or a holder named "$x" is stored as null and the lease looks free.
const lit = (value: unknown) => ({ $literal: value });
const DUPLICATE_KEY = 11000;
const isDuplicateKey = (e: unknown) => e instanceof MongoServerError && e.code === DUPLICATE_KEY;
// The unique keys that make an upsert or insert a CAS: without one, two racing upserts both
// insert, and two instances hold the same lease.
const UNIQUE_KEYS = {
  leases: { name: 1 }, instances: { id: 1 }, progress: { automation: 1, partition: 1 }, control: { automation: 1 },
} as const;
type Keyed = keyof typeof UNIQUE_KEYS;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// An election takes up to ~12 s: selecting a server must be allowed to outlast one.
const MIN_SERVER_SELECTION_MS = 15_000;
const MIN_CONNECT_MS = 2_000;
const MIN_OPERATION_MS = 1_000;

/** A timeout option as the URI states it (option names are case-insensitive), if it does. */
function uriNumber(uri: string, option: string): number | undefined {
  const query = uri.split('?')[1] ?? '';
  for (const [k, v] of new URLSearchParams(query)) {
    if (k.toLowerCase() === option.toLowerCase() && Number.isFinite(Number(v))) return Number(v);
  }
  return undefined;
}

/**
 * How long one store operation may take: the URI's `timeoutMS`, else the default renew deadline, so
 * a hung primary cannot hold a renew past the point where its answer would be useless anyway.
 */
export function operationTimeoutMs(uri: string): number {
  return Math.max(uriNumber(uri, 'timeoutMS') ?? DEFAULT_TIMING.renewDeadlineMs, MIN_OPERATION_MS);
}

/**
 * The client options. Leases, fences, progress and control must be read from and acknowledged by
 * a majority on the primary, or a failover can roll back a fence or report a lost lease as
 * renewed: these override whatever the URI says. Timeouts follow the URI with floors.
 */
export function mongoClientOptions(uri: string): MongoClientOptions {
  return {
    readPreference: 'primary',
    readConcernLevel: 'majority',
    writeConcern: { w: 'majority' },
    serverSelectionTimeoutMS: Math.max(uriNumber(uri, 'serverSelectionTimeoutMS') ?? 0, MIN_SERVER_SELECTION_MS),
    connectTimeoutMS: Math.max(uriNumber(uri, 'connectTimeoutMS') ?? 10_000, MIN_CONNECT_MS),
    maxPoolSize: 4,
  };
}

const LAYOUT_OPTION = 'batonNamespaces';
const RESERVED_DATABASES = new Set(['admin', 'local', 'config']);

export interface MongoLayout {
  /** The URI the driver gets: baton's own option removed (the driver rejects unknown options). */
  uri: string;
  database: string;
  /** Put before each collection name; empty when the namespace has a database to itself. */
  prefix: string;
}

/**
 * Where a namespace lives. Default: one database (the URI's, else `baton`) with each namespace a
 * collection prefix `<namespace>.`, because Atlas's read-write roles cannot drop databases and
 * a user may be limited to one. `?batonNamespaces=databases` gives each namespace a database.
 */
export function mongoLayout(uri: string, namespace: string): MongoLayout {
  const [base, query = ''] = uri.split('?') as [string, string?];
  const params = new URLSearchParams(query);
  const mode = params.get(LAYOUT_OPTION);
  if (mode !== null && mode !== 'databases' && mode !== 'collections') {
    throw new StoreError(`invalid MongoDB URI ${redact(uri)}: ${LAYOUT_OPTION} must be databases or collections`);
  }
  params.delete(LAYOUT_OPTION);
  const rest = params.toString();
  const stripped = rest ? `${base}?${rest}` : base;
  const path = base.replace(/^mongodb(\+srv)?:\/\//, '').split('/')[1] ?? '';
  const database = mode === 'databases' ? namespace : decodeURIComponent(path) || 'baton';
  if (RESERVED_DATABASES.has(database)) {
    throw new StoreError(`refusing MongoDB database "${database}" for baton data (it is MongoDB's own): name another database in ${redact(uri)}`);
  }
  return { uri: stripped, database, prefix: mode === 'databases' ? '' : `${namespace}.` };
}

/** Builds the client; a URI the driver cannot parse is a one-line redacted StoreError. */
export function mongoClient(uri: string): MongoClient {
  try {
    return new MongoClient(uri, mongoClientOptions(uri));
  } catch (e) {
    throw explainMongoError(e, uri, operationTimeoutMs(uri));
  }
}

// Server codes that mean "the primary is changing": the caller retries on its next tick.
const ELECTION_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);

const firstLine = (text: string) => redact(text.split('\n')[0] ?? '').trim();

/** Maps any driver error to a one-line StoreError with credentials redacted. */
export function explainMongoError(e: unknown, uri: string, timeoutMs: number): StoreError {
  if (e instanceof StoreError) return e;
  const err = (e ?? {}) as { name?: string; code?: number | string; codeName?: string; message?: string; syscall?: string };
  const where = redact(uri);
  const detail = firstLine(err.message ?? String(e));
  if (err.name === 'MongoParseError' || err.name === 'MongoInvalidArgumentError' || err.name === 'MongoAPIError') {
    return new StoreError(`invalid MongoDB URI ${where}: ${detail}`);
  }
  if (err.syscall === 'querySrv' || /querySrv/.test(detail)) {
    return new StoreError(`cannot resolve the SRV record of ${where} (${detail}): check the cluster host name and DNS`);
  }
  if (err.code === 18 || err.name === 'MongoMissingCredentialsError' || /authentication failed/i.test(detail)) {
    return new StoreError(`MongoDB refused the credentials in ${where}: check user and password`);
  }
  if (err.name === 'MongoServerSelectionError') {
    return new StoreError(`cannot reach MongoDB at ${where}: ${detail} (is the server running?)`);
  }
  if (err.name === 'TimeoutError' || err.name === 'MongoNetworkTimeoutError' || err.code === 50) {
    return new StoreError(`MongoDB at ${where} did not answer within ${timeoutMs} ms (a hung or changing primary?)`);
  }
  if (typeof err.code === 'number' && ELECTION_CODES.has(err.code)) {
    return new StoreError(`MongoDB at ${where} is changing primary (${err.codeName ?? err.code}): retry shortly`);
  }
  return new StoreError(`MongoDB error at ${where}: ${detail}`);
}

export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  readonly #client: MongoClient;
  readonly #timeoutMs: number;
  #connected: Promise<Db> | undefined;
  readonly #indexed = new Map<Keyed, Promise<unknown>>();
  readonly #layout: MongoLayout;

  constructor(readonly uri: string, readonly namespace: string) {
    assertNamespace(namespace);
    this.#layout = mongoLayout(uri, namespace);
    this.#timeoutMs = operationTimeoutMs(uri);
    this.#client = mongoClient(this.#layout.uri);
  }

  #db(): Promise<Db> {
    this.#connected ??= this.#client.connect().then(
      (c) => c.db(this.#layout.database),
      (e) => { this.#connected = undefined; throw this.#explain(e); },
    );
    return this.#connected;
  }

  /** One of this namespace's collections. */
  #col(db: Db, name: string) {
    return db.collection(this.#layout.prefix + name);
  }

  /**
   * The collection, with its unique index created or checked once per process before the first
   * write that relies on it, so a store used without init() still never admits two holders.
   * createIndex is idempotent, and concurrent calls with the same spec agree.
   */
  async #keyed(db: Db, name: Keyed) {
    const col = this.#col(db, name);
    let done = this.#indexed.get(name);
    if (!done) {
      done = col.createIndex(UNIQUE_KEYS[name], { unique: true });
      this.#indexed.set(name, done);
      done.catch(() => this.#indexed.delete(name));
    }
    await done;
    return col;
  }

  #explain(e: unknown): Error {
    return explainMongoError(e, this.uri, this.#timeoutMs);
  }

  /**
   * Runs one operation, giving up after the operation timeout: the driver has no per-operation
   * timeout for writes, and a hung primary must not hold a renew past its deadline.
   */
  async #run<T>(op: (db: Db) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('operation timed out'), { name: 'TimeoutError' })), this.#timeoutMs);
    });
    try {
      return await Promise.race([this.#db().then(op), timeout]);
    } catch (e) {
      throw isDuplicateKey(e) ? e : this.#explain(e);
    } finally {
      clearTimeout(timer);
    }
  }

  async info(): Promise<StoreInfo> {
    const build = await this.#run((db) => db.admin().command({ buildInfo: 1 }));
    return { kind: 'mongodb', version: mongoVersion(build), uri: redact(this.uri), namespace: this.namespace };
  }

  async init(): Promise<void> {
    await this.#run(async (db) => {
      for (const name of Object.keys(UNIQUE_KEYS) as Keyed[]) await this.#keyed(db, name);
      await this.#col(db, 'logs').createIndex({ at: -1 });
      await this.#col(db, 'baton_meta').updateOne({ _id: 'owner' as never }, { $set: { value: 'baton' } }, { upsert: true });
    });
  }

  /** This namespace's collections, by their names without the prefix. */
  async #collections(db: Db): Promise<string[]> {
    const { prefix } = this.#layout;
    const all = await db.listCollections({}, { nameOnly: true }).toArray();
    return all.map((c) => c.name).filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
  }

  async namespaceState(): Promise<NamespaceState> {
    const names = await this.#run((db) => this.#collections(db));
    // MongoDB has no empty database or prefix: one without collections does not exist.
    return names.length === 0 ? 'absent' : classifyNamespace(names);
  }

  /** Drops baton's collections, or its own database; refuses if anything else is there. */
  async dropNamespace(): Promise<void> {
    await this.#run(async (db) => {
      const names = await this.#collections(db);
      if (classifyNamespace(names) === 'foreign') {
        throw new StoreError(`namespace ${this.namespace} in MongoDB database ${db.databaseName} holds non-baton collections: not dropping it`);
      }
      if (this.#layout.prefix === '') await db.dropDatabase();
      else for (const name of names) await this.#col(db, name).drop();
    });
    this.#indexed.clear();
  }

  async now(): Promise<number> {
    const [row] = await this.#run((db) =>
      this.#col(db, 'baton_meta').aggregate([{ $limit: 1 }, { $project: { _id: 0, now: NOW } }]).toArray());
    if (!row) throw new StoreError(`namespace ${this.namespace} is not initialised: run init() first`);
    return Number(row.now);
  }

  async acquire(name: string, holder: string, leaseMs: number): Promise<Lease | null> {
    try {
      const doc = await this.#run(async (db) => (await this.#keyed(db, 'leases')).findOneAndUpdate(
        { name, $or: [{ holder: null }, { $expr: { $lte: ['$expiresAt', NOW] } }] },
        [{ $set: {
          name: lit(name), holder: lit(holder), leaseMs: lit(leaseMs),
          fence: { $add: [{ $ifNull: ['$fence', 0] }, 1] },
          version: { $add: [{ $ifNull: ['$version', 0] }, 1] },
          acquiredAt: NOW, renewedAt: NOW, expiresAt: { $add: [NOW, lit(leaseMs)] },
        } }],
        { upsert: true, returnDocument: 'after' },
      ));
      return doc ? toLease(doc) : null;
    } catch (e) {
      // The filter did not match a live lease, so the upsert tried to insert a second record
      // with the same name: the unique index refuses it, which means someone holds the lease.
      if (isDuplicateKey(e)) return null;
      throw e;
    }
  }

  async renew(holder: string, held: HeldLease[]): Promise<string[]> {
    if (held.length === 0) return [];
    const filter = { holder, $or: held.map((h) => ({ name: h.name, fence: h.fence })) };
    const res = await this.#run((db) => this.#col(db, 'leases').updateMany(filter, [{ $set: {
      renewedAt: NOW, expiresAt: { $add: [NOW, '$leaseMs'] }, version: { $add: ['$version', 1] },
    } }]));
    if (res.matchedCount === held.length) return held.map((h) => h.name);
    // Some were not ours any more. A (name, holder, fence) that matches now matched during the
    // update too: fences only grow, so the record cannot have come back to us in between.
    const still = await this.#run((db) => this.#col(db, 'leases').find(filter, { projection: { name: 1 } }).toArray());
    return still.map((d) => String(d.name));
  }

  async release(name: string, holder: string, fence: number): Promise<boolean> {
    const res = await this.#run((db) => this.#col(db, 'leases').updateOne({ name, holder, fence }, [{ $set: {
      holder: null, expiresAt: NOW, version: { $add: ['$version', 1] },
    } }]));
    return res.matchedCount === 1;
  }

  async #leases(match: Document): Promise<LeaseState[]> {
    const docs = await this.#run((db) => this.#col(db, 'leases').aggregate([
      { $match: match }, { $sort: { name: 1 } },
      { $addFields: { expired: { $lte: ['$expiresAt', NOW] }, remainingMs: { $subtract: ['$expiresAt', NOW] } } },
    ]).toArray());
    return docs.map((d) => ({ ...toLease(d), expired: Boolean(d.expired), remainingMs: Number(d.remainingMs) }));
  }

  async readLease(name: string) {
    return (await this.#leases({ name }))[0] ?? null;
  }

  async listLeases(prefix: string) {
    return this.#leases({ name: { $regex: `^${escapeRegex(prefix)}` } });
  }

  async heartbeat(e: { id: string; pid: number; host: string; role: string }) {
    await this.#run(async (db) => (await this.#keyed(db, 'instances')).updateOne({ id: e.id }, [{ $set: {
      id: lit(e.id), pid: lit(e.pid), host: lit(e.host), role: lit(e.role), heartbeatAt: NOW,
      startedAt: { $ifNull: ['$startedAt', NOW] },
    } }], { upsert: true }));
  }

  async listAlive(aliveMs: number): Promise<InstanceEntry[]> {
    const docs = await this.#run((db) => this.#col(db, 'instances').find(
      { $expr: { $gt: [{ $add: ['$heartbeatAt', lit(aliveMs)] }, NOW] } },
    ).sort({ startedAt: 1, id: 1 }).toArray());
    return docs.map((d) => ({
      id: String(d.id), pid: Number(d.pid), host: String(d.host), role: String(d.role),
      startedAt: Number(d.startedAt), heartbeatAt: Number(d.heartbeatAt),
    }));
  }

  async deregister(id: string) {
    await this.#run((db) => this.#col(db, 'instances').deleteOne({ id }));
  }

  async readProgress(automation: string, partition: number): Promise<Progress | null> {
    const d = await this.#run((db) => this.#col(db, 'progress').findOne({ automation, partition }));
    return d ? {
      automation, partition, nextSeq: Number(d.nextSeq),
      inFlight: d.inFlight == null ? null : Number(d.inFlight), fence: Number(d.fence),
    } : null;
  }

  async casProgress(automation: string, partition: number, fence: number, expect: ProgressValues | null, next: ProgressValues) {
    if (expect === null) {
      try {
        await this.#run(async (db) => (await this.#keyed(db, 'progress')).insertOne({ automation, partition, fence, ...next }));
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    }
    const res = await this.#run((db) => this.#col(db, 'progress').updateOne(
      { automation, partition, fence: { $lte: fence }, nextSeq: expect.nextSeq, inFlight: expect.inFlight },
      { $set: { fence, ...next } },
    ));
    return res.matchedCount === 1;
  }

  async readControl(automation: string): Promise<Control | null> {
    const d = await this.#run((db) => this.#col(db, 'control').findOne({ automation }));
    return d ? toControl(d) : null;
  }

  async writeControl(automation: string, desired: Desired, by: string): Promise<Control> {
    const d = await this.#run(async (db) => (await this.#keyed(db, 'control')).findOneAndUpdate({ automation }, [{ $set: {
      automation: lit(automation), desired: lit(desired), by: lit(by), at: NOW,
      version: { $add: [{ $ifNull: ['$version', 0] }, 1] },
    } }], { upsert: true, returnDocument: 'after' }));
    return toControl(d!);
  }

  async appendLog(e: { instance: string; level: string; message: string }, keep: number) {
    await this.#run(async (db) => {
      const logs = this.#col(db, 'logs');
      // An update pipeline is the only way to stamp a new document with the server's clock.
      await logs.updateOne({ _id: new ObjectId() }, [{ $set: {
        at: NOW, instance: lit(e.instance), level: lit(e.level), message: lit(e.message),
      } }], { upsert: true });
      // The newest entry to drop; entries sharing its millisecond are ordered by _id, as readLog does.
      const [drop] = await logs.find({}, { projection: { at: 1 } }).sort({ at: -1, _id: -1 }).skip(keep).limit(1).toArray();
      if (drop) await logs.deleteMany({ $or: [{ at: { $lt: drop.at } }, { at: drop.at, _id: { $lte: drop._id } }] });
    });
  }

  async readLog(limit: number): Promise<LogEntry[]> {
    const docs = await this.#run((db) => this.#col(db, 'logs').find({}).sort({ at: -1, _id: -1 }).limit(limit).toArray());
    return docs.map((d) => ({
      at: Number(d.at), instance: String(d.instance),
      level: d.level === 'warn' || d.level === 'error' ? d.level : 'info', message: String(d.message),
    }));
  }

  async close() {
    await this.#client.close().catch(() => {});
  }
}

function toLease(d: Document): Lease {
  return {
    name: String(d.name), holder: d.holder == null ? null : String(d.holder), fence: Number(d.fence),
    version: Number(d.version), leaseMs: Number(d.leaseMs), acquiredAt: Number(d.acquiredAt),
    renewedAt: Number(d.renewedAt), expiresAt: Number(d.expiresAt),
  };
}

function toControl(d: Document): Control {
  return {
    automation: String(d.automation), desired: d.desired === 'RUNNING' ? 'RUNNING' : 'STOPPED',
    by: String(d.by), at: Number(d.at), version: Number(d.version),
  };
}

/** The server's version, naming a stand-in that only speaks MongoDB's protocol (the report shows it). */
export function mongoVersion(build: Record<string, unknown>): string {
  const version = `MongoDB ${String(build.version)}`;
  if (typeof build.secantusVersion !== 'string') return version;
  const patched = typeof build.batonTestLauncher === 'string' ? ` with baton's test launcher (${build.batonTestLauncher})` : '';
  return `${version} protocol — SecantusDB ${build.secantusVersion} stand-in${patched}, not a real mongod (docs/mongodb-test-server.md)`;
}

/** Namespaces starting with `prefix`: collection prefixes in the database, or databases (?batonNamespaces=databases). */
export async function listMongoNamespaces(uri: string, prefix: string): Promise<string[]> {
  const layout = mongoLayout(uri, `${prefix}x`);
  const client = mongoClient(layout.uri);
  try {
    if (layout.prefix === '') {
      const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
      return databases.map((d) => d.name).filter((n) => n.startsWith(prefix)).sort();
    }
    const names = (await client.db(layout.database).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    return [...new Set(names.filter((n) => n.startsWith(prefix) && n.includes('.')).map((n) => n.slice(0, n.indexOf('.'))))].sort();
  } catch (e) {
    throw explainMongoError(e, uri, operationTimeoutMs(uri));
  } finally {
    await client.close().catch(() => {});
  }
}
