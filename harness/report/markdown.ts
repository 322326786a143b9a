// report.md, shaped like the seed's verification report — but every ✅ carries the value measured
// and the bound it was held to, and a failure says FAIL. Wording comes from check results only.
import { markdownTable } from 'markdown-table';
import { redact } from '../../coordination/redact.ts';
import { gantt } from './gantt.ts';
import { meaningSection } from './meaning.ts';
import type { Report } from './model.ts';
import type { Check } from '../checkers/check.ts';

/** Table cells: no `|` may end a cell early, no newline may end a row. */
export function cell(v: unknown): string {
  return redact(String(v)).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
const table = (rows: unknown[][]) => markdownTable(rows.map((r) => r.map(cell)));
const measured = (c: Check) => `${c.measured}${c.unit ? ` ${c.unit}` : ''}`;
const CHECK_RESULT: Record<Check['status'], string> = { pass: '✅ PASS', fail: '❌ FAIL', 'not-exercised': '— not exercised', error: '⚠️ ERROR' };
const SCENARIO_RESULT: Record<Scenario['status'], string> = { passed: '✅ PASS', failed: '❌ FAIL', error: '⚠️ ERROR', skipped: '— skipped' };
const REPORT_STATUS: Record<Report['status'], string> = { passed: '✅ PASSED', failed: '❌ FAILED', error: '⚠️ ERROR (the run could not be judged)' };
type Scenario = Report['scenarios'][number];

/** The seed's "Safety Features" table, each row backed by the checks whose names match. */
const FEATURES: [string, RegExp, string][] = [
  ['Duplicate prevention', /takes effect once|one holder per lease|ACTIVE|interleave/, 'no seq takes effect twice; one holder per lease at a time; holders never interleave'],
  // Only checks that exist because something crashed, stopped or was faulted: 'no message lost' in a quiet run backs nothing here.
  ['Auto recovery', /takeover after|handoff after|resumes after every heal/, 'a standby takes over after the holder dies or stops, and work resumes after every fault'],
  ['Lock expiry', /standby holds the lock|takeover after/, 'a dead holder\'s lease expires by the store clock'],
  ['Heartbeat system', /heartbeat cadence/, 'the holder renews every retry period'],
  ['Instance registration', /instance IDs|status agrees|owner read from/, 'every deployment has a unique, stable instance ID, and any deployment sees who holds the lock'],
  ['Renew deadline', /safe window/, 'the holder acts only while a renew sent less than the renew deadline ago vouches for it'],
  ['Fencing', /fencing tokens|interleave|stale writes/, 'fences only grow; a deposed holder\'s late write is refused'],
  ['Message distribution', /residue class|split evenly/, 'partitions split the stream evenly'],
  ['Control from any deployment', /STOP through|status agrees|resumes from/, 'STOP / status / START from any deployment'],
];

/** The scenarios at a glance: the report's first table, and what CI shows as the job summary. */
export function summaryTable(r: Report): string {
  return table([
    ['#', 'Scenario', 'Result', 'Checks passed', 'Duration'],
    ...r.scenarios.map((s, i) => [i + 1, s.title, SCENARIO_RESULT[s.status],
      `${s.checks.filter((c) => c.status === 'pass').length} / ${s.checks.length}`, `${(s.durationMs / 1000).toFixed(1)} s`]),
  ]);
}

export function toMarkdown(r: Report): string {
  const passed = r.scenarios.filter((s) => s.status === 'passed').length;
  const out: string[] = [
    '# 🚀 Distributed System Verification Report',
    '',
    `**Date:** ${r.startedAt}  `,
    `**Status:** ${REPORT_STATUS[r.status]} — ${passed} of ${r.scenarios.length} scenarios passed  `,
    `**Store:** ${r.store.version} (${r.store.kind}, \`${redact(r.store.uri)}\`) — ${r.store.why}  `,
    `**Worker:** ${r.worker === 'built-in' ? 'built-in' : `\`${redact(r.worker)}\``}${r.strategy ? `, strategy \`${r.strategy}\`` : ''}  `,
    `**Wall time:** ${(r.durationMs / 1000).toFixed(1)} s for the suite (scenarios run in parallel)`,
    '',
    'Every line below was measured from real worker processes against a real store, with a real HTTP receiver as the judge of what was delivered.',
    '',
    summaryTable(r),
    '',
  ];
  r.scenarios.forEach((s, i) => out.push(...scenarioSection(s, i + 1)));
  out.push(...featuresSection(r), ...meaningSection(r), ...environmentSection(r));
  return out.join('\n') + '\n';
}

function scenarioSection(s: Scenario, n: number): string[] {
  if (s.status === 'skipped') {
    return ['---', '', `## Test ${n}: ${s.title} — skipped`, '', `\`${s.name}\` · **Claim:** ${s.claim}`, '',
      `**Not run on this store:** ${s.skipped}. Nothing about this claim was measured.`, ''];
  }
  const failed = s.checks.filter((c) => c.status === 'fail');
  const idle = s.checks.filter((c) => c.status === 'not-exercised');
  const errors = s.checks.filter((c) => c.status === 'error');
  const meaning = errors.length
    ? `**Not judged: the run could not complete.** ${errors.map((c) => c.measured).join('; ')}. This says nothing about the system, for or against.`
    : failed.length === 0
    ? `Measured on this run: ${s.claim}${idle.length ? ` (not exercised: ${idle.map((c) => c.name).join('; ')})` : ''}`
    : `**The claim does not hold on this run.** Failed: ${failed.map((c) => `${c.name} (measured ${measured(c)}, bound ${c.bound})`).join('; ')}.`;
  const lines = [
    '---', '',
    `## Test ${n}: ${s.title} ${s.status === 'passed' ? '✅' : s.status === 'error' ? '⚠️' : '❌'}`, '',
    `\`${s.name}\` · ${(s.durationMs / 1000).toFixed(1)} s · sink: ${s.sink.raw} deliveries (${s.sink.accepted} accepted, ${s.sink.duplicate} duplicate, ${s.sink.stale} stale)`, '',
    `**Claim:** ${s.claim}`, '',
    `**Run:** ${describeSettings(s.settings)}`, '',
    ...(s.faults?.length ? [`**Faults applied:** ${s.faults.join('; ')}`, ''] : []),
    ...(Object.keys(s.sentBy ?? {}).length ? [`**Who sent what:** ${Object.entries(s.sentBy).map(([who, seqs]) => `${who}: ${seqs}`).join(' · ')}`, ''] : []),
    table([['Check', 'Result', 'Measured', 'Bound'], ...s.checks.map((c) => [c.name, CHECK_RESULT[c.status], measured(c), c.bound])]),
    '',
    `**What this means:** ${meaning}`, '',
  ];
  const chart = gantt(s.name, s.holds, s.marks);
  if (chart) lines.push('### Who held the lease when', '', chart, '');
  lines.push('<details><summary>Evidence (history lines behind each check)</summary>', '');
  for (const c of s.checks) {
    lines.push(`- **${cell(c.name)}**`);
    for (const e of c.evidence) lines.push(`  - \`${redact(e).replace(/`/g, "'")}\``);
  }
  lines.push('', '</details>', '');
  return lines;
}

function describeSettings(s: Report['scenarios'][number]['settings']): string {
  const plan = s.messages ? `${s.messages} messages` : 'messages until stopped';
  return `${s.instances} deployments; lease ${s.timing.leaseMs} ms, renew deadline ${s.timing.renewDeadlineMs} ms, ` +
    `retry ${s.timing.retryMs} ms; ${s.partitions} partition${s.partitions > 1 ? 's' : ''}; ${plan}, one every ${s.intervalMs} ms per partition` +
    (s.faultSeconds ? `; ${s.faultSeconds} s of random faults` : '');
}

function featuresSection(r: Report): string[] {
  const all = r.scenarios.flatMap((s) => s.checks.map((c) => ({ s: s.name, c })));
  const rows = FEATURES.map(([feature, pattern, what]) => {
    const backing = all.filter(({ c }) => pattern.test(c.name) && c.status !== 'not-exercised');
    if (backing.length === 0) return [feature, '— not measured', what, 'no scenario in this run measured it'];
    const bad = backing.filter(({ c }) => c.status === 'fail');
    const status = bad.length ? `❌ FAIL (${bad.length} of ${backing.length})` : `✅ ${backing.length} checks`;
    return [feature, status, what, [...new Set(backing.map(({ s }) => s))].join(', ')];
  });
  return ['---', '', '## 🛡 Safety features', '', table([['Feature', 'Status', 'What was checked', 'Scenarios'], ...rows]), ''];
}

function environmentSection(r: Report): string[] {
  return [
    '---', '',
    '## Environment and reproduction', '',
    table([
      ['Item', 'Value'],
      ['Store', `${r.store.version} (${r.store.kind})`],
      ['Store URI', r.store.uri],
      ['Why this store', r.store.why],
      ['Clock faults', r.faults.faketime ? 'libfaketime (any language, stepped mid-run)' : 'BATON_CLOCK_OFFSET_MS at start only (no libfaketime for this store)'],
      ['Node.js', r.environment.node],
      ['OS', r.environment.os],
      ['CPU', `${r.environment.cpus} × ${r.environment.cpuModel}`],
      ['Seed', r.seed],
      ['Started', r.startedAt],
    ]),
    '',
    'Reproduce this run:', '',
    '```sh', redact(r.command), '```', '',
    `Each scenario's full history (every worker event, harness action and delivery) is saved next to this report as \`history/<scenario>.jsonl\`, so every verdict can be re-checked.`, '',
  ];
}
