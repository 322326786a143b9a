// The package's public API: `import { Deployment, openStore } from 'baton'`. What a deployment of
// an app needs to share one automation with its siblings; the verification harness is the CLI.
export { Deployment, type DeploymentOptions } from './deployment.ts';
export { Elector, type ElectorOptions } from './elector.ts';
export { openStore, storeKind, STORE_SCHEMES } from './stores/index.ts';
export type {
  Store, StoreKind, StoreInfo, Lease, LeaseState, HeldLease, InstanceEntry, Progress, Control, Desired, LogEntry,
} from './stores/store.ts';
export { StoreError } from './stores/store.ts';
export { instanceId, INSTANCE_ID_PATTERN } from './identity.ts';
export { httpSender, type Message, type Sender } from './sender.ts';
export { DEFAULT_TIMING, validateTiming, type Timing } from './timing.ts';
export type { CoordinationEvent, SendStatus } from './events.ts';
export type { Status } from './status.ts';
export type { MessagePlan } from './automation.ts';
