// Checks on what the sink really received. The RAW deliveries are judged, not what the sink
// accepted: a real receiver rarely dedupes or fences, so a seq delivered twice is a duplicate
// message in the world even though our sink refused the second copy.
import { delivererLabel, fenceOf, maxOf, sendLineFinder, type History, type HistoryDelivery, type HistoryEvent } from '../history.ts';
import { check, notExercised, type Check } from './check.ts';

type Delivery = HistoryDelivery;
const fmt = (label: (d: Delivery) => string, d: Delivery) =>
  `t=${Math.round(d.t)}ms seq=${d.seq} fence=${d.fence} from ${label(d)} → ${d.status}`;

export function noLoss(h: History, count: number): Check {
  const got = new Set(h.deliveries.filter((d) => d.status !== 'stale').map((d) => d.seq));
  const missing = Array.from({ length: count }, (_, i) => i).filter((s) => !got.has(s));
  return check('no message lost', missing.length === 0, missing.length, `missing of ${count}`, '0',
    missing.length ? [`missing seq: ${missing.slice(0, 20).join(', ')}`] : [`all of 0…${count - 1} delivered`]);
}

/**
 * For a plan with no fixed count (messages until stopped): per partition, the delivered seqs form
 * one unbroken run from its first seq (p, p + P, p + 2P …) to the highest delivered. A hole is a
 * lost message; the tail not yet sent when the run stopped is not.
 */
export function noGaps(h: History, partitions: number): Check {
  const name = 'no message lost (no gap in any partition)';
  const got = h.deliveries.filter((d) => d.status !== 'stale');
  if (got.length === 0) return notExercised(name, 'no deliveries', '0 gaps');
  const missing: number[] = [];
  for (let p = 0; p < partitions; p++) {
    const seqs = new Set(got.filter((d) => d.seq % partitions === p).map((d) => d.seq));
    const top = [...seqs].reduce((a, b) => Math.max(a, b), -1);
    for (let seq = p; seq < top; seq += partitions) if (!seqs.has(seq)) missing.push(seq);
  }
  return check(name, missing.length === 0, missing.length, 'missing below the highest delivered', '0',
    missing.length ? [`missing seq: ${missing.slice(0, 20).join(', ')}`] : [`${got.length} deliveries, no hole in ${partitions} partition(s)`]);
}

/** The seed's split: before `untilT`, each worker sends one residue class (seq % P), all different. */
export function seedSplit(h: History, partitions: number, untilT: number): Check {
  const label = delivererLabel(h);
  const classes = new Map<string, Set<number>>();
  for (const d of h.deliveries.filter((x) => x.t < untilT && x.status === 'accepted')) {
    const k = label(d);
    classes.set(k, (classes.get(k) ?? new Set()).add(d.seq % partitions));
  }
  const each = [...classes].map(([k, s]) => `${k}: seq % ${partitions} ∈ {${[...s].join(',')}}`);
  const single = [...classes.values()].every((s) => s.size === 1);
  const distinct = new Set([...classes.values()].map((s) => [...s][0])).size === classes.size;
  return check('each instance sends its own residue class', classes.size === partitions && single && distinct, each.join('; ') || 'none', '',
    `${partitions} instances, one class each, all different`, each);
}

export function balanced(h: History, untilT: number): Check {
  const label = delivererLabel(h);
  const n = new Map<string, number>();
  for (const d of h.deliveries.filter((x) => x.t < untilT && x.status === 'accepted')) {
    const k = label(d);
    n.set(k, (n.get(k) ?? 0) + 1);
  }
  const counts = [...n.values()];
  const spread = counts.length ? Math.max(...counts) - Math.min(...counts) : NaN;
  const total = counts.reduce((a, b) => a + b, 0);
  const bound = Math.max(2, Math.ceil(total * 0.2));
  return check('work split evenly', counts.length > 1 && spread <= bound, spread, 'messages apart',
    `<= ${bound} (20% of ${total}, at least 2)`, [...n].map(([k, v]) => `${k}: ${v}`));
}

/** Per partition, accepted seqs arrive in increasing order. */
export function inOrder(h: History): Check {
  const label = delivererLabel(h);
  const last = new Map<number, number>();
  const bad: string[] = [];
  for (const d of h.deliveries.filter((x) => x.status === 'accepted')) {
    if (d.seq <= (last.get(d.partition) ?? -1)) bad.push(fmt(label, d));
    last.set(d.partition, d.seq);
  }
  return check('messages arrive in order', bad.length === 0 && last.size > 0, bad.length, 'out of order', '0', bad);
}

/** A receiver's stale-fence refusal makes the sender step down (a `lost` for that fence soon after). */
export function staleRefusalsStepDown(h: History, withinMs: number): Check {
  const label = delivererLabel(h);
  const stale = h.deliveries.filter((d) => d.status === 'stale');
  const bound = `every refusal followed by a step-down within ${withinMs} ms`;
  if (stale.length === 0) return notExercised('stale writes refused and their sender stepped down', 'no stale write happened', bound);
  const ignored = stale.filter((d) => !h.events.some((e) => e.type === 'lost' && e.instance === d.instance &&
    e.fence === d.fence && e.t >= d.t && e.t - d.t <= withinMs));
  return check('stale writes refused and their sender stepped down', ignored.length === 0, `${stale.length} refused, ${ignored.length} ignored`, '',
    bound, (ignored.length ? ignored : stale).map((d) => fmt(label, d)));
}

/**
 * Raw requests per `send` line: a client that retries a timed-out or reset request by itself
 * (an HTTP library's retry, a proxy's) makes two requests of one line, and the receiver applies
 * both. The worker cannot excuse what it never printed, so more than one raw delivery matched to
 * one line is a failure; a retry the worker announces with its own `send` line is not counted here.
 */
export function oneRequestPerSend(h: History): Check {
  const name = 'each send line makes one request';
  const sendOf = sendLineFinder(h);
  const perLine = new Map<HistoryEvent, HistoryDelivery[]>();
  for (const d of h.deliveries) {
    const e = sendOf(d);
    if (!e) continue;
    const ds = perLine.get(e);
    if (ds) ds.push(d);
    else perLine.set(e, [d]);
  }
  if (perLine.size === 0) return notExercised(name, 'no delivery matched a send line', '≤ 1 request per line');
  const label = delivererLabel(h);
  const many = [...perLine].filter(([, ds]) => ds.length > 1);
  const most = maxOf([...perLine.values()].map((ds) => ds.length));
  const evidence = many.map(([e, ds]) => `${e.source} send seq=${e.seq} fence=${fenceOf(e)} at t=${Math.round(e.t)}ms → ${ds.length} requests: ${ds.map((d) => fmt(label, d)).join('; ')}`);
  return check(name, many.length === 0, most, `${most === 1 ? "request" : "requests"} at most per line (${many.length} of ${perLine.size} lines repeated)`, '1',
    evidence.length ? evidence : [`${perLine.size} send lines, one request each`]);
}
