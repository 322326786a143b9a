// The harness's receiver: an HTTP server on loopback that records every delivery and behaves
// like a well-behaved receiver (dedupe by (automation, seq), refuse a fence lower than the highest
// accepted for that partition). A killed or paused worker cannot lie to it. Checkers judge the RAW
// deliveries, because most real receivers do neither dedupe nor fencing.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { monotonicMs } from '../coordination/clock.ts';

export type DeliveryStatus = 'accepted' | 'duplicate' | 'stale';

export interface Delivery {
  /** Harness monotonic ms at arrival. */
  at: number;
  automation: string;
  seq: number;
  /** null: the sender has no fencing token, so a stale write cannot be told apart. */
  fence: number | null;
  instance: string;
  partition: number;
  status: DeliveryStatus;
  /** The deployment whose network path carried it (its sink proxy), whatever `instance` says. */
  via?: string;
}

/** How the receiver treats one deployment's deliveries (the receiver fault). */
export type ReceiverMode =
  | { kind: 'normal' }
  /** Applies the delivery at once, answers after `ms`: a client with a shorter timeout gives up on a delivery that happened. */
  | { kind: 'slow'; ms: number }
  /** Applies the delivery, then resets the connection without an answer. */
  | { kind: 'reset' }
  /** Answers 503 and applies nothing (an API overloaded or in maintenance): no effect, and the sender is told. */
  | { kind: 'unavailable' };

const HTTP: Record<DeliveryStatus, number> = { accepted: 200, duplicate: 208, stale: 409 };

export class Sink {
  readonly deliveries: Delivery[] = [];
  readonly #accepted = new Set<string>();
  readonly #highestFence = new Map<string, number>();
  readonly #server: Server;
  readonly #modes = new Map<string, ReceiverMode>();
  readonly #affected = new Map<string, number>();
  readonly #late = new Set<NodeJS.Timeout>();
  readonly #waiters = new Set<{ pred: (d: Delivery) => boolean; resolve: (d?: Delivery) => void }>();
  #owner: (port: number | undefined) => string | undefined = () => undefined;
  #url = '';

  constructor() {
    this.#server = createServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/deliver') {
        res.writeHead(404).end();
        return;
      }
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const d = parseDelivery(body);
        if (!d) {
          res.writeHead(400).end('expected JSON {automation, seq, fence (integer or null), instance, partition}');
          return;
        }
        const via = this.#owner(req.socket.remotePort);
        if (via !== undefined && this.#modes.get(via)?.kind === 'unavailable') {
          this.#affected.set(via, this.affected(via) + 1);
          res.writeHead(503).end('receiver unavailable');
          return;
        }
        const status = this.record({ ...d, ...(via ? { via } : {}) });
        this.#answer(via, req.socket, () => res.writeHead(HTTP[status]).end());
      });
    });
  }

  /**
   * The next delivery matching `pred`, or undefined after `timeoutMs`. Resolved while the request
   * is handled, before its answer can reach the sender: a fault placed on it lands between the
   * effect and the sender learning of it.
   */
  next(pred: (d: Delivery) => boolean, timeoutMs: number): Promise<Delivery | undefined> {
    return new Promise((resolve) => {
      const w = { pred, resolve: (d?: Delivery) => { clearTimeout(timer); this.#waiters.delete(w); resolve(d); } };
      const timer = setTimeout(() => w.resolve(undefined), timeoutMs);
      this.#waiters.add(w);
    });
  }

  /** Names the deployment a connection comes from, by its source port (the network's sink proxies). */
  attribute(owner: (port: number | undefined) => string | undefined): void {
    this.#owner = owner;
  }

  /** From now on, treat `label`'s deliveries this way ('normal' heals). */
  setMode(label: string, mode: ReceiverMode): void {
    if (mode.kind === 'slow' && !(Number.isFinite(mode.ms) && mode.ms >= 0)) throw new Error(`receiver: slow needs ms >= 0, got ${mode.ms}`);
    if (mode.kind === 'normal') this.#modes.delete(label);
    else this.#modes.set(label, mode);
  }

  /** How many of `label`'s deliveries a receiver fault has answered late or reset, so far. */
  affected(label: string): number {
    return this.#affected.get(label) ?? 0;
  }

  #answer(via: string | undefined, socket: Socket, reply: () => void): void {
    const mode = via === undefined ? undefined : this.#modes.get(via);
    if (!mode) return reply();
    this.#affected.set(via!, this.affected(via!) + 1);
    if (mode.kind === 'reset') {
      socket.resetAndDestroy();
      return;
    }
    if (mode.kind === 'slow') {
      const timer = setTimeout(() => { this.#late.delete(timer); if (!socket.destroyed) reply(); }, mode.ms);
      this.#late.add(timer);
      return;
    }
    reply();
  }

  /** Judges and records one delivery; exposed for unit tests of the receiver logic. */
  record(d: Omit<Delivery, 'status' | 'at'>): DeliveryStatus {
    const key = `${d.automation}\u0000${d.partition}`;
    const id = `${d.automation}\u0000${d.seq}`;
    const highest = this.#highestFence.get(key) ?? 0;
    const stale = d.fence !== null && d.fence < highest;
    const status: DeliveryStatus = stale ? 'stale' : this.#accepted.has(id) ? 'duplicate' : 'accepted';
    if (d.fence !== null && !stale) this.#highestFence.set(key, Math.max(highest, d.fence));
    if (status === 'accepted') this.#accepted.add(id);
    const delivery = { ...d, status, at: monotonicMs() };
    this.deliveries.push(delivery);
    for (const w of [...this.#waiters]) if (w.pred(delivery)) w.resolve(delivery);
    return status;
  }

  get url(): string {
    return this.#url;
  }

  counts() {
    const by = (s: DeliveryStatus) => this.deliveries.filter((d) => d.status === s).length;
    return { raw: this.deliveries.length, accepted: by('accepted'), duplicate: by('duplicate'), stale: by('stale') };
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as { port: number };
    this.#url = `http://127.0.0.1:${port}`;
    return this.#url;
  }

  async stop(): Promise<void> {
    for (const timer of this.#late) clearTimeout(timer);
    this.#late.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function parseDelivery(body: string): Omit<Delivery, 'status' | 'at'> | null {
  try {
    const v = JSON.parse(body);
    const ok = typeof v.automation === 'string' && Number.isInteger(v.seq) && (v.fence === null || Number.isInteger(v.fence)) &&
      typeof v.instance === 'string' && Number.isInteger(v.partition ?? 0);
    return ok ? { automation: v.automation, seq: v.seq, fence: v.fence, instance: v.instance, partition: v.partition ?? 0 } : null;
  } catch {
    return null;
  }
}
