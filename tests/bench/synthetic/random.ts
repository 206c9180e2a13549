import { type Rng, seededRng } from '../../../src/domain/quiz/random.js';

/** Seeded randomness (the quiz's own PRNG), so a synthetic organisation is the same on every run. */
export type Random = Rng;

export function seeded(seed: string | number): Random {
  return seededRng(String(seed));
}

/** An integer in [min, max]. */
export function between(rnd: Random, min: number, max: number): number {
  return min + Math.floor(rnd() * (max - min + 1));
}

export function chance(rnd: Random, p: number): boolean {
  return rnd() < p;
}
