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
