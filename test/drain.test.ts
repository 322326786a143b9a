// The drain waits for the plan as long as messages keep coming: a slow machine still delivering
// is waited for, a fleet that stopped is not. A fake context on a virtual clock (pure logic).
import { describe, expect, it } from 'vitest';
import { type ScenarioContext } from '../harness/scenario.ts';
import { drain } from '../harness/steps.ts';

/** A context whose `accepted` count grows at the given times (ms), on a virtual clock. */
function fleet(messages: number, acceptedAt: number[]) {
  let t = 0;
  const accepted = () => acceptedAt.filter((x) => x <= t).length;
  const ctx = {
    settings: { messages, timing: { leaseMs: 2_000, renewDeadlineMs: 1_400, retryMs: 300 } },
    now: () => t,
    accepted,
    sleep: async (ms: number) => { t += ms; },
    async waitAccepted(n: number, timeoutMs: number) {
      const due = acceptedAt[n - 1];
      if (due !== undefined && due <= t + timeoutMs) { t = Math.max(t, due); return true; }
      t += timeoutMs;
      return false;
    },
  } as unknown as ScenarioContext;
  return { ctx, now: () => t, accepted };
}

describe('drain', () => {
  it('waits out a slow fleet that is still delivering, past any fixed timeout', async () => {
    const f = fleet(200, Array.from({ length: 200 }, (_, i) => (i + 1) * 400)); // 80 s for the plan
    await drain(f.ctx);
    expect(f.accepted()).toBe(200);
    expect(f.now()).toBe(80_000 + 1_000);
  });

  it('gives up on a fleet that stopped delivering, three leases and two seconds after its last message', async () => {
    const f = fleet(200, Array.from({ length: 150 }, (_, i) => (i + 1) * 50));
    await drain(f.ctx);
    expect(f.accepted()).toBe(150);
    expect(f.now()).toBe(7_500 + 8_000 + 1_000);
  });

  it('ends at its cap however slowly messages still come', async () => {
    const f = fleet(1_000, Array.from({ length: 1_000 }, (_, i) => (i + 1) * 1_000));
    await drain(f.ctx);
    expect(f.accepted()).toBe(121); // one more lands while late deliveries settle
    expect(f.now()).toBe(120_000 + 1_000);
  });
});
