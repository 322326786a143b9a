// A seeded random schedule of every fault this store and worker allow, then a heal phase and the
// same invariants. Opt-in and as long as you like: `baton verify --scenario soak --duration 300`.
import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, type Scenario, type ScenarioContext } from '../../harness/scenario.ts';
import { fleetRunning } from '../../harness/steps.ts';
import type { NetworkPath } from '../../harness/faults/network.ts';

type Action = (ctx: ScenarioContext, victim: string) => Promise<void>;
const { leaseMs, renewDeadlineMs, retryMs } = QUICK;
const net = (path: NetworkPath, kind: 'hold' | 'blackhole' | 'latency' | 'reset'): Action => async (ctx, victim) => {
  if (ctx.available('network', { path, mode: { kind: 'pass' } }) !== true) return;
  const mode = kind === 'latency' ? { kind, ms: ctx.between(50, leaseMs / 2) } : { kind };
  await ctx.fault('network', victim, { path, mode }, ctx.between(retryMs, leaseMs + 2 * retryMs));
};
const restart = (signal: 'SIGKILL' | 'SIGTERM'): Action => async (ctx, victim) => {
  ctx.kill(victim, signal);
  await ctx.sleep(ctx.between(retryMs, leaseMs));
  await ctx.spawn(victim);
};

const ACTIONS: Action[] = [
  restart('SIGKILL'),
  restart('SIGTERM'),
  (ctx, v) => ctx.fault('pause', v, {}, ctx.between(leaseMs, leaseMs * 2)),
  (ctx, v) => ctx.fault('pause', v, {}, ctx.between(renewDeadlineMs, leaseMs)),
  net('store', 'blackhole'), net('store', 'hold'), net('store', 'latency'), net('store', 'reset'),
  net('sink', 'hold'), net('sink', 'blackhole'), net('sink', 'latency'),
  async (ctx) => { if (ctx.available('store-stall') === true) await ctx.fault('store-stall', '', {}, ctx.between(retryMs, leaseMs * 1.5)); },
  async (ctx, v) => { if (ctx.available('store-cut') === true) await ctx.inject('store-cut', v, {}); },
];

export const soak: Scenario = {
  name: 'soak',
  title: 'Soak: a seeded random schedule of faults',
  claim: 'For the whole fault phase, a random (seeded, replayable) schedule of crashes, restarts, pauses, network faults and store stalls hits random deployments; after the heal phase every check still holds.',
  settings: { instances: 4, timing: QUICK, partitions: 2, messages: 0, intervalMs: 50, faultSeconds: 20 },
  scalesWithInstances: true,
  async run(ctx) {
    await fleetRunning(ctx, 10);
    const until = ctx.now() + (ctx.settings.faultSeconds ?? 20) * 1000;
    while (ctx.now() < until) {
      const victim = ctx.workers[ctx.between(0, ctx.workers.length - 1)]!;
      await ACTIONS[ctx.between(0, ACTIONS.length - 1)]!(ctx, victim);
      await ctx.sleep(ctx.between(retryMs, leaseMs));
    }
    ctx.mark('heal phase');
    await ctx.sleep(leaseMs * 2);
    ctx.command(ctx.workers[0]!, { cmd: 'stop' });
    await ctx.sleep(leaseMs);
  },
  checks: (h, _m, s) => invariants(h, s),
};
