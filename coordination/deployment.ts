// One deployment of the app: registers itself, competes for the partition leases, runs the
// automation for the ones it holds, and serves START / STOP / status / logs from the shared store.
import { hostname } from 'node:os';
import { monotonicMs } from './clock.ts';
import { Elector, type ElectorOptions } from './elector.ts';
import { runPartition, type MessagePlan } from './automation.ts';
import { shareRange, partitionLease, partitionOfLease } from './partitions.ts';
import { validateTiming, type Timing } from './timing.ts';
import { readStatus, type Status } from './status.ts';
import type { Store, Desired, Control, LogEntry } from './stores/store.ts';
import type { Sender } from './sender.ts';
import type { CoordinationEvent } from './events.ts';

export interface DeploymentOptions {
  store: Store;
  id: string;
  lock: string;
  timing: Timing;
  partitions: number;
  plan: MessagePlan;
  send: Sender;
  emit?(e: CoordinationEvent): void;
  /** Heartbeats younger than this count as alive (store clock). Default: leaseMs. */
  aliveMs?: number;
  /** Entries kept in the shared log. */
  logKeep?: number;
  /** The elector's clock and deadline seams (tests and the harness's negative controls). */
  elector?: Pick<ElectorOptions, 'clock' | 'deadlineMs'>;
}

export class Deployment {
  readonly #o: DeploymentOptions;
  readonly #elector: Elector;
  readonly #emit: (e: CoordinationEvent) => void;
  #control: { at: number; value: Promise<Desired> } | undefined;
  /** Holding fewer than ⌊P/N⌋ (as of the last tick): the registry says `short:<held>`, and holders hand back. */
  #short = false;
  /** ⌊P/N⌋ as of the last tick; 0 before the first, so a starting instance never claims a shortage. */
  #floor = 0;

  constructor(options: DeploymentOptions) {
    validateTiming(options.timing);
    if (!Number.isInteger(options.partitions) || options.partitions < 1) {
      throw new RangeError(`partitions must be a whole number >= 1, got ${options.partitions}`);
    }
    this.#o = options;
    this.#emit = (e) => {
      options.emit?.(e);
      this.#logEvent(e);
    };
    const { lock, partitions } = options;
    this.#elector = new Elector({
      store: options.store,
      id: options.id,
      timing: options.timing,
      leases: preferredOrder(options.id, partitions).map((p) => partitionLease(lock, p, partitions)),
      share: () => this.#heartbeatAndShare(),
      lead: (name, fence, signal) => this.#lead(name, fence, signal),
      emit: this.#emit,
      ...options.elector,
    });
  }

  get id(): string {
    return this.#o.id;
  }

  async start(): Promise<void> {
    await this.#o.store.heartbeat(this.#entry());
    this.#elector.start();
  }

  /** Sets the automation's desired state for every deployment (START / STOP from anywhere). */
  async setDesired(desired: Desired): Promise<Control> {
    const c = await this.#o.store.writeControl(this.#o.plan.automation, desired, this.#o.id);
    await this.#log('info', `${desired === 'RUNNING' ? 'START' : 'STOP'} requested`);
    return c;
  }

  status(): Promise<Status> {
    const { store, lock, plan } = this.#o;
    return readStatus(store, { automation: plan.automation, lock, aliveMs: this.#aliveMs() });
  }

  logs(limit = 50): Promise<LogEntry[]> {
    return this.#o.store.readLog(limit);
  }

  held(): { name: string; fence: number }[] {
    return this.#elector.held();
  }

  /** Hands the leases to a standby now, and stays a standby for one lease period. */
  release(): Promise<void> {
    return this.#elector.releaseAll(this.#o.timing.leaseMs);
  }

  /** Graceful exit: in-flight work finishes, leases released, registry entry removed. */
  async stop(): Promise<void> {
    await this.#elector.stop();
    await this.#o.store.deregister(this.#o.id).catch(() => {});
  }

  #aliveMs(): number {
    return this.#o.aliveMs ?? this.#o.timing.leaseMs;
  }

  #entry() {
    const held = this.held().length;
    const role = this.#short ? `${SHORT}${held}` : held ? 'active' : 'standby';
    return { id: this.#o.id, pid: process.pid, host: hostname(), role };
  }

  /**
   * Heartbeat, then this tick's share. An instance says it is short (`short:<held>`) only when it
   * holds fewer than the floor it computed last tick and is not standing by on purpose (cooldown);
   * a holder hands back only for an instance below the floor as the holder computes it. Both
   * guards came from a run where a starting instance, seeing itself alone, claimed a shortage
   * and made the holder of the only lease hand it over (campaign, SQLite seed 110).
   */
  async #heartbeatAndShare(): Promise<number> {
    this.#short = this.held().length < this.#floor && !this.#elector.coolingDown();
    await this.#o.store.heartbeat(this.#entry());
    const alive = await this.#o.store.listAlive(this.#aliveMs());
    const others = alive.filter((a) => a.id !== this.#o.id);
    const { min, max } = shareRange(this.#o.partitions, others.length + 1);
    this.#floor = min;
    const below = others.some((a) => a.role.startsWith(SHORT) && Number(a.role.slice(SHORT.length)) < min);
    return below ? min : max;
  }

  #lead(name: string, fence: number, signal: AbortSignal): Promise<void> {
    const { store, lock, partitions, plan, send } = this.#o;
    return runPartition({
      store, plan, send, partitions, fence, signal,
      instance: this.#o.id,
      partition: partitionOfLease(lock, name, partitions),
      leadingAt: () => this.#elector.leadingAt(name),
      desired: () => this.#desired(),
      stepDown: (reason) => this.#elector.stepDown(name, reason),
      emit: this.#emit,
    });
  }

  /**
   * START/STOP as last read from the store, shared by every partition this instance runs: one
   * read per message interval, not one per partition (256 partitions made 256 reads).
   */
  #desired(): Promise<Desired> {
    const now = monotonicMs();
    if (this.#control && now - this.#control.at < this.#o.plan.intervalMs) return this.#control.value;
    const value = this.#o.store.readControl(this.#o.plan.automation).then((c) => c?.desired ?? 'STOPPED');
    const entry = { at: now, value };
    this.#control = entry;
    value.catch(() => { if (this.#control === entry) this.#control = undefined; });
    return value;
  }

  #logEvent(e: CoordinationEvent): void {
    if (e.type === 'acquired') void this.#log('info', `acquired ${e.lock} (fence ${e.fence})`);
    else if (e.type === 'lost') void this.#log('warn', `lost ${e.lock} (fence ${e.fence}): ${e.reason}`);
    else if (e.type === 'released') void this.#log('info', `released ${e.lock} (fence ${e.fence})`);
  }

  async #log(level: LogEntry['level'], message: string): Promise<void> {
    await this.#o.store.appendLog({ instance: this.#o.id, level, message }, this.#o.logKeep ?? 500).catch(() => {});
  }
}

/** The registry role of an instance below its floor share, followed by how many it holds. */
const SHORT = 'short:';

/**
 * Each instance tries partitions starting at a different point (derived from its ID), so
 * instances that start together spread over the partitions instead of all racing for p0.
 */
function preferredOrder(id: string, partitions: number): number[] {
  const start = parseInt(id.slice(-4), 16) % partitions || 0;
  return Array.from({ length: partitions }, (_, i) => (start + i) % partitions);
}
