// The demo as a scenario: N deployments on one store, START through one of them, then the
// script's actions (or a person's keys) break the active one. Because it is a scenario, what
// happened is recorded and judged exactly as `baton verify` judges it, and written the same way.
import { invariants } from '../checkers/suite.ts';
import { isAck, type Scenario, type ScenarioContext } from '../scenario.ts';
import type { Action } from './script.ts';

/** Timing slow enough to watch: a takeover takes about three seconds. */
export const DEMO_TIMING = { leaseMs: 3_000, renewDeadlineMs: 2_000, retryMs: 500 };
/** A killed deployment comes back after this long, as its platform would restart it. */
const RESTART_MS = 3_000;

export interface ActionSource {
  /** The next action, or undefined when there are no more (the demo then ends). */
  next(ctx: ScenarioContext): Promise<Action | undefined>;
}

export function demoScenario(instances: number, actions: ActionSource, onTick: (ctx: ScenarioContext) => void): Scenario {
  return {
    name: 'demo',
    title: 'Failover demo',
    claim: 'One deployment is ACTIVE and sends, the others stand by; whatever is done to the active one, another takes over, and no message is lost or takes effect twice.',
    settings: { instances, timing: DEMO_TIMING, partitions: 1, messages: 0, intervalMs: 250 },
    scalesWithInstances: true,
    async run(ctx) {
      const view = setInterval(() => onTick(ctx), 500);
      try {
        await Promise.all(ctx.workers.map((w) => ctx.spawn(w)));
        ctx.command(ctx.workers[0]!, { cmd: 'start' });
        await ctx.waitFor(isAck('start'), 10_000);
        const restarts: Promise<unknown>[] = [];
        for (let a = await actions.next(ctx); a && a.name !== 'quit'; a = await actions.next(ctx)) {
          ctx.mark(`${a.name}${a.forMs ? ` for ${a.forMs / 1000} s` : ''}`);
          const active = ctx.holder('auto');
          const standby = ctx.workers.find((w) => w !== active) ?? ctx.workers[0]!;
          if (a.name === 'kill-active' && active) {
            ctx.kill(active, 'SIGKILL');
            restarts.push(ctx.sleep(RESTART_MS).then(() => ctx.spawn(active)));
          } else if (a.name === 'pause-active' && active) {
            void ctx.fault('pause', active, {}, a.forMs ?? 5_000);
          } else if (a.name === 'stop' || a.name === 'start') {
            ctx.command(standby, { cmd: a.name }); // through a standby: control works from any deployment
          }
        }
        await Promise.all(restarts);
      } finally {
        clearInterval(view);
      }
    },
    checks: (h, _m, s) => invariants(h, s),
  };
}
