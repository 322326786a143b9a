// Finds the stores the suite can run against and tells every test file (vitest `provide`).
// A store that is not available is reported as skipped, by name and reason, never passed silently.
import type { TestProject } from 'vitest/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestMongo, type TestMongo } from './support/test-mongo.ts';
import { probePostgres } from './support/test-postgres.ts';

let mongo: TestMongo | undefined;

export default async function setup(project: TestProject) {
  // Every temp file of the run — the tests', baton's, its workers', tsx's — goes in one directory
  // that teardown removes: a test run leaves nothing in the machine's temp directory.
  const temp = mkdtempSync(join(tmpdir(), 'baton-tests-'));
  process.env.TMPDIR = temp;
  const pg = await probePostgres();
  mongo = await startTestMongo();
  project.provide('postgresUri', pg.uri ?? '');
  project.provide('postgresSkip', pg.skip ?? '');
  project.provide('mongoUri', mongo.uri ?? '');
  project.provide('mongoSkip', mongo.skip ?? '');
  project.provide('mongoRaceUri', mongo.raceUri ?? '');
  project.provide('mongoRaceNote', mongo.raceNote ?? '');
  for (const [name, skip] of [['PostgreSQL', pg.skip], ['MongoDB', mongo.skip]]) {
    if (skip) process.stderr.write(`skipped: ${name} conformance — ${skip}\n`);
  }
  if (mongo.uri) process.stderr.write(`MongoDB conformance against ${mongo.describe}\n`);
  if (mongo.raceNote) process.stderr.write(`${mongo.raceNote}\n`);
  return async () => {
    await mongo?.stop();
    rmSync(temp, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUri: string;
    postgresSkip: string;
    mongoUri: string;
    mongoSkip: string;
    mongoRaceUri: string;
    mongoRaceNote: string;
  }
}
