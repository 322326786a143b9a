// The MongoDB the tests use. $BATON_TEST_MONGODB=<uri>: a real server, for everything. Otherwise
// SecantusDB from .venv (`.ci/run` installs it; BATON_TEST_MONGODB=secantus insists on it): the
// stock server for the single-process tests, and for the multi-process race a test-only launcher
// that serializes findAndModify, which stock 0.7.0b3 does not apply atomically
// (docs/mongodb-test-server.md). Without either, MongoDB tests report themselves as skipped.
import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { MongoClient } from 'mongodb';

export interface TestMongo {
  uri?: string;
  /** Where the multi-process race runs: the same server, or SecantusDB behind the launcher. */
  raceUri?: string;
  skip?: string;
  describe?: string;
  /** Printed with the race's results when it does not run on the stock server. */
  raceNote?: string;
  stop(): Promise<void>;
}

export const SECANTUS_PYTHON = '.venv/bin/python';
export const SECANTUS_BIN = '.venv/bin/secantusd-py';
const SERIALIZED_LAUNCHER = 'test/support/secantus-serialized.py';
export const RACE_NOTE =
  'MongoDB race: SecantusDB with serialized findAndModify — stock 0.7.0b3 is not atomic there; see docs/mongodb-test-server.md';

const none = async () => {};

export async function startTestMongo(): Promise<TestMongo> {
  const given = process.env.BATON_TEST_MONGODB;
  if (given && given !== 'secantus') {
    return { uri: given, raceUri: given, describe: `$BATON_TEST_MONGODB (${await version(given)})`, stop: none };
  }
  if (!existsSync(SECANTUS_BIN)) {
    return { skip: `no MongoDB server: SecantusDB is not in ${SECANTUS_BIN} (.ci/run installs it), and $BATON_TEST_MONGODB=mongodb://… is not set`, stop: none };
  }
  const stock = await startSecantus([SECANTUS_BIN]);
  if (!stock.uri) return stock;
  const serialized = await startSecantus([SECANTUS_PYTHON, SERIALIZED_LAUNCHER]);
  const stop = async () => { await stock.stop(); await serialized.stop(); };
  if (!serialized.uri) return { skip: serialized.skip, stop };
  return { uri: stock.uri, raceUri: serialized.uri, describe: stock.describe, raceNote: RACE_NOTE, stop };
}

/** Starts SecantusDB in memory on a free port with `command` (the stock binary or the launcher). */
async function startSecantus([bin, ...pre]: string[]): Promise<TestMongo> {
  const port = await freePort();
  const server: ResultPromise = execa(bin!, [...pre, '--host', '127.0.0.1', '--port', String(port), '--storage-path', ':memory:', '--log-level', 'ERROR'], {
    reject: false, stdio: 'ignore', cleanup: true,
  });
  const uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
  const stop = async () => { server.kill('SIGTERM'); await server; };
  try {
    return { uri, describe: `SecantusDB ${await waitUntilUp(uri)} on port ${port}`, stop };
  } catch (e) {
    await stop();
    return { skip: `SecantusDB (${[bin, ...pre].join(' ')}) did not start: ${(e as Error).message}`, stop: none };
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
