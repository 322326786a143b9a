import type { Report } from './model.ts';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** One testsuite per scenario, one testcase per check: what CI systems display. */
export function toJunit(r: Report): string {
  const suites = r.scenarios.map((s) => {
    const failures = s.checks.filter((c) => c.status === 'fail').length;
    const cases = s.checks.map((c) => {
      const body = c.status === 'fail'
        ? `<failure message="${esc(`measured ${c.measured} ${c.unit}, bound ${c.bound}`)}">${esc(c.evidence.join('\n'))}</failure>`
        : c.status === 'error' ? `<error message="${esc(String(c.measured))}">${esc(c.evidence.join('\n'))}</error>` : '';
      return `    <testcase classname="baton.${esc(s.name)}" name="${esc(c.name)}">${body}</testcase>`;
    });
    const errors = s.checks.filter((c) => c.status === 'error').length;
    return [`  <testsuite name="${esc(s.name)}" tests="${s.checks.length}" failures="${failures}" errors="${errors}" time="${(s.durationMs / 1000).toFixed(3)}">`, ...cases, '  </testsuite>'].join('\n');
  });
  const total = r.scenarios.reduce((n, s) => n + s.checks.length, 0);
  const failed = r.scenarios.reduce((n, s) => n + s.checks.filter((c) => c.status === 'fail').length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="baton verify" tests="${total}" failures="${failed}" time="${(r.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
