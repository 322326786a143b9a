// "What this means for your deployments": the run's numbers said plainly, and scaled to the seed's
// production lease of 60 s. Every sentence comes from a measured check; a number this run did
// not measure is said to be unmeasured, never guessed.
import type { Report } from './model.ts';
import type { Check } from '../checkers/check.ts';

/** The seed's lock timeout (its report: "60-second timeout prevents deadlocks"). */
export const SEED_LEASE_MS = 60_000;

type Found = { scenario: string; lease: number; c: Check };

function checks(r: Report, pattern: RegExp): Found[] {
  return r.scenarios.flatMap((s) => s.checks.filter((c) => pattern.test(c.name) && c.status !== 'not-exercised')
    .map((c) => ({ scenario: s.name, lease: s.settings.timing.leaseMs, c })));
}

const num = (c: Check) => (typeof c.measured === 'number' ? c.measured : NaN);
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function meaningSection(r: Report): string[] {
  const out: string[] = [];
  const takeovers = checks(r, /^takeover after/).filter((x) => Number.isFinite(num(x.c)));
  if (takeovers.length) {
    const worst = takeovers.reduce((a, b) => (num(b.c) - b.lease > num(a.c) - a.lease ? b : a));
    const beyond = Math.max(0, num(worst.c) - worst.lease);
    out.push(`- **A deployment that crashes** was replaced within ${sec(num(worst.c))} here (lease ${sec(worst.lease)}, so ${sec(beyond)} beyond it, worst of ${takeovers.length}). ` +
      `With the seed's production lease of 60 s, expect the automation to pause for up to about ${sec(SEED_LEASE_MS + beyond)} after a crash: the lease must run out before anyone may take over safely.`);
  } else {
    out.push('- **Crash takeover** was not measured in this run.');
  }
  const handoffs = checks(r, /^handoff after/).filter((x) => Number.isFinite(num(x.c)));
  if (handoffs.length) {
    const worst = Math.max(...handoffs.map((x) => num(x.c)));
    out.push(`- **A deployment stopped on purpose** (a redeploy) handed over in at most ${worst} ms: it releases its lease, so nobody waits for it to expire, whatever the lease length.`);
  }
  const dupes = checks(r, /^each message takes effect once$/);
  const lost = checks(r, /^no message lost/);
  const bad = [...dupes, ...lost].filter((x) => x.c.status === 'fail');
  if (dupes.length || lost.length) {
    out.push(bad.length
      ? `- **Messages:** ${bad.map((x) => `${x.c.name} FAILED in ${x.scenario} (${x.c.measured} ${x.c.unit})`).join('; ')}. Do not rely on exactly-once delivery until this is fixed.`
      : `- **Messages:** across ${new Set([...dupes, ...lost].map((x) => x.scenario)).size} scenario(s), ` +
        `${[lost.length ? 'none was lost' : 'loss was not measured', dupes.length ? 'none took effect twice' : 'duplicates were not measured'].join(' and ')}. ` +
        'A message in flight when its sender died may be sent again by the next holder (the report counts these as in-doubt re-sends): ' +
        'the receiver must ignore a repeated (automation, seq), as the seed\'s receivers should.');
  }
  const safe = checks(r, /safe window/);
  if (safe.length) {
    const failing = safe.filter((x) => x.c.status === 'fail');
    out.push(failing.length
      ? `- **Acting on a stale lease:** ${failing.length} scenario(s) caught a deployment sending after it could no longer vouch for its lease (${failing.map((x) => x.scenario).join(', ')}).`
      : `- **Acting on a stale lease:** in ${safe.length} scenario(s) (${safe.map((x) => x.scenario).join(', ')}), no deployment sent a message after its renew deadline had passed.`);
  }
  return out.length ? ['---', '', '## What this means for your deployments', '', ...out, ''] : [];
}
