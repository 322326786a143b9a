// A scenario's verdict from its history alone: the same function for a live run and for
// `baton check`, so a saved run re-checks to the same verdict.
import { check, type Check } from './checkers/check.ts';
import type { History } from './history.ts';
import type { Marks, Scenario, Settings } from './scenario.ts';

export function judge(scenario: Scenario, h: History, marks: Marks, settings: Settings): Check[] {
  const errors = h.events.filter((e) => e.source === 'harness' && e.type === 'error');
  if (errors.length) {
    return [check('scenario ran to completion', false, 'error', '', 'no error', errors.map((e) => String(e.message)))];
  }
  return scenario.checks(h, marks, settings);
}
