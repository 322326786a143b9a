// `--store memory`: a throw-away one-node MongoDB replica set (mongodb-memory-server-core).
// A replica set, not a standalone mongod, because Atlas is one: retryable writes, majority
// concerns and change streams behave as they will in production.
//
// The binary comes from MONGOMS_SYSTEM_BINARY or the library's cache when there is one; otherwise
// it is downloaded, honouring every MONGOMS_* setting. Before a download we check in a few seconds
// that the download host answers, because offline the library would otherwise fail late and
// obscurely. The data directory is ours, so nothing is left in the temp directory on any outcome.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from './store.ts';

export interface RunningServer {
  uri: string;
  stop(): Promise<void>;
}

const REACH_TIMEOUT_MS = 3000;
const OFFLINE_ADVICE =
  'set MONGOMS_SYSTEM_BINARY=/path/to/mongod (or MONGOMS_DOWNLOAD_MIRROR / MONGOMS_DOWNLOAD_URL to a reachable mirror), ' +
  'or use --store sqlite / postgres://… / mongodb://…';

/** The path of a mongod that needs no download (system binary or cache), or undefined. */
export async function locateMongod(): Promise<string | undefined> {
  const { DryMongoBinary } = await import('mongodb-memory-server-core');
  try {
    return await DryMongoBinary.locateBinary(await DryMongoBinary.generateOptions());
  } catch {
    return undefined;
  }
}

export async function startMemoryMongo(): Promise<RunningServer> {
  if (!(await locateMongod())) await assertDownloadPossible();
  const dbPath = mkdtempSync(join(tmpdir(), 'baton-mongo-'));
  const removeDir = () => rmSync(dbPath, { recursive: true, force: true });
  const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
  // The library prints its own stack traces on failure; our one-line error replaces them.
  const warn = console.warn;
  console.warn = () => {};
  try {
    const set = await MongoMemoryReplSet.create({
      replSet: { count: 1, storageEngine: 'wiredTiger' },
      instanceOpts: [{ dbPath }],
    });
    return {
      uri: set.getUri(),
      stop: async () => {
        try { await set.stop({ doCleanup: true, force: true }); } finally { removeDir(); }
      },
    };
  } catch (e) {
    removeDir();
    throw new StoreError(`could not start an in-memory MongoDB replica set: ${firstLine(e)}; ${OFFLINE_ADVICE}`);
  } finally {
    console.warn = warn;
  }
}

async function assertDownloadPossible(): Promise<void> {
  const setting = process.env.MONGOMS_RUNTIME_DOWNLOAD?.toLowerCase();
  if (setting === 'false' || setting === '0' || setting === 'no') {
    throw new StoreError(`no mongod binary on this machine and MONGOMS_RUNTIME_DOWNLOAD=${setting} forbids a download: ${OFFLINE_ADVICE}`);
  }
  const target = downloadTarget();
  if (!(await reachable(target.host, target.port))) {
    throw new StoreError(
      `no mongod binary on this machine and ${target.host}:${target.port} cannot be reached to download one ` +
      `(checked for ${REACH_TIMEOUT_MS / 1000} s): ${OFFLINE_ADVICE}`,
    );
  }
}

/** Where a download would go first: the proxy when one is set, else the mirror or URL. */
function downloadTarget(): { host: string; port: number } {
  const proxy = process.env.HTTPS_PROXY || process.env.https_proxy || process.env.HTTP_PROXY || process.env.http_proxy;
  const raw = proxy || process.env.MONGOMS_DOWNLOAD_URL || process.env.MONGOMS_DOWNLOAD_MIRROR || 'https://fastdl.mongodb.org';
  const url = new URL(raw);
  return { host: url.hostname, port: Number(url.port) || (url.protocol === 'http:' ? 80 : 443) };
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => { clearTimeout(timer); socket.destroy(); resolve(ok); };
    const timer = setTimeout(() => done(false), REACH_TIMEOUT_MS);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}
