// `baton demo`: watch a failover on a laptop and break it. N built-in deployments on the embedded
// store (or --store), a live line of who is ACTIVE, and either keys (k kill the active one, p pause
// it for 5 s, s STOP and t START through a standby, q quit) or --script for an unattended run.
// Everything is recorded; quitting writes the same report as `baton verify` for what happened.
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { chooseStore } from '../store-choice.ts';
import { prepareOutDir } from './out-dir.ts';
import { faultEnvFor, reportLang, runOnce, type OnStore } from './verify.ts';
import { FORMATS } from '../report/formats.ts';
import { EXIT_CODE } from '../report/model.ts';
import { UsageError } from './usage.ts';
import { demoScenario, type ActionSource } from '../demo/scenario.ts';
import { parseScript, type Action } from '../demo/script.ts';
import { liveView } from '../demo/view.ts';
import { redact } from '../../coordination/redact.ts';

export interface DemoOptions {
  store: string;
  instances: string;
  script?: string;
  out?: string;
  seed?: string;
  lang?: string;
}

export async function demo(o: DemoOptions, onStore: OnStore): Promise<void> {
  const instances = Number(o.instances);
  if (!Number.isInteger(instances) || instances < 2 || instances > 8) throw new UsageError(`--instances must be a whole number from 2 to 8, got ${o.instances}`);
  const source = o.script ? scripted(parseScript(o.script)) : keys();
  const lang = reportLang(o.lang);
  const seed = o.seed === undefined ? randomInt(1_000_000) : Number(o.seed);
  const out = o.out ?? join('reports', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  prepareOutDir(out);
  const store = await chooseStore(o.store);
  onStore(store);
  const view = liveView(process.stderr);
  process.stderr.write(`baton demo: ${instances} deployments on ${store.version}${o.script ? `, script: ${o.script}` : ', keys: k kill · p pause 5 s · s STOP · t START · q quit'}\n`);
  try {
    const scenario = demoScenario(instances, source, (ctx) => view.tick(ctx));
    const command = `npx baton demo --store ${redact(o.store)} --instances ${instances}${o.script ? ` --script '${o.script}'` : ''}`;
    const report = await runOnce({ store: o.store, suite: 'demo', seed: String(seed), format: FORMATS.join(','), strategy: 'correct', concurrency: '1' },
      { scenarios: [scenario], formats: FORMATS, seed, concurrency: 1, strategies: ['correct'], out, command, lang }, store, faultEnvFor(store), 'correct', out);
    process.exitCode = EXIT_CODE[report.status];
  } finally {
    view.close();
    source.close?.();
    await store.release();
  }
}

/** The script's actions, each when its time comes. */
function scripted(actions: Action[]): ActionSource & { close?(): void } {
  let i = 0;
  return {
    async next(ctx) {
      const a = actions[i++];
      if (a) await ctx.sleep(Math.max(0, a.atMs - ctx.now()));
      return a;
    },
  };
}

const KEYS: Record<string, Action['name']> = { k: 'kill-active', p: 'pause-active', s: 'stop', t: 'start', q: 'quit' };

/** A person's keys, from a terminal in raw mode. */
function keys(): ActionSource & { close(): void } {
  if (!process.stdin.isTTY) throw new UsageError('baton demo needs a terminal for its keys; without one, give --script "kill-active@4s, quit@15s"');
  process.stdin.setRawMode(true);
  process.stdin.resume();
  const pending: ((a: Action) => void)[] = [];
  const queued: Action[] = [];
  process.stdin.on('data', (b: Buffer) => {
    const key = b.toString();
    const name = key === '\u0003' ? 'quit' : KEYS[key.toLowerCase()];
    if (!name) return;
    const a: Action = { name, atMs: 0, ...(name === 'pause-active' ? { forMs: 5_000 } : {}) };
    const waiter = pending.shift();
    if (waiter) waiter(a); else queued.push(a);
  });
  return {
    next: () => new Promise<Action>((resolve) => { const a = queued.shift(); if (a) resolve(a); else pending.push(resolve); }),
    close: () => { process.stdin.setRawMode(false); process.stdin.pause(); },
  };
}
