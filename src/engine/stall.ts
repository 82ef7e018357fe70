/**
 * What a start has converged to when GD stalls away from every listed minimum (classify.ts,
 * rule 3): the step η‖∇f(θ_k)‖ is numerically zero, so θ_k is a stationary point. Which kind?
 *
 * 1. Clear cases first, from the Hessian at θ_k: an eigenvalue below −CLEAR·‖∇²f‖_F is negative
 *    curvature — a saddle or a maximum: **other**; all eigenvalues above +CLEAR·‖∇²f‖_F is an
 *    isolated strict minimum the search did not list: converged, minimum code
 *    {@link MinimumCode.Unlisted} (−3). CLEAR = {@link CLEAR_CURVATURE} = 1e-6 is far above what
 *    the ~1e-12 distance of a stalled iterate from the stationary point can change.
 * 2. Otherwise some eigenvalue is nearly zero. GD stalls within ~1e-12 (relative) of the
 *    stationary point, not within round-off, which can leave a flat eigenvalue of ~1e-12 rather
 *    than ~1e-16; when the Hessian's round-off zero tolerance (stationary.ts) does not already call
 *    it flat, θ_k is moved onto the stationary set nearby (refineStationary: least-squares Newton
 *    steps on ∇f = 0, a move of ~1e-12) and checked again. With the eigenvalues and tolerance there:
 *    - an eigenvalue below −tolerance: **other**; none within the tolerance of 0: an isolated
 *      minimum (−3);
 *    - flat directions: probe f at θ ± r·v along each flat eigenvector v, r =
 *      {@link PROBE_RELATIVE} × the smallest domain width. If f drops below f(θ) by more than the
 *      round-off of the two evaluations (× STATIONARY_SAFETY), θ is not a minimum (x³ + y² stalls
 *      near x = 0): **other**. Otherwise θ is a point of a non-isolated set of minima (the curve
 *      xy = 1 of (1 − xy)², a flat valley, f3's axes beyond |x| = √3): converged, minimum code
 *      {@link MinimumCode.Set} (−2).
 * For converged stalls the sharpness λ_max(∇²f) at the point reached is reported too
 * (2(x² + y²) on xy = 1): the "sharpness at the limit point" map layer.
 */
import type { DynamicsProblem } from './classify';
import { eigen2x2Into, eigenScratch, symmetricEigenInto, type EigenScratch } from './linalg';
import { scaledNorm } from './roundoff';
import { boundedValueInto, checkPointInto, pointCheckScratch, refineStationary, STATIONARY_SAFETY, type PointCheck } from './stationary';
import { MinimumCode } from './types';

/** probe radius along flat directions, relative to the smallest domain width */
export const PROBE_RELATIVE = 1e-3;
/** relative curvature (against ‖∇²f‖_F) beyond which a stall point's kind is clear at once */
export const CLEAR_CURVATURE = 1e-6;

/**
 * A classifier of stall points for one problem: reads θ from `at` (length n) and writes the
 * minimum code into out[0] (−1 other, −2 set of minima, −3 unlisted isolated minimum) and the
 * sharpness λ_max there into out[1] (NaN for other).
 */
export function createStallClassifier(problem: DynamicsProblem): (at: Float64Array, out: Float64Array) => void {
  const obj = problem.compiled;
  const n = obj.n;
  const width = problem.domain.reduce((w, [lo, hi]) => Math.min(w, hi - lo), Infinity);
  const r = PROBE_RELATIVE * (Number.isFinite(width) && width > 0 ? width : 1);
  // scratch of every call: a map classifies thousands of stalls, with no allocation per call
  const probe = new Float64Array(n);
  const point = new Float64Array(n);
  const hess = new Float64Array(n * n);
  const pair = new Float64Array(2);
  const probeError = new Float64Array(1);
  const eigen = n > 2 ? eigenScratch(n, false) : null;
  const checks = pointCheckScratch(n, true);

  /** an eigenvalue within the zero tolerance */
  const hasFlat = (c: PointCheck): boolean => {
    for (let j = 0; j < n; j++) if (Math.abs(c.eigenvalues[j]) <= c.zeroTolerance) return true;
    return false;
  };

  /** the verdict from a checked point: −1 other, −2 set, −3 isolated (after the probes) */
  const decide = (c: PointCheck, at: ArrayLike<number>): number => {
    if (c.eigenvalues[0] < -c.zeroTolerance) return MinimumCode.None;
    let flat = false;
    for (let j = 0; j < n; j++) {
      if (Math.abs(c.eigenvalues[j]) > c.zeroTolerance) continue;
      flat = true;
      for (let sign = -1; sign <= 1; sign += 2) {
        for (let i = 0; i < n; i++) probe[i] = at[i] + sign * r * c.eigenvectors[i * n + j];
        const value = boundedValueInto(obj, probe, probeError);
        if (Number.isFinite(value) && c.value - value > STATIONARY_SAFETY * (c.valueError + probeError[0])) return MinimumCode.None;
      }
    }
    return flat ? MinimumCode.Set : MinimumCode.Unlisted;
  };

  return (at, out) => {
    out[0] = MinimumCode.None;
    out[1] = NaN;
    // 1. clear cases from the Hessian alone
    obj.hessian(at, hess);
    const scale = scaledNorm(hess);
    if (!Number.isFinite(scale)) return;
    let lo: number;
    let hi: number;
    if (n === 1) lo = hi = hess[0];
    else if (n === 2) {
      eigen2x2Into(hess[0], hess[1], hess[3], pair);
      lo = pair[0];
      hi = pair[1];
    } else {
      const ev = symmetricEigenInto(hess, n, false, eigen as EigenScratch).values;
      lo = ev[0];
      hi = ev[n - 1];
    }
    if (lo < -CLEAR_CURVATURE * scale) return;
    if (lo > CLEAR_CURVATURE * scale) {
      out[0] = MinimumCode.Unlisted;
      out[1] = hi;
      return;
    }
    // 2. a nearly flat direction: decide against round-off, on the stationary set nearby if needed
    let c = checkPointInto(obj, at, checks);
    let where: ArrayLike<number> = at;
    if (!c) return;
    if (!hasFlat(c)) {
      point.set(at);
      refineStationary(obj, point);
      c = checkPointInto(obj, point, checks);
      where = point;
      if (!c) return;
    }
    const verdict = decide(c, where);
    out[0] = verdict;
    if (verdict !== MinimumCode.None) out[1] = c.eigenvalues[n - 1];
  };
}
