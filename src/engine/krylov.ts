/**
 * Matrix-free linear solves on Hessian-vector products, for objectives of many variables: the
 * critical-point search (krylovSolver.ts) and the descent to minima (discover.ts) never form the
 * n×n Hessian there, so a step costs a few products ∇²f·v (each about as dear as one gradient)
 * instead of n products plus an O(n³) factorisation.
 *
 * {@link cgls} is CGLS (conjugate gradients on the normal equations, in the form that iterates on
 * the residual; Björck, *Numerical Methods for Least Squares Problems*, §7.4) with a damping term:
 * it minimises ‖A d − b‖² + μ‖d‖² for a symmetric A given by products. In exact arithmetic it
 * reaches the minimiser in at most n iterations; with μ = 0 and A singular it converges to the
 * minimum-norm least-squares solution — the step Levenberg–Marquardt and Newton want.
 */

/** out = A·v for the symmetric matrix A (here ∇²f at the current point). */
export type MatVec = (v: Float64Array, out: Float64Array) => void;

/** Scratch vectors of {@link cgls} (length n each), reused across calls. */
export class CglsScratch {
  readonly r: Float64Array;
  readonly s: Float64Array;
  readonly p: Float64Array;
  readonly q: Float64Array;
  constructor(n: number) {
    this.r = new Float64Array(n);
    this.s = new Float64Array(n);
    this.p = new Float64Array(n);
    this.q = new Float64Array(n);
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export interface CglsResult {
  /** iterations run (products: 2 per iteration plus 1) */
  iterations: number;
  /** ‖b − A d‖ at the end (tracked, not recomputed) */
  residual: number;
  /** false when a non-finite value appeared (out is then not usable) */
  ok: boolean;
}

/**
 * Minimises ‖A d − b‖² + μ‖d‖² (A symmetric, given by `apply`), writing d into `out`. Stops when
 * the gradient of that function, Aᵀ(b − A d) − μd, has shrunk by `tolerance` against its start, or
 * after `maxIterations`. b should be scaled to norm ≈ 1 (the callers pass ∇f/‖∇f‖).
 */
export function cgls(apply: MatVec, b: Float64Array, mu: number, out: Float64Array, w: CglsScratch, maxIterations: number, tolerance: number): CglsResult {
  const { r, s, p, q } = w;
  out.fill(0);
  r.set(b);
  apply(r, s); // s = Aᵀ r − μ·0
  p.set(s);
  let gamma = dot(s, s);
  const stop = tolerance * tolerance * gamma;
  if (!Number.isFinite(gamma)) return { iterations: 0, residual: NaN, ok: false };
  let iterations = 0;
  while (iterations < maxIterations && gamma > stop && gamma > 0) {
    apply(p, q);
    const delta = dot(q, q) + mu * dot(p, p);
    if (!(delta > 0) || !Number.isFinite(delta)) break;
    const alpha = gamma / delta;
    for (let i = 0; i < out.length; i++) {
      out[i] += alpha * p[i];
      r[i] -= alpha * q[i];
    }
    apply(r, s);
    for (let i = 0; i < s.length; i++) s[i] -= mu * out[i];
    const next = dot(s, s);
    iterations++;
    if (!Number.isFinite(next)) return { iterations, residual: NaN, ok: false };
    const beta = next / gamma;
    for (let i = 0; i < p.length; i++) p[i] = s[i] + beta * p[i];
    gamma = next;
  }
  const residual = Math.sqrt(dot(r, r));
  return { iterations, residual, ok: Number.isFinite(residual) && allFinite(out) };
}

/** Is `v` free of NaN and ±∞? */
export function allFinite(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

export interface CgResult {
  iterations: number;
  /** A showed a direction of non-positive curvature (pᵀAp ≤ 0): A is not positive definite */
  indefinite: boolean;
  ok: boolean;
}

/**
 * Conjugate gradients on A d = b for a symmetric A given by products, writing d into `out`
 * (scratch as for {@link cgls}). Stops at ‖b − A d‖ ≤ tolerance·‖b‖, after `maxIterations`, or at
 * the first direction with pᵀAp ≤ 0 (then `indefinite`: A is not positive definite, and out holds
 * the iterate before that direction). The matrix-free counterpart of a Cholesky solve.
 */
export function conjugateGradient(apply: MatVec, b: Float64Array, out: Float64Array, w: CglsScratch, maxIterations: number, tolerance: number): CgResult {
  const { r, p, q } = w;
  out.fill(0);
  r.set(b);
  p.set(b);
  let rr = dot(r, r);
  const stop = tolerance * tolerance * rr;
  let iterations = 0;
  while (iterations < maxIterations && rr > stop && rr > 0) {
    apply(p, q);
    const pq = dot(p, q);
    if (!Number.isFinite(pq)) return { iterations, indefinite: false, ok: false };
    if (!(pq > 0)) return { iterations, indefinite: true, ok: true };
    const alpha = rr / pq;
    for (let i = 0; i < out.length; i++) {
      out[i] += alpha * p[i];
      r[i] -= alpha * q[i];
    }
    const next = dot(r, r);
    iterations++;
    const beta = next / rr;
    for (let i = 0; i < p.length; i++) p[i] = r[i] + beta * p[i];
    rr = next;
  }
  return { iterations, indefinite: false, ok: Number.isFinite(rr) && allFinite(out) };
}
