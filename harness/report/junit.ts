import type { Report } from './model.ts';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/**
 * `<scenario>: <check>` with worker labels generalised ("takeover after d* was killed"): who won a
 * race or was killed differs from run to run, and CI keeps a test's history by its name.
 */
export function stableName(scenario: string, check: string): string {
  return `${scenario}: ${check.replace(/\bd\d+\b/g, 'd*')}`;
}

/** One testsuite per scenario, one testcase per check: what CI systems display. */
export function toJunit(r: Report): string {
  const suites = r.scenarios.map((s) => {
    const failures = s.checks.filter((c) => c.status === 'fail').length;
    // Each check's share of its scenario's time, so a suite's testcase times add up to the scenario's.
    const time = (s.durationMs / 1000 / Math.max(1, s.checks.length)).toFixed(3);
    const cases = s.checks.map((c) => {
      const body = c.status === 'fail'
        ? `<failure message="${esc(`measured ${c.measured} ${c.unit}, bound ${c.bound}`)}">${esc(c.evidence.join('\n'))}</failure>`
        : c.status === 'error' ? `<error message="${esc(String(c.measured))}">${esc(c.evidence.join('\n'))}</error>`
        : c.status === 'not-exercised' ? `<skipped message="${esc(`not exercised: ${c.measured}`)}"/>` : '';
      return `    <testcase classname="baton.${esc(s.name)}" name="${esc(stableName(s.name, c.name))}" time="${time}">${body}</testcase>`;
    });
    const errors = s.checks.filter((c) => c.status === 'error').length;
    const skipped = s.checks.filter((c) => c.status === 'not-exercised').length;
    return [`  <testsuite name="${esc(s.name)}" tests="${s.checks.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(s.durationMs / 1000).toFixed(3)}">`, ...cases, '  </testsuite>'].join('\n');
  });
  const total = r.scenarios.reduce((n, s) => n + s.checks.length, 0);
  const failed = r.scenarios.reduce((n, s) => n + s.checks.filter((c) => c.status === 'fail').length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="baton verify" tests="${total}" failures="${failed}" time="${(r.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
