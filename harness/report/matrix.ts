// The detection matrix (`--strategy all`): the built-in worker with each known bug, against every
// scenario — which checks caught which bug. The harness earns trust only if `correct` passes
// everywhere and every broken strategy is caught somewhere, by a check on effects.
import { markdownTable } from 'markdown-table';
import type { Report } from './model.ts';
import { cell } from './markdown.ts';
import { strategyByName } from '../strategies/index.ts';
import { EFFECT_CHECKS } from '../checkers/suite.ts';

interface Row {
  strategy: string;
  bug: string;
  status: Report['status'];
  /** scenario → names of the checks that failed ([] passed; null skipped or not exercised). */
  cells: Record<string, string[] | null>;
  caughtByEffect: boolean;
  /** The scenarios in which a check on effects failed: how many ways the harness can see this bug. */
  caughtIn: string[];
}

export interface Matrix {
  markdown: string;
  json: { seed: number; store: string; rows: Row[]; harnessCanTell: boolean };
  summary: string;
  harnessCanTell: boolean;
}

export function detectionMatrix(reports: Report[]): Matrix {
  const scenarios = reports[0]!.scenarios.map((s) => s.name);
  const rows: Row[] = reports.map((r) => {
    const cells = Object.fromEntries(r.scenarios.map((s) => [s.name,
      s.status === 'skipped' || s.status === 'not-exercised' ? null : s.checks.filter((c) => c.status === 'fail').map((c) => c.name)]));
    const caughtIn = Object.entries(cells).filter(([, c]) => (c ?? []).some((n) => EFFECT_CHECKS.has(n))).map(([sc]) => sc);
    return { strategy: r.strategy, bug: strategyByName(r.strategy)?.bug ?? '', status: r.status, cells, caughtByEffect: caughtIn.length > 0, caughtIn };
  });
  const correct = rows.find((r) => r.strategy === 'correct');
  const broken = rows.filter((r) => r.strategy !== 'correct');
  // Caught means caught on effects: a failed lease or fence check alone, or a scenario that could
  // not run, is not proof that the harness would see the bug's harm.
  const harnessCanTell = correct?.status === 'passed' && broken.every((r) => r.status === 'failed' && r.caughtByEffect);
  const summary = `detection matrix: correct ${correct?.status ?? 'not run'}; ` +
    `${broken.filter((r) => r.status === 'failed').length} of ${broken.length} broken strategies caught ` +
    `(${broken.filter((r) => r.caughtByEffect).length} by an effect check)`;
  const mark = (c: string[] | null | undefined) => c == null ? '– not run' : c.length === 0 ? '✅' : `❌ ${c.join('; ')}`;
  const r0 = reports[0]!;
  const markdown = [
    '# Detection matrix', '',
    `Store ${r0.store.version} · seed ${r0.seed} · ${r0.startedAt}`, '',
    `**${harnessCanTell ? '✅ The harness tells them apart' : '❌ The harness cannot tell every strategy apart'}:** ${summary}.`, '',
    'Each column is the built-in worker with one known bug (`correct` has none). A cell lists the checks that failed in that scenario; ✅ means every check passed; "not run" means skipped on this store or not exercised. "Caught on effects" means a check on what really happened (deliveries, when the worker acted, recovery) failed, not only a check on the lock\'s own bookkeeping.', '',
    markdownTable([
      ['', ...rows.map((r) => `\`${r.strategy}\``)],
      ['Bug', ...rows.map((r) => r.bug)],
      ['Verdict', ...rows.map((r) => (r.status === 'failed' ? '❌ FAIL' : '✅ PASS'))],
      ['Caught on effects', ...rows.map((r) => (r.strategy === 'correct' ? '—' : r.caughtByEffect ? 'yes' : 'no'))],
      ['Scenarios catching it on effects', ...rows.map((r) => (r.strategy === 'correct' ? '—' : `${r.caughtIn.length}: ${r.caughtIn.join(', ') || 'none'}`))],
      ...scenarios.map((sc) => [sc, ...rows.map((r) => mark(r.cells[sc]))]),
    ].map((row) => row.map(cell))),
    '',
  ].join('\n');
  return { markdown, json: { seed: r0.seed, store: r0.store.version, rows, harnessCanTell }, summary, harnessCanTell };
}
