import { instanceId } from './instance-id.ts';
import { lockExclusion } from './lock-exclusion.ts';
import { partitioning } from './partitioning.ts';
import { expiryTakeover } from './expiry-takeover.ts';
import { normalOperation } from './normal-operation.ts';
import { failover } from './failover.ts';
import { anyDeploymentControl } from './any-deployment-control.ts';
import type { Scenario } from './scenario.ts';

/** The seed report's tests and deployment scenarios, in the seed's order. */
export const SEED_SUITE: Scenario[] = [
  instanceId, lockExclusion, partitioning, expiryTakeover, normalOperation, failover, anyDeploymentControl,
];

export const SUITES: Record<string, Scenario[]> = { seed: SEED_SUITE };
export const ALL_SCENARIOS = new Map(SEED_SUITE.map((s) => [s.name, s]));
