import { invariants } from '../../harness/checkers/suite.ts';
import { QUICK, isAck, type Scenario } from '../../harness/scenario.ts';
import { drain } from '../../harness/steps.ts';

export const membershipChurn: Scenario = {
  name: 'membership-churn',
  title: 'Membership churn while partitions move',
  claim: 'With four partitions, deployments join, leave gracefully and crash while messages flow; partitions move between them and still no message is lost, sent twice, or sent by two deployments at once.',
  settings: { instances: 5, timing: QUICK, partitions: 4, messages: 200, intervalMs: 40 },
  scalesWithInstances: false,
  expectedMs: 6000,
  async run(ctx) {
    await Promise.all([ctx.spawn('d1'), ctx.spawn('d2')]);
    ctx.command('d1', { cmd: 'start' });
    await ctx.waitFor(isAck('start'), 5_000);
    let accepted = ctx.between(15, 30);
    const alive = new Set(['d1', 'd2']);
    const step = async (what: string, act: () => Promise<unknown> | void) => {
      await ctx.waitAccepted(accepted, 20_000);
      ctx.mark(`${what} after ${accepted} accepted`);
      await act();
      accepted += ctx.between(15, 30);
    };
    const pick = () => { const a = [...alive]; return a[ctx.between(0, a.length - 1)]!; };
    for (const joiner of ['d3', 'd4']) await step(`${joiner} joins`, async () => { alive.add(joiner); await ctx.spawn(joiner); });
    const leaver = pick();
    await step(`${leaver} leaves (SIGTERM)`, () => { alive.delete(leaver); ctx.kill(leaver, 'SIGTERM'); });
    const crasher = pick();
    await step(`${crasher} crashes (SIGKILL)`, () => { alive.delete(crasher); ctx.kill(crasher, 'SIGKILL'); });
    await step('d5 joins', () => ctx.spawn('d5'));
    await drain(ctx);
  },
  checks: (h, _m, s) => invariants(h, s),
};
