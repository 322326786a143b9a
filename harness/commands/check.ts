// `baton check <report-dir>`: re-runs every scenario's checks from the saved histories alone
// (Jepsen's `analyze`), so a verdict can be re-checked — or a checker improved and re-applied —
// without running anything again.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readHistory, settingsOf, type History } from '../history.ts';
import type { Check } from '../checkers/check.ts';
import type { Marks, Settings } from '../scenario.ts';
import { ALL_SCENARIOS } from '../../scenarios/index.ts';
import { judge, verdictOf, type ScenarioStatus } from '../judge.ts';
import { UsageError } from './usage.ts';

export interface Recheck {
  scenario: string;
  status: ScenarioStatus;
  checks: Check[];
  /** The verdict report.json saved for this scenario, if there is one. */
  saved?: string;
}

export async function recheck(dir: string): Promise<Recheck[]> {
  const historyDir = join(dir, 'history');
  if (!existsSync(historyDir)) throw new UsageError(`${dir} holds no history/ directory: give the directory a 'baton verify' run wrote`);
  const saved = savedVerdicts(dir);
  const files = readdirSync(historyDir).filter((f) => f.endsWith('.jsonl')).sort();
  if (files.length === 0) throw new UsageError(`${historyDir} holds no <scenario>.jsonl histories`);
  return Promise.all(files.map(async (f) => {
    const name = basename(f, '.jsonl');
    const scenario = ALL_SCENARIOS.get(name);
    if (!scenario) throw new UsageError(`history ${f} names no known scenario`);
    const h = await readHistory(join(historyDir, f));
    if (h.events.some((e) => e.type === 'skipped')) return { scenario: name, status: 'skipped' as const, checks: [], saved: saved.get(name) };
    if (h.events.some((e) => e.type === 'not-exercised')) return { scenario: name, status: 'not-exercised' as const, checks: [], saved: saved.get(name) };
    const settings = (settingsOf(h) as Settings | undefined) ?? scenario.settings;
    const checks = judge(scenario, h, marksOf(h), settings);
    return { scenario: name, status: verdictOf(checks), checks, saved: saved.get(name) };
  }));
}

function marksOf(h: History): Marks {
  return Object.fromEntries(h.events.filter((e) => e.type === 'mark').map((e) => [String(e.name), e.t]));
}

function savedVerdicts(dir: string): Map<string, string> {
  const file = join(dir, 'report.json');
  if (!existsSync(file)) return new Map();
  const report = JSON.parse(readFileSync(file, 'utf8')) as { scenarios: { name: string; status: string }[] };
  return new Map(report.scenarios.map((s) => [s.name, s.status]));
}

export async function check(dir: string): Promise<void> {
  const results = await recheck(dir);
  let differ = 0;
  for (const r of results) {
    const failed = r.checks.filter((c) => c.status === 'fail');
    const same = r.saved === undefined ? '' : r.saved === r.status ? ' (same as saved)' : ` (saved: ${r.saved})`;
    if (r.saved !== undefined && r.saved !== r.status) differ++;
    if (r.status === 'skipped') { console.log(`– ${r.scenario}: skipped when it ran${same}`); continue; }
    if (r.status === 'error') { console.log(`⚠ ${r.scenario}: could not be judged: ${r.checks[0]?.measured}${same}`); continue; }
    if (r.status === 'not-exercised') { console.log(`– ${r.scenario}: not exercised (its faults never reached a worker)${same}`); continue; }
    const idle = r.checks.filter((c) => c.status === 'not-exercised').length;
    console.log(`${r.status === 'passed' ? '✔' : '✘'} ${r.scenario}: ${r.checks.filter((c) => c.status === 'pass').length}/${r.checks.length} checks passed${idle ? `, ${idle} not exercised` : ''}${same}`);
    for (const c of failed) console.log(`    ✘ ${c.name}: measured ${c.measured} ${c.unit}, bound ${c.bound}`);
  }
  const failedCount = results.filter((r) => r.status === 'failed').length;
  const errorCount = results.filter((r) => r.status === 'error').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const idle = results.filter((r) => r.status === 'not-exercised').length;
  const judged = results.length - skipped;
  const verdict = errorCount ? 'ERROR' : failedCount ? 'FAILED' : 'PASSED';
  console.log(`${verdict}: ${judged - failedCount - errorCount - idle} of ${judged} scenarios passed when re-checked from ${dir}${idle ? `, ${idle} not exercised` : ''}` +
    `${skipped ? `, ${skipped} skipped when they ran` : ''}${differ ? `; ${differ} differ from the saved report` : ''}`);
  process.exitCode = errorCount ? 2 : failedCount ? 1 : 0;
}
