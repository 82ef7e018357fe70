/**
 * How an orbit of the orbit diagram is told apart (pure helpers of orbit.ts): its period, slow
 * geometric convergence, convergence to a degenerate minimum, monotone descent, the nearest
 * minimum. Definitions in orbit.ts's module comment.
 */
import type { DynamicsProblem } from '../classify';
import { eigen2x2, symmetricEigenvalues } from '../linalg';

/** Smallest period p ≤ maxPeriod of the recorded window (‖θ_{k+p} − θ_k‖_∞ ≤ tol·(1 + ‖θ_k‖_∞) for all k), 0 if none. */
export function findPeriod(window: Float64Array, keep: number, n: number, maxPeriod: number, tol: number): number {
  for (let p = 1; p <= maxPeriod; p++) {
    let ok = true;
    for (let k = keep - 1 - p; k >= 0 && ok; k--) {
      let scale = 0;
      let diff = 0;
      for (let i = 0; i < n; i++) {
        const a = window[k * n + i];
        scale = Math.max(scale, Math.abs(a));
        diff = Math.max(diff, Math.abs(window[(k + p) * n + i] - a));
      }
      if (!(diff <= tol * (1 + scale))) ok = false;
    }
    if (ok) return p;
  }
  return 0;
}

/**
 * The minimum a contracting orbit is still creeping towards, or −1: with d_k the distance of the
 * recorded iterates to the minimum nearest the last one and m₁ > m₂ > m₃ the largest d_k in the
 * window's three thirds, the decay must be geometric towards 0 — Aitken's limit
 * (m₁m₃ − m₂²)/(m₁ + m₃ − 2m₂) within 5% of m₃ — not towards a cycle around the minimum.
 */
export function slowlyConvergingTo(window: Float64Array, keep: number, n: number, minima: DynamicsProblem['minima']): number {
  if (keep < 6 || minima.length === 0) return -1;
  const at = (k: number, i: number): number => window[k * n + i];
  let j = -1;
  let best = Infinity;
  minima.forEach((m, q) => {
    let d2 = 0;
    for (let i = 0; i < n; i++) d2 += (at(keep - 1, i) - m.point[i]) ** 2;
    if (d2 < best) {
      best = d2;
      j = q;
    }
  });
  const target = minima[j].point;
  const third = Math.floor(keep / 3);
  const m = [0, 1, 2].map((t) => {
    let top = 0;
    for (let k = t * third; k < (t + 1) * third; k++) {
      let d2 = 0;
      for (let i = 0; i < n; i++) d2 += (at(k, i) - target[i]) ** 2;
      top = Math.max(top, Math.sqrt(d2));
    }
    return top;
  });
  if (!(m[0] > m[1] && m[1] > m[2] && m[2] > 0 && m[2] < 0.99 * m[0])) return -1;
  const denominator = m[0] + m[2] - 2 * m[1];
  if (!(denominator > 0)) return -1;
  const limit = (m[0] * m[2] - m[1] * m[1]) / denominator;
  return Math.abs(limit) <= 0.05 * m[2] ? j : -1;
}

/** Is the Hessian at x positive semidefinite (up to round-off)? A degenerate minimum or a point of a set of minima. */
export function isMinimumLike(compiled: DynamicsProblem['compiled'], x: readonly number[], h: Float64Array): boolean {
  const n = compiled.n;
  compiled.hessian(x, h);
  const ev = n === 1 ? [h[0]] : n === 2 ? eigen2x2(h[0], h[1], h[3]) : Array.from(symmetricEigenvalues(h, n));
  const lo = Math.min(...ev);
  const hi = Math.max(...ev.map(Math.abs));
  return lo >= -1e-8 * Math.max(1, hi);
}

/** Does the recorded loss fall at every recorded step? */
export function isDescending(values: Float64Array, base: number, channels: number, keep: number): boolean {
  for (let k = 1; k < keep; k++) if (!(values[base + k * channels] < values[base + (k - 1) * channels])) return false;
  return keep > 1;
}

export function nearestMinimum(point: readonly number[], minima: DynamicsProblem['minima'], tol: number): number {
  let best = -1;
  let bestDistance = Infinity;
  minima.forEach((m, j) => {
    let d2 = 0;
    let c2 = 0;
    for (let i = 0; i < point.length; i++) {
      d2 += (point[i] - m.point[i]) ** 2;
      c2 += m.point[i] ** 2;
    }
    const d = Math.sqrt(d2);
    if (d <= tol * (1 + Math.sqrt(c2)) && d < bestDistance) {
      best = j;
      bestDistance = d;
    }
  });
  return best;
}
