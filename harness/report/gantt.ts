// A Mermaid gantt chart of who held which lease when: the timeline a reader checks first.
import type { Hold } from '../checkers/leases.ts';
import type { Marks } from '../scenario.ts';

const safe = (s: string) => s.replace(/[:#;]/g, ' ');

/**
 * Mermaid draws a gantt axis as dates in the viewer's time zone, so a minutes field would shift
 * by a half-hour zone (India's) and a seconds field wraps at 60. Under a minute the axis shows
 * seconds.milliseconds; longer runs are drawn with one unit per second (or per few seconds) and
 * the axis shows the milliseconds field, which then counts seconds from 0 to 999: never wraps,
 * never depends on the zone.
 */
function axis(endMs: number): { unitMs: number; format: string; label: string } {
  if (endMs < 60_000) return { unitMs: 1, format: '%S.%L', label: 'axis: seconds since start' };
  const perUnit = Math.ceil(endMs / 1000 / 999);
  return { unitMs: 1000 * perUnit, format: '%L', label: perUnit === 1 ? 'axis: seconds since start' : `axis: units of ${perUnit} s since start` };
}

export function gantt(title: string, holds: Hold[], marks: Marks): string {
  if (holds.length === 0) return '';
  const end = Math.max(...holds.map((h) => h.end), ...Object.values(marks));
  const { unitMs, format, label } = axis(end);
  const at = (t: number) => Math.round(t / unitMs);
  const rows = ['```mermaid', 'gantt', `  title ${safe(title)} — lease holders (${label})`, '  dateFormat x', `  axisFormat ${format}`];
  const byLock = new Map<string, Hold[]>();
  for (const h of holds) byLock.set(h.lock, [...(byLock.get(h.lock) ?? []), h]);
  for (const [lock, hs] of byLock) {
    rows.push(`  section ${safe(lock)}`);
    for (const h of hs) {
      const from = at(h.start);
      const to = Math.max(from + 1, at(h.end));
      rows.push(`  ${h.source} fence ${h.fence} (${safe(h.endedBy)}) ${(h.start / 1000).toFixed(1)}–${(h.end / 1000).toFixed(1)} s :${from}, ${to}`);
    }
  }
  const events = Object.entries(marks);
  if (events.length) {
    rows.push('  section harness');
    for (const [name, t] of events) rows.push(`  ${safe(name)} at ${(t / 1000).toFixed(1)} s :milestone, ${at(t)}, ${at(t)}`);
  }
  rows.push('```');
  return rows.join('\n');
}
