import { afterEach, describe, expect, it } from 'vitest';
import { Sink } from '../harness/sink.ts';
import { httpSender } from '../coordination/sender.ts';

const sinks: Sink[] = [];
afterEach(async () => { await Promise.all(sinks.splice(0).map((s) => s.stop())); });

describe('sink', () => {
  it('accepts, dedupes by (automation, seq), refuses lower fences over real HTTP', async () => {
    const sink = new Sink();
    sinks.push(sink);
    const send = httpSender(await sink.start());
    const m = (seq: number, fence: number, partition = 0) => send({ automation: 'a', seq, fence, instance: 'x', partition }, new AbortController().signal);
    expect(await m(0, 1)).toBe('accepted');
    expect(await m(0, 1)).toBe('duplicate');
    expect(await m(1, 2)).toBe('accepted');
    expect(await m(2, 1)).toBe('stale');
    expect(await m(3, 1, 1)).toBe('accepted');
    expect(sink.counts()).toEqual({ raw: 5, accepted: 3, duplicate: 1, stale: 1 });
    expect(sink.deliveries.map((d) => d.status)).toEqual(['accepted', 'duplicate', 'accepted', 'stale', 'accepted']);
  });

  it('answers 400 to a malformed delivery and 404 elsewhere', async () => {
    const sink = new Sink();
    sinks.push(sink);
    const url = await sink.start();
    expect((await fetch(`${url}/deliver`, { method: 'POST', body: '{"seq":"x"}' })).status).toBe(400);
    expect((await fetch(`${url}/other`)).status).toBe(404);
    expect(sink.counts().raw).toBe(0);
  });

  it('reports a failed send when nobody listens', async () => {
    const send = httpSender('http://127.0.0.1:1', 1_000);
    expect(await send({ automation: 'a', seq: 0, fence: 1, instance: 'x', partition: 0 }, new AbortController().signal)).toBe('failed');
  });

  it('receiver faults: a slow answer after the delivery was applied, and a reset after applying it, for one deployment only', async () => {
    const sink = new Sink();
    sinks.push(sink);
    const url = await sink.start();
    // Every connection is "d1"'s here; a real run names deployments by their sink proxies' ports.
    sink.attribute(() => 'd1');
    const quick = httpSender(url, 300);
    const m = (seq: number) => quick({ automation: 'a', seq, fence: 1, instance: 'x', partition: 0 }, new AbortController().signal);
    sink.setMode('d1', { kind: 'slow', ms: 600 });
    expect(await m(0)).toBe('failed'); // the client gave up at 300 ms …
    expect(sink.deliveries.map((d) => [d.seq, d.status, d.via])).toEqual([[0, 'accepted', 'd1']]); // … after the effect
    sink.setMode('d1', { kind: 'reset' });
    expect(await m(1)).toBe('failed');
    expect(sink.deliveries.at(-1)).toMatchObject({ seq: 1, status: 'accepted' });
    expect(sink.affected('d1')).toBe(2);
    sink.setMode('d1', { kind: 'unavailable' });
    expect(await m(9)).toBe('failed'); // a 503 is a failed send …
    expect(sink.deliveries.some((d) => d.seq === 9)).toBe(false); // … that took no effect
    expect(sink.affected('d1')).toBe(3);
    sink.setMode('d2', { kind: 'reset' }); // another deployment's fault changes nothing for d1
    sink.setMode('d1', { kind: 'normal' });
    expect(await m(2)).toBe('accepted');
    expect(sink.affected('d1')).toBe(3);
  });

  it('resolves a wait for a delivery while the request is handled, before the answer', async () => {
    const sink = new Sink();
    sinks.push(sink);
    const send = httpSender(await sink.start());
    const order: string[] = [];
    const seen = sink.next((d) => d.seq === 5, 2_000).then((d) => order.push(`seen ${d?.seq}`));
    const answered = send({ automation: 'a', seq: 5, fence: 1, instance: 'x', partition: 0 }, new AbortController().signal).then((st) => order.push(`answered ${st}`));
    await Promise.all([seen, answered]);
    expect(order).toEqual(['seen 5', 'answered accepted']);
    expect(await sink.next(() => true, 50)).toBeUndefined();
  });
});

