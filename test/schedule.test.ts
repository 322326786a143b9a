// Schedules as data: strict parsing with one clear line per error, the grammar's cells mapping
// back from the steps they draw, seeded generation that replays, steering toward unhit cells,
// and shrinking a planted failure. Pure: no process, no store.
import { describe, expect, it } from 'vitest';
import { describeSchedule, parseSchedule, type Schedule, type Step } from '../harness/schedule/schedule.ts';
import { allCells, cellKey, cellOfStep, stepFor, STEP_KINDS } from '../harness/explore/cells.ts';
import { generateSchedule } from '../harness/explore/generate.ts';
import { shrinkSchedule } from '../harness/explore/shrink.ts';
import { seededRandom } from '../harness/random.ts';
import { QUICK } from '../harness/scenario.ts';
import type { FaultEnv } from '../harness/faults/faults.ts';

const PG: FaultEnv = { store: 'postgres', faketime: true, storeProxy: true, containers: true };
const SQLITE: FaultEnv = { store: 'sqlite', faketime: false, storeProxy: false, containers: true };
const kill = (role = 'holder'): Record<string, unknown> => ({ role, gapMs: 100, action: { do: 'fault', fault: 'kill', params: {} } });
const base = (steps: unknown[]) => ({ version: 1, instances: 3, partitions: 2, steps });

describe('parseSchedule', () => {
  it('reads a valid schedule back as it was written', () => {
    const s = base([kill(), { role: 'next-holder', gapMs: 0, after: 'acquired', delayMs: 20, action: { do: 'fault', fault: 'pause', params: {}, ms: 2500 } },
      { role: 'store', gapMs: 0, action: { do: 'fault', fault: 'store-stall', params: {}, ms: 500 } }]);
    expect(parseSchedule(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(describeSchedule(parseSchedule(s))[1]).toBe('2. +0 ms, after its next acquired + 20 ms: pause for 2500 ms → next-holder');
  });
  it.each([
    [base([{ ...kill(), role: 'leader' }]), /steps\[0\]\.role: must be one of holder, standby/],
    [base([{ ...kill(), role: 'holder-of-p5' }]), /holder-of-p5: the schedule has 2 partition/],
    [base([{ role: 'holder', gapMs: 0, action: { do: 'fault', fault: 'pause', params: {} } }]), /pause needs a duration in ms/],
    [base([{ ...kill(), action: { do: 'fault', fault: 'kill', params: {}, ms: 5 } }]), /kill is an instant: it takes no ms/],
    [base([{ role: 'holder', gapMs: 0, action: { do: 'fault', fault: 'store-stall', params: {}, ms: 5 } }]), /store-stall is a fault of the store/],
    [base([{ role: 'holder', gapMs: 0, action: { do: 'fault', fault: 'clock-step', params: { offsetMs: -5000, clocks: 'both' } } }]), /never steps back/],
    [base([{ role: 'holder', gapMs: 0, action: { do: 'fault', fault: 'network', params: { path: 'disk', mode: { kind: 'hold' } }, ms: 5 } }]), /params\.path: must be one of store, sink/],
    [base([{ ...kill(), after: 'woke' }]), /after: must be one of acquired/],
    [base([{ ...kill(), gapMs: -1 }]), /gapMs: must be a whole number/],
    [base([{ role: 'holder', gapMs: 0, action: { do: 'command', cmd: 'pause' } }]), /cmd: must be start or stop/],
    [base([{ role: 'holder', gapMs: 0, action: { do: 'fault', fault: 'pause', params: {}, ms: 9 }, restartAfterMs: 5 }]), /only a kill or terminate step restarts/],
    [{ ...base([kill()]), version: 2 }, /version: must be 1/],
    [base([]), /steps: must be a non-empty list/],
  ])('refuses a bad field in one line naming it (%#)', (raw, message) => {
    expect(() => parseSchedule(raw)).toThrow(message);
    try { parseSchedule(raw); } catch (e) { expect((e as Error).message.split('\n')).toHaveLength(1); }
  });
});

describe('the explorer\'s cells', () => {
  it('maps every drawn step back to the cell it was drawn for', () => {
    const rnd = seededRandom(1, 'cells');
    for (const cell of allCells(PG, 2).reachable) expect(cellKey(cellOfStep(stepFor(cell, 0, rnd, QUICK))!)).toBe(cellKey(cell));
  });
  it('lists the cells SQLite cannot reach apart, with the reason, and reaches the rest', () => {
    const { reachable, unreachable } = allCells(SQLITE, 2);
    expect(reachable.some((c) => c.kind.startsWith('store-') && c.kind !== 'store-stall')).toBe(false);
    expect(unreachable.find((u) => u.cell.kind === 'store-hold')?.why).toMatch(/SQLite/);
    expect(reachable.some((c) => c.kind === 'sink-hold')).toBe(true);
    expect(allCells(PG, 1).reachable.some((c) => c.role === 'holder-of-p1')).toBe(false);
    expect(new Set(STEP_KINDS.map((k) => k.id)).size).toBe(STEP_KINDS.length);
  });
});

describe('generateSchedule', () => {
  const grammar = (hits = new Map<string, number>()) => ({ reachable: allCells(PG, 2).reachable, hits, timing: QUICK, instances: 3, partitions: 2 });
  it('makes the same schedules from the same seed, and only schedules the parser accepts', () => {
    const make = (seed: number) => { const rnd = seededRandom(seed, 'explore'); return Array.from({ length: 50 }, (_, i) => generateSchedule(rnd, grammar(), `#${i}`)); };
    expect(make(7)).toEqual(make(7));
    expect(make(8)).not.toEqual(make(7));
    for (const s of [...make(7), ...make(9)]) expect(parseSchedule(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });
  it('draws the cells not hit yet far more often than the ones hit many times', () => {
    const all = allCells(PG, 2).reachable.map(cellKey);
    const unhit = new Set(all.filter((_, i) => i % 10 === 0));
    const hits = new Map(all.filter((c) => !unhit.has(c)).map((c) => [c, 50]));
    const rnd = seededRandom(3, 'explore');
    let fresh = 0;
    let total = 0;
    for (let i = 0; i < 300; i++) {
      for (const st of generateSchedule(rnd, grammar(hits), '').steps) {
        const c = cellOfStep(st);
        if (!c) continue;
        total++;
        if (unhit.has(cellKey(c))) fresh++;
      }
    }
    // A tenth of the cells, unsteered, would be about a tenth of the draws.
    expect(fresh / total).toBeGreaterThan(0.4);
  });
});

describe('shrinkSchedule', () => {
  const step = (fault: string, ms?: number, role = 'holder'): Step =>
    ({ role, gapMs: 400, action: { do: 'fault', fault, params: {}, ...(ms ? { ms } : {}) } } as Step);
  const big: Schedule = {
    version: 1, instances: 3, partitions: 2,
    steps: [step('pause', 300, 'standby'), step('kill'), step('terminate', undefined, 'standby'), step('pause', 6400), step('store-stall', 900, 'store'), step('pause', 100)],
  };
  // The planted bug: a kill of the holder followed, at any distance, by a pause of 800 ms or more.
  const planted = (s: Schedule) => {
    const k = s.steps.findIndex((x) => x.action.do === 'fault' && x.action.fault === 'kill' && x.role === 'holder');
    return k >= 0 && s.steps.slice(k + 1).some((x) => x.action.do === 'fault' && x.action.fault === 'pause' && (x.action.ms ?? 0) >= 800);
  };
  it('shrinks a planted failure to its two steps and the shortest window that still fails', async () => {
    const { schedule, tries } = await shrinkSchedule(big, async (s) => planted(s), 200);
    expect(schedule.steps.length).toBeLessThanOrEqual(3);
    expect(schedule.steps.map((s) => s.action.do === 'fault' && s.action.fault)).toEqual(['kill', 'pause']);
    const pause = schedule.steps[1]!.action as { ms: number };
    expect(pause.ms).toBeGreaterThanOrEqual(800);
    expect(pause.ms).toBeLessThan(1600);
    expect(planted(schedule)).toBe(true);
    expect(tries).toBeLessThan(200);
    expect(schedule.origin).toMatch(/shrunk from 6 to 2 step/);
  });
  it('leaves a schedule that stops failing as it was, and spends no more tries than allowed', async () => {
    let n = 0;
    const { schedule, tries } = await shrinkSchedule(big, async () => { n++; return false; }, 5);
    expect(schedule.steps).toEqual(big.steps);
    expect(tries).toBe(5);
    expect(n).toBe(5);
  });
});
