// `baton status | logs | start | stop`: the shared state, from any machine.
import { openStore } from '../../coordination/stores/index.ts';
import { instanceId } from '../../coordination/identity.ts';
import { readStatus } from '../../coordination/status.ts';
import { DEFAULT_TIMING } from '../../coordination/timing.ts';
import { redact } from '../../coordination/redact.ts';
import { UsageError } from './usage.ts';

export interface ControlOptions {
  store: string;
  namespace: string;
  automation: string;
  lock: string;
}

export async function control(cmd: string, o: ControlOptions): Promise<void> {
  const store = await openStore(o.store, o.namespace);
  try {
    if (await store.namespaceState() !== 'baton') throw new UsageError(`namespace ${o.namespace} holds no baton data at ${redact(o.store)}`);
    if (cmd === 'start' || cmd === 'stop') {
      const c = await store.writeControl(o.automation, cmd === 'start' ? 'RUNNING' : 'STOPPED', `cli-${instanceId()}`);
      console.log(`${o.automation}: ${c.desired} (version ${c.version})`);
    } else if (cmd === 'logs') {
      for (const e of (await store.readLog(50)).reverse()) console.log(`${new Date(e.at).toISOString()} ${e.instance} ${e.level} ${e.message}`);
    } else {
      const { control: c, holders, alive } = await readStatus(store, { ...o, aliveMs: DEFAULT_TIMING.leaseMs });
      console.log(`automation ${o.automation}: ${c?.desired ?? 'STOPPED'}${c ? ` (set by ${c.by})` : ''}`);
      for (const l of holders) console.log(`lease ${l.lock}: ${l.holder ? `held by ${l.holder}` : 'free'} (fence ${l.fence})`);
      for (const a of alive) console.log(`instance ${a.id} ${a.role} pid ${a.pid} on ${a.host}`);
    }
  } finally {
    await store.close();
  }
}
