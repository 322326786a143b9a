import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning } from '../../harness/steps.ts';

export const standbyPartition: Scenario = {
  name: 'standby-partition',
  title: 'A standby cut off from the store must not steal',
  claim: 'A standby loses the store for longer than a lease and comes back; it must not take the lease from the healthy holder, and the automation carries on undisturbed.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 9000,
  needs: [{ fault: 'network', params: { path: 'store', mode: { kind: 'blackhole' } } }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const holder = ctx.holder('auto') ?? 'd1';
    const standbys = ctx.workers.filter((w) => w !== holder);
    const cut = standbys[ctx.between(0, standbys.length - 1)]!;
    const { leaseMs, retryMs } = ctx.settings.timing;
    await ctx.fault('network', cut, { path: 'store', mode: { kind: 'blackhole' } }, leaseMs + 2 * retryMs + ctx.between(0, 500));
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
