// The stores a test file can run against, each with a fresh namespace per call.
import { inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../coordination/stores/index.ts';

export interface StoreCase {
  name: string;
  uri: string;
  skip: string;
  /** Where the multi-process race runs (for MongoDB it can be a different server). */
  raceUri: string;
  /** Said in the race's title when that server is not the one the other tests use. */
  raceNote: string;
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'baton-test-'));

export function storeCases(): StoreCase[] {
  return [
    { name: 'sqlite', uri: `sqlite:${sqliteDir}`, skip: '', raceUri: `sqlite:${sqliteDir}`, raceNote: '' },
    { name: 'postgres', uri: inject('postgresUri'), skip: inject('postgresSkip'), raceUri: inject('postgresUri'), raceNote: '' },
    { name: 'mongodb', uri: inject('mongoUri'), skip: inject('mongoSkip'), raceUri: inject('mongoRaceUri'), raceNote: inject('mongoRaceNote') },
  ];
}

export const freshNamespace = () => `t_${randomBytes(5).toString('hex')}`;

/** Opens `uri` in a new namespace, initialised, and drops it when the test is done. */
export async function freshStore(uri: string, onCleanup: (fn: () => Promise<void>) => void): Promise<Store> {
  const store = await openStore(uri, freshNamespace());
  await store.init();
  onCleanup(async () => {
    await store.dropNamespace();
    await store.close();
  });
  return store;
}
