// Faults placed at protocol moments, and deployments as containers, against real worker
// processes on SQLite: the hold lands on the very request the worker announced, a pause lands
// between the effect at the receiver and the worker hearing of it, and each container is PID 1.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenarios, type ScenarioResult } from '../harness/runner.ts';
import { BUILTIN_WORKER } from '../harness/cluster.ts';
import { QUICK, type Scenario, type ScenarioContext } from '../harness/scenario.ts';
import { fleetRunning } from '../harness/steps.ts';
import { containersAvailable } from '../harness/containers.ts';
import { idsActAlone, idsUnique } from '../harness/checkers/identity.ts';
import type { HistoryEvent } from '../harness/history.ts';

const containers = containersAvailable();
const noContainers = containers === true ? '' : ` (skipped: ${containers})`;

async function run(body: (ctx: ScenarioContext) => Promise<void>, o: { containers?: boolean; strategy?: string } = {}): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-moments-'));
  const scenario: Scenario = {
    name: 'moment', title: 'moment', claim: 'moment', scalesWithInstances: false,
    settings: { instances: 2, timing: QUICK, partitions: 1, messages: 0, intervalMs: 50 },
    ...(o.containers ? { containers: 'always' as const } : {}),
    run: body, checks: () => [],
  };
  try {
    const [r] = await runScenarios([scenario], {
      storeUri: `sqlite:${dir}`, workerCommand: BUILTIN_WORKER, seed: 1, concurrency: 1, strategy: o.strategy,
      faultEnv: { store: 'sqlite', faketime: false, storeProxy: false, containers },
    });
    return r!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const faultStart = (r: ScenarioResult, fault: string) => r.history.events.find((e) => e.type === 'fault' && e.fault === fault && e.phase === 'start')!;
const faultEnd = (r: ScenarioResult, fault: string) => r.history.events.find((e) => e.type === 'fault' && e.fault === fault && e.phase === 'end')!;

describe('faults at protocol moments', () => {
  it('a hold placed right after a `send` line holds that very request, and nothing crossed before it', async () => {
    const r = await run(async (ctx) => {
      await fleetRunning(ctx, 5);
      const holder = await ctx.requireHolder();
      const moment = await ctx.after({ of: holder, after: 'send' });
      await ctx.fault('network', holder, { path: 'sink', mode: { kind: 'hold' } }, 400, moment);
      await ctx.sleep(200);
    });
    const start = faultStart(r, 'network');
    const moment = start.moment as { after: string; seq: number; lagMs: number };
    expect(moment.after).toBe('send');
    const held = r.history.deliveries.find((d) => d.seq === moment.seq)!;
    expect(held.t).toBeGreaterThan(faultEnd(r, 'network').t); // it arrived only once the hold healed
    const result = r.history.events.find((e) => e.type === 'fault-result' && e.fault === 'network')!;
    expect(result).toMatchObject({ reached: true, late: 0 });
  }, 30_000);

  it('a pause placed when a delivery reaches the receiver lands before the worker hears the answer', async () => {
    const r = await run(async (ctx) => {
      await fleetRunning(ctx, 5);
      const holder = await ctx.requireHolder();
      const moment = await ctx.after({ of: holder, after: 'delivered' });
      await ctx.fault('pause', holder, {}, 500, moment);
      await ctx.sleep(300);
    });
    const start = faultStart(r, 'pause');
    const seq = (start.moment as { seq: number }).seq;
    const who = String(start.target);
    const sent = r.history.events.find((e: HistoryEvent) => e.source === who && e.type === 'sent' && e.seq === seq)!;
    expect(r.history.deliveries.find((d) => d.seq === seq)!.t).toBeLessThan(start.t);
    expect(sent.t).toBeGreaterThan(start.t + 400); // the answer reached it only after it woke (a 500 ms pause)
  }, 30_000);
});

describe(`deployments as containers${noContainers}`, () => {
  it.skipIf(containers !== true)('runs each deployment as PID 1 in its own namespace', async () => {
    const r = await run(async (ctx) => { await fleetRunning(ctx, 5); }, { containers: true });
    const started = r.history.events.filter((e) => e.type === 'started');
    expect(started.map((e) => e.pid)).toEqual([1, 1]);
    expect(r.history.events.find((e) => e.type === 'containers')).toMatchObject({ hostname: 'app' });
    expect(idsUnique(r.history).status).toBe('pass');
  }, 30_000);

  it.skipIf(containers !== true)('an ID made from hostname and PID collides there, and two deployments act under it', async () => {
    const r = await run(async (ctx) => { await fleetRunning(ctx, 10); await ctx.sleep(600); }, { containers: true, strategy: 'host-identity' });
    expect(idsUnique(r.history).status).toBe('fail');
    expect(idsActAlone(r.history).status).toBe('fail');
  }, 30_000);
});
