import { invariants } from '../../harness/checkers/suite.ts';
import { handoffAfterSignal } from '../../harness/checkers/leases.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning } from '../../harness/steps.ts';

export const gracefulHandoff: Scenario = {
  name: 'graceful-handoff',
  title: 'Graceful handoff: the holder is told to stop (SIGTERM)',
  claim: 'The holder gets SIGTERM mid-run: it finishes its in-flight message, releases, and a standby takes over within one retry period, with nothing lost and nothing sent twice.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 6000,
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const holder = ctx.holder('auto') ?? 'd1';
    ctx.kill(holder, 'SIGTERM');
    await drain(ctx);
  },
  checks: (h, _m, s) => [handoffAfterSignal(h, 'SIGTERM', s.timing.retryMs + 500), ...invariants(h, s)],
};
