import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, isType, type Scenario, type ScenarioContext } from '../../harness/scenario.ts';
import { drain, fleetRunning } from '../../harness/steps.ts';

/**
 * Kills the holder once `until` resolves (false: its moment never came), heals whatever fault
 * `until` set up (the dead worker's network), waits for the next holder to be sending, and
 * restarts the dead one as its platform would.
 */
async function crashAt(ctx: ScenarioContext, until: (holder: string) => Promise<false | (() => Promise<void>)>): Promise<void> {
  const holder = await ctx.requireHolder();
  const heal = await until(holder);
  if (!heal) return;
  ctx.kill(holder, 'SIGKILL');
  await heal();
  await ctx.next((e) => isType('acquired')(e) && e.source !== holder, 3 * ctx.settings.timing.leaseMs);
  await ctx.waitAccepted(ctx.accepted() + ctx.between(5, 10), 10_000);
  await ctx.spawn(holder);
}

export const crashMidSend: Scenario = {
  name: 'crash-mid-send',
  title: 'Crash in the middle of a send',
  claim: 'The holder is killed at three moments of a send: right after announcing it (claimed, not delivered); the instant its delivery reached the receiver (delivered, not yet answered or recorded); and after its answers stopped arriving (its replies lost for over a second, as a client that retries would notice). Every message still arrives, and each in-doubt message at most once more.',
  settings: { instances: 3, timing: QUICK, partitions: 1, messages: 120, intervalMs: 50 },
  scalesWithInstances: true,
  expectedMs: 12000,
  needs: [{ fault: 'network', params: { path: 'sink', mode: { kind: 'blackhole' } } }],
  async run(ctx) {
    await fleetRunning(ctx, ctx.between(10, 25));
    const nothing = async () => {};
    await crashAt(ctx, async (h) => !!(await ctx.after({ of: h, after: 'send' })) && nothing);
    await crashAt(ctx, async (h) => !!(await ctx.after({ of: h, after: 'delivered' })) && nothing);
    await crashAt(ctx, async (h) => {
      const moment = await ctx.after({ of: h, after: 'send' });
      if (!moment) return false;
      const heal = await ctx.inject('network', h, { path: 'sink', mode: { kind: 'blackhole', direction: 'down' } }, moment);
      await ctx.sleep(ctx.between(1_200, 1_800));
      return heal ?? nothing;
    });
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
