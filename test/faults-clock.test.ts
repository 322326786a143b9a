// Clock faults against real child processes: libfaketime shifts (and steps) a child's wall clock
// while its monotonic clock stays shared with the harness.
import { describe, it, expect, afterEach } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { faketimeLibrary, faketimeOffset, shiftClock, type ClockShift } from '../harness/faults/clock.ts';

const library = faketimeLibrary();
const noFaketime = library ? '' : 'libfaketime not found (apt-get install faketime, or set BATON_FAKETIME_LIB)';
if (noFaketime) console.log(`skipped: faketime clock tests — ${noFaketime}`);
const withFaketime = (name: string) => `${name}${noFaketime ? ` (skipped: ${noFaketime})` : ''}`;

const monoMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Prints the child's wall and monotonic clocks every 50 ms. */
const CLOCK_PRINTER = `${JSON.stringify(process.execPath)} -e 'setInterval(() => process.stdout.write(JSON.stringify({ wall: Date.now(), mono: String(process.hrtime.bigint()) }) + "\\n"), 50); setTimeout(() => process.exit(0), 60000)'`;

interface Sample {
  /** Child wall clock minus the harness's, at arrival (ms). */
  skew: number;
  /** Child monotonic clock minus the harness's, at arrival (ms). */
  monoSkew: number;
  at: number;
}

interface Watched {
  child: ResultPromise;
  pid: number;
  /** The first sample arriving from now on that matches `pred`, or undefined after timeoutMs. */
  next(pred: (s: Sample) => boolean, timeoutMs: number): Promise<Sample | undefined>;
}

const started: Watched[] = [];
const shifts: ClockShift[] = [];

afterEach(async () => {
  for (const w of started.splice(0)) {
    try { process.kill(-w.pid, 'SIGKILL'); } catch { /* gone */ }
    await w.child;
  }
  for (const s of shifts.splice(0)) s.dispose();
});

/** Starts `command` through `sh -c` (as the cluster does) with `env` over the harness's. */
function watch(command: string, env: Record<string, string>): Watched {
  const child = execa(command, { shell: true, detached: true, reject: false, env, extendEnv: true });
  const waiters = new Set<{ pred: (s: Sample) => boolean; resolve: (s?: Sample) => void }>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const at = monoMs();
    const wallNow = Date.now();
    let parsed: { wall: number; mono: string };
    try { parsed = JSON.parse(line); } catch { return; }
    const s: Sample = { skew: parsed.wall - wallNow, monoSkew: Number(BigInt(parsed.mono) / 1000n) / 1000 - at, at };
    for (const w of waiters) if (w.pred(s)) { waiters.delete(w); w.resolve(s); }
  });
  const w: Watched = {
    child,
    pid: child.pid!,
    next: (pred, timeoutMs) => new Promise((resolve) => {
      const waiter = { pred, resolve: (s?: Sample) => { clearTimeout(timer); resolve(s); } };
      const timer = setTimeout(() => { waiters.delete(waiter); resolve(undefined); }, timeoutMs);
      waiters.add(waiter);
    }),
  };
  started.push(w);
  return w;
}

const near = (target: number, tolerance: number) => (s: Sample) => Math.abs(s.skew - target) <= tolerance;

describe('clock faults', () => {
  it('formats libfaketime offsets in seconds without unit letters', () => {
    expect(faketimeOffset(600_000)).toBe('+600');
    expect(faketimeOffset(-600_000)).toBe('-600');
    expect(faketimeOffset(1_250)).toBe('+1.250');
    expect(faketimeOffset(-250)).toBe('-0.250');
    expect(faketimeOffset(0)).toBe('+0');
    expect(() => faketimeOffset(Number.NaN)).toThrow(RangeError);
  });

  it('env mode: BATON_CLOCK_OFFSET_MS carries the offset and stepping throws', () => {
    const shift = shiftClock(-1_234, { useFaketime: false });
    shifts.push(shift);
    expect(shift.mode).toBe('env');
    expect(shift.env).toEqual({ BATON_CLOCK_OFFSET_MS: '-1234' });
    expect(() => shift.step(1_000)).toThrow('stepping needs faketime');
  });

  it.skipIf(!!noFaketime)(withFaketime('faketime: a child runs 600 s ahead, its monotonic clock unshifted'), async () => {
    const shift = shiftClock(600_000, { useFaketime: true });
    shifts.push(shift);
    expect(shift.mode).toBe('faketime');
    expect(shift.env.BATON_CLOCK_OFFSET_MS).toBe('0');
    expect(shift.env.LD_PRELOAD?.split(':')[0]).toBe(library);
    expect(existsSync(shift.env.FAKETIME_TIMESTAMP_FILE!)).toBe(true);
    const w = watch(CLOCK_PRINTER, shift.env);
    const s = await w.next(() => true, 15_000);
    expect(s, 'the child printed its clocks').toBeDefined();
    expect(Math.abs(s!.skew - 600_000)).toBeLessThanOrEqual(5_000);
    expect(Math.abs(s!.monoSkew)).toBeLessThanOrEqual(1_000);
    // The clock runs (not frozen), with sub-second resolution.
    const later = await w.next(() => true, 2_000);
    expect(Math.abs(later!.skew - 600_000)).toBeLessThanOrEqual(5_000);
  });

  it.skipIf(!!noFaketime)(withFaketime('faketime: step() moves a running child by +600 s and back within 2 s'), async () => {
    const shift = shiftClock(600_000, { useFaketime: true });
    shifts.push(shift);
    const w = watch(CLOCK_PRINTER, shift.env);
    expect(await w.next(near(600_000, 5_000), 15_000), 'starts 600 s ahead').toBeDefined();

    const t1 = monoMs();
    await shift.step(600_000);
    expect(shift.offsetMs).toBe(1_200_000);
    const ahead = await w.next(near(1_200_000, 5_000), 2_000);
    expect(ahead, 'jumped to 1200 s ahead within 2 s').toBeDefined();
    expect(Math.abs(ahead!.monoSkew)).toBeLessThanOrEqual(1_000);
    const stepSeenMs = ahead!.at - t1;

    const t2 = monoMs();
    await shift.step(-600_000);
    const back = await w.next(near(600_000, 5_000), 2_000);
    expect(back, 'back to 600 s ahead within 2 s').toBeDefined();
    console.log(`faketime step seen after ${Math.round(stepSeenMs)} ms (+600 s) and ${Math.round(back!.at - t2)} ms (-600 s)`);

    // dispose(): the timestamp file is gone and libfaketime's /dev/shm leftovers of the dead shell are swept.
    try { process.kill(-w.pid, 'SIGKILL'); } catch { /* gone */ }
    await w.child;
    const file = shift.env.FAKETIME_TIMESTAMP_FILE!;
    shift.dispose();
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`/dev/shm/faketime_shm_${w.pid}`)).toBe(false);
    expect(existsSync(`/dev/shm/sem.faketime_sem_${w.pid}`)).toBe(false);
    await expect(shift.step(1_000)).rejects.toThrow('disposed');
  });

  it.skipIf(!!noFaketime)(withFaketime('faketime: a python3 child sees the shift too'), async () => {
    const shift = shiftClock(600_000, { useFaketime: true });
    shifts.push(shift);
    const r = await execa('python3 -c "import time; print(time.time())"', { shell: true, env: shift.env, extendEnv: true, reject: false });
    const now = Date.now();
    if (r.exitCode !== 0 && /not found/.test(r.stderr)) {
      console.log('python3 not installed: cannot check a non-Node child');
      return;
    }
    expect(r.exitCode, r.stderr).toBe(0);
    const skew = Number(r.stdout.trim()) * 1000 - now;
    expect(Math.abs(skew - 600_000)).toBeLessThanOrEqual(5_000);
  });

  it.skipIf(!!noFaketime)(withFaketime('faketime: a negative offset puts a child 600 s behind'), async () => {
    const shift = shiftClock(-600_000, { useFaketime: true });
    shifts.push(shift);
    const w = watch(CLOCK_PRINTER, shift.env);
    const s = await w.next(() => true, 15_000);
    expect(s).toBeDefined();
    expect(Math.abs(s!.skew + 600_000)).toBeLessThanOrEqual(5_000);
    expect(Math.abs(s!.monoSkew)).toBeLessThanOrEqual(1_000);
  });
});
