// Every worker talks to the store and to the sink through its own pair of fault proxies, so a
// network fault can cut, slow or hold exactly one worker's traffic on one path. The worker's
// BATON_STORE and BATON_SINK are rewritten to point at them; a store with no network path
// (SQLite) or one that cannot be proxied (a MongoDB replica set, mongodb+srv) keeps its URI, and
// its path is absent.
import { FaultProxy, throughProxy, uriTarget, type ProxyMode } from './proxy.ts';

export type NetworkPath = 'store' | 'sink';

export class Network {
  readonly #proxies = new Map<string, FaultProxy>();

  /** Starts the worker's proxies and returns its environment with the URIs rewritten through them. */
  async attach(label: string, env: Record<string, string>): Promise<Record<string, string>> {
    const out = { ...env };
    for (const [path, key] of [['store', 'BATON_STORE'], ['sink', 'BATON_SINK']] as const) {
      const uri = env[key];
      if (!uri || !(path === 'sink' || storeProxiable(uri))) continue;
      const proxy = new FaultProxy(uriTarget(uri), { label: `${label}/${path}` });
      // A restarted worker gets fresh proxies; the old ones served a process that is gone.
      await this.#proxies.get(`${label}/${path}`)?.stop();
      this.#proxies.set(`${label}/${path}`, proxy);
      out[key] = throughProxy(uri, await proxy.start());
    }
    return out;
  }

  setMode(label: string, path: NetworkPath, mode: ProxyMode): void {
    const proxy = this.#proxies.get(`${label}/${path}`);
    if (!proxy) throw new Error(`${label} has no ${path} proxy`);
    proxy.setMode(mode);
  }

  /** Local ports of the proxy's sockets to the store: how the store side finds this worker's connections. */
  storePorts(label: string): number[] {
    return this.#proxies.get(`${label}/store`)?.upstreamPorts() ?? [];
  }

  async close(): Promise<void> {
    await Promise.all([...this.#proxies.values()].map((p) => p.stop()));
    this.#proxies.clear();
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
