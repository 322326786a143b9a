// The names the CLI's help and argument checks need — suites, scenarios, strategies — without
// loading the scenarios and strategies themselves (tens of ms: `baton --help` should not pay).
// test/names.test.ts keeps these lists equal to the real ones.
export const SUITE_NAMES = ['seed', 'faults', 'all', 'soak'];
export const SCENARIO_NAMES = [
  'instance-id', 'lock-exclusion', 'partitioning', 'expiry-takeover', 'normal-operation', 'failover', 'any-deployment-control',
  'stale-holder-pause', 'pause-within-deadline', 'delayed-write', 'delayed-store-write', 'clock-skew', 'store-partition',
  'standby-partition', 'store-stall', 'stalled-renew', 'thundering-herd', 'graceful-handoff', 'membership-churn', 'crash-mid-send',
  'holder-clock-back', 'holder-clock-slow-store', 'holder-clock-forward', 'skewed-standby', 'slow-receiver', 'container-failover', 'soak',
];
export const STRATEGY_NAMES = [
  'correct', 'client-clock', 'no-fencing', 'no-renew-deadline', 'check-then-set', 'renew-upsert',
  'wall-clock-deadline', 'unfenced-checkpoint', 'host-identity', 'hidden-retry',
];
