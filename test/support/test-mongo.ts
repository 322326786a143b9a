// The MongoDB the tests use: $BATON_TEST_MONGODB=<uri> for a real server. No MongoDB server
// installs offline here; the SecantusDB stand-in fails the multi-process CAS race
// (docs/mongodb-test-server.md), so it runs only on request: BATON_TEST_MONGODB=secantus
// (after `python3 -m venv .venv && .venv/bin/pip install secantusdb==0.7.0b3`).
import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { MongoClient } from 'mongodb';

export interface TestMongo {
  uri?: string;
  skip?: string;
  describe?: string;
  stop(): Promise<void>;
}

export const SECANTUS_BIN = '.venv/bin/secantusd-py';

export async function startTestMongo(): Promise<TestMongo> {
  const given = process.env.BATON_TEST_MONGODB;
  if (!given) {
    return { skip: 'no MongoDB server: set BATON_TEST_MONGODB=mongodb://… (SecantusDB does not qualify: docs/mongodb-test-server.md)', stop: async () => {} };
  }
  if (given !== 'secantus') return { uri: given, describe: `$BATON_TEST_MONGODB (${await version(given)})`, stop: async () => {} };
  if (!existsSync(SECANTUS_BIN)) return { skip: `BATON_TEST_MONGODB=secantus but ${SECANTUS_BIN} is missing`, stop: async () => {} };
  const port = await freePort();
  const server: ResultPromise = execa(SECANTUS_BIN, ['--host', '127.0.0.1', '--port', String(port), '--storage-path', ':memory:', '--log-level', 'ERROR'], {
    reject: false, stdio: 'ignore', cleanup: true,
  });
  const uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
  const stop = async () => { server.kill('SIGTERM'); await server; };
  try {
    return { uri, describe: `SecantusDB ${await waitUntilUp(uri)} on port ${port}`, stop };
  } catch (e) {
    await stop();
    return { skip: `SecantusDB did not start: ${(e as Error).message}`, stop: async () => {} };
  }
}

async function version(uri: string): Promise<string> {
  const c = new MongoClient(uri, { serverSelectionTimeoutMS: 2_000 });
  try {
    return `MongoDB ${(await c.db('admin').command({ buildInfo: 1 })).version}`;
  } finally {
    await c.close();
  }
}

async function waitUntilUp(uri: string): Promise<string> {
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      return await version(uri);
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
