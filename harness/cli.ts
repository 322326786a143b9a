// `baton`: verify (the harness), and status / logs / start / stop against a shared store.
import { Command, CommanderError, Option } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { redact } from '../coordination/redact.ts';
import { openStore } from '../coordination/stores/index.ts';
import { instanceId } from '../coordination/identity.ts';
import { readStatus } from '../coordination/status.ts';
import { DEFAULT_TIMING } from '../coordination/timing.ts';
import { BUILTIN_WORKER, killAllWorkers } from './cluster.ts';
import { dropCreatedNamespaces, runScenarios } from './runner.ts';
import { progressView } from './progress.ts';
import { chooseStore } from './store-choice.ts';
import { toJsonLines } from './history.ts';
import { toMarkdown } from './report/markdown.ts';
import { toJunit } from './report/junit.ts';
import { toJson, type Report } from './report/model.ts';
import { ALL_SCENARIOS, SUITES } from '../scenarios/index.ts';

const FORMATS = ['md', 'json', 'junit'];
const STRATEGIES = ['correct'];

class UsageError extends Error {}

const program = new Command('baton')
  .description('Prove that deployments sharing one database run their automation exactly once.')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program.command('verify')
  .description('Run the verification scenarios against real worker processes and a real store; write report.md, report.json, junit.xml.')
  .option('--store <store>', 'auto | memory | sqlite[:dir] | mongodb://… | mongodb+srv://… | postgres://…', 'auto')
  .option('--suite <name>', `scenario suite: ${Object.keys(SUITES).join(', ')}`, 'seed')
  .option('--scenario <names...>', `run only these: ${[...ALL_SCENARIOS.keys()].join(', ')}`)
  .option('--instances <n>', 'deployments in the scenarios whose count is free (instance-id, normal-operation, failover, any-deployment-control; 2-16)')
  .option('--seed <n>', 'seed for every random choice (when and whom to kill …); the report prints it', String(Date.now() % 1_000_000))
  .option('--out <dir>', 'output directory (default reports/<timestamp>)')
  .option('--format <list>', `comma-separated subset of ${FORMATS.join(',')}`, FORMATS.join(','))
  .option('--worker <command>', 'shell command that starts one worker speaking docs/worker-protocol.md (default: the built-in worker)')
  .addOption(new Option('--strategy <name>', 'built-in worker strategy').choices(STRATEGIES).default('correct'))
  .option('--concurrency <n>', 'scenarios run at once', '4')
  .addHelpText('after', '\nExit status: 0 all checks passed, 1 a check failed, 2 usage or environment error.\n\nExample:\n  npx baton verify --store postgres://postgres@127.0.0.1:5432/test --out reports/pg')
  .action(verify);

for (const [name, desc] of [['status', 'show desired state, lease holders and live instances'], ['logs', 'show the newest shared log entries'],
  ['start', 'set the automation to RUNNING (from any deployment)'], ['stop', 'set the automation to STOPPED (from any deployment)']] as const) {
  program.command(name).description(desc)
    .requiredOption('--store <uri>', 'mongodb://… | postgres://… | sqlite:<dir>')
    .requiredOption('--namespace <ns>', 'the namespace the deployments use')
    .option('--automation <name>', 'automation name', 'auto')
    .option('--lock <name>', 'lock name', 'auto')
    .action((o) => control(name, o));
}

async function verify(o: Record<string, string | string[] | undefined>): Promise<void> {
  const started = Date.now();
  const scenarios = pickScenarios(o.suite as string, o.scenario as string[] | undefined);
  const formats = String(o.format).split(',').map((f) => f.trim());
  const badFormat = formats.filter((f) => !FORMATS.includes(f));
  if (badFormat.length) throw new UsageError(`unknown --format ${badFormat.join(',')}: use a subset of ${FORMATS.join(',')}`);
  const seed = Number(o.seed);
  const concurrency = Number(o.concurrency);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number, got ${o.seed}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be >= 1, got ${o.concurrency}`);
  const instances = o.instances === undefined ? undefined : Number(o.instances);
  if (instances !== undefined && !(Number.isInteger(instances) && instances >= 2 && instances <= 16)) {
    throw new UsageError(`--instances must be a whole number from 2 to 16, got ${o.instances}`);
  }

  const store = await chooseStore(String(o.store));
  releaseStore = () => store.release();
  process.stderr.write(`baton verify: ${scenarios.length} scenarios on ${store.version} (${redact(store.uri)}), seed ${seed}\n`);
  const view = progressView(process.stderr, scenarios.length);
  try {
    const results = await runScenarios(scenarios, {
      storeUri: store.uri, workerCommand: (o.worker as string) ?? BUILTIN_WORKER, seed, instances, concurrency,
      strategy: o.strategy === 'correct' ? undefined : String(o.strategy),
      progress: (e) => view.update(e),
    });
    view.close();
    const report: Report = {
      status: results.every((r) => r.status === 'passed') ? 'passed' : 'failed',
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      seed,
      command: reproduceCommand(o, seed),
      worker: (o.worker as string) ? redact(o.worker as string) : 'built-in',
      strategy: String(o.strategy),
      store: { kind: store.kind, version: store.version, uri: redact(store.uri), why: store.why },
      environment: { node: process.version, os: `${platform()} ${release()}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
      scenarios: results.map(({ history: _h, ...rest }) => rest),
    };
    const out = (o.out as string) ?? join('reports', new Date(started).toISOString().replace(/[:.]/g, '-'));
    writeOutputs(out, report, formats, results.map((r) => [r.name, toJsonLines(r.history)] as const));
    const failed = results.filter((r) => r.status === 'failed').length;
    process.stderr.write(`${report.status === 'passed' ? 'PASSED' : 'FAILED'}: ${results.length - failed} of ${results.length} scenarios passed in ${(report.durationMs / 1000).toFixed(1)} s → ${out}\n`);
    process.exitCode = report.status === 'passed' ? 0 : 1;
  } finally {
    view.close();
    await store.release();
  }
}

function pickScenarios(suite: string, names?: string[]) {
  if (names?.length) {
    const unknown = names.filter((n) => !ALL_SCENARIOS.has(n));
    if (unknown.length) throw new UsageError(`unknown scenario ${unknown.join(', ')}: valid ones are ${[...ALL_SCENARIOS.keys()].join(', ')}`);
    return names.map((n) => ALL_SCENARIOS.get(n)!);
  }
  const s = SUITES[suite];
  if (!s) throw new UsageError(`unknown suite ${suite}: valid ones are ${Object.keys(SUITES).join(', ')}`);
  return s;
}

function reproduceCommand(o: Record<string, unknown>, seed: number): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = ['npx baton verify', `--store ${q(String(o.store))}`, `--seed ${seed}`];
  if (o.scenario) parts.push(`--scenario ${(o.scenario as string[]).join(' ')}`);
  else parts.push(`--suite ${o.suite}`);
  if (o.instances) parts.push(`--instances ${o.instances}`);
  if (o.worker) parts.push(`--worker ${q(String(o.worker))}`);
  if (o.strategy !== 'correct') parts.push(`--strategy ${o.strategy}`);
  return redact(parts.join(' '));
}

function writeOutputs(out: string, r: Report, formats: string[], histories: (readonly [string, string])[]): void {
  mkdirSync(join(out, 'history'), { recursive: true });
  if (formats.includes('md')) writeFileSync(join(out, 'report.md'), toMarkdown(r));
  if (formats.includes('json')) writeFileSync(join(out, 'report.json'), toJson(r));
  if (formats.includes('junit')) writeFileSync(join(out, 'junit.xml'), toJunit(r));
  for (const [name, text] of histories) writeFileSync(join(out, 'history', `${name}.jsonl`), redact(text));
}

async function control(cmd: string, o: { store: string; namespace: string; automation: string; lock: string }): Promise<void> {
  const store = await openStore(o.store, o.namespace);
  try {
    if (await store.namespaceState() !== 'baton') throw new UsageError(`namespace ${o.namespace} holds no baton data at ${redact(o.store)}`);
    if (cmd === 'start' || cmd === 'stop') {
      const c = await store.writeControl(o.automation, cmd === 'start' ? 'RUNNING' : 'STOPPED', `cli-${instanceId()}`);
      console.log(`${o.automation}: ${c.desired} (version ${c.version})`);
    } else if (cmd === 'logs') {
      for (const e of (await store.readLog(50)).reverse()) console.log(`${new Date(e.at).toISOString()} ${e.instance} ${e.level} ${e.message}`);
    } else {
      const { control: c, holders, alive } = await readStatus(store, { ...o, aliveMs: DEFAULT_TIMING.leaseMs });
      console.log(`automation ${o.automation}: ${c?.desired ?? 'STOPPED'}${c ? ` (set by ${c.by})` : ''}`);
      for (const l of holders) console.log(`lease ${l.lock}: ${l.holder ? `held by ${l.holder}` : 'free'} (fence ${l.fence})`);
      for (const a of alive) console.log(`instance ${a.id} ${a.role} pid ${a.pid} on ${a.host}`);
    }
  } finally {
    await store.close();
  }
}

let releaseStore: () => Promise<void> = async () => {};

/** Ctrl-C: kill every worker, drop the namespaces this run created, then exit 130. */
async function onInterrupt(): Promise<void> {
  killAllWorkers();
  await dropCreatedNamespaces();
  await releaseStore().catch(() => {});
  process.stderr.write('\ninterrupted: workers killed, namespaces dropped\n');
  process.exit(130);
}
process.once('SIGINT', () => void onInterrupt());
process.once('SIGTERM', () => void onInterrupt());

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`baton: ${redact((e as Error).message)}\n`);
    process.exitCode = 2;
  }
}
