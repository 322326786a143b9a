// What the MongoDB store guarantees beyond the shared contract: the client options it forces, a
// one-line redacted error on every failure path, and store details only a raw look can check.
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { createServer, type Socket } from 'node:net';
import {
  MongoClient, MongoMissingCredentialsError, MongoNetworkTimeoutError, MongoParseError, MongoServerError,
  MongoServerSelectionError,
} from 'mongodb';
import {
  explainMongoError, mongoClient, mongoLayout, mongoVersion, operationTimeoutMs,
} from '../coordination/stores/mongodb.ts';
import { StoreError, openStore } from '../coordination/stores/index.ts';
import { freshNamespace, freshStore } from './support/stores.ts';

const SECRET = 'hunter2secret';
const URI = `mongodb://baton:${SECRET}@db.example:27017/app?authSource=admin`;

describe('MongoDB client options (no server needed)', () => {
  it('forces primary reads and majority read/write concern whatever the URI says', async () => {
    const client = mongoClient('mongodb://h:1/?readPreference=secondary&w=1&readConcernLevel=local&journal=false');
    onTestFinished(() => client.close());
    expect(client.options.readPreference.mode).toBe('primary');
    expect(client.options.writeConcern?.w).toBe('majority');
    expect(client.options.readConcern?.level).toBe('majority');
  });

  it('respects the URI\'s timeouts above their floors', () => {
    const low = mongoClient('mongodb://h:1/?serverSelectionTimeoutMS=1000&connectTimeoutMS=10');
    const high = mongoClient('mongodb://h:1/?serverSelectionTimeoutMS=40000&connectTimeoutMS=7000');
    const none = mongoClient('mongodb://h:1/');
    onTestFinished(async () => { await low.close(); await high.close(); await none.close(); });
    expect([low.options.serverSelectionTimeoutMS, low.options.connectTimeoutMS]).toEqual([15_000, 2_000]);
    expect([high.options.serverSelectionTimeoutMS, high.options.connectTimeoutMS]).toEqual([40_000, 7_000]);
    expect([none.options.serverSelectionTimeoutMS, none.options.connectTimeoutMS]).toEqual([15_000, 10_000]);
  });

  it('bounds every operation by the default renew deadline, or the URI\'s timeoutMS above 1 s', () => {
    expect(operationTimeoutMs('mongodb://h:1/')).toBe(10_000);
    expect(operationTimeoutMs('mongodb://h:1/?timeoutMS=3000')).toBe(3_000);
    expect(operationTimeoutMs('mongodb://h:1/?timeoutms=5')).toBe(1_000);
  });
});

describe('MongoDB server named in the report (no server needed)', () => {
  it('names a protocol stand-in and a patched one, and leaves a real mongod as it is', () => {
    expect(mongoVersion({ version: '7.0.14' })).toBe('MongoDB 7.0.14');
    expect(mongoVersion({ version: '8.2.11', secantusVersion: '0.7.0b3' })).toMatch(/^MongoDB 8\.2\.11 protocol — SecantusDB 0\.7\.0b3 stand-in, not a real mongod/);
    expect(mongoVersion({ version: '8.2.11', secantusVersion: '0.7.0b3', batonTestLauncher: 'serialized findAndModify' }))
      .toContain('with baton\'s test launcher (serialized findAndModify)');
  });
});

describe('MongoDB namespaces (no server needed)', () => {
  it('puts every namespace in one database, the URI\'s or baton, as a collection prefix', () => {
    expect(mongoLayout('mongodb+srv://u:p@c.example.net/?retryWrites=true', 'ns')).toEqual({
      uri: 'mongodb+srv://u:p@c.example.net/?retryWrites=true', database: 'baton', prefix: 'ns.',
    });
    expect(mongoLayout('mongodb://h1:1,h2:2/app?replicaSet=rs', 'ns')).toMatchObject({ database: 'app', prefix: 'ns.' });
  });

  it('gives each namespace a database on request, and keeps that option from the driver', () => {
    const layout = mongoLayout('mongodb://h:1/app?batonNamespaces=databases&w=1', 'ns');
    expect(layout).toEqual({ uri: 'mongodb://h:1/app?w=1', database: 'ns', prefix: '' });
    expect(() => mongoClient(layout.uri).close()).not.toThrow();
    expect(() => mongoLayout('mongodb://h:1/?batonNamespaces=maybe', 'ns')).toThrow(/batonNamespaces must be/);
  });

  it('refuses MongoDB\'s own databases', async () => {
    for (const [uri, ns] of [['mongodb://h:1/admin', 'ns'], ['mongodb://h:1/local?authSource=x', 'ns'], ['mongodb://h:1/?batonNamespaces=databases', 'config']]) {
      const err = await openStore(uri!, ns!).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as Error).message).toMatch(/^refusing MongoDB database "(admin|local|config)"/);
    }
  });
});

describe('MongoDB errors are one line, redacted, and say what happened', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a URI the driver cannot parse', new MongoParseError(`bad option in ${URI}`), /^invalid MongoDB URI /],
    ['an SRV lookup failure', Object.assign(new Error(`querySrv ENOTFOUND _mongodb._tcp.db.example`), { code: 'ENOTFOUND', syscall: 'querySrv' }), /cannot resolve the SRV record/],
    ['an authentication failure', new MongoServerError({ code: 18, codeName: 'AuthenticationFailed', errmsg: 'Authentication failed.' }), /refused the credentials/],
    ['missing credentials', new MongoMissingCredentialsError('Username required for mechanism SCRAM'), /refused the credentials/],
    ['no server reachable', new MongoServerSelectionError(`connect ECONNREFUSED ${URI}\n  at stack`, { error: null } as never), /cannot reach MongoDB/],
    ['the operation timeout', Object.assign(new Error('operation timed out'), { name: 'TimeoutError' }), /did not answer within 10000 ms/],
    ['a socket timeout', new MongoNetworkTimeoutError('connection timed out'), /did not answer within/],
    ['a server-side time limit', new MongoServerError({ code: 50, errmsg: 'operation exceeded time limit' }), /did not answer within/],
    ['an election', new MongoServerError({ code: 10107, codeName: 'NotWritablePrimary', errmsg: 'not primary' }), /changing primary \(NotWritablePrimary\)/],
    ['anything else', new Error(`boom at ${URI}\nsecond line ${SECRET}`), /^MongoDB error at .*: boom at mongodb:\/\/baton:\*\*\*@/],
  ];
  for (const [what, error, says] of cases) {
    it(`maps ${what}`, () => {
      const e = explainMongoError(error, URI, 10_000);
      expect(e).toBeInstanceOf(StoreError);
      expect(e.message).toMatch(says);
      expect(e.message).not.toContain(SECRET);
      expect(e.message).not.toContain('\n');
    });
  }

  it('turns a URI the driver rejects in its constructor into a StoreError', async () => {
    const err = await openStore(`mongodb://baton:${SECRET}@h:1/?noSuchOption=1`, 'ns').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/^invalid MongoDB URI mongodb:\/\/baton:\*\*\*@h:1\/.*noSuchOption/);
  });

  it('explains a real SRV lookup failure', async () => {
    const store = await openStore(`mongodb+srv://baton:${SECRET}@no-such-cluster.invalid/`, 'ns');
    onTestFinished(() => store.close());
    const err = await store.info().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/^cannot resolve the SRV record of mongodb\+srv:\/\/baton:\*\*\*@no-such-cluster\.invalid\/ \(querySrv E\w+ /);
  });

  it('gives up on a server that accepts connections but never answers, within the operation timeout', async () => {
    const sockets: Socket[] = [];
    const hung = createServer((s) => { sockets.push(s); });
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const { port } = hung.address() as { port: number };
    onTestFinished(async () => { sockets.forEach((s) => s.destroy()); await new Promise((r) => hung.close(r)); });
    const store = await openStore(`mongodb://baton:${SECRET}@127.0.0.1:${port}/?directConnection=true&timeoutMS=1000`, 'ns');
    onTestFinished(() => store.close());
    const started = Date.now();
    const err = await store.renew('A', [{ name: 'L', fence: 1 }]).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((err as Error).message).toMatch(/^MongoDB at mongodb:\/\/baton:\*\*\*@127\.0\.0\.1:\d+\/.* did not answer within 1000 ms/);
  });
});

const mongoUri = inject('mongoUri');
describe.skipIf(!mongoUri)(`MongoDB store internals${mongoUri ? '' : ` (skipped: ${inject('mongoSkip')})`}`, () => {
  /** The raw collection behind a store's namespace (the test URIs name no database: `baton`). */
  async function raw(namespace: string, name: string) {
    const client = await new MongoClient(mongoUri).connect();
    onTestFinished(() => client.close());
    return client.db('baton').collection(`${namespace}.${name}`);
  }
  const namespaceOf = (s: object) => (s as { namespace: string }).namespace;

  it('creates the unique indexes a CAS relies on before its first write, even without init()', async () => {
    const s = await openStore(mongoUri, freshNamespace());
    // Without init() there is no baton marker, and an unmarked namespace is not dropped as ours.
    onTestFinished(async () => { await s.init(); await s.dropNamespace(); await s.close(); });
    await s.acquire('L', 'A', 5_000);
    await s.heartbeat({ id: 'a', pid: 1, host: 'h', role: 'active' });
    await s.casProgress('auto', 0, 1, null, { nextSeq: 0, inFlight: null });
    await s.writeControl('auto', 'RUNNING', 'a');
    const ns = namespaceOf(s);
    const unique = async (name: string) =>
      (await (await raw(ns, name)).indexes()).filter((i) => i.unique).map((i) => i.key);
    expect(await unique('leases')).toEqual([{ name: 1 }]);
    expect(await unique('instances')).toEqual([{ id: 1 }]);
    expect(await unique('progress')).toEqual([{ automation: 1, partition: 1 }]);
    expect(await unique('control')).toEqual([{ automation: 1 }]);
  });

  it('trims the log by (at, _id), keeping the newest entries even when they share a millisecond', async () => {
    const s = await freshStore(mongoUri, onTestFinished);
    const logs = await raw(namespaceOf(s), 'logs');
    const at = (await s.now()) - 1_000;
    // Five entries stamped in the same millisecond, inserted in order (ObjectIds grow).
    for (let i = 0; i < 5; i++) await logs.insertOne({ at, instance: 'a', level: 'info', message: `same${i}` });
    await s.appendLog({ instance: 'a', level: 'info', message: 'last' }, 3);
    expect((await s.readLog(10)).map((l) => l.message)).toEqual(['last', 'same4', 'same3']);
  });

  it('keeps namespaces side by side in one database and drops only the one asked for', async () => {
    const [a, b] = [await freshStore(mongoUri, onTestFinished), await freshStore(mongoUri, onTestFinished)];
    await a.acquire('L', 'A', 60_000);
    await b.acquire('L', 'B', 60_000);
    const bystander = await raw('app', 'data');
    await bystander.insertOne({ keep: true });
    onTestFinished(() => bystander.drop().then(() => {}));
    expect(await (await raw(namespaceOf(a), 'leases')).countDocuments()).toBe(1);
    await a.dropNamespace();
    expect(await a.namespaceState()).toBe('absent');
    expect(await b.readLease('L')).toMatchObject({ holder: 'B' });
    expect(await bystander.countDocuments()).toBe(1);
  });

  it('refuses to drop a namespace that holds a collection baton did not make', async () => {
    const s = await freshStore(mongoUri, onTestFinished);
    const foreign = await raw(namespaceOf(s), 'orders');
    await foreign.insertOne({ order: 1 });
    onTestFinished(() => foreign.drop().then(() => {}));
    expect(await s.namespaceState()).toBe('foreign');
    await expect(s.dropNamespace()).rejects.toThrow(/holds non-baton collections: not dropping it/);
    expect(await foreign.countDocuments()).toBe(1);
    expect(await (await raw(namespaceOf(s), 'leases')).indexes()).not.toHaveLength(0);
  });

  it('with batonNamespaces=databases, gives the namespace its own database and drops it whole', async () => {
    const ns = freshNamespace();
    const perDb = `${mongoUri}${mongoUri.includes('?') ? '&' : '?'}batonNamespaces=databases`;
    const s = await openStore(perDb, ns);
    onTestFinished(() => s.close());
    await s.init();
    await s.acquire('L', 'A', 60_000);
    const client = await new MongoClient(mongoUri).connect();
    onTestFinished(() => client.close());
    expect(await client.db(ns).collection('leases').countDocuments()).toBe(1);
    await s.dropNamespace();
    expect(await s.namespaceState()).toBe('absent');
  });
});
