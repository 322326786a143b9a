import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, type Scenario } from '../../harness/scenario.ts';
import { drain, fleetRunning } from '../../harness/steps.ts';

export const slowReceiver: Scenario = {
  name: 'slow-receiver',
  title: 'A slow receiver, then one that drops the connection after applying a delivery',
  claim: 'For a few seconds the receiver answers the holder only after 1.5–3 s (a slow API), then for a second it applies each of the holder\'s deliveries and resets the connection without answering; every message still takes effect once, and a message is sent again only as a retry the worker itself reports: a client that retries behind the worker\'s back makes one send two effects.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 100, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 10000,
  needs: [{ fault: 'receiver' }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const holder = await ctx.requireHolder();
    const moment = await ctx.after({ of: holder, after: 'sent' });
    await ctx.fault('receiver', holder, { mode: { kind: 'slow', ms: ctx.between(1_500, 3_000) } }, ctx.between(3_000, 5_000), moment);
    await ctx.waitAccepted(ctx.accepted() + 5, 10_000);
    const next = await ctx.requireHolder();
    await ctx.fault('receiver', next, { mode: { kind: 'reset' } }, ctx.between(800, 1_200), await ctx.after({ of: next, after: 'sent' }));
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
