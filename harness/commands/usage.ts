/** Bad input from the user: one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A whole-number option in [min, max], or a UsageError naming it; undefined stays undefined (an option not given). */
export function wholeOption(v: string, name: string, min: number, max?: number): number;
export function wholeOption(v: string | undefined, name: string, min: number, max?: number): number | undefined;
export function wholeOption(v: string | undefined, name: string, min: number, max = Infinity): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number${max < Infinity ? ` from ${min} to ${max}` : ` >= ${min}`}, got ${v}`);
  return n;
}
