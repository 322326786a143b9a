// Seeded randomness for scenario choices (when to kill, whom, through which deployment), so a
// failing run replays exactly with the same --seed. Each scenario draws from its own stream,
// keyed by its name: adding a scenario never shifts another's choices.

/** mulberry32: small, fast, and good enough to spread test choices; not for secrets. */
export function seededRandom(seed: number, stream: string): () => number {
  let state = seed >>> 0;
  for (const ch of stream) state = Math.imul(state ^ ch.charCodeAt(0), 0x9e3779b1) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [min, max], drawn from `random`. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
