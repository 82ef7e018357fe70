/**
 * What a start has converged to when GD stalls away from every listed minimum (classify.ts,
 * rule 3): the step η‖∇f(θ_k)‖ is numerically zero, so θ_k is a stationary point. Which kind?
 *
 * GD stalls within ~1e-12 (relative) of the stationary point, not within round-off, so θ_k is
 * first moved onto the stationary set nearby (refineStationary: least-squares Newton steps on
 * ∇f = 0, a move of ~1e-12). With the Hessian there and its round-off zero tolerance
 * (stationary.ts):
 * - an eigenvalue below −tolerance: negative curvature — a saddle or a maximum: **other**;
 * - all eigenvalues above tolerance: an isolated strict minimum the search did not list:
 *   converged, minimum code {@link MinimumCode.Unlisted} (−3);
 * - some eigenvalues within the tolerance of 0 (flat directions): probe f at θ ± r·v along each
 *   flat eigenvector v, r = {@link PROBE_RELATIVE} × the smallest domain width. If f drops below
 *   f(θ) by more than the round-off of the two evaluations (× STATIONARY_SAFETY), θ is not a
 *   minimum (x³ + y² stalls near x = 0): **other**. Otherwise θ is a point of a non-isolated set
 *   of minima (the curve xy = 1 of (1 − xy)², a flat valley): converged, minimum code
 *   {@link MinimumCode.Set} (−2).
 * For converged stalls the sharpness λ_max(∇²f(θ_k)) at the point reached is reported too
 * (2(x² + y²) on xy = 1): the "sharpness at the limit point" map layer.
 */
import type { DynamicsProblem } from './classify';
import { boundedValue, checkPoint, refineStationary, STATIONARY_SAFETY } from './stationary';
import { MinimumCode } from './types';

/** probe radius along flat directions, relative to the smallest domain width */
export const PROBE_RELATIVE = 1e-3;

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
  const probe = new Float64Array(n);
  const point = new Float64Array(n);
  return (at, out) => {
    out[0] = MinimumCode.None;
    out[1] = NaN;
    point.set(at);
    refineStationary(obj, point);
    const c = checkPoint(obj, point, true);
    if (!c || c.eigenvalues[0] < -c.zeroTolerance) return;
    const lambdaMax = c.eigenvalues[n - 1];
    let flat = false;
    for (let j = 0; j < n; j++) {
      if (Math.abs(c.eigenvalues[j]) > c.zeroTolerance) continue;
      flat = true;
      for (const sign of [-1, 1]) {
        for (let i = 0; i < n; i++) probe[i] = point[i] + sign * r * c.eigenvectors[i * n + j];
        const p = boundedValue(obj, probe);
        if (!Number.isFinite(p.value)) continue;
        if (c.value - p.value > STATIONARY_SAFETY * (c.valueError + p.error)) return;
      }
    }
    out[0] = flat ? MinimumCode.Set : MinimumCode.Unlisted;
    out[1] = lambdaMax;
  };
}
