// What any deployment — or an operator's shell — sees of the shared state. One reader, so a
// deployment's `status` and `baton status` cannot disagree about who holds what.
import type { Store, Control, InstanceEntry } from './stores/store.ts';

export interface Status {
  control: Control | null;
  /** One entry per lease; `holder` is null when the lease is released or expired by the store's clock. */
  holders: { lock: string; holder: string | null; fence: number }[];
  alive: InstanceEntry[];
}

export async function readStatus(store: Store, o: { automation: string; lock: string; aliveMs: number }): Promise<Status> {
  const [control, leases, alive] = await Promise.all([
    store.readControl(o.automation), store.listLeases(o.lock), store.listAlive(o.aliveMs),
  ]);
  const holders = leases.map((l) => ({ lock: l.name, holder: l.expired ? null : l.holder, fence: l.fence }));
  return { control, holders, alive };
}
