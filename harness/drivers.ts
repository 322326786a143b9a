// The store drivers the harness uses directly (fault injection, the negative controls' raw row
// access), loaded on first use: each costs tens of milliseconds at start-up, which `baton --help`
// or a run on another store should not pay. (The stores themselves are loaded by openStore.)
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const pgDriver = (): typeof import('pg') => require('pg');
export const sqliteDriver = (): typeof import('better-sqlite3') => require('better-sqlite3');
