// A scenario's verdict from its history alone: the same function for a live run and for
// `baton check`, so a saved run re-checks to the same verdict.
import { check, environmentError, guarded, type Check } from './checkers/check.ts';
import type { History } from './history.ts';
import { refusalCause, refusalEvidence, storeRefusals } from './checkers/environment.ts';
import { faultsReached, REACH_CHECK_ID } from './checkers/reach.ts';
import type { Marks, Scenario, Settings } from './scenario.ts';

/** skipped: a fault the claim needs cannot run here; not-exercised: it ran but never reached a worker. */
export type ScenarioStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'not-exercised';

export function judge(scenario: Scenario, h: History, marks: Marks, settings: Settings): Check[] {
  try {
    return judgeHistory(scenario, h, marks, settings);
  } catch (e) {
    // A bug of the harness, not of the system: this scenario is an ERROR, every other one is still judged and reported.
    return [environmentError('the history could be judged', `the checkers threw: ${(e as Error).message}`)];
  }
}

function judgeHistory(scenario: Scenario, h: History, marks: Marks, settings: Settings): Check[] {
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
  const reach = scenario.needs?.length ? [guarded(faultsReached, h, scenario.needs)] : [];
  return [...refused, ...reach, ...scenarioChecks(scenario, h, marks, settings)];
}

/** The scenario's own checks; if its list cannot even be built, one ERROR says so and the rest of the suite still runs. */
function scenarioChecks(scenario: Scenario, h: History, marks: Marks, settings: Settings): Check[] {
  try {
    return scenario.checks(h, marks, settings);
  } catch (e) {
    return [environmentError(`${scenario.name}'s checks`, `a checker threw: ${(e as Error).message}`)];
  }
}

/**
 * A scenario's verdict from its checks: an ERROR outranks a FAIL (the run could not be judged), a
 * FAIL outranks everything else; a scenario whose needed faults never reached a worker tested
 * nothing of its claim and is 'not-exercised', not passed.
 */
export function verdictOf(checks: Check[]): Exclude<ScenarioStatus, 'skipped'> {
  if (checks.some((c) => c.status === 'error')) return 'error';
  if (checks.some((c) => c.status === 'fail')) return 'failed';
  return checks.some((c) => c.id === REACH_CHECK_ID && c.status === 'not-exercised') ? 'not-exercised' : 'passed';
}
