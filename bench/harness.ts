// The harness's own costs: CLI start-up against a bare node, a suite's wall time against its
// longest scenario, the checkers on a million-row history, and a built-in worker's peak memory.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invariants } from '../harness/checkers/suite.ts';
import { fromJsonLines, toJsonLines } from '../harness/history.ts';
import { Sink } from '../harness/sink.ts';
import { openStore } from '../coordination/stores/index.ts';
import { BIG_SETTINGS, bigHistory } from '../test/support/big-history.ts';
import { repeat, round, sleep, spread, type Figure } from './measure.ts';

const elapsed = async (fn: () => Promise<unknown>) => { const t = performance.now(); await fn(); return performance.now() - t; };

export async function cliStart(runs: number): Promise<Figure> {
  const bare: number[] = [];
  const m = await repeat(runs, async () => {
    const b = await elapsed(() => execa('node', ['-e', '0']));
    bare.push(b);
    return (await elapsed(() => execa('node', ['bin/baton.js', '--help']))) / b;
  });
  return {
    group: 'suite and CLI', name: '`baton --help` ÷ bare `node -e 0`', measured: r2(m), unit: '× bare node', goal: '≤ 1.5×',
    met: m.median <= 1.5, floor: `bare node: ${Math.round(spread(bare).median)} ms`,
  };
}

export async function suiteWall(runs: number): Promise<Figure> {
  const m = await repeat(runs, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-bench-suite-'));
    try {
      const wall = await elapsed(() => execa('node', ['bin/baton.js', 'verify', '--store', 'sqlite', '--seed', '1', '--out', dir, '--format', 'json']));
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { scenarios: { durationMs: number }[] };
      return wall / Math.max(...report.scenarios.map((s) => s.durationMs));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return {
    group: 'suite and CLI', name: '`baton verify` (seed suite, SQLite) wall time ÷ its longest scenario', measured: r2(m), unit: '×',
    goal: '≤ 1.3×', met: m.median <= 1.3, note: 'wall time of the whole command: start-up, store probe, scenarios, reports, exit',
  };
}

export async function checkers(runs: number): Promise<Figure> {
  const h = bigHistory(1_000_000);
  const text = toJsonLines(h);
  const m = await repeat(runs, async () => elapsed(async () => invariants(fromJsonLines(text), BIG_SETTINGS)));
  return {
    group: 'checkers', name: 'parse + check a 1,000,000-row history (every invariant)', measured: r0(m), unit: 'ms',
    goal: '≤ 5000 ms, no crash', met: m.median <= 5_000, note: `${(text.length / 1e6).toFixed(0)} MB of JSON lines`,
  };
}

/** Peak RSS (VmHWM) of the built-in worker after it has held 4 leases and sent for a few seconds. */
export async function workerRss(runs: number): Promise<Figure> {
  const m = await repeat(runs, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-bench-rss-'));
    const store = await openStore(`sqlite:${dir}`, 'bench_rss');
    await store.init();
    await store.writeControl('auto', 'RUNNING', 'bench');
    const sink = new Sink();
    const env = {
      BATON_STORE: `sqlite:${dir}`, BATON_NAMESPACE: 'bench_rss', BATON_SINK: await sink.start(), BATON_LOCK: 'auto', BATON_AUTOMATION: 'auto',
      BATON_LEASE_MS: '2000', BATON_RENEW_DEADLINE_MS: '1400', BATON_RETRY_MS: '300', BATON_PARTITIONS: '4', BATON_INTERVAL_MS: '20',
    };
    // The worker as `baton verify` starts it from the build (npm run bench builds first).
    const child = execa(process.execPath, ['dist/harness/worker.js'], { reject: false, env, stdout: 'ignore', stderr: 'ignore' });
    try {
      await sleep(5_000);
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
    } finally {
      child.kill('SIGKILL');
      await child;
      await sink.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return { group: 'memory', name: 'built-in worker peak RSS (4 partitions, sending)', measured: r0(m), unit: 'MB', goal: '≤ 70 MB', met: m.median <= 70 };
}

const r2 = (s: { min: number; median: number; max: number }) => ({ min: round(s.min), median: round(s.median), max: round(s.max) });
const r0 = (s: { min: number; median: number; max: number }) => ({ min: Math.round(s.min), median: Math.round(s.median), max: Math.round(s.max) });
