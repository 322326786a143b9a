// The elector on a real (SQLite) store, in one process: logic tests, not the fault proofs
// (those run real processes in test/verify.test.ts).
import { describe, expect, it, onTestFinished } from 'vitest';
import { Elector } from '../coordination/elector.ts';
import type { CoordinationEvent } from '../coordination/events.ts';
import type { Store } from '../coordination/stores/store.ts';
import { freshStore, storeCases } from './support/stores.ts';
import { FakeClock } from './support/fake-clock.ts';

const timing = { leaseMs: 900, renewDeadlineMs: 600, retryMs: 150 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function elector(store: Store, id: string, events: (CoordinationEvent & { id: string })[]) {
  const e = new Elector({
    store, id, timing, leases: ['L'], share: async () => 1,
    lead: (_n, _f, signal) => new Promise((r) => signal.addEventListener('abort', () => r())),
    emit: (ev) => events.push({ ...ev, id }),
  });
  onTestFinished(() => e.stop());
  return e;
}

describe('elector', () => {
  const sqlite = storeCases()[0]!.uri;

  it('elects exactly one of three and hands over on graceful stop with a higher fence', async () => {
    const store = await freshStore(sqlite, onTestFinished);
    const events: (CoordinationEvent & { id: string })[] = [];
    const all = ['a', 'b', 'c'].map((id) => elector(store, id, events));
    all.forEach((e) => e.start());
    await sleep(500);
    const leaders = all.filter((e) => e.isLeading('L'));
    expect(leaders).toHaveLength(1);
    const first = events.find((e) => e.type === 'acquired')!;
    expect(first).toMatchObject({ type: 'acquired', fence: 1 });
    expect(events.filter((e) => e.type === 'denied').map((e) => e.id).sort()).toHaveLength(2);
    await leaders[0]!.stop();
    await sleep(500);
    const second = events.filter((e) => e.type === 'acquired');
    expect(second).toHaveLength(2);
    expect(second[1]).toMatchObject({ fence: 2 });
    expect(second[1]!.id).not.toBe(first.id);
    expect(events.some((e) => e.type === 'released' && e.id === first.id)).toBe(true);
  });

  it('steps down within the renew deadline when renews stop succeeding', async () => {
    const store = await freshStore(sqlite, onTestFinished);
    let hang = false;
    const flaky = new Proxy(store, {
      get: (t, k) => {
        if (k === 'renew' && hang) return () => new Promise(() => {});
        const v = Reflect.get(t, k);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    const events: (CoordinationEvent & { id: string })[] = [];
    const e = elector(flaky, 'a', events);
    e.start();
    await sleep(300);
    expect(e.isLeading('L')).toBe(true);
    hang = true;
    const hungAt = performance.now();
    while (!events.some((x) => x.type === 'lost') && performance.now() - hungAt < 3_000) await sleep(20);
    const lost = events.find((x) => x.type === 'lost');
    expect(lost).toMatchObject({ reason: 'renew deadline passed', fence: 1 });
    expect(e.isLeading('L')).toBe(false);
    // The store still shows the lease until it expires: the holder gave up before that.
    expect((await store.readLease('L'))!.expired).toBe(false);
  });
});

describe('elector deadline on a fake clock (ms, no real waiting)', () => {
  const sqlite = storeCases()[0]!.uri;
  const until = async (cond: () => boolean) => { for (let i = 0; i < 200 && !cond(); i++) await sleep(5); };

  async function leader(deadlineMs?: (t: typeof timing) => number) {
    const store = await freshStore(sqlite, onTestFinished);
    const clock = new FakeClock();
    const events: CoordinationEvent[] = [];
    const e = new Elector({
      store, id: 'a', timing, leases: ['L'], share: async () => 1, clock, deadlineMs,
      lead: (_n, _f, signal) => new Promise((r) => signal.addEventListener('abort', () => r())),
      emit: (ev) => events.push(ev),
    });
    onTestFinished(() => { clock.advance(10_000); return e.stop(); });
    e.start();
    await until(() => e.isLeading('L'));
    expect(events[0]).toMatchObject({ type: 'acquired', fence: 1, sent: 0 });
    return { e, clock, events };
  }

  it('isLeading() re-checks the deadline even when the deadline timer is late (blocked event loop)', async () => {
    const { e, clock, events } = await leader();
    clock.advance(timing.renewDeadlineMs - 1, { fire: false });
    expect(e.isLeading('L')).toBe(true);
    expect(events.some((x) => x.type === 'lost')).toBe(false);
    clock.advance(1, { fire: false });
    expect(e.isLeading('L')).toBe(false);
    // The re-check, not the (late) timer, ended the hold: the work stops for good.
    expect(events.filter((x) => x.type === 'lost')).toEqual([{ type: 'lost', lock: 'L', fence: 1, reason: 'renew deadline passed' }]);
    expect(e.held()).toEqual([]);
  });

  it('the deadline timer steps down at the deadline counted from when the last renew was sent', async () => {
    const { clock, events } = await leader();
    clock.advance(timing.renewDeadlineMs);
    await until(() => events.some((x) => x.type === 'lost'));
    expect(events.find((x) => x.type === 'lost')).toMatchObject({ reason: 'renew deadline passed', fence: 1 });
  });

  it('a deadline policy of Infinity (the no-renew-deadline negative control) never steps down on time', async () => {
    const { e, clock, events } = await leader(() => Infinity);
    clock.advance(timing.leaseMs * 10, { fire: false });
    expect(e.isLeading('L')).toBe(true);
    expect(events.some((x) => x.type === 'lost')).toBe(false);
  });
});

describe('elector when the work dies', () => {
  it('steps down, hands the lease back and stands by, so another instance starts the work afresh', async () => {
    const store = await freshStore(storeCases()[0]!.uri, onTestFinished);
    const events: (CoordinationEvent & { id: string })[] = [];
    let runs = 0;
    const make = (id: string) => {
      const e = new Elector({
        store, id, timing, leases: ['L'], share: async () => 1,
        lead: async (_n, _f, signal) => {
          if (++runs === 1) throw new Error('connection terminated');
          await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
        },
        emit: (ev) => events.push({ ...ev, id }),
      });
      onTestFinished(() => e.stop());
      e.start();
      return e;
    };
    const a = make('a');
    for (let i = 0; i < 100 && runs < 1; i++) await sleep(5);
    const b = make('b');
    for (let i = 0; i < 200 && runs < 2; i++) await sleep(10);
    expect(events.find((x) => x.type === 'lost')).toMatchObject({ id: 'a', fence: 1, reason: 'work failed: connection terminated' });
    // Released at once; a stands by for a lease period, so b takes the lease with the next fence.
    expect(events.filter((x) => x.type === 'acquired').map((x) => [x.id, (x as { fence: number }).fence])).toEqual([['a', 1], ['b', 2]]);
    expect(b.isLeading('L')).toBe(true);
    expect(a.isLeading('L')).toBe(false);
  });
});

describe('elector standbys: one read per tick, woken by a release', () => {
  /** The store with every acquire counted per lease name. */
  function counting(store: Store) {
    const acquires = new Map<string, number>();
    const counted = new Proxy(store, {
      get: (t, k) => {
        const v = Reflect.get(t, k);
        if (k === 'acquire') return (name: string, ...rest: [string, number]) => { acquires.set(name, (acquires.get(name) ?? 0) + 1); return t.acquire(name, ...rest); };
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    return { counted, acquires };
  }

  it('a standby below its share never attempts a lease that is held and unexpired', async () => {
    const store = await freshStore(storeCases()[0]!.uri, onTestFinished);
    const events: (CoordinationEvent & { id: string })[] = [];
    const holder = elector(store, 'a', events);
    holder.start();
    for (let i = 0; i < 100 && !holder.isLeading('L'); i++) await sleep(10);
    const { counted, acquires } = counting(store);
    const standby = elector(counted, 'b', events);
    standby.start();
    await sleep(timing.leaseMs * 2); // many retry periods: the old elector tried L on every one
    expect(acquires.get('L') ?? 0).toBe(0);
    expect(events.filter((e) => e.id === 'b').map((e) => e.type)).toEqual(['denied']);
  });

  for (const c of storeCases().slice(1, 2)) { // the stores that announce releases: PostgreSQL
  it.skipIf(!!c.skip)(`a ${c.name} standby is woken by the release, long before its next poll${c.skip ? ` (skipped: ${c.skip})` : ''}`, async () => {
    const store = await freshStore(c.uri, onTestFinished);
    const slow = { leaseMs: 20_000, renewDeadlineMs: 12_000, retryMs: 5_000 };
    const events: (CoordinationEvent & { id: string; at: number })[] = [];
    const make = (id: string) => {
      const e = new Elector({
        store, id, timing: slow, leases: ['L'], share: async () => 1,
        lead: (_n, _f, signal) => new Promise((r) => signal.addEventListener('abort', () => r())),
        emit: (ev) => events.push({ ...ev, id, at: performance.now() }),
      });
      onTestFinished(() => e.stop());
      return e;
    };
    const a = make('a');
    a.start();
    for (let i = 0; i < 200 && !a.isLeading('L'); i++) await sleep(10);
    const b = make('b');
    b.start();
    for (let i = 0; i < 200 && !events.some((e) => e.id === 'b' && e.type === 'denied'); i++) await sleep(10);
    await sleep(300); // b is asleep now, until the lease could expire (capped at half a lease)
    await a.releaseAll(slow.leaseMs);
    for (let i = 0; i < 400 && !b.isLeading('L'); i++) await sleep(10);
    const released = events.find((e) => e.type === 'released')!;
    const taken = events.find((e) => e.id === 'b' && e.type === 'acquired');
    expect(taken).toMatchObject({ fence: 2 });
    // Polling could not have done it: b's next tick was at least a retry period away.
    expect(taken!.at - released.at).toBeLessThan(slow.retryMs);
  });
  }
});
