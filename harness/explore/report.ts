// The explorer's report: the honest counts, the coverage map (a table in explore.md, a heat map in
// explore.html), the cells this store cannot reach and why, and each failure with the command that
// replays its smallest schedule.
import { describeSchedule, type Schedule } from '../schedule/schedule.ts';

export interface Failure {
  /** The checks that failed (ids where set). */
  checks: string[];
  foundAtMs: number;
  steps: number;
  /** Of `reps` re-runs of the schedule as found, how many failed the same way. */
  reproduced: number;
  reps: number;
  shrunk: Schedule;
  shrinkTries: number;
  file: string;
  smallest: string;
  replay: string;
  reportDir: string;
  /** The verdict of the run that wrote that report (a failure that reproduces rarely may pass it). */
  replayed: string;
}

export interface ExploreResult {
  seed: number;
  store: string;
  worker: string;
  budgetMs: number;
  elapsedMs: number;
  /** True when the budget ended the exploration (not the failure limit). */
  cutShort: boolean;
  reachable: string[];
  unreachable: { cell: string; why: string }[];
  hits: Map<string, number>;
  patterns: Map<string, number>;
  schedules: number;
  failing: number;
  failures: Failure[];
  stepOutcomes: { reached: number; missed: number; skipped: number };
}

const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)} %` : '–');
const covered = (r: ExploreResult) => r.reachable.filter((c) => (r.hits.get(c) ?? 0) > 0).length;
const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

/** The last line of every run. */
export function summaryLine(r: ExploreResult): string {
  const how = r.cutShort ? `budget of ${s(r.budgetMs)} spent after ${s(r.elapsedMs)}` : `stopped at ${r.failures.length} distinct failure(s) after ${s(r.elapsedMs)}`;
  return `${r.schedules} schedules, ${r.failing} failing (${r.failures.length} distinct after shrinking), coverage ${covered(r)} of ${r.reachable.length} cells (${pct(covered(r), r.reachable.length)}); ${how}`;
}

/** kind → (role · trigger) → hits, for the map's rows and columns. */
function grid(r: ExploreResult): { kinds: string[]; columns: string[]; at(kind: string, col: string): number | undefined } {
  const split = (c: string) => { const [kind, role, trigger] = c.split(' · '); return { kind: kind!, col: `${role} · ${trigger}` }; };
  const cells = r.reachable.map(split);
  const kinds = [...new Set(cells.map((c) => c.kind))];
  const columns = [...new Set(cells.map((c) => c.col))];
  const reachable = new Set(r.reachable);
  return { kinds, columns, at: (kind, col) => (reachable.has(`${kind} · ${col}`) ? r.hits.get(`${kind} · ${col}`) ?? 0 : undefined) };
}

export function exploreMarkdown(r: ExploreResult): string {
  const g = grid(r);
  const lines = [
    '# baton explore', '',
    `**Result:** ${r.failures.length ? `❌ ${r.failures.length} distinct failure(s)` : '✅ no failure'} — ${summaryLine(r)}  `,
    `**Store:** ${r.store}  `, `**Worker:** ${r.worker}  `, `**Seed:** ${r.seed} (\`--seed ${r.seed}\` replays the same schedules)  `,
    `**Steps:** ${r.stepOutcomes.reached} reached their target, ${r.stepOutcomes.missed} injected but reached nothing, ${r.stepOutcomes.skipped} skipped (no deployment in that role, or its moment never came)`, '',
    '## Failures', '',
    ...(r.failures.length ? r.failures.flatMap(failureLines) : ['None.', '']),
    '## Coverage', '',
    `A cell is fault kind · role · trigger; it counts only when the fault reached the worker. ${covered(r)} of ${r.reachable.length} reachable cells hit.`, '',
    `Handoff patterns of partition 0's lease: ${[...r.patterns].map(([p, n]) => `${p} ${n}`).join(', ') || 'none'}`, '',
    `| kind | ${g.columns.join(' | ')} |`, `|---|${g.columns.map(() => '---').join('|')}|`,
    ...g.kinds.map((k) => `| ${k} | ${g.columns.map((c) => { const n = g.at(k, c); return n === undefined ? '' : n === 0 ? '·' : String(n); }).join(' | ')} |`), '',
    '## Not reachable here', '',
    ...(r.unreachable.length ? unreachableLines(r) : ['Every cell of the grammar can run on this store.']), '',
  ];
  return lines.join('\n');
}

function failureLines(f: Failure, i: number): string[] {
  return [
    `### Failure ${i + 1}: ${f.checks.join(', ')}`, '',
    `Found after ${s(f.foundAtMs)} in a schedule of ${f.steps} step(s); reproduced ${f.reproduced} of ${f.reps} re-runs; ` +
      (f.reproduced ? `shrunk to ${f.shrunk.steps.length} step(s) in ${f.shrinkTries} tries.` : 'not shrunk: it did not fail again, so no smaller schedule could be shown to fail the same way.'), '',
    '```sh', f.replay, '```', '',
    ...describeSchedule(f.shrunk).map((l) => `    ${l}`), '',
    `Its replay, timeline included: \`${f.reportDir}/report.md\` (${f.replayed.toUpperCase()}${f.replayed === 'passed' ? ': this failure does not reproduce on every run' : ''}); the schedule as found: \`${f.file}\`.`, '',
  ];
}

function unreachableLines(r: ExploreResult): string[] {
  const byWhy = new Map<string, Set<string>>();
  for (const u of r.unreachable) byWhy.set(u.why, (byWhy.get(u.why) ?? new Set()).add(u.cell.split(' · ')[0]!));
  return [...byWhy].map(([why, kinds]) => `- ${[...kinds].join(', ')}: ${why}`);
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The coverage map as a heat map: one file, no script, opens from disk. */
export function exploreHtml(r: ExploreResult): string {
  const g = grid(r);
  const max = Math.max(1, ...r.hits.values());
  const cell = (n: number | undefined) => n === undefined ? '<td class="na"></td>'
    : `<td style="background:hsl(140,60%,${n === 0 ? 97 : 85 - Math.round((45 * n) / max)}%)" title="${n} hit(s)">${n || ''}</td>`;
  return `<!doctype html><meta charset="utf-8"><title>baton explore</title>
<style>body{font:14px system-ui;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:center}
th.c{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal}td.na{background:#eee}.zero{color:#b00}</style>
<h1>baton explore</h1><p>${esc(summaryLine(r))}</p><p>${esc(r.store)} · ${esc(r.worker)} · seed ${r.seed}</p>
<h2>Coverage (hits per cell; grey: not a cell of this role)</h2>
<table><tr><th>kind</th>${g.columns.map((c) => `<th class="c">${esc(c)}</th>`).join('')}</tr>
${g.kinds.map((k) => `<tr><th>${esc(k)}</th>${g.columns.map((c) => cell(g.at(k, c))).join('')}</tr>`).join('\n')}</table>
<h2>Failures</h2>${r.failures.length ? r.failures.map((f, i) => `<h3>${i + 1}. ${esc(f.checks.join(', '))}</h3><pre>${esc(f.replay)}\n\n${esc(describeSchedule(f.shrunk).join('\n'))}</pre>`).join('') : '<p>None.</p>'}
<h2>Not reachable here</h2><ul>${r.unreachable.length ? unreachableLines(r).map((l) => `<li>${esc(l.slice(2))}</li>`).join('') : '<li>none</li>'}</ul>
`;
}
