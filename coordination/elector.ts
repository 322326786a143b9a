// Leader election over a set of fenced leases, modelled on Kubernetes client-go leaderelection.
// With one lease it is the seed's single ACTIVE deployment; with P partition leases each instance
// holds its fair share. Every retry period: renew everything held in ONE store operation, then
// hand extras back, or, below the share, read the lease table ONCE and try only the leases that
// are free or expired. Store writes per tick therefore grow with instances, not partitions.
//
// A standby with nothing to try wakes when the earliest wanted lease can expire by the store's
// clock (plus a margin). Where the store announces releases (PostgreSQL LISTEN/NOTIFY) it is woken
// at once and otherwise sleeps until that expiry; elsewhere it polls every retry period. A wake-up
// is a hint, never a grant: the acquire is the same CAS as always.
//
// Why two holders cannot act at once:
// 1. Acquire is a CAS that only succeeds on an absent, released, or store-clock-expired lease.
// 2. A holder counts its renew deadline on its own monotonic clock from the moment the last
//    successful renew was SENT, which is no later than the store's timestamp for it. Since
//    renewDeadlineMs < leaseMs, the holder stops (aborts its work) before the store can consider
//    the lease expired. `isLeading()` re-checks this clock right before every side effect, so a
//    late timer (a blocked event loop) cannot stretch leadership.
// 3. Anything that outlives that — a process paused mid-send — carries its fence, and the
//    protected resource refuses a fence lower than one it has seen.
//
// Limits of this model (what it does NOT guarantee):
// - The deadline is counted on THIS process's monotonic clock and the lease on the STORE's clock.
//   Safety needs the two to advance at about the same rate over one lease period: a store whose
//   clock jumps forward (a failover to a primary with a skewed clock, an operator's step) can
//   expire a lease early, eating into leaseMs − renewDeadlineMs. Keep that margin wider than any
//   clock disagreement you expect.
// - Between `isLeading()` and the side effect itself there is a window: a process paused there
//   (GC, SIGSTOP, a VM freeze) acts after its deadline. Only reason 3 covers it, and only for a
//   resource that checks fences. A receiver that does not is protected by nothing here.
// - A renew is judged by when it was SENT; a reply that arrives after the deadline counted from
//   that moment is ignored, so a slow store can make a healthy holder step down (a safe failure).
// - "Leading" is a local belief. Two electors never act at once only if every store operation is
//   atomic and compares by the store's clock (coordination/stores/store.ts).
import { systemClock, type Clock } from './clock.ts';
import { validateTiming, type Timing } from './timing.ts';
import type { Store } from './stores/store.ts';
import type { CoordinationEvent } from './events.ts';

export interface ElectorOptions {
  store: Store;
  id: string;
  timing: Timing;
  /** Candidate lease names, in the order this instance prefers them. */
  leases: string[];
  /** How many leases to hold now (called once per retry period). */
  share(): Promise<number>;
  /** The work done while holding a lease; must stop promptly when `signal` aborts. */
  lead(name: string, fence: number, signal: AbortSignal): Promise<void>;
  emit(e: CoordinationEvent): void;
  /** Time source; tests inject a fake one. Default: the monotonic clock and real timers. */
  clock?: Clock;
  /**
   * How long after a renew was sent the holder may still act. Default: timing.renewDeadlineMs.
   * A seam for the harness's negative controls; the library never overrides it.
   */
  deadlineMs?(timing: Timing): number;
}

interface Held {
  name: string;
  fence: number;
  lastRenewSentAt: number;
  controller: AbortController;
  cancelDeadline?: () => void;
  work: Promise<void>;
  releasing: boolean;
}

export class Elector {
  readonly #o: ElectorOptions;
  readonly #held = new Map<string, Held>();
  readonly #lastSeenHolder = new Map<string, string | null>();
  readonly #stopping = new AbortController();
  readonly #clock: Clock;
  readonly #deadlineMs: number;
  #loop: Promise<void> | undefined;
  #cooldownUntil = 0;
  /** Below the share after the last tick: a release anywhere is worth waking for. */
  #short = false;
  /** Store-clock ms until the earliest wanted, live lease can expire (undefined: none seen). */
  #untilExpiryMs: number | undefined;
  #wake = new AbortController();
  #unwatch: (() => Promise<void>) | undefined;

  constructor(options: ElectorOptions) {
    validateTiming(options.timing);
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#deadlineMs = options.deadlineMs?.(options.timing) ?? options.timing.renewDeadlineMs;
  }

  start(): void {
    this.#loop ??= this.#run();
    void this.#watch();
  }

  /** Subscribes to the store's release announcements, if it makes any; polling covers the rest. */
  async #watch(): Promise<void> {
    const wanted = new Set(this.#o.leases);
    const onRelease = (name: string) => {
      if (!this.#short || !wanted.has(name)) return;
      // Every standby hears the same release: a random stagger lets the first one take it and
      // the rest find it held (one read), instead of all of them racing a CAS only one can win.
      const wake = this.#wake;
      this.#clock.timer(() => wake.abort(), Math.random() * WAKE_STAGGER_MS);
    };
    // A lost subscription (connection dropped) puts this standby back on polling every retry period.
    const onLost = () => { this.#unwatch = undefined; };
    const unwatch = await this.#o.store.watchReleases?.(onRelease, onLost)
      .catch((e) => { this.#o.emit({ type: 'error', message: `release notifications unavailable, polling: ${(e as Error).message}` }); });
    if (this.#stopping.signal.aborted) await unwatch?.();
    else this.#unwatch = unwatch ?? undefined;
  }

  /**
   * True only while this instance may act for `name`: held, not aborted, renew deadline not passed.
   * A passed deadline found here (its timer is late: the process was frozen or its event loop
   * blocked) loses the lease at once, so the work stops for good instead of waiting for a renew
   * that may still succeed and leave a holder that no longer works.
   */
  isLeading(name: string, now = this.#clock.now()): boolean {
    const h = this.#held.get(name);
    if (!h || h.releasing || h.controller.signal.aborted) return false;
    if (now - h.lastRenewSentAt < this.#deadlineMs) return true;
    this.#lose(h, 'renew deadline passed');
    return false;
  }

  /** The clock reading at which this instance was found leading `name`, or undefined: a side effect is stamped with it. */
  leadingAt(name: string): number | undefined {
    const now = this.#clock.now();
    return this.isLeading(name, now) ? now : undefined;
  }

  /** Standing by on purpose (after a release or a failure of its work): not short of leases. */
  coolingDown(): boolean {
    return this.#clock.now() < this.#cooldownUntil;
  }

  held(): { name: string; fence: number }[] {
    return [...this.#held.values()].filter((h) => !h.releasing).map(({ name, fence }) => ({ name, fence }));
  }

  /** The protected resource refused our fence: someone newer holds the lease. Stop at once. */
  stepDown(name: string, reason: string): void {
    const h = this.#held.get(name);
    if (h) this.#lose(h, reason);
  }

  /** Hands every lease back and does not try to acquire for `cooldownMs`, so a standby takes over. */
  async releaseAll(cooldownMs: number): Promise<void> {
    this.#cooldownUntil = this.#clock.now() + cooldownMs;
    await Promise.all([...this.#held.values()].map((h) => this.#release(h)));
  }

  /**
   * Graceful stop: finish in-flight work, release everything, stop the loop. Bounded by the
   * renew deadline per step, so a hung store cannot hang a shutdown; an unreleased lease simply
   * expires.
   */
  async stop(): Promise<void> {
    this.#stopping.abort();
    // Each step bounded; the bound's timer is cleared after, or it would hold the process open.
    const bounded = async (work: Promise<unknown> | undefined) => {
      const done = new AbortController();
      await Promise.race([work, this.#clock.sleep(this.#o.timing.renewDeadlineMs, done.signal)]);
      done.abort();
    };
    await bounded(this.#loop);
    await bounded(Promise.all([...this.#held.values()].map((h) => this.#release(h))));
    for (const h of this.#held.values()) this.#lose(h, 'stopped');
    await bounded(this.#unwatch?.().catch(() => {}));
  }

  async #run(): Promise<void> {
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      const started = this.#clock.now();
      // Armed before the tick: a release heard while the tick reads the table still cuts the sleep after it.
      this.#wake = new AbortController();
      const wake = AbortSignal.any([signal, this.#wake.signal]);
      await this.#tick().catch((e) => this.#o.emit({ type: 'error', message: String((e as Error).message ?? e) }));
      await this.#clock.sleep(Math.max(0, this.#nextTickMs() - (this.#clock.now() - started)), wake);
    }
  }

  /**
   * A holder ticks every retry period (its renews). A standby with nothing to try wakes when the
   * earliest wanted lease can expire, if that comes before its next poll, so a crashed holder is
   * replaced at lease + margin rather than lease + up to a retry period. Woken by the store on
   * release, it need not poll at all: it sleeps until that expiry, but at most half a lease, as its
   * heartbeat in the registry (judged alive for one lease) must stay fresh. A store that cannot
   * wake it is polled every retry period (one read), or a graceful handoff would wait for expiry.
   */
  #nextTickMs(): number {
    const { retryMs, leaseMs } = this.#o.timing;
    if (this.#held.size > 0 || !this.#short || this.#untilExpiryMs === undefined) return retryMs;
    const expiry = Math.max(0, this.#untilExpiryMs + EXPIRY_MARGIN_MS + Math.random() * WAKE_STAGGER_MS);
    return this.#unwatch ? Math.min(Math.max(retryMs, leaseMs / 2), expiry) : Math.min(retryMs, expiry);
  }

  async #tick(): Promise<void> {
    await this.#renewAll();
    if (this.#stopping.signal.aborted) return;
    const target = await this.#o.share();
    const active = [...this.#held.values()].filter((h) => !h.releasing);
    if (active.length > target) {
      // Give back the least preferred extras so a newcomer gets work.
      const extras = active.sort((a, b) => this.#rank(b.name) - this.#rank(a.name)).slice(0, active.length - target);
      await Promise.all(extras.map((h) => this.#release(h)));
      // They are for an instance below its share: do not race it for what we just gave back.
      this.#cooldownUntil = Math.max(this.#cooldownUntil, this.#clock.now() + 2 * this.#o.timing.retryMs);
      this.#short = false;
      return;
    }
    this.#short = active.length < target;
    this.#untilExpiryMs = undefined;
    if (!this.#short || this.#clock.now() < this.#cooldownUntil) return;
    for (const name of await this.#candidates()) {
      if (this.held().length >= target || this.#stopping.signal.aborted) break;
      await this.#tryAcquire(name);
    }
    this.#short = this.held().length < target;
  }

  /**
   * The leases worth an acquire, in preference order, from ONE read of the lease table: absent,
   * released or expired. A live lease held by another is only noted (a `denied` when its holder
   * changed) and its expiry remembered for the sleep.
   */
  async #candidates(): Promise<string[]> {
    const states = new Map((await this.#o.store.listLeases(commonPrefix(this.#o.leases))).map((l) => [l.name, l]));
    const out: string[] = [];
    for (const name of this.#o.leases) {
      if (this.#held.has(name)) continue;
      const l = states.get(name);
      if (!l || l.holder === null || l.expired) { out.push(name); continue; }
      this.#noteHolder(name, l.holder);
      this.#untilExpiryMs = Math.min(this.#untilExpiryMs ?? Infinity, l.remainingMs);
    }
    return out;
  }

  #noteHolder(name: string, holder: string | null): void {
    if (this.#lastSeenHolder.get(name) !== holder) this.#o.emit({ type: 'denied', lock: name, holder });
    this.#lastSeenHolder.set(name, holder);
  }

  #rank(name: string): number {
    return this.#o.leases.indexOf(name);
  }

  async #renewAll(): Promise<void> {
    // Never renew past the deadline: that lease is lost even if its timer has not fired yet.
    const within = (h: Held) => this.#clock.now() - h.lastRenewSentAt < this.#deadlineMs;
    const list = [...this.#held.values()].filter((h) => (h.releasing ? within(h) : this.isLeading(h.name)));
    if (list.length === 0) return;
    const sentAt = this.#clock.now();
    let renewed: string[];
    try {
      renewed = await this.#o.store.renew(this.#o.id, list.map(({ name, fence }) => ({ name, fence })));
    } catch (e) {
      // The deadline timers decide when a failing store costs us the lease.
      this.#o.emit({ type: 'error', message: `renew failed: ${(e as Error).message}` });
      return;
    }
    for (const h of list) {
      if (this.#held.get(h.name) !== h || h.controller.signal.aborted) continue;
      if (renewed.includes(h.name)) {
        h.lastRenewSentAt = sentAt;
        this.#armDeadline(h);
        this.#o.emit({ type: 'renewed', lock: h.name, fence: h.fence, sent: sentAt });
      } else {
        this.#lose(h, 'lease taken by another holder');
      }
    }
  }

  async #tryAcquire(name: string): Promise<void> {
    const sentAt = this.#clock.now();
    const lease = await this.#o.store.acquire(name, this.#o.id, this.#o.timing.leaseMs);
    if (!lease) {
      // Lost a race for a lease that looked free; the winner is worth one read to report.
      this.#noteHolder(name, (await this.#o.store.readLease(name))?.holder ?? null);
      return;
    }
    this.#lastSeenHolder.delete(name);
    const controller = new AbortController();
    const h: Held = { name, fence: lease.fence, lastRenewSentAt: sentAt, controller, work: Promise.resolve(), releasing: false };
    this.#held.set(name, h);
    this.#armDeadline(h);
    this.#o.emit({ type: 'acquired', lock: name, fence: lease.fence, sent: sentAt });
    h.work = this.#o.lead(name, lease.fence, controller.signal).catch((e) => this.#workFailed(h, e as Error));
  }

  /**
   * The work died (a store error mid-step): holding on would keep the lease with nobody doing
   * its work. Step down, hand the lease back, and stand by for a lease period so another
   * instance starts afresh.
   */
  #workFailed(h: Held, e: Error): void {
    this.#o.emit({ type: 'error', message: `work on ${h.name} failed: ${e.message}` });
    if (this.#held.get(h.name) !== h || h.releasing) return;
    this.#lose(h, `work failed: ${e.message}`);
    void this.#o.store.release(h.name, this.#o.id, h.fence).catch(() => {});
    // Let a standby have it: a fault that killed our work may kill it again.
    this.#cooldownUntil = this.#clock.now() + this.#o.timing.leaseMs;
  }

  #armDeadline(h: Held): void {
    h.cancelDeadline?.();
    if (!Number.isFinite(this.#deadlineMs)) return;
    const left = h.lastRenewSentAt + this.#deadlineMs - this.#clock.now();
    h.cancelDeadline = this.#clock.timer(() => this.#lose(h, 'renew deadline passed'), Math.max(0, left));
  }

  #lose(h: Held, reason: string): void {
    if (this.#held.get(h.name) !== h) return;
    this.#held.delete(h.name);
    h.cancelDeadline?.();
    h.controller.abort();
    this.#o.emit({ type: 'lost', lock: h.name, fence: h.fence, reason });
  }

  async #release(h: Held): Promise<void> {
    if (h.releasing || this.#held.get(h.name) !== h) return;
    h.releasing = true;
    h.controller.abort();
    await h.work;
    if (this.#held.get(h.name) !== h) return; // lost while finishing
    this.#held.delete(h.name);
    h.cancelDeadline?.();
    const sent = this.#clock.now();
    const ok = await this.#o.store.release(h.name, this.#o.id, h.fence).catch(() => false);
    if (ok) this.#o.emit({ type: 'released', lock: h.name, fence: h.fence, sent });
    else this.#o.emit({ type: 'lost', lock: h.name, fence: h.fence, reason: 'release refused: lease no longer ours' });
  }
}

/** Spread of the standbys' wake-ups after a release notification or at an expiry (see #watch). */
const WAKE_STAGGER_MS = 50;

/** Past the store-clock expiry, so the wake-up's acquire finds the lease expired. */
const EXPIRY_MARGIN_MS = 25;

/** The longest prefix every lease name shares: one range read covers them all. */
function commonPrefix(names: string[]): string {
  let prefix = names[0] ?? '';
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
