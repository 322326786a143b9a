// The harness's receiver: an HTTP server on loopback that records every delivery and behaves
// like a well-behaved receiver (dedupe by (automation, seq), refuse a fence lower than the highest
// accepted for that partition). A killed or paused worker cannot lie to it. Checkers judge the RAW
// deliveries, because most real receivers do neither dedupe nor fencing.
import { createServer, type Server } from 'node:http';
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
}

const HTTP: Record<DeliveryStatus, number> = { accepted: 200, duplicate: 208, stale: 409 };

export class Sink {
  readonly deliveries: Delivery[] = [];
  readonly #accepted = new Set<string>();
  readonly #highestFence = new Map<string, number>();
  readonly #server: Server;
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
        res.writeHead(HTTP[this.record(d)]).end();
      });
    });
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
    this.deliveries.push({ ...d, status, at: monotonicMs() });
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
