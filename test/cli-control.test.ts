// `baton start|stop|status|logs` against a namespace some deployments share.
import { describe, expect, it, onTestFinished } from 'vitest';
import { execa } from 'execa';
import { freshStore, storeCases, freshNamespace } from './support/stores.ts';

const baton = (args: string[]) => execa('node', ['bin/baton.js', ...args], { reject: false });

describe('baton start / stop / status / logs', () => {
  const uri = storeCases()[0]!.uri;

  it('reads and writes the same shared state as the deployments', async () => {
    const store = await freshStore(uri, onTestFinished);
    const ns = (store as unknown as { namespace: string }).namespace;
    await store.acquire('auto', 'aaaaaaaaaaaaaaaa', 60_000);
    await store.heartbeat({ id: 'aaaaaaaaaaaaaaaa', pid: 1, host: 'h', role: 'active' });
    await store.appendLog({ instance: 'aaaaaaaaaaaaaaaa', level: 'info', message: 'acquired auto (fence 1)' }, 10);
    const opts = ['--store', uri, '--namespace', ns];

    const start = await baton(['start', ...opts]);
    expect(start.stdout).toBe('auto: RUNNING (version 1)');
    expect((await store.readControl('auto'))?.desired).toBe('RUNNING');

    const status = await baton(['status', ...opts]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain('automation auto: RUNNING (set by cli-');
    expect(status.stdout).toContain('lease auto: held by aaaaaaaaaaaaaaaa (fence 1)');
    expect(status.stdout).toContain('instance aaaaaaaaaaaaaaaa active pid 1 on h');

    expect((await baton(['stop', ...opts])).stdout).toBe('auto: STOPPED (version 2)');
    expect((await baton(['logs', ...opts])).stdout).toMatch(/aaaaaaaaaaaaaaaa info acquired auto \(fence 1\)/);
  });

  it('refuses a namespace that holds no baton data, with exit 2 and one line', async () => {
    const r = await baton(['status', '--store', uri, '--namespace', freshNamespace()]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/holds no baton data/);
  });
});
