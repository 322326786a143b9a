// One timeline per scenario: what every worker said, what the harness did to it, and what the
// sink received. Times are ms on the host's monotonic clock since the scenario started; workers
// report CLOCK_MONOTONIC too, so one host's events compare directly. Saved as JSON lines, so a
// verdict can be re-checked from the file alone.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
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

/** A delivery on the timeline. `fence` is null when the worker has no fencing token. */
export type HistoryDelivery = Omit<Delivery, 'fence'> & { t: number; fence: number | null };

export interface History {
  events: HistoryEvent[];
  deliveries: HistoryDelivery[];
}

/** The run's settings, as the harness's `settings` event at t=0 records them. */
export interface HistorySettings {
  instances: number;
  timing: { leaseMs: number; renewDeadlineMs: number; retryMs: number };
  partitions: number;
  /** Messages in the plan (0 = keep sending until stopped). */
  messages: number;
  intervalMs: number;
  /** Lock name (lease of partition p: `lock.p<p>` when partitions > 1). Absent in older histories: "auto". */
  lock?: string;
  automation?: string;
}

export const ofType = (h: History, ...types: string[]) => h.events.filter((e) => types.includes(e.type));

/** The harness's `settings` event, or undefined for a history recorded before it existed. */
export function settingsOf(h: History): HistorySettings | undefined {
  const e = h.events.find((x) => x.type === 'settings' && x.source === 'harness');
  if (!e) return undefined;
  const { t: _t, source: _s, type: _type, instance: _i, ...rest } = e;
  return rest as unknown as HistorySettings;
}

/** Worker label → instance ID, from `started` events. */
export function instancesByLabel(h: History): Map<string, string> {
  return new Map(ofType(h, 'started').map((e) => [e.source, String(e.id)]));
}

/** Instance ID → worker label, built once per history (unknown IDs name themselves). */
export function labeller(h: History): (instance: string) => string {
  const labels = new Map([...instancesByLabel(h)].map(([label, id]) => [id, label]));
  return (instance) => labels.get(instance) ?? instance;
}

/**
 * Who delivered: the deployment whose network path carried the delivery (`via`, the receiver's
 * own observation), else the label of the instance it names. Two deployments that share one
 * instance ID are two deliverers; what a delivery says about itself is only a fallback.
 */
export function delivererLabel(h: History): (d: HistoryDelivery) => string {
  const label = labeller(h);
  return (d) => d.via ?? label(d.instance);
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
  for (const line of text.split('\n')) addLine(h, line);
  return h;
}

/** A saved history read line by line: a soak's file can be larger than one string may be. */
export async function readHistory(file: string): Promise<History> {
  const h: History = { events: [], deliveries: [] };
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) addLine(h, line);
  return h;
}

function addLine(h: History, line: string): void {
  if (!line.trim()) return;
  const { kind, ...row } = JSON.parse(line);
  if (kind === 'delivery') h.deliveries.push(row);
  else h.events.push(row);
}

/** A line's fencing token: a number, or null for a worker without fences (absent counts as null). */
export function fenceOf(x: object): number | null {
  const f = (x as { fence?: unknown }).fence;
  return typeof f === 'number' ? f : null;
}

/** Partition of a send or delivery: its `partition` field when it is an integer, else seq % P. */
export function partitionOf(x: object, partitions: number): number {
  const { partition, seq } = x as { partition?: unknown; seq?: unknown };
  return Number.isInteger(partition) ? Number(partition) : Number(seq) % partitions;
}

const memos = new WeakMap<History, { size: number; values: Map<string, unknown> }>();

/**
 * What several checkers derive from one history (its safe holds, its send-line index), computed
 * once per history. A history that has grown since (a live run's) is derived afresh.
 */
export function memo<T>(h: History, key: string, derive: () => T): T {
  const size = h.events.length + h.deliveries.length;
  let m = memos.get(h);
  if (!m || m.size !== size) memos.set(h, (m = { size, values: new Map() }));
  if (!m.values.has(key)) m.values.set(key, derive());
  return m.values.get(key) as T;
}

/** Events in time order (a copy; the history keeps its arrival order). */
export const byTime = <T extends { t: number }>(xs: T[]): T[] => [...xs].sort((a, b) => a.t - b.t);

/** The last moment the history knows about: its latest event or delivery. */
/** The largest of `xs` (`empty` for none). A spread into Math.max overflows the stack past ~100k values. */
export function maxOf(xs: Iterable<number>, empty = -Infinity): number {
  let m = empty;
  for (const x of xs) if (x > m) m = x;
  return m;
}

export const endOf = (h: History): number => [...h.events, ...h.deliveries].reduce((m, x) => Math.max(m, x.t), 0);

/**
 * Finds the `send` line a delivery came from: a `send` by the delivery's instance (or, for a
 * delivery whose network path is known, by its deployment) with the same seq and fence, printed no
 * later than 50 ms after the delivery arrived (one host's monotonic clock on both sides; 50 ms
 * absorbs line buffering). Lines and deliveries are paired one to one in time order, each
 * delivery to the latest line before it that no earlier delivery took — so a worker retrying
 * every few tens of milliseconds, each retry on its own line, has each request matched to its own
 * line — and only a delivery left over (more requests than lines: a hidden retry) shares a line.
 * Indexed once, so a checker can ask for every delivery.
 */
export function sendLineFinder(h: History): (d: HistoryDelivery) => HistoryEvent | undefined {
  const found = memo(h, 'sendLineFinder', () => matchSendLines(h));
  return (d) => found.get(d);
}

const SEND_LINE_SLACK_MS = 50;

function matchSendLines(h: History): Map<HistoryDelivery, HistoryEvent> {
  const ids = instancesByLabel(h);
  const key = (who: string, seq: unknown, fence: number | null) => `${who}\u0000${seq}\u0000${fence}`;
  // By instance, and by deployment for a delivery whose network path is known (its `via`).
  const lines = new Map<string, HistoryEvent[]>();
  const add = (k: string, e: HistoryEvent) => { if (!lines.has(k)) lines.set(k, []); lines.get(k)!.push(e); };
  for (const e of byTime(ofType(h, 'send'))) {
    add(`i${key(e.instance ?? ids.get(e.source) ?? e.source, Number(e.seq), fenceOf(e))}`, e);
    add(`l${key(e.source, Number(e.seq), fenceOf(e))}`, e);
  }
  const taken = new Set<HistoryEvent>();
  const found = new Map<HistoryDelivery, HistoryEvent>();
  for (const d of byTime(h.deliveries)) {
    const mine = lines.get(d.via ? `l${key(d.via, d.seq, d.fence)}` : `i${key(d.instance, d.seq, d.fence)}`);
    const e = mine && pairLine(mine, d.t, taken);
    if (e) { found.set(d, e); taken.add(e); }
  }
  return found;
}

/** The latest free line at or before `t`, else the earliest free one within the slack after it, else the latest line (shared). */
function pairLine(lines: HistoryEvent[], t: number, taken: Set<HistoryEvent>): HistoryEvent | undefined {
  const before = lines.filter((e) => e.t <= t);
  return before.filter((e) => !taken.has(e)).at(-1)
    ?? lines.find((e) => e.t > t && e.t <= t + SEND_LINE_SLACK_MS && !taken.has(e))
    ?? lines.filter((e) => e.t <= t + SEND_LINE_SLACK_MS).at(-1);
}
