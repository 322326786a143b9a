import { instanceId } from './instance-id.ts';
import { lockExclusion } from './lock-exclusion.ts';
import { partitioning } from './partitioning.ts';
import { expiryTakeover } from './expiry-takeover.ts';
import { normalOperation } from './normal-operation.ts';
import { failover } from './failover.ts';
import { anyDeploymentControl } from './any-deployment-control.ts';
import { staleHolderPause } from './faults/stale-holder-pause.ts';
import { pauseWithinDeadline } from './faults/pause-within-deadline.ts';
import { delayedWrite } from './faults/delayed-write.ts';
import { delayedStoreWrite } from './faults/delayed-store-write.ts';
import { clockSkew } from './faults/clock-skew.ts';
import { storePartition } from './faults/store-partition.ts';
import { standbyPartition } from './faults/standby-partition.ts';
import { storeStall } from './faults/store-stall.ts';
import { gracefulHandoff } from './faults/graceful-handoff.ts';
import { membershipChurn } from './faults/membership-churn.ts';
import { crashMidSend } from './faults/crash-mid-send.ts';
import { thunderingHerd } from './faults/thundering-herd.ts';
import { stalledRenew } from './faults/stalled-renew.ts';
import { soak } from './faults/soak.ts';
import { holderClockBack } from './faults/holder-clock-back.ts';
import { holderClockSlowStore } from './faults/holder-clock-slow-store.ts';
import { holderClockForward } from './faults/holder-clock-forward.ts';
import { skewedStandby } from './faults/skewed-standby.ts';
import { slowReceiver } from './faults/slow-receiver.ts';
import { containerFailover } from './faults/container-failover.ts';
import type { Scenario } from '../harness/scenario.ts';

/** The seed report's tests and deployment scenarios, in the seed's order. */
export const SEED_SUITE: Scenario[] = [
  instanceId, lockExclusion, partitioning, expiryTakeover, normalOperation, failover, anyDeploymentControl,
];

/** The faults that break real locks, each against the invariants (harness/checkers/suite.ts). */
export const FAULT_SUITE: Scenario[] = [
  staleHolderPause, pauseWithinDeadline, delayedWrite, delayedStoreWrite, clockSkew, storePartition,
  standbyPartition, storeStall, stalledRenew, thunderingHerd, gracefulHandoff, membershipChurn, crashMidSend,
  holderClockBack, holderClockSlowStore, holderClockForward, skewedStandby, slowReceiver, containerFailover,
];

export const SUITES: Record<string, Scenario[]> = {
  seed: SEED_SUITE,
  faults: FAULT_SUITE,
  all: [...SEED_SUITE, ...FAULT_SUITE],
  soak: [soak],
};
export const ALL_SCENARIOS = new Map([...SEED_SUITE, ...FAULT_SUITE, soak].map((s) => [s.name, s]));
