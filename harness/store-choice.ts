// Which store a run uses, and why (the report states both). `auto`: $BATON_STORE / $MONGODB_URI
// if set → an in-memory MongoDB replica set if a mongod is on this machine or in the download
// cache (auto never downloads: a verify should not start with a 100 MB fetch) → SQLite in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, storeKind } from '../coordination/stores/index.ts';
import { locateMongod, startMemoryMongo } from '../coordination/stores/memory-mongo.ts';

export interface StoreChoice {
  uri: string;
  why: string;
  kind: string;
  version: string;
  release(): Promise<void>;
}

export async function chooseStore(spec: string): Promise<StoreChoice> {
  const picked = await pick(spec);
  const probe = await openStore(picked.uri, 'baton_probe');
  try {
    const info = await probe.info();
    // Opening SQLite creates an empty file; leave nothing behind (and never touch a non-empty one).
    if ((await probe.namespaceState()) === 'empty') await probe.dropNamespace();
    return { ...picked, kind: info.kind, version: info.version };
  } catch (e) {
    await picked.release();
    throw e;
  } finally {
    await probe.close();
  }
}

async function pick(spec: string): Promise<Omit<StoreChoice, 'kind' | 'version'>> {
  const none = async () => {};
  if (spec === 'auto') {
    const env = process.env.BATON_STORE || process.env.MONGODB_URI;
    if (env) return { uri: env, why: `--store auto: taken from $${process.env.BATON_STORE ? 'BATON_STORE' : 'MONGODB_URI'}`, release: none };
    const mongod = await locateMongod();
    if (mongod) return memory(`--store auto: no $BATON_STORE / $MONGODB_URI, and a mongod binary is at ${mongod}`);
    return tempSqlite('--store auto: no $BATON_STORE / $MONGODB_URI and no mongod binary on this machine or in the cache, so the embedded SQLite store');
  }
  if (spec === 'memory') return memory('--store memory');
  if (spec === 'sqlite') return tempSqlite('--store sqlite: a fresh temp directory');
  storeKind(spec);
  return { uri: spec, why: '--store given on the command line', release: none };
}

async function memory(why: string) {
  const server = await startMemoryMongo();
  return { uri: server.uri, why: `${why}: a throw-away one-node MongoDB replica set (mongodb-memory-server-core)`, release: () => server.stop() };
}

function tempSqlite(why: string) {
  const dir = mkdtempSync(join(tmpdir(), 'baton-'));
  return { uri: `sqlite:${dir}`, why, release: async () => rmSync(dir, { recursive: true, force: true }) };
}
