// The fault registry (etcd's failpoints): every kind of fault the harness can inject, by name.
// A new fault is one file in ./kinds and one line here; the report's words, the timeline's
// lanes, the pairing of starts with heals and the availability of scenarios all read it.
import type { Fault } from './fault.ts';
import { kill, terminate } from './kinds/signal.ts';
import { pause } from './kinds/pause.ts';
import { network, type NetworkParams } from './kinds/network.ts';
import { clockStep, type ClockStepParams } from './kinds/clock-step.ts';
import { clockShift } from './kinds/clock.ts';
import { storeCut, storeStall } from './kinds/store.ts';
import { receiver, type ReceiverParams } from './kinds/receiver.ts';

export type { FaultEnv, World, Heal, FaultMoment, Fault, Reach } from './fault.ts';

export interface FaultParams {
  pause: Record<string, never>;
  kill: Record<string, never>;
  terminate: Record<string, never>;
  network: NetworkParams;
  'clock-step': ClockStepParams;
  'store-stall': Record<string, never>;
  'store-cut': Record<string, never>;
  receiver: ReceiverParams;
}
export type FaultName = keyof FaultParams;

export const FAULTS: { [N in FaultName]: Fault<FaultParams[N]> } = {
  kill, terminate, pause, network, 'clock-step': clockStep, 'store-stall': storeStall, 'store-cut': storeCut, receiver,
};

/** Every kind the timeline can hold, the start-time clock shift ('clock') included. */
const KINDS: Record<string, Fault<never>> = { ...FAULTS, clock: clockShift };

/** The kind a fault event names, or undefined for one this version does not know (an old history). */
export const faultKind = (name: unknown): Fault<never> | undefined => KINDS[String(name)];
