// The built-in worker: one deployment of the app, driven by the harness through the protocol in
// docs/worker-protocol.md (environment in, JSON lines out on stdout, JSON commands on stdin).
import { createInterface } from 'node:readline';
import { instanceId } from '../coordination/identity.ts';
import { systemClock } from '../coordination/clock.ts';
import { Deployment } from '../coordination/deployment.ts';
import { httpSender } from '../coordination/sender.ts';
import { openStore } from '../coordination/stores/index.ts';
import { redact } from '../coordination/redact.ts';
import type { Timing } from '../coordination/timing.ts';
import type { CoordinationEvent } from '../coordination/events.ts';
import { strategyByName, STRATEGY_NAMES, type Parts, type WorkerClock } from './strategies/index.ts';
import { openRaw } from './strategies/raw.ts';

const env = (k: string, fallback?: string): string => {
  const v = process.env[k] ?? fallback;
  if (v === undefined) fail(`missing environment variable ${k}`);
  return v!;
};
const int = (k: string, fallback?: number) => {
  const v = Number(env(k, fallback?.toString()));
  if (!Number.isFinite(v)) fail(`${k} must be a number`);
  return v;
};
const clockOffsetMs = int('BATON_CLOCK_OFFSET_MS', 0);

const wallNow = () => Date.now() + clockOffsetMs;
/** Monotonic ms as the protocol's nanosecond string. */
const ns = (ms: number) => BigInt(Math.round(ms * 1e6)).toString();

const strategyName = env('BATON_STRATEGY', 'correct');
const strategy = strategyByName(strategyName);
/** The ID this deployment runs under: the library's, unless the strategy's bug is in how IDs are made. */
const myId = strategy?.instanceId?.() ?? instanceId();

function emit(type: string, fields: Record<string, unknown> = {}): void {
  const line = { t: process.hrtime.bigint().toString(), wall: wallNow(), instance: myId, type, ...fields };
  process.stdout.write(JSON.stringify(line) + '\n');
}

function fail(message: string): never {
  emit('error', { message: redact(message), fatal: true });
  process.exit(2);
}

/** The parts a Deployment is built from, decorated by the chosen strategy (harness/strategies). */
async function parts(uri: string, namespace: string, timing: Timing): Promise<Parts> {
  if (!strategy) fail(`unknown BATON_STRATEGY ${strategyName}: use one of ${STRATEGY_NAMES.join(', ')}`);
  const sinkUrl = env('BATON_SINK');
  const plain: Parts = { store: await openStore(uri, namespace), send: httpSender(sinkUrl), fenceOut: (f) => f };
  return strategy!.apply(plain, { timing, wallNow, raw: () => openRaw(uri, namespace), id: myId, sinkUrl });
}

/**
 * A protocol line for a coordination event: times as monotonic ns, fences as the strategy reports
 * them. The elector's readings (`sent`, a send's `at`) are on its own clock; one that is not the
 * monotonic clock (a strategy's wall clock) is carried over by its distance from now.
 */
function toLine(e: CoordinationEvent, fenceOut: Parts['fenceOut'], clock?: WorkerClock): Record<string, unknown> {
  const { type: _type, ...fields } = e as CoordinationEvent & Record<string, unknown>;
  const out: Record<string, unknown> = { ...fields };
  const mono = (reading: number) => (clock ? clock.monotonicAt(reading) : reading);
  if (typeof out.sent === 'number') out.sent = ns(mono(out.sent));
  // A send's time is that of its leadership check (the protocol's "same clock reading").
  if (typeof out.at === 'number') { out.t = ns(mono(out.at)); delete out.at; }
  if (typeof out.fence === 'number') out.fence = fenceOut(out.fence);
  if (typeof out.message === 'string') out.message = redact(out.message);
  return out;
}

async function main(): Promise<void> {
  const timing = { leaseMs: int('BATON_LEASE_MS'), renewDeadlineMs: int('BATON_RENEW_DEADLINE_MS'), retryMs: int('BATON_RETRY_MS') };
  const { store, send, deadlineMs, fenceOut, clock } = await parts(env('BATON_STORE'), env('BATON_NAMESPACE'), timing);
  const deployment = new Deployment({
    store,
    id: myId,
    lock: env('BATON_LOCK'),
    timing,
    partitions: int('BATON_PARTITIONS', 1),
    plan: { automation: env('BATON_AUTOMATION'), count: int('BATON_MESSAGES', 0), intervalMs: int('BATON_INTERVAL_MS', 100) },
    send,
    emit: (e: CoordinationEvent) => emit(e.type, toLine(e, fenceOut, clock)),
    elector: { ...(deadlineMs ? { deadlineMs } : {}), clock: clock ?? systemClock },
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await deployment.stop();
    await store.close();
    emit('stopped');
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));

  const commands: Record<string, (c: { ms?: number }) => Promise<Record<string, unknown> | void>> = {
    start: async () => ({ control: await deployment.setDesired('RUNNING') }),
    stop: async () => ({ control: await deployment.setDesired('STOPPED') }),
    release: async () => { await deployment.release(); },
    status: async () => {
      const s = await deployment.status();
      return { desired: s.control?.desired ?? 'STOPPED', holders: s.holders, alive: s.alive.map((a) => a.id) };
    },
    logs: async () => ({ entries: await deployment.logs(20) }),
    block: async ({ ms = 1000 }) => {
      const until = Date.now() + ms;
      while (Date.now() < until) { /* block the event loop, as a long GC pause or a busy thread would */ }
    },
    exit: async () => { await stop(0); },
  };

  createInterface({ input: process.stdin }).on('line', (line) => {
    let cmd: { cmd?: string; ms?: number };
    try {
      cmd = JSON.parse(line);
    } catch {
      return emit('error', { message: `not JSON: ${line.slice(0, 80)}` });
    }
    const run = commands[cmd.cmd ?? ''];
    if (!run) return emit('error', { message: `unknown command ${JSON.stringify(cmd.cmd)}` });
    run(cmd).then(
      (result) => emit('ack', { cmd: cmd.cmd, ...(result ?? {}) }),
      (e) => emit('error', { message: redact(`${cmd.cmd} failed: ${(e as Error).message}`) }),
    );
  });

  emit('started', { id: myId, pid: process.pid, idAgain: strategy?.instanceId?.() ?? instanceId(), label: process.env.BATON_INSTANCE_LABEL ?? '' });
  await deployment.start();
}

main().catch((e) => fail((e as Error).message));
