/**
 * The starting points of the critical-point search (critical.ts, step 1) and how many of them:
 * a jittered grid for n ≤ 3 variables, a Halton sequence with a seeded Cranley–Patterson shift
 * for n ≥ 4, in box-normalised coordinates [0,1]ⁿ, deterministic for a seed. Also used to sample
 * a box elsewhere (discover.ts, definedness.ts). Pure: no I/O.
 */
import { MATRIX_FREE_ABOVE } from './krylovSolver';
import { mulberry32 } from './random';

/**
 * Default number of starts for n variables: 64 (n = 1), a 14×14 grid (n = 2), an 8×8×8 grid
 * (n = 3), 100n + 200 up to 800 (n ≤ 20); beyond 20 variables (the matrix-free search, whose
 * cost per start grows with n) 10,000/n, at least 64. Whatever the count k, the starts are spread
 * over the box like random points, so a critical point whose basin under the search (the starts
 * that lead there) covers a fraction p of the box is missed with probability about (1 − p)^k:
 * basins below {@link missedBasinShare}(k) ≈ 3/k of the box may be missed (k = 64: 4.6%).
 */
export function defaultStarts(n: number): number {
  if (n <= 1) return 64;
  if (n === 2) return 196; // 14×14 grid
  if (n === 3) return 512; // 8×8×8 grid
  if (n <= MATRIX_FREE_ABOVE) return Math.min(800, 100 * n + 200);
  return Math.max(64, Math.min(800, Math.round(10_000 / n)));
}

/**
 * The basin share below which a critical point may be missed by k starts: the p with
 * (1 − p)^k = 5% (random starts find a basin of this share with probability 95%).
 */
export function missedBasinShare(k: number): number {
  return k > 0 ? 1 - Math.pow(0.05, 1 / k) : 1;
}

/** The seeded PRNG of the search (mulberry32, seed mixed with the golden-ratio constant). */
const prng = (seed: number): (() => number) => mulberry32(seed ^ 0x9e3779b9);

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113];

function radicalInverse(index: number, base: number): number {
  let f = 1;
  let r = 0;
  let i = index;
  while (i > 0) {
    f /= base;
    r += f * (i % base);
    i = Math.floor(i / base);
  }
  return r;
}

/** Well-spread starting points in the box, in box-normalised coordinates [0,1]ⁿ. */
export function seedPoints(n: number, count: number, seed: number): Float64Array[] {
  const rand = prng(seed);
  const out: Float64Array[] = [];
  if (n <= 3) {
    const m = Math.max(2, Math.round(Math.pow(count, 1 / n)));
    const total = Math.pow(m, n);
    for (let c = 0; c < total; c++) {
      const u = new Float64Array(n);
      let rest = c;
      for (let i = 0; i < n; i++) {
        const cell = rest % m;
        rest = Math.floor(rest / m);
        u[i] = (cell + 0.5 + 0.5 * (rand() - 0.5)) / m;
      }
      out.push(u);
    }
  } else {
    const shift = Array.from({ length: n }, () => rand());
    for (let k = 1; k <= count; k++) {
      const u = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const base = PRIMES[i % PRIMES.length];
        const h = radicalInverse(k + Math.floor(i / PRIMES.length) * 7919, base) + shift[i];
        u[i] = h - Math.floor(h);
      }
      out.push(u);
    }
  }
  return out;
}
