// A schedule as a scenario: the runner, the faults and the checkers are the same as for any named
// scenario, so a schedule found by `baton explore` is judged exactly as `baton verify` judges.
// Each step resolves its role to a deployment when it comes up (the holder *now*), waits for its
// moment, and starts its action; a windowed fault heals in the background, so the next step can
// land inside it (a pause during a store hold). A step whose role has nobody (no standby left, no
// next holder within three leases) or whose moment never came is skipped and marked, never guessed.
// At the end every deployment still down is restarted and a STOP is undone, as a platform and an
// operator would, so the heal phase judges recovery rather than an empty fleet.
import { invariants } from '../checkers/suite.ts';
import { QUICK, type Scenario, type ScenarioContext } from '../scenario.ts';
import type { FaultMoment } from '../faults/faults.ts';
import { fleetRunning } from '../steps.ts';
import { rolePartition, type Schedule, type Step } from './schedule.ts';

export const SCHEDULE_SCENARIO = 'schedule';

export function scheduleScenario(s: Schedule, name = SCHEDULE_SCENARIO): Scenario {
  return {
    name,
    title: 'A fault schedule',
    claim: `Under this schedule of ${s.steps.length} step(s) (${s.origin ?? 'from a file'}), and after its heal phase, every invariant holds: no message lost, none taking effect twice, holders never interleave, work resumes after every heal.`,
    settings: { instances: s.instances, timing: QUICK, partitions: s.partitions, messages: 0, intervalMs: 50 },
    scalesWithInstances: false,
    expectedMs: 15_000,
    run: (ctx) => play(ctx, s),
    checks: (h, _m, settings) => invariants(h, settings),
  };
}

/** The lease a partition's work runs under ('auto' alone when there is one partition). */
export const leaseOf = (p: number, partitions: number) => (partitions > 1 ? `auto.p${p}` : 'auto');

interface Fleet {
  down: Set<string>;
  /** Distinct holders of partition 0's lease in the order they took it (for previous-holder). */
  holders: string[];
  stopped: boolean;
  steppable: boolean;
  monotonic: boolean;
}

async function play(ctx: ScenarioContext, s: Schedule): Promise<void> {
  const clockSteps = s.steps.filter((st) => st.action.do === 'fault' && st.action.fault === 'clock-step');
  const fleet: Fleet = {
    down: new Set(), holders: [], stopped: false,
    steppable: clockSteps.length > 0 && ctx.available('clock-step', { offsetMs: 1 }) === true,
    monotonic: clockSteps.some((st) => st.action.do === 'fault' && (st.action.params as { clocks?: string }).clocks === 'both'),
  };
  const clock = fleet.steppable ? Object.fromEntries(ctx.workers.map((w) => [w, 0])) : {};
  await fleetRunning(ctx, 10, clock, fleet.monotonic ? ctx.workers : []);
  const watching = watchHolders(ctx, fleet, leaseOf(0, s.partitions));
  const background: Promise<void>[] = [];
  try {
    for (const [i, st] of s.steps.entries()) {
      await ctx.sleep(st.gapMs);
      const { rest } = await startStep(ctx, fleet, s, st, i + 1);
      rest.catch(() => {}); // judged below, by Promise.all; a run stopped meanwhile must not crash the process first
      background.push(rest);
    }
    await Promise.all(background);
  } finally {
    watching.stop();
  }
  await recover(ctx, fleet);
  ctx.mark('heal phase');
  await ctx.sleep(ctx.settings.timing.leaseMs * 2);
  ctx.command(live(ctx, fleet)[0]!, { cmd: 'stop' });
  await ctx.sleep(ctx.settings.timing.leaseMs);
}

/** Polls partition 0's holder so `previous-holder` can be answered (the context keeps no such list). */
function watchHolders(ctx: ScenarioContext, fleet: Fleet, lease: string): { stop(): void } {
  let on = true;
  void (async () => {
    while (on) {
      const h = ctx.holder(lease);
      if (h && fleet.holders.at(-1) !== h) fleet.holders.push(h);
      await ctx.sleep(ctx.settings.timing.retryMs / 3).catch(() => { on = false; });
    }
  })();
  return { stop: () => { on = false; } };
}

const live = (ctx: ScenarioContext, fleet: Fleet) => ctx.workers.filter((w) => !fleet.down.has(w));

/** Resolves, waits for the moment, starts the action; resolves with the action's remainder (a heal, a restart). */
async function startStep(ctx: ScenarioContext, fleet: Fleet, s: Schedule, st: Step, n: number): Promise<{ rest: Promise<void> }> {
  const done = { rest: Promise.resolve() };
  const skip = (why: string) => { ctx.mark(`step ${n} skipped: ${why}`); return done; };
  const a = st.action;
  if (a.do === 'fault' && ctx.available(a.fault, a.params as never) !== true) return skip(`${a.fault} cannot run here`);
  const found = await resolveRole(ctx, fleet, s, st);
  if (typeof found !== 'object') return skip(found);
  const { target } = found;
  let moment = found.moment;
  if (st.after && !moment) {
    moment = await ctx.after({ of: target, after: st.after, delayMs: st.delayMs, timeoutMs: 3 * ctx.settings.timing.leaseMs });
    if (!moment) return skip(`no ${st.after} from ${target} within three leases`);
  }
  ctx.mark(`step ${n}: ${st.role} = ${target || 'store'}`);
  if (a.do === 'command') {
    ctx.command(target, { cmd: a.cmd });
    fleet.stopped = a.cmd === 'stop';
    return done;
  }
  if (a.fault === 'kill' || a.fault === 'terminate') {
    fleet.down.add(target);
    await ctx.inject(a.fault, target, {}, moment);
    if (st.restartAfterMs === undefined) return done;
    return { rest: ctx.sleep(st.restartAfterMs).then(() => restart(ctx, fleet, target)) };
  }
  if (a.ms === undefined) {
    await ctx.inject(a.fault, target, a.params as never, moment);
    return done;
  }
  const heal = await ctx.inject(a.fault, target, a.params as never, moment);
  return { rest: ctx.sleep(a.ms).finally(() => heal?.()) };
}

type Resolved = { target: string; moment?: FaultMoment } | string;

/** The deployment a role names now, or why there is none. */
async function resolveRole(ctx: ScenarioContext, fleet: Fleet, s: Schedule, st: Step): Promise<Resolved> {
  const { leaseMs, retryMs } = ctx.settings.timing;
  const up = live(ctx, fleet);
  const holderOf = async (p: number) => {
    const end = ctx.now() + leaseMs + 2 * retryMs;
    let who = ctx.holder(leaseOf(p, s.partitions));
    while ((who === undefined || fleet.down.has(who)) && ctx.now() < end) {
      await ctx.sleep(retryMs / 3);
      who = ctx.holder(leaseOf(p, s.partitions));
    }
    return who !== undefined && !fleet.down.has(who) ? who : undefined;
  };
  const p = rolePartition(st.role);
  if (st.role === 'store') return { target: '' };
  if (st.role === 'holder' || p !== undefined) {
    const who = await holderOf(p ?? 0);
    return who ? { target: who } : `no live holder of ${leaseOf(p ?? 0, s.partitions)}`;
  }
  if (st.role === 'standby') {
    const holding = new Set(Array.from({ length: s.partitions }, (_, q) => ctx.holder(leaseOf(q, s.partitions))));
    const idle = up.filter((w) => !holding.has(w));
    return idle.length ? { target: idle[ctx.between(0, idle.length - 1)]! } : 'no standby running';
  }
  if (st.role === 'previous-holder') {
    const now = ctx.holder(leaseOf(0, s.partitions));
    const before = fleet.holders.filter((w) => w !== now && !fleet.down.has(w)).at(-1);
    return before ? { target: before } : 'no earlier holder running';
  }
  // next-holder: whoever acquires partition 0's lease next, other than its holder now.
  const now = ctx.holder(leaseOf(0, s.partitions));
  const lease = leaseOf(0, s.partitions);
  const e = await ctx.next((x) => x.type === 'acquired' && x.lock === lease && x.source !== now, 3 * leaseMs);
  if (!e) return 'nobody acquired the lease within three leases';
  if (st.after !== 'acquired') return { target: e.source };
  const delayMs = st.delayMs ?? 0;
  if (e.t + delayMs > ctx.now()) await ctx.sleep(e.t + delayMs - ctx.now());
  return { target: e.source, moment: { after: 'acquired', of: e.source, at: e.t, delayMs } };
}

async function restart(ctx: ScenarioContext, fleet: Fleet, w: string): Promise<void> {
  if (!fleet.down.delete(w)) return;
  await ctx.spawn(w, fleet.steppable ? { clockOffsetMs: 0, ...(fleet.monotonic ? { monotonic: true } : {}) } : undefined);
}

/** Every deployment still down comes back and a STOP is undone, before the heal phase. */
async function recover(ctx: ScenarioContext, fleet: Fleet): Promise<void> {
  await Promise.all([...fleet.down].map((w) => restart(ctx, fleet, w)));
  if (fleet.stopped) {
    ctx.command(live(ctx, fleet)[0]!, { cmd: 'start' });
    fleet.stopped = false;
  }
}
