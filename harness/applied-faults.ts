// What the harness did to the fleet, read back from a history: each fault paired with its heal,
// and the kills. The report lists them, the timeline draws them, and the environment checker
// excuses store refusals inside them — one pairing for all three, so they never disagree.
import type { History, HistoryEvent } from './history.ts';
import type { Span } from './timeline.ts';
import { faultKind } from './faults/faults.ts';

/** A fault as applied: its start event, when it began, and when it healed (undefined: never). */
export interface AppliedFault {
  start: HistoryEvent;
  from: number;
  to?: number;
}

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
    const f: AppliedFault = { start: e, from: e.t, to: e.phase === 'start' && !faultKind(e.fault)?.instant ? undefined : e.t };
    if (f.to === undefined) open.set(key, f);
    out.push(f);
  }
  return out;
}

/** Every fault but lasting ones (a clock shifted from the start changes no one's reach) as a window; one never healed ends at `endMs`. */
export function faultWindows(events: HistoryEvent[], endMs: number): (Span & { name: string })[] {
  return appliedFaults(events)
    .filter((f) => !faultKind(f.start.fault)?.lasting)
    .map((f) => ({ name: [f.start.fault, f.start.path, f.start.target].filter(Boolean).join(' '), from: f.from, to: f.to ?? endMs }));
}

/** Every fault and kill, in words, in the order they happened: "network (store, hold) on d2 at 9.6 s for 2.7 s". */
export function describeFaults(h: History): string[] {
  const at = (t: number) => `${(t / 1000).toFixed(1)} s`;
  // A kill injected as a fault (at a protocol moment) is described by its fault event: its signal line would say it twice.
  const asFault = h.events.filter((e) => e.type === 'fault' && (e.fault === 'kill' || e.fault === 'terminate'));
  const saidAsFault = (e: HistoryEvent) => asFault.some((f) => f.target === e.target && Math.abs(f.t - e.t) < 50);
  const kills = h.events
    .filter((e) => e.source === 'harness' && e.type === 'signal' && (e.signal === 'SIGKILL' || e.signal === 'SIGTERM') && !saidAsFault(e))
    .map((e) => ({ t: e.t, text: `${e.signal} ${e.target} at ${at(e.t)}` }));
  const faults = appliedFaults(h.events).map((f) => {
    const what = describeFault(f.start);
    if (f.to === undefined) return { t: f.from, text: faultKind(f.start.fault)?.lasting ? `${what} from ${at(f.from)} on` : `${what} at ${at(f.from)}` };
    return { t: f.from, text: f.to > f.from ? `${what} at ${at(f.from)} for ${at(f.to - f.from)}` : `${what} at ${at(f.from)}` };
  });
  return [...kills, ...faults].sort((a, b) => a.t - b.t).map((x) => x.text);
}

/** "network (store, hold) on d2", "clock +1500 ms on d3", "store-stall on the store", and the moment it was placed at. */
export function describeFault(e: HistoryEvent): string {
  const m = e.moment as { after: string; of: string; delayMs: number } | undefined;
  const moment = m ? `, ${m.delayMs ? `${Math.round(m.delayMs)} ms ` : ''}after ${m.of}'s ${m.after}` : '';
  return `${e.fault}${faultKind(e.fault)?.describe(e) ?? ''} on ${e.target || 'the store'}${moment}`;
}
