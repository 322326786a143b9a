// A TCP proxy between one worker and one service (its store, or the sink), so the harness can
// break the network of a single worker: neither toxiproxy nor tc netem exists here. Each
// direction of a connection is a FIFO queue standing for "the network": 'latency' gives a chunk
// a due time, 'hold' keeps it, 'blackhole' loses it. A queue only ever releases its head, so
// bytes never overtake each other, whatever the mode changes in between.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { monotonicMs } from '../../coordination/clock.ts';

/** Which way a mode acts: 'up' toward the target (requests), 'down' toward the worker (replies); absent: both. */
export type Direction = 'up' | 'down';

export type ProxyMode =
  | { kind: 'pass' }
  /** Each chunk is delayed ms ± jitterMs; order is kept per direction. */
  | { kind: 'latency'; ms: number; jitterMs?: number; direction?: Direction }
  /** A partition: nothing crosses, connections stay open. When it heals, every connection that
   *  lost bytes (or a close) is reset, because a TCP stream with a hole in it is garbage.
   *  `direction: 'down'` loses only the replies: the request arrives, its answer never does. */
  | { kind: 'blackhole'; direction?: Direction }
  /** Every open connection gets an RST now; new ones get one on accept. */
  | { kind: 'reset' }
  /** Bytes are kept and delivered, in order, when the mode changes to 'pass' or 'latency' —
   *  even if their sender has died meanwhile (the delayed write). */
  | { kind: 'hold'; direction?: Direction };

export interface ProxyStats {
  /** Client connections accepted, including those reset on accept. */
  connections: number;
  /** Bytes delivered to the target / to clients. */
  bytesUp: number;
  bytesDown: number;
  /** Bytes held right now. */
  held: number;
  /** Bytes lost in a blackhole (including those queued when it began). */
  dropped: number;
  /** Connection pairs alive right now. */
  open: number;
  /** Socket errors (ECONNRESET, EPIPE, target refused, …), each ending its pair. */
  errors: number;
  /** Bytes held back by a hold, in all, and bytes a latency mode delayed: what a fault did to the traffic. */
  heldTotal: number;
  delayed: number;
}

/** A chunk in flight; `data: null` is its sender's FIN. `due` is Infinity while held. */
interface Packet {
  data: Buffer | null;
  due: number;
}

interface Lane {
  up: boolean;
  queue: Packet[];
  timer?: NodeJS.Timeout;
  ended: boolean;
}

interface Pair {
  client: Socket;
  /** Dialled only once bytes may flow: in a partition even the SYN would not arrive. */
  upstream?: Socket;
  up: Lane;
  down: Lane;
  /** Lost bytes in a blackhole: reset when it heals. */
  lost: boolean;
}

const destOf = (pair: Pair, lane: Lane) => (lane.up ? pair.upstream : pair.client);
const newLane = (up: boolean): Lane => ({ up, queue: [], ended: false });

export class FaultProxy {
  readonly #target: { host: string; port: number };
  readonly #label: string;
  readonly #random: () => number;
  readonly #server: Server;
  readonly #pairs = new Set<Pair>();
  readonly #counts = { connections: 0, bytesUp: 0, bytesDown: 0, dropped: 0, errors: 0, heldTotal: 0, delayed: 0 };
  /** When the latest chunks from the worker arrived (monotonic ms): what crossed before a fault began. */
  readonly #arrivals: { at: number; bytes: number; passed: boolean }[] = [];
  #mode: ProxyMode = { kind: 'pass' };
  #address?: { host: string; port: number };
  #stopped = false;

  /** `random` draws the jitter: pass a seeded one so a run replays. */
  constructor(target: { host: string; port: number }, options: { label?: string; random?: () => number } = {}) {
    this.#target = { host: target.host, port: target.port };
    this.#label = options.label ?? `proxy to ${target.host}:${target.port}`;
    this.#random = options.random ?? Math.random;
    // Half-open on both sides: a client's FIN must reach the target only after its queued bytes.
    this.#server = createServer({ allowHalfOpen: true }, (client) => this.#accept(client));
    this.#server.on('error', () => this.#counts.errors++);
  }

  async start(): Promise<{ host: string; port: number }> {
    if (this.#address) return this.address;
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.#server.address() as { port: number };
    this.#address = { host: '127.0.0.1', port };
    return this.address;
  }

  get address(): { host: string; port: number } {
    if (!this.#address) throw new Error(`${this.#label}: not started`);
    return { ...this.#address };
  }

  get mode(): ProxyMode {
    return { ...this.#mode };
  }

  /** Applies to open and new connections alike. */
  setMode(mode: ProxyMode): void {
    checkMode(mode, this.#label);
    const before = this.#mode.kind;
    this.#mode = { ...mode };
    if (mode.kind === 'reset') return this.#each((p) => this.#reset(p));
    if (mode.kind === 'blackhole') return this.#each((p) => this.#lose(p));
    if (before === 'blackhole') this.#each((p) => p.lost && this.#reset(p));
    this.#each((p) => this.#release(p));
  }

  /** The mode as it acts on one direction: a directed mode passes the other direction untouched. */
  #modeOf(lane: Lane): ProxyMode {
    const m = this.#mode;
    const direction = 'direction' in m ? m.direction : undefined;
    return direction === undefined || direction === (lane.up ? 'up' : 'down') ? m : { kind: 'pass' };
  }

  /**
   * Bytes from the worker that arrived at or after `t` (monotonic ms) and crossed to the target
   * anyway: a fault asked to begin at a moment of the worker's (after its `sent` line) that came
   * too late to catch them. Kept for the last few hundred chunks.
   */
  passedSince(t: number): number {
    return this.#arrivals.filter((a) => a.at >= t && a.passed).reduce((n, a) => n + a.bytes, 0);
  }

  /** Local ports of the upstream sockets: how the target names this worker's connections
   *  (PostgreSQL: pg_stat_activity.client_port). */
  upstreamPorts(): number[] {
    return [...this.#pairs].flatMap((p) => (p.upstream && !p.upstream.destroyed && p.upstream.localPort ? [p.upstream.localPort] : []));
  }

  stats(): ProxyStats {
    let held = 0;
    for (const p of this.#pairs) {
      for (const packet of [...p.up.queue, ...p.down.queue]) if (packet.due === Infinity) held += packet.data?.length ?? 0;
    }
    return { ...this.#counts, held, open: this.#pairs.size };
  }

  /** Destroys every connection and closes the server; never throws. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#each((p) => this.#forget(p));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    this.#counts.connections++;
    if (this.#stopped || this.#mode.kind === 'reset') {
      client.on('error', () => {}); // a reset may fail; it must not crash the harness
      return rst(client);
    }
    const pair: Pair = { client, up: newLane(true), down: newLane(false), lost: false };
    this.#listen(pair, pair.up, client);
    this.#pairs.add(pair);
    if (flowing(this.#modeOf(pair.up))) this.#dial(pair);
  }

  #dial(pair: Pair): void {
    pair.upstream = connect({ ...this.#target, allowHalfOpen: true });
    this.#listen(pair, pair.down, pair.upstream);
  }

  /** `socket` is the sending end of `lane`. */
  #listen(pair: Pair, lane: Lane, socket: Socket): void {
    socket.setNoDelay(true); // Nagle would add its own latency to small writes
    socket.on('data', (chunk: Buffer) => this.#send(pair, lane, chunk));
    socket.on('end', () => this.#send(pair, lane, null));
    socket.on('error', () => this.#failed(pair, lane));
    socket.on('close', () => this.#closed(pair));
  }

  #send(pair: Pair, lane: Lane, data: Buffer | null): void {
    if (destOf(pair, lane)?.destroyed) return; // its receiver is gone
    if (data === null) {
      if (lane.ended) return;
      lane.ended = true;
    }
    const mode = this.#modeOf(lane);
    if (lane.up && data) this.#arrived(data.length, flowing(mode));
    if (mode.kind === 'blackhole') {
      pair.lost = true;
      this.#counts.dropped += data?.length ?? 0;
    } else if (mode.kind === 'hold') {
      lane.queue.push({ data, due: Infinity });
      this.#counts.heldTotal += data?.length ?? 0;
    } else {
      lane.queue.push({ data, due: this.#due(mode) });
      if (mode.kind === 'latency') this.#counts.delayed += data?.length ?? 0;
      this.#pump(pair, lane);
    }
  }

  #arrived(bytes: number, passed: boolean): void {
    this.#arrivals.push({ at: monotonicMs(), bytes, passed });
    if (this.#arrivals.length > 512) this.#arrivals.splice(0, 256);
  }

  /** Bytes already sent were in the network before the sender failed: they still arrive, then
   *  a FIN. With nothing in flight, the failure itself crosses (as a reset) if the network lets it. */
  #failed(pair: Pair, lane: Lane): void {
    this.#counts.errors++;
    if (lane.queue.length || !flowing(this.#modeOf(lane))) this.#send(pair, lane, null);
    else this.#reset(pair);
  }

  #closed(pair: Pair): void {
    if (!this.#pairs.has(pair) || !pair.client.destroyed) return;
    // A dead client with held bytes and no upstream yet waits for the heal to deliver them.
    if (pair.upstream ? pair.upstream.destroyed : !pair.up.queue.some((p) => p.data)) this.#forget(pair);
  }

  #due(m: ProxyMode): number {
    const delay = m.kind === 'latency' ? Math.max(0, m.ms + (this.#random() * 2 - 1) * (m.jitterMs ?? 0)) : 0;
    return monotonicMs() + delay;
  }

  #pump(pair: Pair, lane: Lane): void {
    clearTimeout(lane.timer);
    lane.timer = undefined;
    if (!flowing(this.#modeOf(lane))) return;
    const now = monotonicMs();
    while (lane.queue.length && lane.queue[0].due <= now) this.#deliver(pair, lane, lane.queue.shift()!);
    if (lane.queue.length) lane.timer = setTimeout(() => this.#pump(pair, lane), lane.queue[0].due - now);
  }

  #deliver(pair: Pair, lane: Lane, packet: Packet): void {
    const dest = destOf(pair, lane);
    if (!dest || dest.destroyed) return;
    if (packet.data === null) {
      dest.end();
      return;
    }
    dest.write(packet.data);
    if (lane.up) this.#counts.bytesUp += packet.data.length;
    else this.#counts.bytesDown += packet.data.length;
  }

  /** After a hold (or on a new latency): dial if needed, give held bytes their due time, deliver. */
  #release(pair: Pair): void {
    if (!pair.upstream && flowing(this.#modeOf(pair.up))) this.#dial(pair);
    for (const lane of [pair.up, pair.down]) {
      const mode = this.#modeOf(lane);
      if (!flowing(mode)) continue;
      for (const packet of lane.queue) if (packet.due === Infinity) packet.due = this.#due(mode);
      this.#pump(pair, lane);
    }
  }

  /** A partition begins: whatever is in flight (delayed or held) on its directions is lost with it. */
  #lose(pair: Pair): void {
    for (const lane of [pair.up, pair.down]) {
      if (this.#modeOf(lane).kind !== 'blackhole') continue;
      clearTimeout(lane.timer);
      if (lane.queue.length) pair.lost = true;
      for (const packet of lane.queue) this.#counts.dropped += packet.data?.length ?? 0;
      lane.queue.length = 0;
    }
  }

  #reset(pair: Pair): void {
    rst(pair.client);
    if (pair.upstream) rst(pair.upstream);
    this.#forget(pair);
  }

  #forget(pair: Pair): void {
    this.#pairs.delete(pair);
    for (const lane of [pair.up, pair.down]) {
      clearTimeout(lane.timer);
      lane.queue.length = 0;
    }
    pair.client.destroy();
    pair.upstream?.destroy();
  }

  #each(fn: (pair: Pair) => void): void {
    for (const pair of [...this.#pairs]) fn(pair);
  }
}

const flowing = (mode: ProxyMode) => mode.kind === 'pass' || mode.kind === 'latency';

/** Closes with an RST, as a peer's kernel would on a dead connection; a socket still
 *  connecting has nothing to reset. */
function rst(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}

function checkMode(mode: ProxyMode, label: string): void {
  const kinds = ['pass', 'latency', 'blackhole', 'reset', 'hold'];
  if (!kinds.includes(mode.kind)) throw new Error(`${label}: unknown mode ${JSON.stringify(mode.kind)}`);
  const direction = 'direction' in mode ? mode.direction : undefined;
  if (direction !== undefined && direction !== 'up' && direction !== 'down') throw new Error(`${label}: direction must be up or down, got ${JSON.stringify(direction)}`);
  if (mode.kind !== 'latency') return;
  const ok = (n: number | undefined) => n === undefined || (Number.isFinite(n) && n >= 0);
  if (!ok(mode.ms) || !ok(mode.jitterMs)) throw new Error(`${label}: latency needs ms and jitterMs >= 0`);
}

const DEFAULT_PORTS: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'mongodb:': 27017, 'http:': 80 };

const WHY_NOT: Record<string, string> = {
  'sqlite:': 'a SQLite store is a local file, there is no connection to proxy',
  'mongodb+srv:': 'mongodb+srv:// finds its hosts through DNS SRV records, which one proxy cannot stand in for; use a mongodb:// URI',
  'https:': 'TLS would check the certificate against the proxy address instead of the real host',
};

interface UriParts {
  /** scheme://userinfo@ — kept verbatim, credentials included. */
  head: string;
  host: string;
  port: number;
  /** /path?query#fragment — kept verbatim. */
  tail: string;
}

/** Splits without a URL parser, so the rest of the URI survives byte for byte. Error messages
 *  never quote the URI: it may carry a password. */
function splitUri(uri: string): UriParts {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(uri)?.[0].toLowerCase() ?? '';
  const why = WHY_NOT[scheme];
  if (why) throw new Error(`cannot route a ${scheme} URI through a proxy: ${why}`);
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(uri);
  if (DEFAULT_PORTS[scheme] === undefined || !m) {
    throw new Error(`cannot route ${scheme ? `a ${scheme}` : 'this'} URI through a proxy: expected postgres://, postgresql://, mongodb:// or http://`);
  }
  const [, prefix, authority, tail] = m;
  const at = authority.lastIndexOf('@');
  const hostPort = /^(\[[^\]]+\]|[^:,[\]]+)(?::(\d+))?$/.exec(authority.slice(at + 1));
  const port = hostPort?.[2] === undefined ? DEFAULT_PORTS[scheme] : Number(hostPort[2]);
  if (!hostPort || port < 1 || port > 65535) {
    const several = authority.slice(at + 1).includes(',') ? ' (it lists several hosts: one proxy per host)' : '';
    throw new Error(`cannot route a ${scheme} URI through a proxy: expected exactly one host[:port]${several}`);
  }
  return { head: prefix + authority.slice(0, at + 1), host: hostPort[1].replace(/^\[(.*)\]$/, '$1'), port, tail };
}

/** Rewrites a URI's host:port to go through `proxy`, keeping everything else (credentials,
 *  database, query) as it was. A MongoDB replica set advertises its members' own addresses: keep
 *  directConnection=true in the URI or the driver will leave the proxy. */
export function throughProxy(uri: string, proxy: { host: string; port: number }): string {
  const { head, tail } = splitUri(uri);
  const host = proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host;
  return `${head}${host}:${proxy.port}${tail}`;
}

/** The host and port a URI points at (default ports: postgres 5432, mongodb 27017, http 80). */
export function uriTarget(uri: string): { host: string; port: number } {
  const { host, port } = splitUri(uri);
  return { host, port };
}
