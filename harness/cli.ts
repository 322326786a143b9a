// `baton`: verify (the harness), check (re-judge a saved run), and status / logs / start / stop
// against a shared store.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { redact } from '../coordination/redact.ts';
import { SCENARIO_NAMES, STRATEGY_NAMES, SUITE_NAMES } from './names.ts';
import { FORMATS } from './report/formats.ts';
import { LANG_NAMES } from './report/lang/messages.ts';

// Each command's module is loaded when the command runs, so `--help` and `--version` start fast.
const commands = {
  verify: () => import('./commands/verify.ts'),
  explore: () => import('./commands/explore.ts'),
  check: () => import('./commands/check.ts'),
  control: () => import('./commands/control.ts'),
  clean: () => import('./commands/clean.ts'),
  demo: () => import('./commands/demo.ts'),
};

function packageVersion(): string {
  // ../package.json from source, ../../package.json from the build (dist/harness/cli.js).
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'baton') return pkg.version;
    } catch { /* not here */ }
  }
  return 'unknown';
}

let releaseStore: () => Promise<void> = async () => {};

const program = new Command('baton')
  .description('Prove that deployments sharing one database run their automation exactly once.')
  .version(packageVersion(), '-V, --version', 'print baton\'s version')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program.command('verify')
  .description('Run the verification scenarios against real worker processes and a real store; write report.md, report.json, junit.xml.')
  .option('--store <store>', 'auto | memory | sqlite[:dir] | mongodb://… | mongodb+srv://… | postgres://…', 'auto')
  .option('--suite <name>', `scenario suite: ${SUITE_NAMES.join(', ')} (all = seed + faults)`, 'seed')
  .option('--scenario <names...>', `run only these (commas or spaces): ${SCENARIO_NAMES.join(', ')}`)
  .option('--schedule <file>', 'run one fault schedule (JSON, as `baton explore` saves them) instead of a suite')
  .option('--instances <n>', 'deployments in the scenarios whose count is free (2-16)')
  .option('--seed <n>', 'seed for the schedule of actions and faults (when and whom to kill, fault timings …); default: a fresh random seed, printed')
  .option('--duration <s>', 'seconds of faults in the soak scenario (default 20)')
  .option('--out <dir>', 'output directory (default reports/<timestamp>)')
  .option('--format <list...>', `a subset of ${FORMATS.join(',')} (commas or spaces, like --scenario)`, FORMATS.join(','))
  .option('--worker <command>', 'shell command that starts one worker speaking docs/worker-protocol.md (default: the built-in worker)')
  .addOption(new Option('--strategy <name>', 'built-in worker variant: correct, a negative control with a known bug, or all (writes the detection matrix)')
    .choices([...STRATEGY_NAMES, 'all']).default('correct'))
  .option('--concurrency <n>', 'scenarios run at once', '4')
  .option('--containers', 'run every deployment as a container: its own PID and UTS namespace, PID 1 on host "app" (Linux, unshare)')
  .addOption(new Option('--lang <lang>', 'language of report.md: en, or hi (Hindi mixed with English, like the seed\'s report)').choices(LANG_NAMES).default('en'))
  .addHelpText('after', '\nExit status: 0 all checks passed, 1 a check failed, 2 usage or environment error.\n\nExample:\n  npx baton verify --suite all --store postgres://postgres@127.0.0.1:5432/test --out reports/pg')
  .action(async (o) => (await commands.verify()).verify(o, (store) => { releaseStore = () => store.release(); }));

program.command('explore')
  .description('Seeded random fault schedules against a worker until the budget is spent; a coverage map; each failure shrunk and saved to replay with verify --schedule.')
  .option('--store <store>', 'auto | sqlite[:dir] | mongodb://… | postgres://…', 'auto')
  .option('--worker <command>', 'shell command that starts one worker speaking docs/worker-protocol.md (default: the built-in worker)')
  .addOption(new Option('--strategy <name>', 'built-in worker variant: correct, or a negative control with a known bug').choices(STRATEGY_NAMES).default('correct'))
  .option('--budget <duration>', 'how long to explore: 90s, 30m, 1h', '5m')
  .option('--seed <n>', 'seed of the schedules; default: a fresh random seed, printed')
  .option('--out <dir>', 'output directory (default reports/explore-<timestamp>)')
  .option('--concurrency <n>', 'schedules run at once', '2')
  .option('--instances <n>', 'deployments per schedule (2-16)', '3')
  .option('--partitions <n>', 'partitions of the work (1-8; 2 or more adds holder-of-p1 to the roles)', '2')
  .option('--max-failures <n>', 'stop exploring after this many distinct failures', '3')
  .option('--reps <n>', 're-runs of a failing schedule (its rate) and of each shrinking candidate', '2')
  .option('--containers', 'run every deployment as a container: its own PID and UTS namespace, PID 1 on host "app" (Linux, unshare)')
  .addHelpText('after', '\nExit status: 0 no failure, 1 a schedule failed, 2 usage or environment error.\n\nExample:\n  npx baton explore --worker "exec python3 my_worker.py" --store postgres://postgres@127.0.0.1:5432/test --budget 30m --seed 7')
  .action(async (o) => (await commands.explore()).explore(o, (store) => { releaseStore = () => store.release(); }));

program.command('check')
  .description('Re-run every scenario\'s checks from a report directory\'s saved histories and print the verdicts.')
  .argument('<report-dir>', 'a directory written by baton verify')
  .action(async (dir: string) => (await commands.check()).check(dir));

program.command('demo')
  .description('Watch a failover and break it: deployments on one store, a live view, keys or --script; quitting writes the report.')
  .option('--store <store>', 'sqlite[:dir] | postgres://… | mongodb://… | memory | auto', 'sqlite')
  .option('--instances <n>', 'deployments (2-8)', '3')
  .option('--script <actions>', 'unattended: "kill-active@4s, pause-active@10s for 6s, stop@14s, start@16s, quit@20s"')
  .option('--seed <n>', 'seed recorded in the report')
  .addOption(new Option('--lang <lang>', 'language of report.md').choices(LANG_NAMES).default('en'))
  .option('--out <dir>', 'output directory (default reports/demo-<timestamp>)')
  .action(async (o) => (await commands.demo()).demo(o, (store) => { releaseStore = () => store.release(); }));

program.command('clean')
  .description('List the baton_* namespaces a killed run left in a store, and with --yes drop those holding only baton\'s data.')
  .requiredOption('--store <uri>', 'mongodb://… | postgres://… | sqlite:<dir>')
  .option('--yes', 'drop them (without it, only list)')
  .option('--prefix <baton_…>', 'only namespaces starting with this, e.g. one run\'s baton_<run id>')
  .action(async (o) => (await commands.clean()).clean(o));

for (const [name, desc] of [['status', 'show desired state, lease holders and live instances'], ['logs', 'show the newest shared log entries'],
  ['start', 'set the automation to RUNNING (from any deployment)'], ['stop', 'set the automation to STOPPED (from any deployment)']] as const) {
  program.command(name).description(desc)
    .requiredOption('--store <uri>', 'mongodb://… | postgres://… | sqlite:<dir>')
    .requiredOption('--namespace <ns>', 'the namespace the deployments use')
    .option('--automation <name>', 'automation name', 'auto')
    .option('--lock <name>', 'lock name', 'auto')
    .action(async (o) => (await commands.control()).control(name, o));
}

/** Ctrl-C or SIGTERM: kill every worker, remove clock files, drop the namespaces this run created, then exit 128 + signal. */
async function onInterrupt(code: number): Promise<void> {
  // The same module instances the run used (an import is cached), loaded now if it never ran.
  const [{ killAllWorkers }, { disposeAllClocks }, { dropCreatedNamespaces }] =
    await Promise.all([import('./cluster.ts'), import('./faults/clock.ts'), import('./runner.ts')]);
  killAllWorkers();
  disposeAllClocks();
  await dropCreatedNamespaces();
  await releaseStore().catch(() => {});
  process.stderr.write('\ninterrupted: workers killed, namespaces dropped\n');
  process.exit(code);
}
// `baton … | head`: a reader that stops early is not an error worth a stack trace, nor a reason
// to abandon a run half-way: later output is simply dropped.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });
process.once('SIGINT', () => void onInterrupt(130));
process.once('SIGTERM', () => void onInterrupt(143));

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
