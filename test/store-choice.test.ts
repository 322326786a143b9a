// Which store `--store auto|memory|sqlite` picks, why the report says it did, and that an
// in-memory MongoDB fails fast and leaves nothing behind when no mongod can be had.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseStore } from '../harness/store-choice.ts';
import { locateMongod } from '../coordination/stores/memory-mongo.ts';

const SETTINGS = ['BATON_STORE', 'MONGODB_URI', 'MONGOMS_DOWNLOAD_MIRROR', 'MONGOMS_RUNTIME_DOWNLOAD', 'TMPDIR'];
let saved: Record<string, string | undefined>;
let temp: string;

beforeEach(() => {
  saved = Object.fromEntries(SETTINGS.map((k) => [k, process.env[k]]));
  for (const k of SETTINGS) delete process.env[k];
  temp = mkdtempSync(join(tmpdir(), 'baton-choice-'));
  process.env.TMPDIR = temp; // os.tmpdir() follows it, so we see every directory a choice leaves
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  rmSync(temp, { recursive: true, force: true });
});

/** A port that refuses connections: a listener opened and closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('store choice', () => {
  it('auto takes $BATON_STORE first and says so', async () => {
    const dir = join(temp, 'store');
    process.env.BATON_STORE = `sqlite:${dir}`;
    const choice = await chooseStore('auto');
    expect(choice).toMatchObject({ uri: `sqlite:${dir}`, kind: 'sqlite' });
    expect(choice.why).toContain('$BATON_STORE');
    await choice.release();
  });

  it('auto falls back to SQLite in a temp dir when no mongod is at hand, and release removes it', async (ctx) => {
    if (await locateMongod()) ctx.skip(); // this machine has a mongod: auto rightly prefers it
    const choice = await chooseStore('auto');
    expect(choice.kind).toBe('sqlite');
    expect(choice.why).toContain('no mongod binary');
    await choice.release();
    expect(readdirSync(temp)).toEqual([]);
  });

  it('memory fails within a few seconds when no mongod can be found or downloaded, naming the settings, leaving no temp dir', async (ctx) => {
    if (await locateMongod()) ctx.skip();
    process.env.MONGOMS_DOWNLOAD_MIRROR = `http://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    await expect(chooseStore('memory')).rejects.toThrow(/cannot be reached.*MONGOMS_SYSTEM_BINARY=.*MONGOMS_DOWNLOAD_MIRROR/);
    expect(Date.now() - started).toBeLessThan(10_000);
    process.env.MONGOMS_RUNTIME_DOWNLOAD = 'false';
    await expect(chooseStore('memory')).rejects.toThrow(/MONGOMS_RUNTIME_DOWNLOAD=false forbids a download/);
    expect(readdirSync(temp)).toEqual([]);
  });

  it('memory runs a one-node replica set when a mongod is here, and stopping it leaves no temp dir', async (ctx) => {
    if (!(await locateMongod())) ctx.skip(); // none on this machine: the offline test above covers it
    const choice = await chooseStore('memory');
    expect(choice.kind).toBe('mongodb');
    expect(choice.uri).toContain('replicaSet=');
    await choice.release();
    expect(readdirSync(temp)).toEqual([]);
  }, 120_000);
});
