// A scenario's verdict from its history alone: the same function for a live run and for
// `baton check`, so a saved run re-checks to the same verdict.
import { check, environmentError, type Check } from './checkers/check.ts';
import type { History } from './history.ts';
import { refusalCause, refusalEvidence, storeRefusals } from './checkers/environment.ts';
import type { Marks, Scenario, Settings } from './scenario.ts';

export function judge(scenario: Scenario, h: History, marks: Marks, settings: Settings): Check[] {
  const errors = h.events.filter((e) => e.source === 'harness' && e.type === 'error');
  // The environment kept the run from happening: ERROR, not a verdict on the system.
  const environment = errors.find((e) => e.environment === true);
  if (environment) return [environmentError('scenario ran to completion', String(environment.message), errors.map((e) => String(e.message)))];
  if (errors.length) {
    return [check('scenario ran to completion', false, 'error', '', 'no error', errors.map((e) => String(e.message)))];
  }
  // A store that refused the workers unprovoked: the checks still run (and show), but cannot convict.
  const refusals = storeRefusals(h);
  const refused = refusals.length ? [environmentError('the store accepted the workers', refusalCause(refusals), refusalEvidence(refusals))] : [];
  return [...refused, ...scenario.checks(h, marks, settings)];
}

/** A scenario's verdict from its checks: an ERROR outranks a FAIL (the run could not be judged). */
export function verdictOf(checks: Check[]): 'passed' | 'failed' | 'error' {
  if (checks.some((c) => c.status === 'error')) return 'error';
  return checks.some((c) => c.status === 'fail') ? 'failed' : 'passed';
}
