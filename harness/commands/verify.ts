// `baton verify`: run a suite against real workers and a real store, write the report. With
// `--strategy all`, run it once per built-in strategy and write the detection matrix.
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { redact } from '../../coordination/redact.ts';
import { BUILTIN_WORKER } from '../cluster.ts';
import { runScenarios, type ScenarioResult } from '../runner.ts';
import { progressView } from '../progress.ts';
import { chooseStore, type StoreChoice } from '../store-choice.ts';
import { toJsonLines, type History } from '../history.ts';
import { toHtml } from '../report/html.ts';
import { summaryTable, toMarkdown } from '../report/markdown.ts';
import { toJunit } from '../report/junit.ts';
import { EXIT_CODE, toJson, type Report } from '../report/model.ts';
import { detectionMatrix } from '../report/matrix.ts';
import { faketimeLibrary } from '../faults/clock.ts';
import type { FaultEnv } from '../faults/faults.ts';
import { storeProxiable } from '../faults/network.ts';
import { STRATEGY_NAMES, strategyByName, type Strategy } from '../strategies/index.ts';
import { FAULTS } from '../faults/faults.ts';
import { ALL_SCENARIOS, SUITES } from '../../scenarios/index.ts';
import type { Scenario } from '../scenario.ts';
import { UsageError, wholeOption } from './usage.ts';
import { FORMATS } from '../report/formats.ts';
import { LANG_NAMES, messages, type Lang } from '../report/lang/messages.ts';
import { prepareOutDir } from './out-dir.ts';
import { containersAvailable } from '../containers.ts';
import { scheduleScenario } from '../schedule/play.ts';
import { readScheduleFile } from '../schedule/file.ts';

export interface VerifyOptions {
  store: string;
  suite: string;
  scenario?: string[];
  /** A fault schedule file (harness/schedule/schedule.ts) run as the only scenario. */
  schedule?: string;
  instances?: string;
  seed?: string;
  out?: string;
  format: string | string[];
  worker?: string;
  strategy: string;
  concurrency: string;
  duration?: string;
  lang?: string;
  /** Every deployment as a container (its own PID and UTS namespace). */
  containers?: boolean;
}

export interface Plan {
  scenarios: Scenario[];
  formats: string[];
  seed: number;
  concurrency: number;
  instances?: number;
  faultSeconds?: number;
  strategies: string[];
  out: string;
  /** The language of report.md (the other formats are for programs and stay English). */
  lang: Lang;
  /** The command line the report prints to reproduce the run (default: the verify command). */
  command?: string;
}


function plan(o: VerifyOptions, started: number): Plan {
  const formats = list(o.format);
  const badFormat = formats.filter((f) => !FORMATS.includes(f));
  if (badFormat.length) throw new UsageError(`unknown --format ${badFormat.join(',')}: use a subset of ${FORMATS.join(',')}`);
  if (o.strategy !== 'correct' && o.worker) throw new UsageError('--strategy selects a variant of the built-in worker; it cannot be combined with --worker');
  return {
    scenarios: o.schedule ? [scheduleFromFile(o)] : pickScenarios(o.suite, o.scenario && list(o.scenario)),
    formats,
    seed: o.seed === undefined ? randomInt(1_000_000) : wholeOption(o.seed, '--seed', 0)!,
    concurrency: wholeOption(o.concurrency, '--concurrency', 1)!,
    instances: wholeOption(o.instances, '--instances', 2, 16),
    faultSeconds: wholeOption(o.duration, '--duration', 1),
    strategies: o.strategy === 'all' ? STRATEGY_NAMES : [o.strategy],
    out: o.out ?? join('reports', new Date(started).toISOString().replace(/[:.]/g, '-')),
    lang: reportLang(o.lang),
  };
}

export function reportLang(lang = 'en'): Lang {
  if (!(LANG_NAMES as string[]).includes(lang)) throw new UsageError(`unknown --lang ${lang}: use ${LANG_NAMES.join(' or ')}`);
  return lang as Lang;
}

/** `a,b`, `a b` and `a, b` all mean the same list (the shell gives `a b` as two arguments). */
export function list(v: string | string[]): string[] {
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

function scheduleFromFile(o: VerifyOptions): Scenario {
  if (o.scenario) throw new UsageError('--schedule runs one schedule: it cannot be combined with --scenario');
  return scheduleScenario(readScheduleFile(o.schedule!));
}

function pickScenarios(suite: string, names?: string[]): Scenario[] {
  if (names?.length) {
    const unknown = names.filter((n) => !ALL_SCENARIOS.has(n));
    if (unknown.length) throw new UsageError(`unknown scenario ${unknown.join(', ')}: valid ones are ${[...ALL_SCENARIOS.keys()].join(', ')}`);
    return names.map((n) => ALL_SCENARIOS.get(n)!);
  }
  const s = SUITES[suite];
  if (!s) throw new UsageError(`unknown suite ${suite}: valid ones are ${Object.keys(SUITES).join(', ')}`);
  return s;
}

/** Called by the CLI once the store is chosen, so Ctrl-C can release it. */
export type OnStore = (store: StoreChoice) => void;

export async function verify(o: VerifyOptions, onStore: OnStore): Promise<void> {
  const started = Date.now();
  const p = plan(o, started);
  const outExisted = existsSync(p.out);
  prepareOutDir(p.out);
  if (o.seed === undefined) process.stderr.write(`seed ${p.seed} (random; --seed ${p.seed} replays this run's schedule)\n`);
  const store = await chooseStore(o.store).catch((e) => {
    // Nothing ran: leave no empty report directory behind.
    if (!outExisted && readdirSync(p.out).length === 0) rmSync(p.out, { recursive: true, force: true });
    throw e;
  });
  onStore(store);
  const faultEnv = faultEnvFor(store);
  if (o.containers && faultEnv.containers !== true) {
    await store.release();
    throw new UsageError(`--containers: ${faultEnv.containers}`);
  }
  const why = new Map(p.strategies.map((n) => [n, cannotRun(strategyByName(n)!, faultEnv)] as const).filter(([, w]) => w !== undefined));
  if (why.size && p.strategies.length === 1) {
    await store.release();
    throw new UsageError(`--strategy ${p.strategies[0]} cannot run on ${store.kind}: ${why.get(p.strategies[0]!)}`);
  }
  for (const [n, w] of why) process.stderr.write(`not run on ${store.kind}: ${n} (${w})\n`);
  p.strategies = p.strategies.filter((n) => !why.has(n));
  process.stderr.write(`baton verify: ${p.scenarios.length} scenarios × ${p.strategies.join(', ')} on ${store.version} (${redact(store.uri)}), seed ${p.seed}\n`);
  try {
    const reports: Report[] = [];
    for (const strategy of p.strategies) {
      const out = p.strategies.length > 1 ? join(p.out, strategy) : p.out;
      const report = await runOnce(o, p, store, faultEnv, strategy, out);
      reports.push(report);
    }
    if (p.strategies.length > 1) {
      const matrix = detectionMatrix(reports);
      writeFileSync(join(p.out, 'matrix.md'), matrix.markdown);
      writeFileSync(join(p.out, 'matrix.json'), JSON.stringify(matrix.json, null, 2) + '\n');
      process.stdout.write(`${matrix.summary} → ${join(p.out, 'matrix.md')}\n`);
      process.exitCode = matrix.harnessCanTell ? 0 : 1;
    } else {
      process.exitCode = EXIT_CODE[reports[0]!.status];
    }
  } finally {
    await store.release();
  }
}

/** Why a broken strategy cannot run against this store, or undefined: no row-level access, or no fault that can expose it. */
export function cannotRun(s: Strategy, env: FaultEnv): string | undefined {
  if (s.stores && !s.stores.includes(env.store)) return 'it needs row-level access to the lease table: SQLite and PostgreSQL only';
  const faults = s.exposedBy ?? [];
  const blocked = faults.map((f) => (f === 'containers' ? env.containers ?? true : FAULTS[f].available(env))).filter((w): w is string => w !== true);
  return faults.length && blocked.length === faults.length ? `its bug shows only under ${faults.join(' or ')}, which cannot run here: ${blocked[0]}` : undefined;
}

/** What the fault injectors can do against this store. */
export function faultEnvFor(store: StoreChoice): FaultEnv {
  return {
    store: store.kind as FaultEnv['store'], faketime: !!faketimeLibrary() && store.kind !== 'sqlite', storeProxy: storeProxiable(store.uri),
    containers: containersAvailable(),
  };
}

export async function runOnce(o: VerifyOptions, p: Plan, store: StoreChoice, faultEnv: FaultEnv, strategy: string, out: string): Promise<Report> {
  const started = Date.now();
  const view = progressView(process.stderr, p.scenarios.length);
  let results: ScenarioResult[];
  try {
    results = await runScenarios(p.scenarios, {
      storeUri: store.uri, workerCommand: o.worker ?? BUILTIN_WORKER, seed: p.seed, instances: p.instances, faultSeconds: p.faultSeconds, concurrency: p.concurrency,
      strategy: strategy === 'correct' ? undefined : strategy, faultEnv, containers: o.containers, progress: (e) => view.update(e),
    });
  } finally {
    view.close();
  }
  const report: Report = {
    status: results.some((r) => r.status === 'error') ? 'error' : results.some((r) => r.status === 'failed') ? 'failed' : 'passed',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    seed: p.seed,
    command: p.command ?? reproduceCommand(o, p.seed, strategy),
    worker: o.worker ? redact(o.worker) : 'built-in',
    strategy,
    store: { kind: store.kind, version: store.version, uri: redact(store.uri), why: store.why },
    faults: faultEnv,
    environment: { node: process.version, os: `${platform()} ${release()}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
    scenarios: results.map(({ history: _h, ...rest }) => rest),
  };
  writeOutputs(out, report, p, results.map((r) => [r.name, r.history] as const));
  const failed = results.filter((r) => r.status === 'failed').length;
  const errored = results.filter((r) => r.status === 'error');
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const idle = results.filter((r) => r.status === 'not-exercised').length;
  for (const r of errored) process.stderr.write(`ERROR ${r.name}: ${r.checks.find((c) => c.status === 'error')?.measured}\n`);
  // The one-line verdict goes to stdout (progress and diagnostics go to stderr).
  process.stdout.write(`${report.status.toUpperCase()}${strategy === 'correct' ? '' : ` (${strategy})`}: ` +
    `${results.length - failed - errored.length - skipped - idle} of ${results.length} scenarios passed${errored.length ? `, ${errored.length} could not be judged` : ''}${idle ? `, ${idle} not exercised` : ''}${skipped ? `, ${skipped} skipped` : ''} in ${(report.durationMs / 1000).toFixed(1)} s → ${out}\n`);
  return report;
}

function reproduceCommand(o: VerifyOptions, seed: number, strategy: string): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = ['npx baton verify', `--store ${q(o.store)}`, `--seed ${seed}`];
  if (o.schedule) parts.push(`--schedule ${q(o.schedule)}`);
  else if (o.scenario) parts.push(`--scenario ${list(o.scenario).join(' ')}`);
  else parts.push(`--suite ${o.suite}`);
  if (o.instances) parts.push(`--instances ${o.instances}`);
  if (o.duration) parts.push(`--duration ${o.duration}`);
  if (o.worker) parts.push(`--worker ${q(o.worker)}`);
  if (o.containers) parts.push('--containers');
  if (strategy !== 'correct') parts.push(`--strategy ${strategy}`);
  if (o.lang && o.lang !== 'en') parts.push(`--lang ${o.lang}`);
  return redact(parts.join(' '));
}

function writeOutputs(out: string, r: Report, { formats, lang }: Plan, histories: (readonly [string, History])[]): void {
  mkdirSync(join(out, 'history'), { recursive: true });
  if (formats.includes('md')) writeFileSync(join(out, 'report.md'), toMarkdown(r, messages(lang)));
  // In GitHub Actions the table shows on the run's page.
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `### baton verify: ${r.status.toUpperCase()}\n\n${summaryTable(r)}\n\n`);
  if (formats.includes('json')) writeFileSync(join(out, 'report.json'), toJson(r));
  if (formats.includes('junit')) writeFileSync(join(out, 'junit.xml'), toJunit(r));
  if (formats.includes('html')) writeFileSync(join(out, 'report.html'), redact(toHtml(r, new Map(histories))));
  for (const [name, h] of histories) writeFileSync(join(out, 'history', `${name}.jsonl`), redact(toJsonLines(h)));
}
