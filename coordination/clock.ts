// Two clocks, never mixed. Decisions about *this* process's own deadlines use the monotonic
// clock, which neither NTP nor an operator can move. Wall time is only for humans (logs).
// Lease expiry is judged by the store's clock, inside the store.

/** Monotonic milliseconds (CLOCK_MONOTONIC: shared by all processes on one Linux host). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * `work`'s result, or undefined once `ms` have passed, whichever comes first. The timer is
 * cleared either way: a pending timer would keep a finished process alive for nothing.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  const done = new AbortController();
  try {
    return await Promise.race([work, sleep(ms, done.signal).then(() => undefined)]);
  } finally {
    done.abort();
  }
}

/**
 * The time source of a deadline-keeping component (the elector). Injected so its timing rules can
 * be tested in milliseconds on a fake clock; production uses the monotonic clock and real timers.
 */
export interface Clock {
  /** Monotonic ms. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  timer(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: monotonicMs,
  sleep,
  timer(fn, ms) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};
