// `baton clean`: finds what a killed run left, drops only baton's idle namespaces and only with
// --yes; a namespace another run is using, or one holding anything else, is left alone.
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pgDriver from 'pg';
import { openStore } from '../coordination/stores/index.ts';

const clean = (args: string[]) => execa('node', ['bin/baton.js', 'clean', ...args], { reject: false });

describe('baton clean', () => {
  it('on SQLite: lists, then with --yes drops only the idle baton namespace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-clean-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const uri = `sqlite:${dir}`;
    const idle = await openStore(uri, 'baton_left_behind');
    await idle.init();
    await idle.close();
    const busy = await openStore(uri, 'baton_running_now');
    await busy.init();
    await busy.heartbeat({ id: 'aaaaaaaaaaaaaaaa', pid: 1, host: 'h', role: 'active' });
    await busy.close();
    const foreign = new Database(join(dir, 'baton_not_ours.db'));
    foreign.exec('CREATE TABLE invoices (id INTEGER)');
    foreign.close();

    const listed = await clean(['--store', uri]);
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain('baton_left_behind: baton data — would drop');
    expect(listed.stdout).toContain('baton_running_now: in use by a running baton');
    expect(listed.stdout).toContain('baton_not_ours: holds data that is not baton\'s (foreign): left alone');
    expect(listed.stdout).toContain('1 leftover baton namespace(s)');
    expect(existsSync(join(dir, 'baton_left_behind.db'))).toBe(true);
    // Looking did not touch the file that is not ours (no switch to WAL, no -wal file).
    const look = new Database(join(dir, 'baton_not_ours.db'), { readonly: true });
    expect(look.pragma('journal_mode', { simple: true })).toBe('delete');
    look.close();
    expect(existsSync(join(dir, 'baton_not_ours.db-wal'))).toBe(false);

    const dropped = await clean(['--store', uri, '--yes']);
    expect(dropped.stdout).toContain('baton_left_behind: baton data — dropped');
    expect(existsSync(join(dir, 'baton_left_behind.db'))).toBe(false);
    expect(existsSync(join(dir, 'baton_running_now.db'))).toBe(true);
    expect(existsSync(join(dir, 'baton_not_ours.db'))).toBe(true);
    expect(dropped.stdout.trim().split('\n').at(-1)).toMatch(/^dropped 1 leftover baton namespace\(s\) at .*; 2 left alone \(above\)$/);
    // Nothing left to drop: the summary still counts what it left alone, never "no leftover namespaces" alone.
    const again = await clean(['--store', uri, '--yes']);
    expect(again.stdout.trim().split('\n').at(-1)).toMatch(/^no leftover baton namespace to drop at .*; 2 left alone \(above\)$/);
  });

  const pg = inject('postgresUri');
  it.skipIf(!pg)('on PostgreSQL: finds and drops a leftover schema, and says nothing of other schemas', async () => {
    const ns = `baton_clean_${randomBytes(3).toString('hex')}`;
    const store = await openStore(pg, ns);
    await store.init();
    await store.close();
    const listed = await clean(['--store', pg]);
    expect(listed.stdout).toContain(`${ns}: baton data — would drop`);
    expect(listed.stdout).not.toMatch(/^public:/m);
    // Only this test's namespace: other runs share this server and their namespaces are not ours to drop.
    expect((await clean(['--store', pg, '--prefix', 'public'])).exitCode).toBe(2);
    const dropped = await clean(['--store', pg, '--yes', '--prefix', ns]);
    expect(dropped.stdout).toContain(`${ns}: baton data — dropped`);
    const again = await openStore(pg, ns);
    expect(await again.namespaceState()).toBe('absent');
    await again.close();
  });

  it.skipIf(!pg)('on PostgreSQL: a baton schema that also holds someone\'s view or function is not baton\'s, and stays', async () => {
    const ns = `baton_clean_${randomBytes(3).toString('hex')}`;
    const store = await openStore(pg, ns);
    await store.init();
    const client = new pgDriver.Client({ connectionString: pg });
    await client.connect();
    onTestFinished(async () => { await client.query(`DROP SCHEMA IF EXISTS ${ns} CASCADE`); await client.end(); await store.close(); });
    await client.query(`CREATE FUNCTION ${ns}.invoice_total() RETURNS int LANGUAGE sql AS 'SELECT 1'`);
    expect(await store.namespaceState()).toBe('foreign');
    const r = await clean(['--store', pg, '--yes', '--prefix', ns]);
    expect(r.stdout).toContain(`${ns}: holds data that is not baton's (foreign): left alone`);
    expect((await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [ns])).rows).toHaveLength(1);
  });
});
