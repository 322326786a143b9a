// `--store memory`: a throw-away mongod from mongodb-memory-server-core. It can only use a binary
// that is already on this machine; with no network a download would hang or fail obscurely, so
// downloads are switched off and a missing binary is a one-line error saying what to do.
import { StoreError } from './store.ts';

export interface RunningServer {
  uri: string;
  stop(): Promise<void>;
}

export async function startMemoryMongo(): Promise<RunningServer> {
  process.env.MONGOMS_RUNTIME_DOWNLOAD ??= 'false';
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  // The library prints its own stack trace on failure; our one-line error replaces it.
  const warn = console.warn;
  console.warn = () => {};
  try {
    const server = await MongoMemoryServer.create();
    return { uri: server.getUri(), stop: async () => { await server.stop({ doCleanup: true, force: true }); } };
  } catch (e) {
    throw new StoreError(
      'no mongod binary available offline for --store memory: set MONGOMS_SYSTEM_BINARY=/path/to/mongod, ' +
      `or use --store sqlite:<dir> / postgres://… / mongodb://… (${(e as Error).message.split('\n')[0]})`,
    );
  } finally {
    console.warn = warn;
  }
}
