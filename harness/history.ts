// One timeline per scenario: what every worker said, what the harness did to it, and what the
// sink received. Times are ms on the host's monotonic clock since the scenario started; workers
// report CLOCK_MONOTONIC too, so one host's events compare directly. Saved as JSON lines, so a
// verdict can be re-checked from the file alone.
import type { Delivery } from './sink.ts';

export interface HistoryEvent {
  /** ms since the scenario started (monotonic). */
  t: number;
  /** Worker label ("d1"…) or "harness". */
  source: string;
  type: string;
  instance?: string;
  [field: string]: unknown;
}

export interface History {
  events: HistoryEvent[];
  deliveries: (Delivery & { t: number })[];
}

export const ofType = (h: History, ...types: string[]) => h.events.filter((e) => types.includes(e.type));

/** Worker label → instance ID, from `started` events. */
export function instancesByLabel(h: History): Map<string, string> {
  return new Map(ofType(h, 'started').map((e) => [e.source, String(e.id)]));
}

/** Instance ID → worker label, built once per history (unknown IDs name themselves). */
export function labeller(h: History): (instance: string) => string {
  const labels = new Map([...instancesByLabel(h)].map(([label, id]) => [id, label]));
  return (instance) => labels.get(instance) ?? instance;
}

/** The holder a worker's `status` ack reported for its first lease (null: free, undefined: no answer). */
export function statusHolder(ack: HistoryEvent | undefined): string | null | undefined {
  if (!ack) return undefined;
  return (ack.holders as { holder: string | null }[] | undefined)?.[0]?.holder ?? null;
}

export function toJsonLines(h: History): string {
  const rows = [...h.events.map((e) => ({ kind: 'event', ...e })), ...h.deliveries.map((d) => ({ kind: 'delivery', ...d }))];
  return rows.sort((a, b) => a.t - b.t).map((r) => JSON.stringify(r)).join('\n') + '\n';
}

export function fromJsonLines(text: string): History {
  const h: History = { events: [], deliveries: [] };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const { kind, ...row } = JSON.parse(line);
    if (kind === 'delivery') h.deliveries.push(row);
    else h.events.push(row);
  }
  return h;
}
