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
});
