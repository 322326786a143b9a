// What each deployment was doing when, read from a history: alive, standing by, paused, cut off,
// killed, first denied; and every fault as a window. The pictures (report.html's SVG, report.md's
// Mermaid chart) draw this; the verdicts never read it.
import { byTime, endOf, type History, type HistoryEvent } from './history.ts';
import { holds } from './checkers/leases.ts';
import { faultWindows } from './applied-faults.ts';
import { faultKind } from './faults/faults.ts';

export interface Span { from: number; to: number }

export interface Lane {
  label: string;
  alive: Span[];
  /** Alive and holding no lease. */
  standby: Span[];
  paused: Span[];
  /** Under a network fault (any path of this deployment). */
  cut: Span[];
  kills: { t: number; signal: string }[];
  /** When the deployment was first told the lock is taken, if ever. */
  firstDenied?: number;
}

export interface Timeline {
  endMs: number;
  lanes: Lane[];
  /** Every fault, named as the harness applied it ("network store d2", "store-stall"); one that happens at an instant has from = to. */
  faults: (Span & { name: string })[];
}

/** [from, to] pairs of events that open and close something; one left open ends at `end`. */
export function spans(events: HistoryEvent[], opens: (e: HistoryEvent) => boolean, closes: (e: HistoryEvent) => boolean, end: number): Span[] {
  const out: Span[] = [];
  let open: number | undefined;
  for (const e of events) {
    if (open === undefined && opens(e)) open = e.t;
    else if (open !== undefined && closes(e)) { out.push({ from: open, to: e.t }); open = undefined; }
  }
  if (open !== undefined) out.push({ from: open, to: end });
  return out;
}

/** `spans` minus `holes`, both sorted and each non-overlapping. */
function subtract(spansIn: Span[], holes: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spansIn) {
    let from = s.from;
    for (const h of holes) {
      if (h.to <= from || h.from >= s.to) continue;
      if (h.from > from) out.push({ from, to: h.from });
      from = Math.max(from, h.to);
    }
    if (from < s.to) out.push({ from, to: s.to });
  }
  return out;
}

/** Overlapping spans joined (a deployment holding several partitions holds "something" once). */
function union(xs: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...xs].sort((a, b) => a.from - b.from)) {
    const last = out.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

const isFault = (phase: string, e: HistoryEvent) => e.type === 'fault' && e.phase === phase;

export function timelineOf(h: History): Timeline {
  const events = byTime(h.events);
  const endMs = Math.max(1, endOf(h));
  const held = holds(h);
  const labels = [...new Set(events.filter((e) => e.type === 'spawn').map((e) => String(e.target)))]
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const lanes = labels.map((label): Lane => {
    const own = events.filter((e) => e.source === label || e.target === label);
    const alive = spans(own, (e) => e.type === 'spawn', (e) => e.type === 'exit', endMs);
    return {
      label,
      alive,
      standby: subtract(alive, union(held.filter((x) => x.source === label).map((x) => ({ from: x.start, to: x.end })))),
      paused: spans(own, (e) => e.type === 'signal' && e.signal === 'SIGSTOP', (e) => e.type === 'signal' && e.signal === 'SIGCONT', endMs),
      cut: spans(own, (e) => isFault('start', e) && !!faultKind(e.fault)?.cuts, (e) => isFault('end', e) && !!faultKind(e.fault)?.cuts, endMs),
      kills: own.filter((e) => e.type === 'signal' && (e.signal === 'SIGKILL' || e.signal === 'SIGTERM')).map((e) => ({ t: e.t, signal: String(e.signal) })),
      firstDenied: own.find((e) => e.type === 'denied' && e.source === label)?.t,
    };
  });
  return { endMs, lanes, faults: faultWindows(events, endMs) };
}
