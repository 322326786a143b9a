// The CLI's light name lists (harness/names.ts) against the real suites, scenarios and strategies.
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES, STRATEGY_NAMES, SUITE_NAMES } from '../harness/names.ts';
import { ALL_SCENARIOS, SUITES } from '../scenarios/index.ts';
import { STRATEGY_NAMES as REAL_STRATEGIES } from '../harness/strategies/index.ts';

describe('name lists for the CLI', () => {
  it('match the suites, scenarios and strategies that exist', () => {
    expect(SUITE_NAMES).toEqual(Object.keys(SUITES));
    expect(SCENARIO_NAMES).toEqual([...ALL_SCENARIOS.keys()]);
    expect(STRATEGY_NAMES).toEqual(REAL_STRATEGIES);
  });
});
