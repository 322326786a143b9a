// The automation for one partition, run while its lease is held. Progress is a fenced record
// {nextSeq, inFlight, fence}: claim seq (CAS), send it, mark it done (CAS). A crash between
// claim and done leaves `inFlight` set; the next holder re-sends it (at-least-once on the wire,
// receivers dedupe by (automation, seq)). Every CAS carries our fence, so once a newer holder has
// written, a deposed holder's writes are refused and it stops.
import { sleep } from './clock.ts';
import { firstSeq, nextSeqAfter } from './partitions.ts';
import type { Store, ProgressValues, Desired } from './stores/store.ts';
import type { Sender } from './sender.ts';
import type { CoordinationEvent } from './events.ts';

export interface MessagePlan {
  automation: string;
  /** Messages seq 0 … count-1; 0 means keep going. */
  count: number;
  intervalMs: number;
}

export interface PartitionRun {
  store: Store;
  instance: string;
  plan: MessagePlan;
  partition: number;
  partitions: number;
  fence: number;
  signal: AbortSignal;
  send: Sender;
  /** Re-checked right before each side effect (see Elector.leadingAt): the clock reading if leading, else undefined. */
  leadingAt(): number | undefined;
  desired(): Promise<Desired>;
  /** Called when the receiver refuses our fence: someone newer holds the partition. */
  stepDown(reason: string): void;
  emit(e: CoordinationEvent): void;
}

export async function runPartition(r: PartitionRun): Promise<void> {
  let progress = await adopt(r);
  if (!progress) return;
  if (progress.inFlight !== null) {
    // In doubt: the previous holder may or may not have delivered it. Send it again.
    progress = await sendOne(r, progress, progress.inFlight, true);
  }
  let idle: 'stopped' | 'complete' | undefined;
  while (progress && !r.signal.aborted) {
    const seq = progress.nextSeq;
    const complete = r.plan.count > 0 && seq >= r.plan.count;
    const state = complete ? 'complete' : (await r.desired()) === 'RUNNING' ? undefined : 'stopped';
    if (state) {
      if (idle !== state) r.emit({ type: 'idle', automation: r.plan.automation, partition: r.partition, reason: state });
      idle = state;
      await sleep(r.plan.intervalMs, r.signal);
      continue;
    }
    idle = undefined;
    const claimed = await cas(r, progress, { nextSeq: seq, inFlight: seq });
    if (!claimed) return;
    progress = await sendOne(r, claimed, seq, false);
    await sleep(r.plan.intervalMs, r.signal);
  }
}

/** Stamps our fence on the progress record (creating it on first use); null if refused. */
async function adopt(r: PartitionRun): Promise<ProgressValues | null> {
  const { store, plan, partition, fence } = r;
  const current = await store.readProgress(plan.automation, partition);
  if (!current) {
    const fresh = { nextSeq: firstSeq(partition), inFlight: null };
    if (await store.casProgress(plan.automation, partition, fence, null, fresh)) return fresh;
    return adopt(r);
  }
  if (current.fence > fence) return refused(r, current.fence);
  return cas(r, current, current);
}

async function cas(r: PartitionRun, from: ProgressValues, to: ProgressValues): Promise<ProgressValues | null> {
  if (r.signal.aborted) return null;
  const ok = await r.store.casProgress(r.plan.automation, r.partition, r.fence, from, to);
  if (ok) return to;
  const now = await r.store.readProgress(r.plan.automation, r.partition);
  return refused(r, now?.fence ?? r.fence);
}

function refused(r: PartitionRun, storedFence: number): null {
  r.stepDown(`progress record refused fence ${r.fence} (stored fence ${storedFence})`);
  return null;
}

async function sendOne(r: PartitionRun, claimed: ProgressValues, seq: number, resend: boolean): Promise<ProgressValues | null> {
  const { plan, partition, fence } = r;
  const at = r.leadingAt();
  if (at === undefined) return null;
  r.emit({ type: 'send', automation: plan.automation, seq, fence, partition, resend, at });
  const status = await r.send({ automation: plan.automation, seq, fence, instance: r.instance, partition }, r.signal);
  r.emit({ type: 'sent', automation: plan.automation, seq, fence, partition, status });
  if (status === 'stale') {
    r.stepDown(`receiver refused fence ${fence} as stale`);
    return null;
  }
  // A failed send stays in flight: whoever holds the partition next (maybe us) re-sends it.
  if (status === 'failed') return claimed;
  return cas(r, claimed, { nextSeq: nextSeqAfter(seq, r.partitions), inFlight: null });
}
