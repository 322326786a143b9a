// A network fault on one worker's path to the store or to the sink, through its fault proxy:
// latency, hold-then-deliver, blackhole, reset, each optionally one direction only. Reach is
// measured at the heal from the proxy's own counts: what it held, dropped or delayed, and
// whether the worker ever connected through it at all.
import type { Fault, FaultMoment } from '../fault.ts';
import type { ProxyMode, ProxyStats } from '../proxy.ts';
import type { NetworkPath } from '../network.ts';

export interface NetworkParams { path: NetworkPath; mode: ProxyMode }

const ENV_NAME: Record<NetworkPath, string> = { store: 'BATON_STORE', sink: 'BATON_SINK' };

export const network: Fault<NetworkParams> = {
  instant: false,
  cuts: true,
  available: (env, p) => p?.path !== 'store' || env.storeProxy ? true
    : env.store === 'sqlite' ? 'SQLite has no network path'
    : `this ${env.store} URI cannot be proxied: a MongoDB driver connects to replica-set members by name, around a proxy (a single host with directConnection=true can be)`,
  async inject(w, target, p, moment) {
    // The proxy of the process faulted now: if it dies and restarts meanwhile, the heal still
    // releases what this one held (the dead holder's delayed write) and measures this one.
    const proxy = w.network.proxyOf(target, p.path);
    if (!proxy) throw new Error(`${target} has no ${p.path} proxy`);
    const before = proxy.stats();
    proxy.setMode(p.mode);
    const late = moment ? proxy.passedSince(moment.at + moment.delayMs + w.origin) : 0;
    return async () => {
      const during = proxy.stats();
      proxy.setMode({ kind: 'pass' });
      w.record({ type: 'fault-result', fault: 'network', target, path: p.path, ...reach(target, p, before, during, late, moment) });
    };
  },
  describe: (p) => {
    const mode = p.mode as ProxyMode | undefined;
    const direction = mode && 'direction' in mode && mode.direction ? ` ${mode.direction === 'up' ? 'requests' : 'replies'}` : '';
    return p.path ? ` (${p.path}${mode ? `, ${mode.kind}${direction}` : ''})` : '';
  },
};

function reach(target: string, p: NetworkParams, before: ProxyStats | undefined, during: ProxyStats | undefined, late: number, moment?: FaultMoment) {
  // `unused`: the worker never used this path at all, so no fault on it can reach the worker.
  if (!before || !during) return { reached: false, unused: true, detail: `${target} has no ${p.path} proxy` };
  if (during.connections === 0) return { reached: false, unused: true, detail: `${target} made no connection through ${ENV_NAME[p.path]}` };
  const kind = p.mode.kind;
  const bytes = kind === 'hold' ? during.held : kind === 'blackhole' ? during.dropped - before.dropped
    : kind === 'latency' ? during.delayed - before.delayed : during.connections - before.connections + before.open;
  const what = kind === 'hold' ? 'held' : kind === 'blackhole' ? 'dropped' : kind === 'latency' ? 'delayed' : 'reset';
  const unit = kind === 'reset' ? 'connection(s)' : 'bytes';
  const tooLate = late > 0 && moment ? `; ${late} bytes crossed after ${moment.of}'s ${moment.after} before it began` : '';
  return { reached: bytes > 0, detail: `${what} ${bytes} ${unit} of ${target}'s ${p.path} traffic${tooLate}`, late };
}
