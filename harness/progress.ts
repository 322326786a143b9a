// What `baton verify` says on stderr while it runs: one line per scenario start and finish (CI
// logs), and on a terminal also a live line with what is running and for how long.

export type ScenarioProgress =
  | { phase: 'start'; name: string }
  | { phase: 'finish'; name: string; passed: boolean; error?: boolean; checksPassed: number; checks: number; durationMs: number; skipped?: string; notExercised?: number };

export interface ProgressView {
  update(e: ScenarioProgress): void;
  /** Stops the live line (call once, after the last scenario). */
  close(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function progressView(out: NodeJS.WriteStream, total: number): ProgressView {
  const running = new Map<string, number>();
  let done = 0;
  const live = out.isTTY === true;
  const clear = () => { if (live) out.write('\r\x1b[K'); };
  const draw = () => {
    if (!live || running.size === 0) return;
    const now = performance.now();
    const names = [...running].map(([name, since]) => `${name} ${seconds(now - since)}`).join(' · ');
    out.write(`\r\x1b[K⏳ ${done}/${total} done · running: ${names}`.slice(0, (out.columns || 120) - 1));
  };
  const timer = live ? setInterval(draw, 250) : undefined;
  timer?.unref();
  return {
    update(e) {
      clear();
      if (e.phase === 'start') {
        running.set(e.name, performance.now());
        if (!live) out.write(`▶ ${e.name}\n`);
      } else {
        running.delete(e.name);
        done++;
        out.write(e.skipped ? `– ${e.name}: skipped, ${e.skipped}\n`
          : e.error ? `⚠ ${e.name}: could not be judged (${seconds(e.durationMs)})\n`
          : `${e.passed ? '✔' : '✘'} ${e.name}: ${e.checksPassed}/${e.checks} checks passed${e.notExercised ? `, ${e.notExercised} not exercised` : ''} (${seconds(e.durationMs)})\n`);
      }
      draw();
    },
    close() {
      clearInterval(timer);
      clear();
    },
  };
}
