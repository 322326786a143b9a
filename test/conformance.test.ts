// The store contract, run against every available store. Each test asserts values.
import { describe, expect, it, onTestFinished } from 'vitest';
import { execa } from 'execa';
import { storeCases, freshStore, freshNamespace } from './support/stores.ts';
import { openStore } from '../coordination/stores/index.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanup = (fn: () => Promise<void>) => onTestFinished(fn);

for (const c of storeCases()) {
  describe.skipIf(!!c.skip)(`store conformance: ${c.name}${c.skip ? ` (skipped: ${c.skip})` : ''}`, () => {
    it('acquire, deny a second instance, verify owner, renew, release, hand over', async () => {
      const s = await freshStore(c.uri, cleanup);
      const a = await s.acquire('L', 'A', 5_000);
      expect(a).toMatchObject({ name: 'L', holder: 'A', fence: 1, leaseMs: 5_000 });
      expect(a!.expiresAt - a!.acquiredAt).toBe(5_000);
      expect(await s.acquire('L', 'B', 5_000)).toBeNull();
      expect(await s.readLease('L')).toMatchObject({ holder: 'A', fence: 1, expired: false });
      // How long a standby may sleep before the lease can be taken, by the store's clock.
      const [listed] = await s.listLeases('L');
      expect(listed!.remainingMs).toBeGreaterThan(3_000);
      expect(listed!.remainingMs).toBeLessThanOrEqual(5_000);
      expect(await s.renew('A', [{ name: 'L', fence: 1 }])).toEqual(['L']);
      expect((await s.readLease('L'))!.renewedAt).toBeGreaterThanOrEqual(a!.renewedAt);
      expect(await s.release('L', 'A', 1)).toBe(true);
      expect(await s.readLease('L')).toMatchObject({ holder: null, fence: 1 });
      expect(await s.acquire('L', 'B', 5_000)).toMatchObject({ holder: 'B', fence: 2 });
    });

    it('tells a watcher of each release by its lease\'s name, and of nothing else (or says why it cannot, and standbys poll)', async () => {
      const s = await freshStore(c.uri, cleanup);
      // SQLite has no one to notify; MongoDB change streams are not used yet (see README): both poll, as documented.
      if (!s.watchReleases) return expect(['sqlite', 'mongodb']).toContain(c.name);
      const heard: string[] = [];
      let unwatch: () => Promise<void>;
      try {
        unwatch = await s.watchReleases((name) => heard.push(name), () => heard.push('lost'));
      } catch (e) {
        // Change streams need a replica set: only a standalone MongoDB may refuse (the elector then polls).
        expect(c.name).toBe('mongodb');
        return expect(String(e)).toMatch(/only supported on replica sets/);
      }
      cleanup(unwatch);
      await s.acquire('L', 'A', 5_000);
      await s.acquire('M', 'A', 5_000);
      await s.renew('A', [{ name: 'L', fence: 1 }, { name: 'M', fence: 1 }]);
      expect(await s.release('L', 'A', 1)).toBe(true);
      for (let i = 0; i < 100 && heard.length === 0; i++) await sleep(20);
      await sleep(300); // anything else would have arrived by now
      expect(heard).toEqual(['L']);
      await unwatch();
    });

    it('expires by the store clock and lets a standby take over with a higher fence', async () => {
      const s = await freshStore(c.uri, cleanup);
      expect((await s.acquire('L', 'A', 400))!.fence).toBe(1);
      expect(await s.acquire('L', 'B', 400)).toBeNull();
      await sleep(550);
      expect(await s.readLease('L')).toMatchObject({ expired: true, remainingMs: expect.any(Number) });
      expect((await s.readLease('L'))!.remainingMs).toBeLessThanOrEqual(0);
      expect(await s.acquire('L', 'B', 400)).toMatchObject({ holder: 'B', fence: 2 });
    });

    it('refuses a stale holder\'s renew and release, and never resurrects a lease', async () => {
      const s = await freshStore(c.uri, cleanup);
      await s.acquire('L', 'A', 200);
      await sleep(300);
      await s.acquire('L', 'B', 5_000);
      expect(await s.renew('A', [{ name: 'L', fence: 1 }])).toEqual([]);
      expect(await s.release('L', 'A', 1)).toBe(false);
      expect(await s.readLease('L')).toMatchObject({ holder: 'B', fence: 2 });
      expect(await s.renew('A', [{ name: 'ghost', fence: 1 }])).toEqual([]);
      expect(await s.readLease('ghost')).toBeNull();
    });

    it('renews several leases in one call and reports exactly the ones still held', async () => {
      const s = await freshStore(c.uri, cleanup);
      await s.acquire('L.p0', 'A', 5_000);
      await s.acquire('L.p1', 'A', 5_000);
      await s.acquire('L.p2', 'B', 5_000);
      const renewed = await s.renew('A', [{ name: 'L.p0', fence: 1 }, { name: 'L.p1', fence: 1 }, { name: 'L.p2', fence: 1 }]);
      expect(renewed.sort()).toEqual(['L.p0', 'L.p1']);
      expect((await s.listLeases('L.')).map((l) => [l.name, l.holder])).toEqual([['L.p0', 'A'], ['L.p1', 'A'], ['L.p2', 'B']]);
    });

    it('issues strictly increasing fences across acquisitions', async () => {
      const s = await freshStore(c.uri, cleanup);
      const fences: number[] = [];
      for (const who of ['A', 'B', 'C', 'A', 'B']) {
        const l = await s.acquire('L', who, 5_000);
        fences.push(l!.fence);
        await s.release('L', who, l!.fence);
      }
      expect(fences).toEqual([1, 2, 3, 4, 5]);
    });

    it('lists instances alive by the store clock and forgets deregistered ones', async () => {
      const s = await freshStore(c.uri, cleanup);
      await s.heartbeat({ id: 'a', pid: 1, host: 'h', role: 'active' });
      await s.heartbeat({ id: 'b', pid: 2, host: 'h', role: 'standby' });
      expect((await s.listAlive(400)).map((i) => i.id)).toEqual(['a', 'b']);
      await sleep(250);
      await s.heartbeat({ id: 'b', pid: 2, host: 'h', role: 'standby' });
      await sleep(250);
      expect((await s.listAlive(400)).map((i) => i.id)).toEqual(['b']);
      await s.deregister('b');
      expect(await s.listAlive(400)).toEqual([]);
    });

    it('refuses progress writes with a lower fence', async () => {
      const s = await freshStore(c.uri, cleanup);
      expect(await s.casProgress('auto', 0, 1, null, { nextSeq: 0, inFlight: null })).toBe(true);
      expect(await s.casProgress('auto', 0, 1, null, { nextSeq: 0, inFlight: null })).toBe(false);
      expect(await s.casProgress('auto', 0, 1, { nextSeq: 0, inFlight: null }, { nextSeq: 0, inFlight: 0 })).toBe(true);
      expect(await s.casProgress('auto', 0, 2, { nextSeq: 0, inFlight: 0 }, { nextSeq: 2, inFlight: null })).toBe(true);
      expect(await s.casProgress('auto', 0, 1, { nextSeq: 2, inFlight: null }, { nextSeq: 4, inFlight: null })).toBe(false);
      expect(await s.casProgress('auto', 0, 2, { nextSeq: 0, inFlight: 0 }, { nextSeq: 9, inFlight: null })).toBe(false);
      expect(await s.readProgress('auto', 0)).toEqual({ automation: 'auto', partition: 0, nextSeq: 2, inFlight: null, fence: 2 });
    });

    it('shares control and a bounded log', async () => {
      const s = await freshStore(c.uri, cleanup);
      expect(await s.readControl('auto')).toBeNull();
      expect(await s.writeControl('auto', 'RUNNING', 'a')).toMatchObject({ desired: 'RUNNING', by: 'a', version: 1 });
      expect(await s.writeControl('auto', 'STOPPED', 'b')).toMatchObject({ desired: 'STOPPED', by: 'b', version: 2 });
      for (let i = 0; i < 6; i++) await s.appendLog({ instance: 'a', level: 'info', message: `m${i}` }, 4);
      const log = await s.readLog(10);
      expect(log.map((l) => l.message)).toEqual(['m5', 'm4', 'm3', 'm2']);
    });

    it('stores a $-prefixed lease name and holder as given, and still denies a second holder', async () => {
      const s = await freshStore(c.uri, cleanup);
      expect(await s.acquire('$lease', '$holder', 5_000)).toMatchObject({ name: '$lease', holder: '$holder', fence: 1 });
      expect(await s.acquire('$lease', 'B', 5_000)).toBeNull();
      expect(await s.readLease('$lease')).toMatchObject({ name: '$lease', holder: '$holder', expired: false });
      expect(await s.renew('$holder', [{ name: '$lease', fence: 1 }])).toEqual(['$lease']);
    });

    it('stores $-prefixed control values, instance ids and log messages as given', async () => {
      const s = await freshStore(c.uri, cleanup);
      expect(await s.writeControl('$auto', 'RUNNING', '$by')).toMatchObject({ automation: '$auto', desired: 'RUNNING', by: '$by' });
      expect(await s.readControl('$auto')).toMatchObject({ automation: '$auto', by: '$by' });
      await s.heartbeat({ id: '$id', pid: 1, host: '$host', role: '$role' });
      expect(await s.listAlive(5_000)).toMatchObject([{ id: '$id', host: '$host', role: '$role' }]);
      await s.appendLog({ instance: '$instance', level: 'info', message: '$message' }, 4);
      expect(await s.readLog(1)).toMatchObject([{ instance: '$instance', message: '$message' }]);
    });

    it('reports an unused namespace as absent and an initialised one as baton', async () => {
      const s = await openStore(c.uri, freshNamespace());
      cleanup(async () => { await s.dropNamespace(); await s.close(); });
      expect(await s.namespaceState()).toBe('absent');
      await s.init();
      expect(await s.namespaceState()).toBe('baton');
    });

    // SQLite too: a first open racing another could fail in its WAL switch ("database is locked").
    it('lets 4 OS processes init the same namespace at once, then gives the lease to one', async () => {
      const ns = freshNamespace();
      const s = await openStore(c.uri, ns);
      cleanup(async () => { await s.dropNamespace(); await s.close(); });
      // Process start-up takes a while on a loaded machine: all of them start init at this moment.
      const startAt = String(Date.now() + 2_500);
      const procs = Array.from({ length: 4 }, (_, i) =>
        execa('node', ['--import', 'tsx', 'test/fixtures/init-worker.ts', c.uri, ns, startAt, `w${i}`]));
      const results = (await Promise.all(procs)).map((p) => JSON.parse(p.stdout) as { me: string; won: boolean });
      expect(results.filter((r) => r.won)).toHaveLength(1);
      expect(await s.namespaceState()).toBe('baton');
    });

    it(`gives every fence to exactly one of 6 racing OS processes${c.raceNote ? ` (${c.raceNote})` : ''}`, async () => {
      if (c.raceNote) process.stderr.write(`${c.raceNote}\n`);
      const s = await freshStore(c.raceUri, cleanup);
      const ns = (s as unknown as { namespace: string }).namespace;
      const procs = Array.from({ length: 6 }, (_, i) =>
        execa('node', ['--import', 'tsx', 'test/fixtures/race-worker.ts', c.raceUri, ns, '3000', `w${i}`]));
      const results = (await Promise.all(procs)).map((p) => JSON.parse(p.stdout) as { me: string; attempts: number; won: number[] });
      const fences = results.flatMap((r) => r.won).sort((a, b) => a - b);
      const lease = await s.readLease('race');
      // Every fence from 1 to the last one issued was won exactly once: no duplicate, no gap.
      expect(fences.length).toBeGreaterThan(6);
      expect(fences).toEqual(Array.from({ length: lease!.fence }, (_, i) => i + 1));
      expect(results.filter((r) => r.won.length > 0).length).toBeGreaterThan(1);
    });
  });
}
