// A clock that moves only when a test says so, for timing rules in milliseconds.
import type { Clock } from '../../coordination/clock.ts';

export class FakeClock implements Clock {
  #now = 0;
  #timers: { at: number; fn: () => void }[] = [];

  now(): number {
    return this.#now;
  }

  timer(fn: () => void, ms: number): () => void {
    const t = { at: this.#now + ms, fn };
    this.#timers.push(t);
    return () => { this.#timers = this.#timers.filter((x) => x !== t); };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const cancel = this.timer(resolve, ms);
      signal?.addEventListener('abort', () => { cancel(); resolve(); }, { once: true });
    });
  }

  /** Moves time forward. With `fire: false` no timer runs: a process whose timers are late (a blocked event loop). */
  advance(ms: number, { fire = true } = {}): void {
    this.#now += ms;
    if (!fire) return;
    const due = this.#timers.filter((t) => t.at <= this.#now).sort((a, b) => a.at - b.at);
    this.#timers = this.#timers.filter((t) => !due.includes(t));
    for (const t of due) t.fn();
  }
}
