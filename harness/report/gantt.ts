// A Mermaid gantt chart of who held which lease when: the timeline a reader checks first.
import type { Hold } from '../checkers/leases.ts';
import type { Marks } from '../scenario.ts';
import type { Timeline } from '../timeline.ts';
import { messages, type Messages } from './lang/messages.ts';

const safe = (s: string) => s.replace(/[:#;]/g, ' ');

/**
 * Mermaid draws a gantt axis as dates in the viewer's time zone, so a minutes field would shift
 * by a half-hour zone (India's) and a seconds field wraps at 60. Under a minute the axis shows
 * seconds.milliseconds; longer runs are drawn with one unit per second (or per few seconds) and
 * the axis shows the milliseconds field, which then counts seconds from 0 to 999: never wraps,
 * never depends on the zone.
 */
function axis(endMs: number, m: Messages): { unitMs: number; format: string; label: string } {
  if (endMs < 60_000) return { unitMs: 1, format: '%S.%L', label: m.chart.axis(1) };
  const perUnit = Math.ceil(endMs / 1000 / 999);
  return { unitMs: 1000 * perUnit, format: '%L', label: m.chart.axis(perUnit) };
}

const GLIMPSE_MS = 100;

/**
 * One section per lease (its holders, as `active` bars), then what the lanes show in report.html:
 * who stood by, the faults (`crit` bars, or milestones when instant), and the moments that explain
 * a handover: kills, each deployment's first DENIED, and the scenario's own marks.
 */
export function gantt(title: string, holds: Hold[], marks: Marks, timeline?: Timeline, m: Messages = messages()): string {
  if (holds.length === 0) return '';
  // Every bar drawn counts: a standby or a fault may outlast the last hold.
  const end = Math.max(...holds.map((h) => h.end), ...Object.values(marks), timeline?.endMs ?? 0);
  const { unitMs, format, label } = axis(end, m);
  const at = (t: number) => Math.round(t / unitMs);
  const s1 = (t: number) => (t / 1000).toFixed(1);
  const bar = (name: string, tag: string, from: number, to: number) =>
    `  ${safe(name)} ${s1(from)}–${s1(to)} s :${tag}${at(from)}, ${Math.max(at(from) + 1, at(to))}`;
  const milestone = (name: string, t: number) => `  ${safe(name)} ${m.chart.at(s1(t))} :milestone, ${at(t)}, ${at(t)}`;
  const rows = ['```mermaid', 'gantt', `  title ${safe(title)} — ${m.chart.holders} (${label})`, '  dateFormat x', `  axisFormat ${format}`];
  const byLock = new Map<string, Hold[]>();
  for (const h of holds) byLock.set(h.lock, [...(byLock.get(h.lock) ?? []), h]);
  for (const [lock, hs] of byLock) {
    rows.push(`  section ${safe(lock)}`);
    for (const h of hs) rows.push(bar(`${h.source} fence ${h.fence} (${h.endedBy})`, 'active, ', h.start, h.end));
  }
  const lanes = timeline?.lanes ?? [];
  // A standby moment between a release and the exit is noise at this scale.
  const standby = lanes.flatMap((l) => l.standby.filter((s) => s.to - s.from >= GLIMPSE_MS).map((s) => bar(`${l.label} ${m.chart.standby}`, 'done, ', s.from, s.to)));
  if (standby.length) rows.push(`  section ${m.chart.standby}`, ...standby);
  // Pauses are faults too (the harness pauses only through its pause fault), so they are listed here once.
  const faults = (timeline?.faults ?? []).map((f) => (f.to > f.from ? bar(f.name, 'crit, ', f.from, f.to) : milestone(f.name, f.from)));
  if (faults.length) rows.push(`  section ${m.chart.faults}`, ...faults);
  const named = new Set(Object.keys(marks));
  const moments = [
    ...lanes.flatMap((l) => l.kills.filter((k) => !named.has(`${k.signal} ${l.label}`)).map((k) => [`${k.signal} ${l.label}`, k.t] as const)),
    ...lanes.flatMap((l) => (l.firstDenied === undefined ? [] : [[`${l.label} ${m.chart.denied}`, l.firstDenied] as const])),
    ...Object.entries(marks),
  ].sort((a, b) => a[1] - b[1]);
  if (moments.length) rows.push(`  section ${m.chart.events}`, ...moments.map(([name, t]) => milestone(name, t)));
  rows.push('```');
  return rows.join('\n');
}
