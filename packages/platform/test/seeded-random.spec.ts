import { seededRandom } from '../src/seeded-random';

/** mulberry32's published first outputs for seed 1, in billionths. */
const FIRST_DRAWS_SEED_1 = [627073941, 2735721, 527447040];

const take = (next: () => number, n: number) => Array.from({ length: n }, () => next());

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another', () => {
    expect(take(seededRandom(42), 50)).toEqual(take(seededRandom(42), 50));
    expect(take(seededRandom(43), 50)).not.toEqual(take(seededRandom(42), 50));
  });

  it('keeps the sequence it has always given (generated data sets stay the same across releases)', () => {
    // The first draws for seed 1; a change here changes every seeded data set and its digest.
    expect(take(seededRandom(1), 3).map((x) => Math.round(x * 1e9))).toEqual(FIRST_DRAWS_SEED_1);
  });

  it('stays within [0, 1) and spreads evenly over ten bins', () => {
    const next = seededRandom(7);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = next();
      expect(x >= 0 && x < 1).toBe(true);
      bins[Math.floor(x * 10)]!++;
    }
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});
