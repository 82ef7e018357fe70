/**
 * What a start is doing when maxSteps is reached without a decision: the classification of the
 * last iterates (classify.ts, rule 4). The kernel records θ_k and f(θ_k) for the last
 * {@link TAIL_WINDOW} steps (k = maxSteps − W + 1 … maxSteps; all of them when maxSteps is
 * smaller) and hands them here. With m recorded iterates X_0 … X_{m−1}, F_0 … F_{m−1}, and the
 * scale s_k = 1 + ‖X_k‖∞:
 *
 * 1. **cycle(p)** (class 5): the smallest p in 2 … {@link CYCLE_MAX_PERIOD} with
 *    ‖X_{k+p} − X_k‖∞ ≤ {@link CYCLE_TOLERANCE} · s_k for every pair k, k+p inside the last
 *    min(m, 2·64) iterates (so the orbit has repeated at least once within the tolerance), while
 *    p = 1 fails (the iterates still move: some ‖X_{k+1} − X_k‖∞ > CYCLE_TOLERANCE · s_k).
 * 2. **still descending** (class 7): the last m iterates, cut into S = min(8, ⌊m/2⌋) equal
 *    segments, have strictly decreasing loss maxima (max F over segment i+1 < max over segment i):
 *    the loss is still falling (a slow creep along a valley, sublinear convergence to a flat
 *    minimum, an orbit still settling). For a stationary chaotic sequence this happens by chance
 *    with probability 1/S! = 1/40320.
 * 3. **not converged** (class 1), what remains of the old bucket: the iterates barely move
 *    (p = 1 passes: ‖X_{k+1} − X_k‖∞ ≤ CYCLE_TOLERANCE · s_k throughout) without a measurable
 *    loss decrease, or they drift away — the segment maxima of ‖X‖∞ increase strictly over the S
 *    segments (a repelling orbit escaping too slowly to pass the escape radius yet; again 1/S! by
 *    chance).
 * 4. **bounded aperiodic** (class 6): anything else — still moving, not periodic with p ≤ 64, not
 *    descending, not escaping: chaotic or quasi-periodic (trajectory output adds a finite-time
 *    Lyapunov exponent).
 */
import { PixelClass } from './types';

/** iterates recorded before maxSteps for this classification */
export const TAIL_WINDOW = 256;
/** longest period detected */
export const CYCLE_MAX_PERIOD = 64;
/** relative (max-norm, scale 1 + ‖θ‖∞) return distance of a cycle */
export const CYCLE_TOLERANCE = 1e-6;
/** segments of the loss-maxima test */
export const DESCENT_SEGMENTS = 8;

/** Does X_{k+p} return within tolerance of X_k for every pair in the last `span` iterates? */
function returns(tb: Float64Array, m: number, n: number, p: number, span: number): boolean {
  for (let k = m - span; k + p < m; k++) {
    let scale = 0;
    let dist = 0;
    for (let i = 0; i < n; i++) {
      const a = tb[k * n + i];
      scale = Math.max(scale, Math.abs(a));
      dist = Math.max(dist, Math.abs(tb[(k + p) * n + i] - a));
    }
    if (!(dist <= CYCLE_TOLERANCE * (1 + scale))) return false;
  }
  return true;
}

function segmentMaxima(m: number, segments: number, value: (k: number) => number): number[] {
  const out: number[] = [];
  const len = Math.floor(m / segments);
  const start = m - len * segments;
  for (let s = 0; s < segments; s++) {
    let best = -Infinity;
    for (let k = start + s * len; k < start + (s + 1) * len; k++) best = Math.max(best, value(k));
    out.push(best);
  }
  return out;
}

function strictlyDecreasing(v: readonly number[]): boolean {
  for (let i = 1; i < v.length; i++) if (!(v[i] < v[i - 1])) return false;
  return v.length >= 2;
}

/**
 * Classifies the recorded tail (module comment): returns the class code, and the period in
 * out[0] (0 unless a cycle). `tb` holds m·n coordinates, `tf` m losses, oldest first.
 */
export function classifyTail(tb: Float64Array, tf: Float64Array, m: number, n: number, out: Float64Array): number {
  out[0] = 0;
  if (m < 2) return PixelClass.NotConverged;
  const span = Math.min(m, 2 * CYCLE_MAX_PERIOD);
  const still = returns(tb, m, n, 1, span);
  if (!still) {
    for (let p = 2; p <= CYCLE_MAX_PERIOD && 2 * p <= span; p++) {
      if (returns(tb, m, n, p, span)) {
        out[0] = p;
        return PixelClass.Cycle;
      }
    }
  }
  const segments = Math.min(DESCENT_SEGMENTS, Math.floor(m / 2));
  if (strictlyDecreasing(segmentMaxima(m, segments, (k) => tf[k]))) return PixelClass.StillDescending;
  if (still) return PixelClass.NotConverged;
  const radius = segmentMaxima(m, segments, (k) => {
    let r = 0;
    for (let i = 0; i < n; i++) r = Math.max(r, Math.abs(tb[k * n + i]));
    return r;
  });
  const growing = radius.length >= 2 && radius.every((r, i) => i === 0 || r > radius[i - 1]);
  return growing ? PixelClass.NotConverged : PixelClass.BoundedAperiodic;
}
