// One pairing of fault starts and heals feeds the report's list, the timeline's windows and the
// environment checker's excuses: a fault healed, one never healed, instants, a lasting clock shift.
import { describe, expect, it } from 'vitest';
import { appliedFaults, describeFaults, faultWindows } from '../harness/applied-faults.ts';
import type { History, HistoryEvent } from '../harness/history.ts';

const fault = (t: number, fields: Record<string, unknown>): HistoryEvent => ({ t, source: 'harness', type: 'fault', ...fields });
const events: HistoryEvent[] = [
  fault(100, { fault: 'clock', phase: 'start', target: 'd3', offsetMs: 1500 }),
  fault(1_000, { fault: 'network', phase: 'start', target: 'd1', path: 'store', mode: { kind: 'hold' } }),
  { t: 1_500, source: 'harness', type: 'signal', target: 'd2', signal: 'SIGKILL' },
  { t: 1_600, source: 'harness', type: 'signal', target: 'd2', signal: 'SIGSTOP' },
  fault(2_000, { fault: 'store-cut', phase: 'start', target: '' }),
  // Another deployment's network fault ends: it must not close d1's.
  fault(2_500, { fault: 'network', phase: 'end', target: 'd4', path: 'store', mode: { kind: 'hold' } }),
  fault(3_700, { fault: 'network', phase: 'end', target: 'd1', path: 'store', mode: { kind: 'hold' } }),
  fault(4_000, { fault: 'store-stall', phase: 'start', target: '' }),
];
const history: History = { events, deliveries: [] };

describe('applied faults', () => {
  it('pairs each start with its own heal, in the order the faults began', () => {
    expect(appliedFaults(events).map((f) => [f.start.fault, f.from, f.to])).toEqual([
      ['clock', 100, undefined], ['network', 1_000, 3_700], ['store-cut', 2_000, 2_000], ['store-stall', 4_000, undefined],
    ]);
  });

  it('draws windows for everything but clock shifts; an unhealed fault lasts to the end', () => {
    expect(faultWindows(events, 9_000)).toEqual([
      { name: 'network store d1', from: 1_000, to: 3_700 },
      { name: 'store-cut', from: 2_000, to: 2_000 },
      { name: 'store-stall', from: 4_000, to: 9_000 },
    ]);
  });

  it('lists faults and kills in words, in the order they happened', () => {
    expect(describeFaults(history)).toEqual([
      'clock +1500 ms on d3 from 0.1 s on',
      'network (store, hold) on d1 at 1.0 s for 2.7 s',
      'SIGKILL d2 at 1.5 s',
      'store-cut on the store at 2.0 s',
      'store-stall on the store at 4.0 s',
    ]);
  });
});
