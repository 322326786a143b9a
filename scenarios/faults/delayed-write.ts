import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, isType, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning, killWithRequestInFlight } from '../../harness/steps.ts';

export const delayedWrite: Scenario = {
  name: 'delayed-write',
  title: 'Delayed write: a dead holder\'s message arrives late',
  claim: 'The holder\'s next delivery is held in the network and the holder is killed; a standby takes over and sends on; then the held delivery arrives. A fencing receiver refuses it, and nothing else goes wrong.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 80, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 8000,
  needs: [{ fault: 'network', params: { path: 'sink', mode: { kind: 'hold' } } }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const holder = ctx.holder('auto') ?? 'd1';
    const heal = await killWithRequestInFlight(ctx, holder);
    await ctx.next((e) => isType('acquired')(e) && e.source !== holder, 10_000);
    await ctx.sleep(ctx.settings.timing.retryMs + 10 * ctx.settings.intervalMs);
    await heal?.();
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
