import { describe, expect, it } from 'vitest';
import { progressView } from '../harness/progress.ts';

/** A stand-in for process.stderr: pure output logic, no process involved. */
function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, columns: 200, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream };
}

describe('progress view', () => {
  it('prints one plain line per start and finish when not on a terminal', () => {
    const { chunks, out } = stream(false);
    const v = progressView(out, 2);
    v.update({ phase: 'start', name: 'failover' });
    v.update({ phase: 'finish', name: 'failover', passed: false, checksPassed: 6, checks: 7, durationMs: 7_400 });
    v.close();
    expect(chunks.join('')).toBe('▶ failover\n✘ failover: 6/7 checks passed (7.4 s)\n');
  });

  it('keeps a live line of what is running on a terminal, and clears it when done', () => {
    const { chunks, out } = stream(true);
    const v = progressView(out, 2);
    v.update({ phase: 'start', name: 'failover' });
    v.update({ phase: 'start', name: 'partitioning' });
    const text = chunks.join('');
    expect(text).toMatch(/⏳ 0\/2 done · running: failover \d+\.\d s · partitioning \d+\.\d s/);
    expect(text).not.toContain('▶');
    v.update({ phase: 'finish', name: 'failover', passed: true, checksPassed: 7, checks: 7, durationMs: 6_000 });
    expect(chunks.join('')).toMatch(/✔ failover: 7\/7 checks passed \(6\.0 s\)\n\r\x1b\[K⏳ 1\/2 done · running: partitioning/);
    v.close();
    expect(chunks.at(-1)).toBe('\r\x1b[K');
  });
});
