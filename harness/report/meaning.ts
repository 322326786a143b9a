// "What this means for your deployments": the run's numbers said plainly, and scaled to the seed's
// production lease of 60 s. Every sentence comes from a measured check; a number this run did
// not measure is said to be unmeasured, never guessed.
import { judgedScenarios, type Report } from './model.ts';
import type { Check } from '../checkers/check.ts';
import { messages, type Messages } from './lang/messages.ts';

/** The seed's lock timeout (its report: "60-second timeout prevents deadlocks"). */
export const SEED_LEASE_MS = 60_000;

type Found = { scenario: string; lease: number; c: Check };

function checks(r: Report, pattern: RegExp): Found[] {
  return judgedScenarios(r).flatMap((s) => s.checks.filter((c) => pattern.test(c.name) && c.status !== 'not-exercised')
    .map((c) => ({ scenario: s.name, lease: s.settings.timing.leaseMs, c })));
}

const num = (c: Check) => (typeof c.measured === 'number' ? c.measured : NaN);
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function meaningSection(r: Report, m: Messages = messages()): string[] {
  const say = m.meaning;
  const out: string[] = [];
  const takeovers = checks(r, /^takeover after/).filter((x) => Number.isFinite(num(x.c)));
  if (takeovers.length) {
    const worst = takeovers.reduce((a, b) => (num(b.c) - b.lease > num(a.c) - a.lease ? b : a));
    const beyond = Math.max(0, num(worst.c) - worst.lease);
    out.push(say.crash(sec(num(worst.c)), sec(worst.lease), sec(beyond), takeovers.length, sec(SEED_LEASE_MS + beyond)));
  } else {
    out.push(say.crashUnmeasured);
  }
  const handoffs = checks(r, /^handoff after/).filter((x) => Number.isFinite(num(x.c)));
  if (handoffs.length) out.push(say.handoff(Math.max(...handoffs.map((x) => num(x.c)))));
  const dupes = checks(r, /^each message takes effect once$/);
  const lost = checks(r, /^no message lost/);
  const bad = [...dupes, ...lost].filter((x) => x.c.status === 'fail');
  if (dupes.length || lost.length) {
    out.push(bad.length
      ? say.messagesFailed(bad.map((x) => say.messageFailure(m.checkName(x.c.name), x.scenario, `${x.c.measured} ${x.c.unit}`)).join('; '))
      : say.messagesHeld(new Set([...dupes, ...lost].map((x) => x.scenario)).size, lost.length > 0, dupes.length > 0));
  }
  const safe = checks(r, /safe window/);
  if (safe.length) {
    const failing = safe.filter((x) => x.c.status === 'fail');
    out.push(failing.length
      ? say.staleCaught(failing.length, failing.map((x) => x.scenario).join(', '))
      : say.staleNone(safe.length, safe.map((x) => x.scenario).join(', ')));
  }
  return out.length ? ['---', '', say.heading, '', ...out, ''] : [];
}
