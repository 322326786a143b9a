// A Mermaid gantt chart of who held which lease when: the timeline a reader checks first.
import type { Hold } from '../checkers/leases.ts';
import type { Marks } from '../scenario.ts';

const safe = (s: string) => s.replace(/[:#;]/g, ' ');

export function gantt(title: string, holds: Hold[], marks: Marks): string {
  if (holds.length === 0) return '';
  const rows = ['```mermaid', 'gantt', `  title ${safe(title)} — lease holders (ms since start)`, '  dateFormat x', '  axisFormat %S.%L s'];
  const byLock = new Map<string, Hold[]>();
  for (const h of holds) byLock.set(h.lock, [...(byLock.get(h.lock) ?? []), h]);
  for (const [lock, hs] of byLock) {
    rows.push(`  section ${safe(lock)}`);
    for (const h of hs) {
      const start = Math.round(h.start);
      const end = Math.max(start + 1, Math.round(h.end));
      rows.push(`  ${h.source} fence ${h.fence} (${safe(h.endedBy)}) :${start}, ${end}`);
    }
  }
  const events = Object.entries(marks);
  if (events.length) {
    rows.push('  section harness');
    for (const [name, t] of events) rows.push(`  ${safe(name)} :milestone, ${Math.round(t)}, ${Math.round(t)}`);
  }
  rows.push('```');
  return rows.join('\n');
}
