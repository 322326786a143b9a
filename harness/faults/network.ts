// Every worker talks to the store and to the sink through its own pair of fault proxies, so a
// network fault can cut, slow or hold exactly one worker's traffic on one path. The worker's
// BATON_STORE and BATON_SINK are rewritten to point at them; a store with no network path
// (SQLite) or one that cannot be proxied (mongodb+srv) keeps its URI, and its path is absent.
import { FaultProxy, throughProxy, uriTarget, type ProxyMode } from './proxy.ts';

export type NetworkPath = 'store' | 'sink';

export class Network {
  readonly #proxies = new Map<string, FaultProxy>();

  /** Starts the worker's proxies and returns its environment with the URIs rewritten through them. */
  async attach(label: string, env: Record<string, string>): Promise<Record<string, string>> {
    const out = { ...env };
    for (const [path, key] of [['store', 'BATON_STORE'], ['sink', 'BATON_SINK']] as const) {
      const uri = env[key];
      if (!uri || !proxiable(uri)) continue;
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

/** A URI whose host:port a TCP proxy can stand in for. */
function proxiable(uri: string): boolean {
  // MongoDB drivers discover replica-set members by name and connect to them directly, around a
  // proxy; until the harness starts its own MongoDB (issue 7), its store path is not proxied.
  return /^(postgres(ql)?|http):\/\//.test(uri);
}
