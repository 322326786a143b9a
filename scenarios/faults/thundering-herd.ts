import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning } from '../../harness/steps.ts';

export const thunderingHerd: Scenario = {
  name: 'thundering-herd',
  title: 'Thundering herd: every standby wakes at once to an expired lease',
  claim: 'The standbys are frozen, the holder crashes, and once its lease has expired every standby wakes at the same instant and races for it; exactly one wins, and nothing is sent twice.',
  settings: { instances: 4, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 8500,
  needs: [{ fault: 'pause' }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const holder = ctx.holder('auto') ?? 'd1';
    const standbys = ctx.workers.filter((w) => w !== holder);
    const heals = await Promise.all(standbys.map((w) => ctx.inject('pause', w, {})));
    ctx.kill(holder, 'SIGKILL');
    const { leaseMs, retryMs } = ctx.settings.timing;
    await ctx.sleep(leaseMs + retryMs + ctx.between(0, 300));
    await Promise.all(heals.map((heal) => heal?.()));
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
