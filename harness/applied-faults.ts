// What the harness did to the fleet, read back from a history: each fault paired with its heal,
// and the kills. The report lists them, the timeline draws them, and the environment checker
// excuses store refusals inside them — one pairing for all three, so they never disagree.
import type { History, HistoryEvent } from './history.ts';
import type { Span } from './timeline.ts';

/** A fault as applied: its start event, when it began, and when it healed (undefined: never). */
export interface AppliedFault {
  start: HistoryEvent;
  from: number;
  to?: number;
}

/** Faults that happen at an instant and have no heal: recorded with a start and never an end. */
const INSTANT = new Set(['kill', 'terminate', 'clock-step', 'store-cut']);

/** Every fault in `events` (sorted by time), in the order they began. */
export function appliedFaults(events: HistoryEvent[]): AppliedFault[] {
  const out: AppliedFault[] = [];
  const open = new Map<string, AppliedFault>();
  for (const e of events) {
    if (e.source !== 'harness' || e.type !== 'fault') continue;
    const key = `${e.fault} ${e.path ?? ''} ${e.target ?? ''}`;
    if (e.phase === 'end') {
      const f = open.get(key);
      if (f) f.to = e.t;
      open.delete(key);
      continue;
    }
    const f: AppliedFault = { start: e, from: e.t, to: e.phase === 'start' && !INSTANT.has(String(e.fault)) ? undefined : e.t };
    if (f.to === undefined) open.set(key, f);
    out.push(f);
  }
  return out;
}

/** Every fault but clock shifts (they last, and change no one's reach) as a window; one never healed ends at `endMs`. */
export function faultWindows(events: HistoryEvent[], endMs: number): (Span & { name: string })[] {
  return appliedFaults(events)
    .filter((f) => f.start.fault !== 'clock')
    .map((f) => ({ name: [f.start.fault, f.start.path, f.start.target].filter(Boolean).join(' '), from: f.from, to: f.to ?? endMs }));
}

/** Every fault and kill, in words, in the order they happened: "network (store, hold) on d2 at 9.6 s for 2.7 s". */
export function describeFaults(h: History): string[] {
  const at = (t: number) => `${(t / 1000).toFixed(1)} s`;
  const kills = h.events
    .filter((e) => e.source === 'harness' && e.type === 'signal' && (e.signal === 'SIGKILL' || e.signal === 'SIGTERM'))
    .map((e) => ({ t: e.t, text: `${e.signal} ${e.target} at ${at(e.t)}` }));
  const faults = appliedFaults(h.events).map((f) => {
    const what = faultName(f.start);
    if (f.to === undefined) return { t: f.from, text: f.start.fault === 'clock' ? `${what} from ${at(f.from)} on` : `${what} at ${at(f.from)}` };
    return { t: f.from, text: f.to > f.from ? `${what} at ${at(f.from)} for ${at(f.to - f.from)}` : `${what} at ${at(f.from)}` };
  });
  return [...kills, ...faults].sort((a, b) => a.t - b.t).map((x) => x.text);
}

/** "network (store, hold) on d2", "clock +1500 ms on d3", "store-stall on the store". */
function faultName(e: HistoryEvent): string {
  const kind = (e.mode as { kind?: string } | undefined)?.kind;
  const path = e.path ? ` (${e.path}${kind ? `, ${kind}` : ''})` : '';
  const offset = e.offsetMs !== undefined ? ` ${Number(e.offsetMs) > 0 ? '+' : ''}${e.offsetMs} ms` : '';
  return `${e.fault}${path}${offset} on ${e.target || 'the store'}`;
}
