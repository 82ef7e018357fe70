/**
 * The classification contract of one initialization, its tolerances and the pieces shared by the
 * trajectory (src/engine/trajectory.ts) and the fused basin kernel (src/engine/basin.ts). Both
 * follow exactly the same rules, in the same order, with the same floating-point operations, so a
 * pixel of a map and the trajectory of that start agree.
 *
 * GD: θ_{k+1} = θ_k − η ∇f(θ_k) (the update is pluggable: src/engine/update.ts). For
 * k = 0, 1, …, maxSteps, at the iterate θ_k:
 *
 * 0. **Loss increase** (k ≥ 1): the step θ_{k−1} → θ_k counts as an increase when
 *      f(θ_k) − f(θ_{k−1}) > roundoffGuard · (|f(θ_{k−1})| + T),
 *    where T ("term scale") is the size of the terms of f at the minima: f evaluated with every
 *    operation replaced by its magnitude (|a|+|b| for a±b, |a|·|b| for a·b, …), maximised over
 *    the strict minima and the semidefinite degenerate critical points (points of a set of
 *    minima, e.g. on xy = 1 for (1 − xy)², where f = 0 is computed as 1 − xy squared and carries
 *    the round-off of 1 and xy). It is the size of the round-off f carries when its terms cancel
 *    (f3 at (1,1) is 1+1−3+1 = 0 but carries round-off of ~6·2⁻⁵²). T = 0 for f1 and f2 at
 *    (0,0), where the relative test alone is right. Default roundoffGuard = 1e-12 (≈ 4500 ulps).
 *    Increases are counted even for the step that enters a certified set.
 * 1. **converged(j)**: θ_k is in the certified set U_j = {‖θ−θ*_j‖ < t′, f(θ) < c} of minimum j
 *    (Theorem 2; from then on descent is guaranteed, so the classification is final), or, when
 *    no certificate could be built for j, ‖θ_k − θ*_j‖ < fallbackTolerance (default 1e-6).
 *    Minima are tested in index order; the first hit wins. The outcome is `stable(j)` when no
 *    increase was counted, `unstable(j)` otherwise.
 * 2. **diverged**: f(θ_k) is not finite (NaN or ±∞ — e.g. f is undefined there: log of a
 *    negative number), or ‖θ_k‖ > escapeRadius (default 1e6, far outside any plotted domain; an
 *    escaping polynomial trajectory overflows a few steps later anyway). A NaN coordinate counts
 *    as diverged.
 * 3. **stall**: θ_k is numerically stationary away from every listed minimum: the step length
 *    η‖∇f(θ_k)‖ < STATIONARY_STEP · √(1 + ‖θ_k‖²) (STATIONARY_STEP = 1e-12). What it stalled at is
 *    decided from the Hessian there (src/engine/stall.ts):
 *    - a minimum — a point of a non-isolated set of minima (flat directions along which f does
 *      not decrease: xy = 1 of (1 − xy)², f3's axes beyond |x| = √3) or an isolated minimum the
 *      search did not list: convergence, `stable` / `unstable` exactly as in 1, with minimum code
 *      −2 (set) or −3 (unlisted) and the sharpness λ_max(∇²f(θ_k)) at the point reached;
 *    - otherwise (negative curvature, or a flat direction along which f decreases) **other**: GD
 *      has converged to a saddle, a maximum or a degenerate non-minimum (f4's saddle (0, 0) from
 *      starts on its stable manifold x = −y).
 * 4. **maxSteps reached** (k = maxSteps, default 2000) without 1–3: the last iterates decide
 *    (src/engine/orbits.ts): **cycle(p)** (period 2 ≤ p ≤ 64, return distance ≤ 1e-6 relative),
 *    else **still descending** (loss maxima over 8 segments of the last 256 iterates strictly
 *    falling), else **not converged** (barely moving without measurable descent, or drifting
 *    away), else **bounded aperiodic** (chaotic or quasi-periodic).
 * Otherwise GD steps on.
 *
 * The two counts every output reports, with one definition each:
 * - **steps** = the index k of the iterate θ_k at which the outcome was decided — the number of
 *   GD updates made before the decision (maxSteps for classes 1, 5, 6, 7). Iterates a trajectory
 *   records after the decision (its drawing tail) are not steps.
 * - **K** = the index k of the last loss increase (f(θ_k) > f(θ_{k−1}) beyond the guard), 0 when
 *   there was none. From θ_K on the loss falls at every step up to the decision; for a converged
 *   start θ_K is the first iterate of the trajectory in U_η (the paper's Theorem 3: the loss
 *   oscillates on θ_0 … θ_K, the unstable phase, and K ≤ steps always).
 */
import { FUNCTION_IMPL } from './expr';
import type { Box, ClassifyOptions, CompiledObjective, CriticalPoint, Expr } from './types';

/**
 * The part of an AnalyzedProblem (src/engine/analyze.ts) the dynamics need. An AnalyzedProblem
 * is one; tests may build one by hand.
 */
export interface DynamicsProblem {
  readonly compiled: CompiledObjective;
  /** strict minima; "minimum index j" is an index into this array */
  readonly minima: readonly CriticalPoint[];
  readonly domain: Box;
  /** all critical points found (the semidefinite degenerate ones enter the term scale T) */
  readonly criticalPoints?: readonly CriticalPoint[];
}

/** The documented defaults (see the module comment for what each one means). */
export const DEFAULT_CLASSIFY: ClassifyOptions = Object.freeze({
  maxSteps: 2000,
  roundoffGuard: 1e-12,
  escapeRadius: 1e6,
  fallbackTolerance: 1e-6,
});

/** Relative step length below which a non-minimum iterate counts as stationary ("other"). */
export const STATIONARY_STEP = 1e-12;

/** Fills in defaults and validates; throws a RangeError naming the bad option. */
export function resolveClassifyOptions(options?: Partial<ClassifyOptions>): ClassifyOptions {
  const o: ClassifyOptions = { ...DEFAULT_CLASSIFY };
  if (options) {
    for (const key of ['maxSteps', 'roundoffGuard', 'escapeRadius', 'fallbackTolerance'] as const) {
      const v = options[key];
      if (v !== undefined) o[key] = v;
    }
  }
  if (!Number.isInteger(o.maxSteps) || o.maxSteps < 0 || o.maxSteps > 1e8) {
    throw new RangeError(`maxSteps must be a whole number from 0 to 100000000, got ${o.maxSteps}`);
  }
  if (!(o.roundoffGuard >= 0 && o.roundoffGuard < 1)) throw new RangeError(`roundoffGuard must be in [0, 1), got ${o.roundoffGuard}`);
  if (!(o.escapeRadius > 0)) throw new RangeError(`escapeRadius must be positive, got ${o.escapeRadius}`);
  if (!(o.fallbackTolerance > 0)) throw new RangeError(`fallbackTolerance must be positive, got ${o.fallbackTolerance}`);
  return o;
}

/** Validates a learning rate (throws a RangeError). */
export function checkEta(eta: number): void {
  if (!(eta > 0) || !Number.isFinite(eta)) throw new RangeError(`learning rate η must be a positive number, got ${eta}`);
}

/**
 * Magnitude of the terms of e at x: e evaluated with every operation replaced by its absolute
 * size (|a|+|b| for a±b, |a|·|b| for a·b, |a/b| for a/b, |value| for powers and functions).
 */
export function termMagnitude(e: Expr, x: ArrayLike<number>): number {
  const memo = new Map<Expr, { value: number; size: number }>();
  const walk = (n: Expr): { value: number; size: number } => {
    const hit = memo.get(n);
    if (hit) return hit;
    let r: { value: number; size: number };
    switch (n.k) {
      case 'num':
        r = { value: n.v, size: Math.abs(n.v) };
        break;
      case 'var':
        r = { value: x[n.i], size: Math.abs(x[n.i]) };
        break;
      case 'neg': {
        const a = walk(n.a);
        r = { value: -a.value, size: a.size };
        break;
      }
      case 'add':
      case 'sub': {
        const a = walk(n.a);
        const b = walk(n.b);
        r = { value: n.k === 'add' ? a.value + b.value : a.value - b.value, size: a.size + b.size };
        break;
      }
      case 'mul': {
        const a = walk(n.a);
        const b = walk(n.b);
        r = { value: a.value * b.value, size: a.size * b.size };
        break;
      }
      case 'div': {
        const a = walk(n.a);
        const b = walk(n.b);
        r = { value: a.value / b.value, size: Math.abs(a.size / b.value) };
        break;
      }
      case 'pow': {
        const a = walk(n.a);
        const b = walk(n.b);
        const v = Math.pow(a.value, b.value);
        r = { value: v, size: Math.abs(Math.pow(a.size, b.value)) };
        break;
      }
      case 'call': {
        const a = walk(n.a);
        const v = FUNCTION_IMPL[n.fn](a.value);
        r = { value: v, size: Math.abs(v) };
        break;
      }
    }
    memo.set(n, r);
    return r;
  };
  return walk(e).size;
}

/** T of the loss-increase test: the largest term magnitude of f over the minima and the semidefinite degenerate points (0 if none). */
export function termScale(problem: DynamicsProblem): number {
  let t = 0;
  const points = [...problem.minima, ...(problem.criticalPoints ?? []).filter((c) => c.kind === 'degenerate' && c.semidefinite)];
  for (const m of points) {
    const s = termMagnitude(problem.compiled.ir.f, m.point);
    if (Number.isFinite(s) && s > t) t = s;
  }
  return t;
}

/** The loss-increase rule (step 0 of the contract): does fNext exceed fPrev beyond round-off? */
export function isIncrease(fPrev: number, fNext: number, roundoffGuard: number, scale: number): boolean {
  return fNext - fPrev > roundoffGuard * Math.abs(fPrev) + roundoffGuard * scale;
}
