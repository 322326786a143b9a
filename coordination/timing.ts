// The timing rules that keep two holders apart (the client-go leader-election rules).

export interface Timing {
  /** How long the store keeps a lease alive after its last renew. */
  leaseMs: number;
  /** A holder that has not renewed successfully within this long stops leading. */
  renewDeadlineMs: number;
  /** How often a holder renews and a standby tries to acquire. */
  retryMs: number;
}

/** Real deployments. */
export const DEFAULT_TIMING: Timing = { leaseMs: 15_000, renewDeadlineMs: 10_000, retryMs: 2_000 };

export class TimingError extends Error {
  override name = 'TimingError';
}

/**
 * - renewDeadlineMs < leaseMs: the holder gives up (on its monotonic clock, counted from when
 *   its last successful renew was *sent*, which is before the store stamped it) strictly before
 *   the store can call the lease expired, so it never acts while a standby may hold the lease.
 * - retryMs * 1.2 < renewDeadlineMs: at least one retry fits in the deadline with room for jitter,
 *   so one slow renew does not cost the lease.
 */
export function validateTiming(t: Timing): Timing {
  for (const [k, v] of Object.entries(t)) {
    if (!Number.isFinite(v) || v <= 0) throw new TimingError(`${k} must be a positive number of ms, got ${v}`);
  }
  if (!(t.leaseMs > t.renewDeadlineMs)) {
    throw new TimingError(`leaseMs (${t.leaseMs}) must be greater than renewDeadlineMs (${t.renewDeadlineMs}): a holder must stop before its lease can expire`);
  }
  if (!(t.renewDeadlineMs > t.retryMs * 1.2)) {
    throw new TimingError(`renewDeadlineMs (${t.renewDeadlineMs}) must be greater than 1.2 × retryMs (${t.retryMs * 1.2}): at least one retry must fit before the deadline`);
  }
  return t;
}
