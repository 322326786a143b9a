import { describe, expect, it } from 'vitest';
import { between, seededRandom } from '../harness/random.ts';

const draw = (seed: number, stream: string, n = 20) => {
  const r = seededRandom(seed, stream);
  return Array.from({ length: n }, () => between(r, 10, 50));
};

describe('seeded random choices', () => {
  it('replays exactly for the same seed and stream', () => {
    expect(draw(2026, 'failover')).toEqual(draw(2026, 'failover'));
  });
  it('differs between seeds and between scenarios', () => {
    expect(draw(2026, 'failover')).not.toEqual(draw(2027, 'failover'));
    expect(draw(2026, 'failover')).not.toEqual(draw(2026, 'partitioning'));
  });
  it('stays within [min, max] and reaches both ends', () => {
    const xs = draw(1, 'spread', 2_000);
    expect(Math.min(...xs)).toBe(10);
    expect(Math.max(...xs)).toBe(50);
  });
});
