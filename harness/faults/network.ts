// Every worker talks to the store and to the sink through its own pair of fault proxies, so a
// network fault can cut, slow or hold exactly one worker's traffic on one path. The worker's
// BATON_STORE and BATON_SINK are rewritten to point at them; a store with no network path
// (SQLite) or one that cannot be proxied (a MongoDB replica set, mongodb+srv) keeps its URI, and
// its path is absent.
import { FaultProxy, throughProxy, uriTarget, type ProxyStats } from './proxy.ts';

export type NetworkPath = 'store' | 'sink';

export class Network {
  readonly #proxies = new Map<string, FaultProxy>();
  /**
   * Proxies of processes that are gone but that a fault still holds: bytes a dead holder sent
   * into a held or cut network still arrive when that fault heals, whoever has restarted since.
   */
  readonly #retired: { label: string; path: NetworkPath; proxy: FaultProxy }[] = [];

  /** Starts the worker's proxies and returns its environment with the URIs rewritten through them. */
  async attach(label: string, env: Record<string, string>): Promise<Record<string, string>> {
    const out = { ...env };
    for (const [path, key] of [['store', 'BATON_STORE'], ['sink', 'BATON_SINK']] as const) {
      const uri = env[key];
      if (!uri || !(path === 'sink' || storeProxiable(uri))) continue;
      const proxy = new FaultProxy(uriTarget(uri), { label: `${label}/${path}` });
      // A restarted worker gets fresh proxies; the old ones served a process that is gone, and are
      // stopped unless a fault is still under way on them (its heal delivers what they hold).
      const old = this.#proxies.get(`${label}/${path}`);
      if (old && old.mode.kind !== 'pass') this.#retired.push({ label, path, proxy: old });
      else await old?.stop();
      this.#proxies.set(`${label}/${path}`, proxy);
      out[key] = throughProxy(uri, await proxy.start());
    }
    return out;
  }

  /** The proxy of the worker's process now: a fault keeps this handle, so its heal reaches the process it was injected on. */
  proxyOf(label: string, path: NetworkPath): FaultProxy | undefined {
    return this.#proxies.get(`${label}/${path}`);
  }

  /** Local ports of the proxy's sockets to the store: how the store side finds this worker's connections. */
  storePorts(label: string): number[] {
    return this.#proxies.get(`${label}/store`)?.upstreamPorts() ?? [];
  }

  /** Every worker's store-proxy upstream ports. */
  allStorePorts(): number[] {
    return [...this.#all()].flatMap(([, path, proxy]) => (path === 'store' ? proxy.upstreamPorts() : []));
  }

  /** The proxy's counts for one worker's path (undefined: it has no such proxy). */
  stats(label: string, path: NetworkPath): ProxyStats | undefined {
    return this.#proxies.get(`${label}/${path}`)?.stats();
  }

  /** Bytes from the worker on this path that arrived at or after monotonic ms `t` and crossed (see FaultProxy.passedSince). */
  passedSince(label: string, path: NetworkPath, t: number): number {
    return this.#proxies.get(`${label}/${path}`)?.passedSince(t) ?? 0;
  }

  /**
   * Which worker's sink proxy a connection to the sink comes from, by the connection's source
   * port: the receiver learns who delivered from the network path, not from what the delivery
   * says about itself (two deployments that share one instance ID are still two deployments).
   */
  sinkOwner(port: number | undefined): string | undefined {
    if (port === undefined) return undefined;
    for (const [label, path, proxy] of this.#all()) if (path === 'sink' && proxy.upstreamPorts().includes(port)) return label;
    return undefined;
  }

  /** Live and retired proxies, as [label, path, proxy]. */
  *#all(): Generator<[string, NetworkPath, FaultProxy]> {
    for (const [key, proxy] of this.#proxies) {
      const cut = key.lastIndexOf('/');
      yield [key.slice(0, cut), key.slice(cut + 1) as NetworkPath, proxy];
    }
    for (const r of this.#retired) yield [r.label, r.path, r.proxy];
  }

  async close(): Promise<void> {
    await Promise.all([...this.#proxies.values(), ...this.#retired.map((r) => r.proxy)].map((p) => p.stop()));
    this.#proxies.clear();
    this.#retired.length = 0;
  }
}

/**
 * Whether a TCP proxy in front of the store's one host carries all of a worker's store traffic.
 * A MongoDB driver discovers replica-set members by the names they advertise and connects to them
 * directly, around a proxy; only a single-host URI with `directConnection=true` keeps it on the
 * host it was given. mongodb+srv looks its hosts up in DNS, so it never qualifies.
 */
export function storeProxiable(uri: string): boolean {
  if (/^postgres(ql)?:\/\//.test(uri)) return true;
  const mongo = /^mongodb:\/\/(?:[^@/]*@)?([^/?]*)[^?]*(\?.*)?$/.exec(uri);
  return !!mongo && !mongo[1]!.includes(',') && /[?&]directConnection=true(&|$)/i.test(mongo[2] ?? '');
}
