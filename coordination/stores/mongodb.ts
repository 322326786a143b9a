// MongoDB: each CAS is one findOneAndUpdate / updateOne on one document, which MongoDB applies
// atomically. Expiry is judged with `$$NOW` (the server's clock) inside update pipelines and
// `$expr`. Times are stored as integer ms (`$toLong: '$$NOW'`) rather than BSON dates: valid on
// every MongoDB since 4.2 and also on stand-ins that mis-compare dates with `$$NOW`
// (docs/mongodb-test-server.md).
import { MongoClient, MongoServerError, ObjectId, type Db, type Document } from 'mongodb';
import {
  StoreError, assertNamespace, classifyNamespace, type Store, type StoreInfo, type NamespaceState, type HeldLease,
  type ProgressValues, type Desired, type Lease, type LeaseState, type InstanceEntry, type Progress,
  type Control, type LogEntry,
} from './store.ts';
import { redact } from '../redact.ts';

const NOW = { $toLong: '$$NOW' };
const DUPLICATE_KEY = 11000;
const isDuplicateKey = (e: unknown) => e instanceof MongoServerError && e.code === DUPLICATE_KEY;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  readonly #client: MongoClient;
  #connected: Promise<Db> | undefined;

  constructor(readonly uri: string, readonly namespace: string) {
    assertNamespace(namespace);
    const explicitW = /[?&]w=/.test(uri);
    this.#client = new MongoClient(uri, {
      serverSelectionTimeoutMS: 5_000,
      connectTimeoutMS: 5_000,
      maxPoolSize: 4,
      ...(explicitW ? {} : { writeConcern: { w: 'majority' } }),
    });
  }

  #db(): Promise<Db> {
    this.#connected ??= this.#client.connect().then(
      (c) => c.db(this.namespace),
      (e) => { this.#connected = undefined; throw this.#explain(e); },
    );
    return this.#connected;
  }

  async #col(name: string) {
    return (await this.#db()).collection(name);
  }

  #explain(e: unknown): Error {
    const err = e as { name?: string; code?: number; message?: string };
    const where = redact(this.uri);
    if (err.name === 'MongoServerSelectionError') {
      return new StoreError(`cannot reach MongoDB at ${where}: ${redact(err.message ?? '')} (is the server running?)`);
    }
    if (err.code === 18 || /authentication failed/i.test(err.message ?? '')) {
      return new StoreError(`MongoDB refused the credentials in ${where}: check user and password`);
    }
    if (err.name === 'MongoParseError') return new StoreError(`invalid MongoDB URI ${where}: ${redact(err.message ?? '')}`);
    return e instanceof Error ? Object.assign(e, { message: redact(e.message) }) : new StoreError(redact(String(e)));
  }

  async #run<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw isDuplicateKey(e) ? e : this.#explain(e);
    }
  }

  async info(): Promise<StoreInfo> {
    const build = await this.#run(async () => (await this.#db()).admin().command({ buildInfo: 1 }));
    return { kind: 'mongodb', version: `MongoDB ${build.version}`, uri: redact(this.uri), namespace: this.namespace };
  }

  async init(): Promise<void> {
    await this.#run(async () => {
      await (await this.#col('leases')).createIndex({ name: 1 }, { unique: true });
      await (await this.#col('instances')).createIndex({ id: 1 }, { unique: true });
      await (await this.#col('progress')).createIndex({ automation: 1, partition: 1 }, { unique: true });
      await (await this.#col('control')).createIndex({ automation: 1 }, { unique: true });
      await (await this.#col('logs')).createIndex({ at: -1 });
      await (await this.#col('baton_meta')).updateOne({ _id: 'owner' as never }, { $set: { value: 'baton' } }, { upsert: true });
    });
  }

  async namespaceState(): Promise<NamespaceState> {
    const names = await this.#run(async () =>
      (await (await this.#db()).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    // MongoDB has no empty database: one without collections does not exist.
    return names.length === 0 ? 'absent' : classifyNamespace(names);
  }

  async dropNamespace(): Promise<void> {
    await this.#run(async () => { await (await this.#db()).dropDatabase(); });
  }

  async now(): Promise<number> {
    const [row] = await this.#run(async () =>
      (await this.#col('baton_meta')).aggregate([{ $limit: 1 }, { $project: { _id: 0, now: NOW } }]).toArray());
    if (!row) throw new StoreError(`namespace ${this.namespace} is not initialised: run init() first`);
    return Number(row.now);
  }

  async acquire(name: string, holder: string, leaseMs: number): Promise<Lease | null> {
    const leases = await this.#col('leases');
    try {
      const doc = await this.#run(() => leases.findOneAndUpdate(
        { name, $or: [{ holder: null }, { $expr: { $lte: ['$expiresAt', NOW] } }] },
        [{ $set: {
          name, holder, leaseMs,
          fence: { $add: [{ $ifNull: ['$fence', 0] }, 1] },
          version: { $add: [{ $ifNull: ['$version', 0] }, 1] },
          acquiredAt: NOW, renewedAt: NOW, expiresAt: { $add: [NOW, leaseMs] },
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
    const leases = await this.#col('leases');
    const filter = { holder, $or: held.map((h) => ({ name: h.name, fence: h.fence })) };
    const res = await this.#run(() => leases.updateMany(filter, [{ $set: {
      renewedAt: NOW, expiresAt: { $add: [NOW, '$leaseMs'] }, version: { $add: ['$version', 1] },
    } }]));
    if (res.matchedCount === held.length) return held.map((h) => h.name);
    // Some were not ours any more. A (name, holder, fence) that matches now matched during the
    // update too: fences only grow, so the record cannot have come back to us in between.
    const still = await this.#run(() => leases.find(filter, { projection: { name: 1 } }).toArray());
    return still.map((d) => String(d.name));
  }

  async release(name: string, holder: string, fence: number): Promise<boolean> {
    const leases = await this.#col('leases');
    const res = await this.#run(() => leases.updateOne({ name, holder, fence }, [{ $set: {
      holder: null, expiresAt: NOW, version: { $add: ['$version', 1] },
    } }]));
    return res.matchedCount === 1;
  }

  async #leases(match: Document): Promise<LeaseState[]> {
    const leases = await this.#col('leases');
    const docs = await this.#run(() => leases.aggregate([
      { $match: match }, { $sort: { name: 1 } }, { $addFields: { expired: { $lte: ['$expiresAt', NOW] } } },
    ]).toArray());
    return docs.map((d) => ({ ...toLease(d), expired: Boolean(d.expired) }));
  }

  async readLease(name: string) {
    return (await this.#leases({ name }))[0] ?? null;
  }

  async listLeases(prefix: string) {
    return this.#leases({ name: { $regex: `^${escapeRegex(prefix)}` } });
  }

  async heartbeat(e: { id: string; pid: number; host: string; role: string }) {
    const instances = await this.#col('instances');
    await this.#run(() => instances.updateOne({ id: e.id }, [{ $set: {
      id: e.id, pid: e.pid, host: e.host, role: e.role, heartbeatAt: NOW,
      startedAt: { $ifNull: ['$startedAt', NOW] },
    } }], { upsert: true }));
  }

  async listAlive(aliveMs: number): Promise<InstanceEntry[]> {
    const instances = await this.#col('instances');
    const docs = await this.#run(() => instances.find(
      { $expr: { $gt: [{ $add: ['$heartbeatAt', aliveMs] }, NOW] } },
    ).sort({ startedAt: 1, id: 1 }).toArray());
    return docs.map((d) => ({
      id: String(d.id), pid: Number(d.pid), host: String(d.host), role: String(d.role),
      startedAt: Number(d.startedAt), heartbeatAt: Number(d.heartbeatAt),
    }));
  }

  async deregister(id: string) {
    const instances = await this.#col('instances');
    await this.#run(() => instances.deleteOne({ id }));
  }

  async readProgress(automation: string, partition: number): Promise<Progress | null> {
    const progress = await this.#col('progress');
    const d = await this.#run(() => progress.findOne({ automation, partition }));
    return d ? {
      automation, partition, nextSeq: Number(d.nextSeq),
      inFlight: d.inFlight == null ? null : Number(d.inFlight), fence: Number(d.fence),
    } : null;
  }

  async casProgress(automation: string, partition: number, fence: number, expect: ProgressValues | null, next: ProgressValues) {
    const progress = await this.#col('progress');
    if (expect === null) {
      try {
        await this.#run(() => progress.insertOne({ automation, partition, fence, ...next }));
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    }
    const res = await this.#run(() => progress.updateOne(
      { automation, partition, fence: { $lte: fence }, nextSeq: expect.nextSeq, inFlight: expect.inFlight },
      { $set: { fence, ...next } },
    ));
    return res.matchedCount === 1;
  }

  async readControl(automation: string): Promise<Control | null> {
    const control = await this.#col('control');
    const d = await this.#run(() => control.findOne({ automation }));
    return d ? toControl(d) : null;
  }

  async writeControl(automation: string, desired: Desired, by: string): Promise<Control> {
    const control = await this.#col('control');
    const d = await this.#run(() => control.findOneAndUpdate({ automation }, [{ $set: {
      automation, desired, by, at: NOW, version: { $add: [{ $ifNull: ['$version', 0] }, 1] },
    } }], { upsert: true, returnDocument: 'after' }));
    return toControl(d!);
  }

  async appendLog(e: { instance: string; level: string; message: string }, keep: number) {
    const logs = await this.#col('logs');
    await this.#run(async () => {
      // An update pipeline is the only way to stamp a new document with the server's clock.
      await logs.updateOne({ _id: new ObjectId() }, [{ $set: { at: NOW, ...e } }], { upsert: true });
      const [oldest] = await logs.find({}, { projection: { at: 1 } }).sort({ at: -1, _id: -1 }).skip(keep).limit(1).toArray();
      if (oldest) await logs.deleteMany({ at: { $lte: oldest.at } });
    });
  }

  async readLog(limit: number): Promise<LogEntry[]> {
    const logs = await this.#col('logs');
    const docs = await this.#run(() => logs.find({}).sort({ at: -1, _id: -1 }).limit(limit).toArray());
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
