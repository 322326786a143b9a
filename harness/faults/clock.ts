// Clock faults: one worker's wall clock runs ahead of (or behind) everyone else's.
//
// With libfaketime (Linux, `apt-get install faketime`) the shift is real for any language: the
// preload library intercepts clock_gettime/gettimeofday/time in the worker and every process it
// starts (LD_PRELOAD is inherited through `sh -c`). The offset lives in a timestamp file
// (FAKETIME_TIMESTAMP_FILE, one line such as "+600" or "-12.5", seconds relative to the real
// clock, so the clock keeps running with full sub-second precision), which step() rewrites to
// move the clock of a running worker. CLOCK_MONOTONIC is never shifted
// (FAKETIME_DONT_FAKE_MONOTONIC=1): without it libfaketime shifts the monotonic clock too,
// and the harness reads workers' monotonic timestamps as the timeline.
//
// libfaketime 0.9.10 notes (read from its README and source):
// - the FAKETIME environment variable always wins over the timestamp file, so it must not be set;
// - the file is cached per process; FAKETIME_CACHE_DURATION=0 re-reads it at most once per
//   real wall-clock second (`now.tv_sec - last_fetch > duration`), so a step is seen within
//   ~1 s without reading a file on every clock call (FAKETIME_NO_CACHE=1 would);
// - without FAKETIME_DISABLE_SHM (not in 0.9.10), the first process that loads the library
//   creates /dev/shm/faketime_shm_<pid> and sem.faketime_sem_<pid> and removes them only when it
//   exits normally; a killed (or exec'd) worker leaves them behind, so dispose() sweeps those of
//   dead processes created during this shift.
//
// Without libfaketime the shift falls back to BATON_CLOCK_OFFSET_MS, which only a worker that
// reads it (the built-in one adds it to the wall time it reports) honours, and cannot be stepped.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian/Ubuntu multiarch directory names for the architectures Node reports. */
const TRIPLETS: Partial<Record<string, string>> = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  arm: 'arm-linux-gnueabihf',
  ia32: 'i386-linux-gnu',
  ppc64: 'powerpc64le-linux-gnu',
  s390x: 's390x-linux-gnu',
  riscv64: 'riscv64-linux-gnu',
};

/**
 * Where libfaketime's preload library is, or undefined (then clock faults fall back to
 * BATON_CLOCK_OFFSET_MS). BATON_FAKETIME_LIB names it explicitly; otherwise the usual install
 * directories are searched. The multi-threaded variant (libfaketimeMT) is preferred: Node and the
 * JVM call the clock from several threads and the plain library's caches are unsynchronised.
 */
export function faketimeLibrary(): string | undefined {
  const explicit = process.env.BATON_FAKETIME_LIB;
  if (explicit) return existsSync(explicit) && !/[\s:]/.test(explicit) ? explicit : undefined;
  if (process.platform !== 'linux') return undefined;
  const triplet = TRIPLETS[process.arch];
  const dirs = [
    ...(triplet ? [`/usr/lib/${triplet}/faketime`] : []),
    '/usr/lib/faketime', '/usr/lib64/faketime', '/usr/local/lib/faketime', '/usr/local/lib',
  ];
  for (const name of ['libfaketimeMT.so.1', 'libfaketime.so.1']) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (existsSync(path)) return path;
    }
  }
  return undefined;
}

export interface ClockShift {
  /** Environment for the worker (merge over the worker's own env). */
  env: Record<string, string>;
  mode: 'faketime' | 'env';
  /** Its monotonic clock moves with its wall clock (a 'both' step). */
  monotonic: boolean;
  /**
   * What may separate the worker's monotonic readings from the host's, in ms: one value per shift
   * it may be seeing (libfaketime, faking CLOCK_MONOTONIC, counts it from the wall clock's epoch
   * plus the offset; a step is seen within a second, so before and after are both possible).
   * [0] for a worker whose monotonic clock is untouched.
   */
  monotonicOffsets(): number[];
  /** The current shift in ms (start offset plus every step). */
  readonly offsetMs: number;
  /**
   * Moves the worker's clock by another `offsetMs` (relative to the current shift) while it runs.
   * Resolves when the timestamp file is rewritten; libfaketime re-reads it at most once a second,
   * so processes see the step within about a second.
   * In env mode it throws 'stepping needs faketime'.
   */
  step(offsetMs: number): Promise<void> | void;
  /** Removes the timestamp file (a worker still running then sees the real clock). Idempotent. */
  dispose(): void;
}

/** libfaketime's relative offset in seconds, e.g. "+600" or "-0.250" (no unit letters: "m", "h", "d", "y" would scale it). */
export function faketimeOffset(offsetMs: number): string {
  if (!Number.isFinite(offsetMs) || Math.abs(offsetMs) >= 1e14) throw new RangeError(`clock offset out of range: ${offsetMs} ms`);
  const abs = Math.abs(offsetMs);
  const seconds = abs % 1000 === 0 ? String(abs / 1000) : (abs / 1000).toFixed(3);
  return `${offsetMs < 0 ? '-' : '+'}${seconds}`;
}

/**
 * Env for a worker whose wall clock starts shifted by offsetMs. mode 'faketime' when the library
 * exists and `useFaketime` is true (LD_PRELOAD + FAKETIME_TIMESTAMP_FILE, BATON_CLOCK_OFFSET_MS
 * '0'); otherwise mode 'env' (BATON_CLOCK_OFFSET_MS = offsetMs, no steps).
 */
export function shiftClock(offsetMs: number, o: { useFaketime: boolean; monotonic?: boolean }): ClockShift {
  const library = o.useFaketime ? faketimeLibrary() : undefined;
  if (!library) {
    if (!Number.isFinite(offsetMs)) throw new RangeError(`clock offset out of range: ${offsetMs} ms`);
    if (o.monotonic) throw new Error('shifting a worker\'s monotonic clock needs libfaketime');
    return {
      env: { BATON_CLOCK_OFFSET_MS: String(offsetMs) },
      mode: 'env',
      monotonic: false,
      monotonicOffsets: () => [0],
      offsetMs,
      step() { throw new Error('stepping needs faketime'); },
      dispose() {},
    };
  }
  if (process.env.FAKETIME !== undefined) {
    throw new Error('FAKETIME is set in the harness environment; libfaketime would prefer it over the per-worker timestamp file');
  }
  const shift = new FaketimeShift(library, offsetMs, !!o.monotonic);
  live.add(shift);
  return shift;
}

const live = new Set<FaketimeShift>();

/** Disposes every clock shift still in use (Ctrl-C: no temp directory or /dev/shm object left). */
export function disposeAllClocks(): void {
  for (const shift of live) shift.dispose();
}

class FaketimeShift implements ClockShift {
  readonly mode = 'faketime' as const;
  readonly env: Record<string, string>;
  readonly monotonic: boolean;
  readonly #dir: string;
  readonly #file: string;
  readonly #since = Date.now();
  #offsetMs: number;
  /** Every shift this worker has had (its start offset, then one per step), for monotonicOffsets. */
  readonly #shifts: number[];
  /** The host's wall clock minus its monotonic clock (ms): the base a faked monotonic clock counts from. */
  readonly #epoch: number;
  #writes: Promise<void> = Promise.resolve();
  #disposed = false;

  constructor(library: string, offsetMs: number, monotonic: boolean) {
    const line = faketimeOffset(offsetMs);
    this.#offsetMs = offsetMs;
    this.#shifts = [offsetMs];
    this.monotonic = monotonic;
    this.#epoch = monotonic ? realtimeEpochMs() : 0;
    this.#dir = mkdtempSync(join(tmpdir(), 'baton-clock-'));
    this.#file = join(this.#dir, 'faketimerc');
    writeFileSync(this.#file, line + '\n');
    const inherited = process.env.LD_PRELOAD?.split(/[\s:]+/).filter((p) => p && p !== library) ?? [];
    this.env = {
      LD_PRELOAD: [library, ...inherited].join(':'),
      FAKETIME_TIMESTAMP_FILE: this.#file,
      FAKETIME_CACHE_DURATION: '0',
      // '0' fakes CLOCK_MONOTONIC too: the worker's line times then move with it (see Cluster's arrival times).
      FAKETIME_DONT_FAKE_MONOTONIC: monotonic ? '0' : '1',
      DONT_FAKE_MONOTONIC: monotonic ? '0' : '1',
      BATON_CLOCK_OFFSET_MS: '0',
    };
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  monotonicOffsets(): number[] {
    return this.monotonic ? this.#shifts.map((s) => this.#epoch + s) : [0];
  }

  step(offsetMs: number): Promise<void> {
    if (this.#disposed) return Promise.reject(new Error('clock shift already disposed'));
    const next = this.#offsetMs + offsetMs;
    const line = faketimeOffset(next);
    this.#offsetMs = next;
    this.#shifts.push(next);
    // Serialised, and atomic (write + rename): a reader never sees a half-written line.
    const write = this.#writes.then(async () => {
      if (this.#disposed) return;
      const tmp = `${this.#file}.${process.pid}.tmp`;
      await writeFile(tmp, line + '\n');
      await rename(tmp, this.#file);
    });
    this.#writes = write.catch(() => {});
    return write;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    live.delete(this);
    rmSync(this.#dir, { recursive: true, force: true });
    sweepFaketimeShm(this.#since - 1_000);
  }
}

/**
 * The host's wall clock minus its monotonic clock, in ms, to a few microseconds: read at the
 * instant Date.now() ticks over (its own resolution is a millisecond). libfaketime faking
 * CLOCK_MONOTONIC returns the wall clock plus the offset, so this maps such a worker's readings
 * back onto the host's monotonic timeline.
 */
function realtimeEpochMs(): number {
  const start = Date.now();
  let now = start;
  while (now === start) now = Date.now();
  return now - Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Removes libfaketime's /dev/shm objects left by processes that no longer exist, owned by this
 * user and created since `sinceMs`. A dead creator's objects are only ever looked up by name when
 * a process starts (it then creates fresh ones), so removing them cannot disturb a live process.
 */
function sweepFaketimeShm(sinceMs: number): void {
  const dir = '/dev/shm';
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = /^(?:faketime_shm_|sem\.faketime_sem_)(\d+)$/.exec(name);
    if (!m || isAlive(Number(m[1]))) continue;
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.mtimeMs < sinceMs || (uid !== undefined && st.uid !== uid)) continue;
      unlinkSync(path);
    } catch { /* gone or not ours */ }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
