// `npm run bench`: every performance goal of the project, measured in ONE run on this machine, each
// next to its goal and, where there is one, its floor (the same statement raw, a bare node).
// Ratios are taken side by side because this machine is small and noisy: absolute numbers mean
// little, ratios measured together do. Writes bench/results.json and bench/results.md.
//
// Stores: SQLite in a temp dir; PostgreSQL from $BATON_BENCH_POSTGRES or the local test server.
// Peers (ops/s side by side): pg_try_advisory_lock, redis-semaphore when Redis answers on
// 127.0.0.1:6379, proper-lockfile. BATON_BENCH_QUICK=1 runs each figure once (a smoke run).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownTable } from 'markdown-table';
import { storeOps } from './store-ops.ts';
import { election } from './election.ts';
import { scale } from './scale.ts';
import { checkers, cliStart, suiteWall, workerRss } from './harness.ts';
import type { Figure } from './measure.ts';

const QUICK = process.env.BATON_BENCH_QUICK === '1';
const RUNS = QUICK ? 1 : 3;
const PG = process.env.BATON_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

async function main(): Promise<void> {
  const started = new Date();
  const figures: Figure[] = [];
  const step = async (what: string, fn: () => Promise<Figure | Figure[]>) => {
    process.stderr.write(`bench: ${what}…\n`);
    const f = await fn();
    figures.push(...(Array.isArray(f) ? f : [f]));
  };
  let peers: [string, number][] = [];
  await step('store operations and peers', async () => { const r = await storeOps(PG, QUICK ? 0.5 : 1, RUNS); peers = r.peers; return r.figures; });
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  try {
    await step('handoff, takeover, contention', () => election([['SQLite', `sqlite:${dir}`], ['PostgreSQL', PG]], QUICK ? 3 : 10));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await step('scale grid (PostgreSQL)', () => scale(PG));
  await step('checkers on 1M rows', () => checkers(RUNS));
  await step('CLI start-up', () => cliStart(RUNS));
  await step('worker memory', () => workerRss(RUNS));
  await step('suite wall time', () => suiteWall(RUNS));
  const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version, date: started.toISOString(), runs: RUNS };
  const results = { machine, figures, peers: peers.map(([name, opsPerSecond]) => ({ name, opsPerSecond: Math.round(opsPerSecond) })) };
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
  writeFileSync('bench/results.md', markdown(results));
  process.stdout.write(markdown(results));
}

function markdown(r: { machine: Record<string, unknown>; figures: Figure[]; peers: { name: string; opsPerSecond: number }[] }): string {
  const m = r.machine;
  const met = r.figures.filter((f) => f.met).length;
  const rows = r.figures.map((f) => [
    f.group, f.name, `${f.measured.min} / **${f.measured.median}** / ${f.measured.max} ${f.unit}`, f.goal,
    f.met === null ? '—' : f.met ? '✅' : '❌', [f.floor, f.note].filter(Boolean).join('; '),
  ]);
  return [
    '# baton bench', '',
    `${m.date} · ${m.cpus} × ${m.model} · Node ${m.node} · each figure min / **median** / max of ${m.runs} run(s) unless its note says otherwise.`,
    `Goals met: ${met} of ${r.figures.length}.`, '',
    markdownTable([['group', 'figure', 'measured', 'goal', 'met', 'floor / note'], ...rows]), '',
    '## Peers, side by side in the same run (one client, lock + unlock cycles per second)', '',
    markdownTable([['lock', 'ops/s'], ...r.peers.map((p) => [p.name, String(p.opsPerSecond)])]), '',
  ].join('\n');
}

main().catch((e) => { console.error(`bench: ${(e as Error).message}`); process.exitCode = 1; });
