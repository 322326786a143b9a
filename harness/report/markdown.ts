// report.md, shaped like the seed's verification report — but every ✅ carries the value measured
// and the bound it was held to, and a failure says FAIL. Wording comes from check results only.
import { markdownTable } from 'markdown-table';
import { redact } from '../../coordination/redact.ts';
import { gantt } from './gantt.ts';
import { meaningSection } from './meaning.ts';
import { judgedScenarios, type Report } from './model.ts';
import type { Check } from '../checkers/check.ts';
import { REACH_CHECK_ID } from '../checkers/reach.ts';
import { FEATURE_KEYS, messages, type FeatureKey, type Messages } from './lang/messages.ts';

/** Table cells: no `|` may end a cell early, no newline may end a row. */
export function cell(v: unknown): string {
  return redact(String(v)).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
const table = (rows: unknown[][]) => markdownTable(rows.map((r) => r.map(cell)));
const measured = (c: Check) => `${c.measured}${c.unit ? ` ${c.unit}` : ''}`;
type Scenario = Report['scenarios'][number];

/** The seed's "Safety Features" table: each row is backed by the checks whose names match. */
const FEATURE_CHECKS: Record<FeatureKey, RegExp> = {
  duplicates: /takes effect once|one request|one holder per lease|ACTIVE|interleave/,
  // Only checks that exist because something crashed, stopped or was faulted: 'no message lost' in a quiet run backs nothing here.
  recovery: /takeover after|handoff after|resumes after every heal/,
  expiry: /standby holds the lock|takeover after/,
  heartbeat: /heartbeat cadence/,
  registration: /instance IDs|instance ID acts|status agrees|owner read from/,
  deadline: /safe window/,
  fencing: /fencing tokens|interleave|stale writes/,
  distribution: /residue class|split evenly/,
  control: /STOP through|status agrees|resumes from/,
};

/** "7 / 8" or, with a check not exercised, "7 / 8 (1 not exercised)": a check that tested nothing is no pass. */
export function checkCounts(checks: Check[]): string {
  const idle = checks.filter((c) => c.status === 'not-exercised').length;
  return `${checks.filter((c) => c.status === 'pass').length} / ${checks.length}${idle ? ` (${idle} not exercised)` : ''}`;
}

/** The scenarios at a glance: the report's first table, and what CI shows as the job summary. */
export function summaryTable(r: Report, m = messages()): string {
  return table([
    m.summaryHeader,
    ...r.scenarios.map((s, i) => [i + 1, m.scenarioText(s.name, s.title, s.claim).title, m.scenarioResult[s.status],
      checkCounts(s.checks), `${(s.durationMs / 1000).toFixed(1)} s`]),
  ]);
}

export function toMarkdown(r: Report, m: Messages = messages()): string {
  const passed = r.scenarios.filter((s) => s.status === 'passed').length;
  const idle = r.scenarios.filter((s) => s.status === 'not-exercised').length;
  const worker = r.worker === 'built-in' ? m.labels.builtIn : `\`${redact(r.worker)}\``;
  const out: string[] = [
    m.title,
    '',
    `**${m.labels.date}:** ${r.startedAt}  `,
    `**${m.labels.status}:** ${m.reportStatus[r.status]} — ${m.scenariosPassed(passed, r.scenarios.length, idle)}  `,
    `**${m.labels.store}:** ${r.store.version} (${r.store.kind}, \`${redact(r.store.uri)}\`) — ${r.store.why}  `,
    `**${m.labels.worker}:** ${worker}${r.strategy ? `, ${m.labels.strategy} \`${r.strategy}\`` : ''}  `,
    `**${m.labels.wall}:** ${m.labels.wallTime(`${(r.durationMs / 1000).toFixed(1)} s`)}`,
    '',
    m.intro,
    '',
    summaryTable(r, m),
    '',
  ];
  r.scenarios.forEach((s, i) => out.push(...scenarioSection(s, i + 1, m)));
  out.push(...featuresSection(r, m), ...meaningSection(r, m), ...environmentSection(r, m));
  return out.join('\n') + '\n';
}

function scenarioSection(s: Scenario, n: number, m: Messages): string[] {
  const { title, claim } = m.scenarioText(s.name, s.title, s.claim);
  if (s.status === 'skipped' || (s.status === 'not-exercised' && s.checks.length === 0)) {
    const why = s.status === 'skipped' ? m.notRunOnStore(s.skipped ?? '') : m.notExercised(s.skipped ?? '');
    return ['---', '', `## ${m.test(n, title)} ${m.scenarioResult[s.status]}`, '', `\`${s.name}\` · **${m.claim}:** ${claim}`, '', why, ''];
  }
  const name = (c: Check) => m.checkName(c.name);
  const lines = [
    '---', '',
    `## ${m.test(n, title)} ${SECTION_MARK[s.status]}`, '',
    `\`${s.name}\` · ${(s.durationMs / 1000).toFixed(1)} s · ${m.sinkLine(s.sink.raw, s.sink.accepted, s.sink.duplicate, s.sink.stale)}`, '',
    `**${m.claim}:** ${claim}`, '',
    `**${m.run}:** ${m.settings(s.settings)}`, '',
    ...(s.faults?.length ? [`**${m.faultsApplied}:** ${s.faults.join('; ')}`, ''] : []),
    ...(Object.keys(s.sentBy ?? {}).length ? [`**${m.whoSentWhat}:** ${Object.entries(s.sentBy).map(([who, seqs]) => `${who}: ${seqs}`).join(' · ')}`, ''] : []),
    table([m.checkHeader, ...s.checks.map((c) => [name(c), m.checkResult[c.status], measured(c), c.bound])]),
    '',
    `**${m.whatThisMeans}:** ${verdictSentence(s, claim, m)}`, '',
  ];
  const chart = gantt(s.name, s.holds, s.marks, s.timeline, m);
  if (chart) lines.push(m.timelineHeading, '', chart, '');
  lines.push(`<details><summary>${m.evidence}</summary>`, '');
  for (const c of s.checks) {
    lines.push(`- **${cell(name(c))}**`);
    for (const e of c.evidence) lines.push(`  - \`${redact(e).replace(/`/g, "'")}\``);
  }
  lines.push('', '</details>', '');
  return lines;
}

const SECTION_MARK: Record<Scenario['status'], string> = { passed: '✅', failed: '❌', error: '⚠️', skipped: '—', 'not-exercised': '—' };

function verdictSentence(s: Scenario, claim: string, m: Messages): string {
  const of = (status: Check['status']) => s.checks.filter((c) => c.status === status);
  const errors = of('error');
  if (errors.length) return m.notJudged(errors.map((c) => c.measured).join('; '));
  if (s.status === 'not-exercised') return m.notExercised(of('not-exercised').filter((c) => c.id === REACH_CHECK_ID).flatMap((c) => c.evidence.slice(0, 3)).join('; '));
  const failed = of('fail');
  if (failed.length === 0) return m.holds(claim, of('not-exercised').map((c) => m.checkName(c.name)));
  return m.doesNotHold(failed.map((c) => m.failedCheck(m.checkName(c.name), measured(c), c.bound)).join('; '));
}

function featuresSection(r: Report, m: Messages): string[] {
  const all = judgedScenarios(r).flatMap((s) => s.checks.map((c) => ({ s: s.name, c })));
  const rows = FEATURE_KEYS.map((key) => {
    const [feature, what] = m.features.rows[key];
    const backing = all.filter(({ c }) => FEATURE_CHECKS[key].test(c.name) && c.status !== 'not-exercised');
    if (backing.length === 0) return [feature, m.features.notMeasured, what, m.features.noScenario];
    const bad = backing.filter(({ c }) => c.status === 'fail');
    const status = bad.length ? m.features.failed(bad.length, backing.length) : m.features.passed(backing.length);
    return [feature, status, what, [...new Set(backing.map(({ s }) => s))].join(', ')];
  });
  return ['---', '', m.features.heading, '', table([m.features.header, ...rows]), ''];
}

function environmentSection(r: Report, m: Messages): string[] {
  const e = m.environment;
  return [
    '---', '',
    e.heading, '',
    table([
      e.header,
      [e.rows.store, `${r.store.version} (${r.store.kind})`],
      [e.rows.uri, r.store.uri],
      [e.rows.why, r.store.why],
      [e.rows.clock, r.faults.faketime ? e.faketime : e.envOffset],
      [e.rows.node, r.environment.node],
      [e.rows.os, r.environment.os],
      [e.rows.cpu, `${r.environment.cpus} × ${r.environment.cpuModel}`],
      [e.rows.seed, r.seed],
      [e.rows.started, r.startedAt],
    ]),
    '',
    e.reproduce, '',
    '```sh', redact(r.command), '```', '',
    e.histories, '',
  ];
}
