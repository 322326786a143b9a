// The processes of one scenario. Each worker runs in its own process group, so a signal reaches
// the real process even when it was started through a shell (`--worker "<command>"`); every
// spawn, command, signal and exit is an event on the scenario's timeline. Whatever happens —
// success, exception, Ctrl-C — every process group is killed before the harness exits.
import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { monotonicMs, within } from '../coordination/clock.ts';
import { redact } from '../coordination/redact.ts';
import type { HistoryEvent } from './history.ts';
import { containerized } from './containers.ts';

/** This module's own extension: `.js` when the harness runs from the build, `.ts` from source. */
const BUILT = import.meta.url.endsWith('.js');
const WORKER = fileURLToPath(new URL(BUILT ? './worker.js' : './worker.ts', import.meta.url));

/**
 * The built-in worker, from the same code as the harness that starts it: the build's plain
 * JavaScript (no loader: faster start, less memory), or from source as `node --import tsx` (never
 * via the tsx wrapper, which keeps signals from the real process). Through `exec`, so that `sh -c`
 * (dash does not exec its last command) is replaced by it and its real exit status is recorded.
 */
export const BUILTIN_WORKER = BUILT
  ? `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(WORKER)}`
  : `exec ${JSON.stringify(process.execPath)} --import ${JSON.stringify(import.meta.resolve('tsx'))} ${JSON.stringify(WORKER)}`;

interface Proc {
  label: string;
  child: ResultPromise;
  pid: number;
  exited: boolean;
  stderr: string;
  /** How far its monotonic clock may be from the host's (ms; see ClockShift.monotonicOffsets). */
  offsets: () => number[];
}

const live = new Set<Proc>();

/** A worker that exited before it printed `started`, or never printed it: the run cannot be judged. */
export class WorkerStartError extends Error {
  override name = 'WorkerStartError';
}

/** How long a worker may take to print `started`. */
export const START_TIMEOUT_MS = 30_000;

/** Kills every worker of every cluster now (process exit, Ctrl-C). */
export function killAllWorkers(): void {
  for (const p of live) {
    try { process.kill(-p.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
process.once('exit', killAllWorkers);

export interface ClusterOptions {
  /** Shell command line that starts one worker. */
  command: string;
  /** Start each worker as a container (its own PID and UTS namespace: ./containers.ts). */
  containers?: boolean;
  env: Record<string, string>;
  /** Monotonic ms that is t = 0 on the timeline. */
  origin: number;
  /** Last say over one worker's environment before it starts (the fault proxies rewrite its URIs). */
  prepareEnv?(label: string, env: Record<string, string>): Promise<Record<string, string>>;
  record(e: HistoryEvent): void;
}

export class Cluster {
  readonly #o: ClusterOptions;
  readonly #procs = new Map<string, Proc>();
  readonly #waiters = new Set<{ pred: (e: HistoryEvent) => boolean; resolve: (e?: HistoryEvent) => void }>();
  /** Set by shutdown(): no worker may start after it. */
  #closed = false;

  constructor(options: ClusterOptions) {
    this.#o = options;
  }

  #now(): number {
    return monotonicMs() - this.#o.origin;
  }

  #record(e: HistoryEvent): void {
    this.#o.record(e);
    for (const w of this.#waiters) {
      if (w.pred(e)) {
        this.#waiters.delete(w);
        w.resolve(e);
      }
    }
  }

  /** Resolves with the first event (from now on) matching `pred`, or undefined after `timeoutMs`. */
  waitFor(pred: (e: HistoryEvent) => boolean, timeoutMs: number): Promise<HistoryEvent | undefined> {
    return new Promise((resolve) => {
      const w = { pred, resolve: (e?: HistoryEvent) => { clearTimeout(timer); resolve(e); } };
      const timer = setTimeout(() => { this.#waiters.delete(w); resolve(undefined); }, timeoutMs);
      this.#waiters.add(w);
    });
  }

  /**
   * Starts a worker and waits for its `started` event. A worker that exits first, or stays silent
   * for START_TIMEOUT_MS, is a WorkerStartError carrying its last stderr lines: the scenario ends at
   * once as an ERROR instead of waiting out every later step.
   */
  async spawn(label: string, env: Record<string, string> = {}, o: { monotonicOffsets?: () => number[] } = {}): Promise<HistoryEvent | undefined> {
    await this.#gone(label);
    const base = { ...this.#o.env, ...env, BATON_INSTANCE_LABEL: label };
    const fullEnv = this.#o.prepareEnv ? await this.#o.prepareEnv(label, base) : base;
    // A spawn still preparing when the run shut down must not start a worker nobody will stop.
    if (this.#closed) throw new Error(`not starting ${label}: the cluster is shut down`);
    const started = this.waitFor((e) => e.source === label && (e.type === 'started' || e.type === 'exit'), START_TIMEOUT_MS);
    const run = this.#o.containers ? containerized(this.#o.command) : { command: this.#o.command, env: {} };
    const child = execa(run.command, { shell: true, detached: true, reject: false, stdin: 'pipe', env: { ...fullEnv, ...run.env }, extendEnv: true });
    const proc: Proc = { label, child, pid: child.pid!, exited: false, stderr: '', offsets: o.monotonicOffsets ?? (() => [0]) };
    this.#procs.set(label, proc);
    live.add(proc);
    this.#record({ t: this.#now(), source: 'harness', type: 'spawn', target: label, pid: proc.pid });
    createInterface({ input: child.stdout! }).on('line', (line) => this.#onLine(proc, line));
    child.stderr!.on('data', (c: Buffer) => { proc.stderr = (proc.stderr + c.toString()).slice(-2000); });
    void child.then((r) => {
      proc.exited = true;
      live.delete(proc);
      this.#record({
        t: this.#now(), source: label, type: 'exit', code: r.exitCode ?? null, signal: r.signal ?? null,
        ...(r.exitCode ? { stderr: redact(proc.stderr.trim().split('\n').slice(-3).join(' | ')) } : {}),
      });
    });
    const e = await started;
    if (e?.type === 'started') return e;
    if (!e) this.kill(label, 'SIGKILL');
    await within(child, 2_000); // its last stderr lines
    const stderr = redact(proc.stderr.trim().split('\n').slice(-3).join(' | ')) || 'nothing on stderr';
    throw new WorkerStartError(e
      ? `worker ${label} exited (code ${String(e.code)}${e.signal ? `, ${String(e.signal)}` : ''}) before it printed "started": ${stderr}`
      : `worker ${label} printed no "started" line within ${START_TIMEOUT_MS / 1000} s (killed): ${stderr}`);
  }

  /**
   * A label is one process at a time: a restart waits for the previous process to be gone, so its
   * late `exit` cannot end the new process's holds on the timeline.
   */
  async #gone(label: string): Promise<void> {
    const old = this.#procs.get(label);
    if (!old || old.exited) return;
    await within(old.child, 5_000);
    if (old.exited) return;
    try { process.kill(-old.pid, 'SIGKILL'); } catch { /* gone */ }
    await old.child;
  }

  #onLine(proc: Proc, line: string): void {
    const { label } = proc;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.#record({ t: this.#now(), source: label, type: 'garbage', line: redact(line.slice(0, 200)) });
      return;
    }
    const { t, type, sent, ...rest } = parsed;
    // `sent` (when a renew or acquire was sent) is on the same monotonic clock as `t`. For a worker
    // whose monotonic clock the harness shifted, the shift it was seeing is the one that puts the
    // line nearest its arrival (the shifts are minutes apart, a line takes a millisecond).
    const arrived = this.#now();
    const own = this.#workerTime(t);
    const shift = own === undefined ? 0 : nearest(proc.offsets(), (c) => Math.abs(own - c - arrived));
    const sentMs = this.#workerTime(sent);
    const sentAt = sentMs === undefined ? {} : { sent: sentMs - shift };
    this.#record({ ...rest, ...sentAt, t: own === undefined ? arrived : own - shift, source: label, type: String(type ?? 'unknown') });
  }

  /** A worker's monotonic ns (string or number) on the timeline; undefined when it is not one. */
  #workerTime(t: unknown): number | undefined {
    if (typeof t === 'string' && /^\d+$/.test(t)) return Number(BigInt(t) / 1000n) / 1000 - this.#o.origin;
    if (typeof t === 'number' && Number.isFinite(t)) return t / 1e6 - this.#o.origin;
    return undefined;
  }

  /** The process id of worker `label` while it runs (the head of its process group). */
  pid(label: string): number | undefined {
    const p = this.#procs.get(label);
    return p && !p.exited ? p.pid : undefined;
  }

  command(label: string, cmd: Record<string, unknown>): void {
    const p = this.#procs.get(label);
    this.#record({ t: this.#now(), source: 'harness', type: 'command', target: label, ...cmd });
    if (p && !p.exited) p.child.stdin!.write(JSON.stringify(cmd) + '\n');
  }

  /** Sends `signal` to the worker's whole process group. */
  kill(label: string, signal: NodeJS.Signals): void {
    const p = this.#procs.get(label);
    this.#record({ t: this.#now(), source: 'harness', type: 'signal', target: label, signal });
    if (p && !p.exited) {
      try { process.kill(-p.pid, signal); } catch { /* already gone */ }
    }
  }

  /** Asks every worker to exit gracefully, then kills whatever is left after `graceMs`. */
  async shutdown(graceMs = 3_000): Promise<void> {
    this.#closed = true;
    const procs = [...this.#procs.values()].filter((p) => !p.exited);
    // On the timeline: what happens from here (a standby taking a lease its holder just released
    // on its way out) is the harness ending the run, not the scenario under test.
    this.#record({ t: this.#now(), source: 'harness', type: 'shutdown' });
    for (const p of procs) {
      try { process.kill(-p.pid, 'SIGCONT'); process.kill(-p.pid, 'SIGTERM'); } catch { /* gone */ }
    }
    await within(Promise.all(procs.map((p) => p.child)), graceMs);
    for (const p of procs) {
      if (!p.exited) {
        try { process.kill(-p.pid, 'SIGKILL'); } catch { /* gone */ }
      }
    }
    await Promise.all(procs.map((p) => p.child));
  }
}

/** The candidate with the smallest cost. */
function nearest(candidates: number[], cost: (c: number) => number): number {
  return candidates.reduce((best, c) => (cost(c) < cost(best) ? c : best), candidates[0] ?? 0);
}
