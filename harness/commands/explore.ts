// `baton explore`: seeded random fault schedules against any worker until the budget is spent,
// each judged by the same checkers as `baton verify`; a coverage map of the cells really reached;
// every distinct failure re-run to measure how often it reproduces, shrunk to the fewest steps,
// saved as a schedule `baton verify --schedule` replays, and run once more to write its report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { redact } from '../../coordination/redact.ts';
import { toJsonLines } from '../history.ts';
import { QUICK } from '../scenario.ts';
import { BUILTIN_WORKER } from '../cluster.ts';
import { runScenarios, type ScenarioResult } from '../runner.ts';
import { chooseStore, type StoreChoice } from '../store-choice.ts';
import { seededRandom } from '../random.ts';
import { strategyByName } from '../strategies/index.ts';
import { scheduleScenario } from '../schedule/play.ts';
import { writeScheduleFile } from '../schedule/file.ts';
import type { Schedule } from '../schedule/schedule.ts';
import { allCells, cellKey } from '../explore/cells.ts';
import { generateSchedule } from '../explore/generate.ts';
import { addHits, handoffPattern, stepCoverage, type Hits } from '../explore/coverage.ts';
import { shrinkSchedule } from '../explore/shrink.ts';
import { exploreHtml, exploreMarkdown, summaryLine, type ExploreResult, type Failure } from '../explore/report.ts';
import { cannotRun, faultEnvFor, runOnce, type OnStore } from './verify.ts';
import { prepareOutDir } from './out-dir.ts';
import { UsageError, wholeOption } from './usage.ts';

export interface ExploreOptions {
  store: string;
  worker?: string;
  strategy: string;
  budget: string;
  seed?: string;
  out?: string;
  concurrency: string;
  instances: string;
  partitions: string;
  /** Stop exploring after this many distinct failures. */
  maxFailures: string;
  /** Runs of a failing schedule to measure its rate, and of each shrinking candidate. */
  reps: string;
  /** Every deployment as a container (its own PID and UTS namespace). */
  containers?: boolean;
}


/** `90s`, `30m`, `1h`, or plain seconds. */
export function parseBudget(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(v.trim());
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--budget must be a duration such as 90s, 30m or 1h, got ${v}`);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
}

export async function explore(o: ExploreOptions, onStore: OnStore): Promise<void> {
  const started = Date.now();
  const budgetMs = parseBudget(o.budget);
  const seed = o.seed === undefined ? randomInt(1_000_000) : wholeOption(o.seed, '--seed', 0, 2 ** 31);
  const concurrency = wholeOption(o.concurrency, '--concurrency', 1, 16);
  const instances = wholeOption(o.instances, '--instances', 2, 16);
  const partitions = wholeOption(o.partitions, '--partitions', 1, 8);
  const maxFailures = wholeOption(o.maxFailures, '--max-failures', 1, 100);
  const reps = wholeOption(o.reps, '--reps', 1, 10);
  if (o.strategy !== 'correct' && o.worker) throw new UsageError('--strategy selects a variant of the built-in worker; it cannot be combined with --worker');
  if (!strategyByName(o.strategy)) throw new UsageError(`unknown --strategy ${o.strategy}`);
  const out = o.out ?? join('reports', `explore-${new Date(started).toISOString().replace(/[:.]/g, '-')}`);
  prepareOutDir(out);
  if (o.seed === undefined) process.stderr.write(`seed ${seed} (random; --seed ${seed} replays this exploration)\n`);
  const store = await chooseStore(o.store);
  onStore(store);
  try {
    const env = faultEnvFor(store);
    const why = cannotRun(strategyByName(o.strategy)!, env);
    if (why) throw new UsageError(`--strategy ${o.strategy} cannot run on ${store.kind}: ${why}`);
    if (o.containers && env.containers !== true) throw new UsageError(`--containers: ${env.containers}`);
    const cells = allCells(env, partitions);
    process.stderr.write(`baton explore: ${cells.reachable.length} reachable cells on ${store.version} (${redact(store.uri)}), budget ${o.budget}, seed ${seed}\n`);
    const run = (schedules: Schedule[], names: string[]) => runScenarios(schedules.map((s, i) => scheduleScenario(s, names[i])), {
      storeUri: store.uri, workerCommand: o.worker ?? BUILTIN_WORKER, seed, concurrency, faultEnv: env,
      strategy: o.strategy === 'correct' ? undefined : o.strategy, containers: o.containers,
    });
    const result: ExploreResult = {
      seed, store: `${store.version} (${redact(store.uri)})`, worker: o.worker ? redact(o.worker) : `built-in, strategy ${o.strategy}`,
      budgetMs, reachable: cells.reachable.map(cellKey), unreachable: cells.unreachable.map((u) => ({ cell: cellKey(u.cell), why: u.why })),
      hits: new Map(), patterns: new Map(), schedules: 0, failing: 0, failures: [], elapsedMs: 0, cutShort: false, stepOutcomes: { reached: 0, missed: 0, skipped: 0 },
    };
    const rnd = seededRandom(seed, 'explore');
    const failed = new Map<string, { schedule: Schedule; result: ScenarioResult; foundAtMs: number }>();
    let n = 0;
    while (Date.now() - started < budgetMs && failed.size < maxFailures) {
      const batch = Array.from({ length: concurrency }, () => generateSchedule(rnd, { reachable: cells.reachable, hits: result.hits, timing: QUICK, instances, partitions }, `explore seed ${seed} #${++n}`));
      const results = await run(batch, batch.map((_, i) => `schedule-${n - concurrency + i + 1}`));
      results.forEach((r, i) => tally(result, batch[i]!, r, partitions));
      for (const [i, r] of results.entries()) {
        if (r.status !== 'failed') continue;
        result.failing++;
        const sig = signature(r);
        if (!failed.has(sig)) failed.set(sig, { schedule: batch[i]!, result: r, foundAtMs: Date.now() - started });
      }
      process.stderr.write(`${result.schedules} schedules, ${result.failing} failing, ${result.hits.size} of ${result.reachable.length} cells (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
    result.cutShort = failed.size < maxFailures;
    result.elapsedMs = Date.now() - started;
    mkdirSync(join(out, 'failures'), { recursive: true });
    let k = 0;
    for (const [sig, f] of failed) result.failures.push(await keepFailure(++k, sig, f, { run, reps, out, o, seed, store }));
    writeFileSync(join(out, 'explore.md'), exploreMarkdown(result));
    writeFileSync(join(out, 'explore.html'), exploreHtml(result));
    writeFileSync(join(out, 'explore.json'), JSON.stringify({ ...result, hits: Object.fromEntries(result.hits), patterns: Object.fromEntries(result.patterns) }, null, 2) + '\n');
    process.stdout.write(`${summaryLine(result)} → ${join(out, 'explore.md')}\n`);
    process.exitCode = result.failures.length ? 1 : 0;
  } finally {
    await store.release();
  }
}

function tally(r: ExploreResult, s: Schedule, res: ScenarioResult, partitions: number): void {
  r.schedules++;
  const steps = stepCoverage(s, res.history);
  addHits(r.hits as Hits, steps);
  for (const st of steps) r.stepOutcomes[st.outcome]++;
  const p = handoffPattern(res.history, partitions);
  r.patterns.set(p, (r.patterns.get(p) ?? 0) + 1);
}

/** Failures are told apart by the checks that failed (their stable id where one is set). */
const failedChecks = (r: ScenarioResult) => r.checks.filter((c) => c.status === 'fail').map((c) => c.id ?? c.name).sort();
const signature = (r: ScenarioResult) => failedChecks(r).join(' + ');

interface Keep {
  run: (s: Schedule[], names: string[]) => Promise<ScenarioResult[]>;
  reps: number;
  out: string;
  o: ExploreOptions;
  seed: number;
  store: StoreChoice;
}

/** Re-runs a failure to measure its rate, shrinks it while it fails at that rate, saves both and writes the smallest one's report. */
async function keepFailure(k: number, sig: string, f: { schedule: Schedule; result: ScenarioResult; foundAtMs: number }, c: Keep): Promise<Failure> {
  const wanted = sig.split(' + ');
  const failsOnce = (r: ScenarioResult) => r.status === 'failed' && failedChecks(r).some((x) => wanted.includes(x));
  const times = async (s: Schedule) => (await c.run(Array(c.reps).fill(s), Array.from({ length: c.reps }, (_, i) => `failure-${k}-rep-${i + 1}`))).filter(failsOnce).length;
  const reproduced = await times(f.schedule);
  const need = Math.max(1, reproduced);
  const original = join(c.out, 'failures', `failure-${k}.json`);
  writeScheduleFile(original, f.schedule);
  // The failing run's own history, so its verdict can be re-checked however rarely it reproduces.
  writeFileSync(join(c.out, 'failures', `failure-${k}.history.jsonl`), toJsonLines(f.result.history));
  const shrunk = reproduced ? await shrinkSchedule(f.schedule, async (s) => (await times(s)) >= need, 12) : { schedule: f.schedule, tries: 0 };
  const smallest = join(c.out, 'failures', `failure-${k}.min.json`);
  writeScheduleFile(smallest, shrunk.schedule);
  const replay = `npx baton verify --store ${redact(c.o.store)}${c.o.worker ? ` --worker '${redact(c.o.worker)}'` : ''}${c.o.strategy !== 'correct' ? ` --strategy ${c.o.strategy}` : ''}${c.o.containers ? ' --containers' : ''} --seed ${c.seed} --schedule ${smallest}`;
  // The smallest schedule's own report (timeline included), through verify's writer.
  const reportDir = join(c.out, 'failures', `failure-${k}`);
  const replayed = await writeReplayReport(c, shrunk.schedule, reportDir, smallest);
  return { checks: wanted, foundAtMs: f.foundAtMs, steps: f.schedule.steps.length, reproduced, reps: c.reps, shrunk: shrunk.schedule, shrinkTries: shrunk.tries, file: original, smallest, replay, reportDir, replayed };
}

async function writeReplayReport(c: Keep, s: Schedule, dir: string, file: string): Promise<string> {
  const r = await runOnce({ store: c.o.store, suite: 'all', schedule: file, format: ['md', 'json', 'html'], worker: c.o.worker, strategy: c.o.strategy, concurrency: '1', containers: c.o.containers },
    { scenarios: [scheduleScenario(s)], formats: ['md', 'json', 'html'], seed: c.seed, concurrency: 1, strategies: [c.o.strategy], out: dir, lang: 'en' },
    c.store, faultEnvFor(c.store), c.o.strategy, dir);
  return r.status;
}
