// What every bench module shares: a figure (measured three ways, next to its goal) and the small
// statistics that make one. Ratios are taken inside one run, so a noisy machine moves both sides.

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface Figure {
  /** Which group of the goals it belongs to. */
  group: string;
  name: string;
  measured: Spread;
  unit: string;
  /** The goal in words, and as a test on the median. */
  goal: string;
  met: boolean | null;
  /** What the same work costs at its floor (raw statement, bare node), when there is one. */
  floor?: string;
  /** Anything a reader needs to trust the number. */
  note?: string;
}

export const spread = (xs: number[]): Spread => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? NaN, median: s[Math.floor((s.length - 1) / 2)] ?? NaN, max: s.at(-1) ?? NaN };
};

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

/** Runs `once` `runs` times and spreads the results. */
export async function repeat(runs: number, once: () => Promise<number>): Promise<Spread> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await once());
  return spread(xs);
}

/** Operations per second of `op`, run back to back for `seconds`. */
export async function rate(seconds: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  const until = start + seconds * 1000;
  let n = 0;
  while (performance.now() < until) await op(n++);
  return n / ((performance.now() - start) / 1000);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 5 ms; the time it became true, or undefined after `ms`. */
export async function until(cond: () => boolean, ms: number): Promise<number | undefined> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (cond()) return performance.now();
    await sleep(5);
  }
  return undefined;
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
