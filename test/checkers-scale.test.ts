// The checkers at the size of a long soak: a generated history of a million rows is checked
// without a stack overflow or a pairwise blow-up, and a single bad line in it is still found.
import { describe, expect, it } from 'vitest';
import { invariants } from '../harness/checkers/suite.ts';
import { fencesIncreasing, heartbeatCadence, holds, mutualExclusion } from '../harness/checkers/leases.ts';
import { fromJsonLines, readHistory, toJsonLines } from '../harness/history.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIG_SETTINGS, bigHistory } from './support/big-history.ts';

describe('checkers on a 1M-row history', () => {
  const h = bigHistory(1_000_000);

  it('judges a correct million-row history as correct', () => {
    expect(h.events.length + h.deliveries.length).toBeGreaterThanOrEqual(1_000_000);
    const checks = invariants(h, BIG_SETTINGS);
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(checks.filter((c) => c.status === 'pass').map((c) => c.name)).toContain('at most one holder per lease at any time');
    expect(heartbeatCadence(h, 'd3', 300, 1400).status).toBe('pass');
    expect(holds(h)).toHaveLength(5);
  }, 120_000);

  it('finds one stale send among a million rows', () => {
    const lastT = h.events.at(-1)!.t;
    const late = { t: lastT - 50, source: 'd1', type: 'send', instance: h.events.find((e) => e.source === 'd1')!.instance,
      automation: 'auto', seq: 0, fence: 1, partition: 0, resend: false, at: lastT - 50 };
    const bad = { ...h, events: [...h.events.filter((e) => e.t < late.t), late, ...h.events.filter((e) => e.t >= late.t)] };
    const failed = invariants(bad, BIG_SETTINGS).filter((c) => c.status === 'fail').map((c) => c.name);
    expect(failed).toContain('every send inside a safe window of its lease');
    expect(mutualExclusion(bad, BIG_SETTINGS).status).toBe('pass'); // beliefs alone would not show it
    expect(fencesIncreasing(bad).status).toBe('pass');
  }, 120_000);

  it('saves and re-reads it as JSON lines, from a string and streamed from a file', async () => {
    const text = toJsonLines(h);
    const back = fromJsonLines(text);
    expect(back.events.length).toBe(h.events.length);
    expect(back.deliveries.length).toBe(h.deliveries.length);
    const dir = mkdtempSync(join(tmpdir(), 'baton-big-'));
    try {
      writeFileSync(join(dir, 'h.jsonl'), text);
      const streamed = await readHistory(join(dir, 'h.jsonl'));
      expect([streamed.events.length, streamed.deliveries.length]).toEqual([h.events.length, h.deliveries.length]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
