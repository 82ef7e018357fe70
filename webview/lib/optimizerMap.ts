/**
 * What another optimizer than GD puts on the map, pure (no DOM): the momentum certificate's
 * region cut by the map's slice at zero velocity (an ellipse, from MomentumCertificate.slice), and
 * the legend's words for what is certified under each optimizer (Theorem 2's circles are GD's).
 */
import type { OptimizerAnalysis } from '../../src/engine/optimizers/analysis';
import type { MomentumCertificate } from '../../src/engine/optimizers/lyapunov';
import { isAdaptive, OPTIMIZER_TITLES, type OptimizerSpec } from '../../src/engine/optimizers/spec';
import { etaMax, etaMaxRule, pointEtaMax } from '../../src/engine/optimizers/thresholds';
import { fmt } from './format';

/** A closed outline in map coordinates [x0, y0, x1, y1, …] and its centre. */
export interface RegionOutline {
  minimum: number;
  cx: number;
  cy: number;
  /** the outline's points, in order (the last joins the first) */
  points: Float64Array;
  /** the longer semi-axis, in map units */
  radius: number;
}

/** Points on an outline. */
export const OUTLINE_POINTS = 72;

/**
 * The momentum certificate's region {θ : (θ − θ̃)ᵀS(θ − θ̃) < level} (S = the certificate's
 * zero-velocity slice) on the map's plane θ = base with θ[ax] = x, θ[ay] = y: an ellipse, or null
 * when the plane misses the region (or the map has one axis).
 */
export function momentumRegionInSlice(cert: Pick<MomentumCertificate, 'minimum' | 'center' | 'slice' | 'level'>, base: readonly number[], axes: readonly [number, number]): RegionOutline | null {
  const n = cert.center.length;
  const [a, b] = axes;
  if (a === b || a >= n || b >= n || cert.slice.length !== n * n || !(cert.level > 0)) return null;
  const S = (i: number, j: number): number => (cert.slice[i * n + j] + cert.slice[j * n + i]) / 2;
  // d = d0 + u·e_a + w·e_b, d0 the offset of the plane from the centre in the other coordinates
  const d0 = cert.center.map((c, i) => (i === a || i === b ? 0 : base[i] - c));
  const lin = (i: number): number => d0.reduce((sum, dj, j) => sum + S(i, j) * dj, 0);
  const q0 = d0.reduce((sum, di, i) => sum + di * lin(i), 0);
  const A11 = S(a, a), A12 = S(a, b), A22 = S(b, b);
  const det = A11 * A22 - A12 * A12;
  if (!(A11 > 0) || !(det > 0)) return null;
  const b1 = lin(a), b2 = lin(b);
  // centre of the ellipse (−A⁻¹b) and its level after completing the square
  const u0 = -(A22 * b1 - A12 * b2) / det;
  const w0 = -(-A12 * b1 + A11 * b2) / det;
  const level = cert.level - q0 - (b1 * u0 + b2 * w0);
  if (!(level > 0)) return null;
  // eigen-decomposition of the 2×2 A: semi-axes √(level/λ) along its eigenvectors
  const mid = (A11 + A22) / 2;
  const rad = Math.sqrt(((A11 - A22) / 2) ** 2 + A12 * A12);
  const l1 = mid + rad, l2 = mid - rad;
  const phi = 0.5 * Math.atan2(2 * A12, A11 - A22);
  const r1 = Math.sqrt(level / l1), r2 = Math.sqrt(level / l2);
  const cx = cert.center[a] + u0, cy = cert.center[b] + w0;
  const points = new Float64Array(2 * OUTLINE_POINTS);
  for (let k = 0; k < OUTLINE_POINTS; k++) {
    const t = (2 * Math.PI * k) / OUTLINE_POINTS;
    const p = r1 * Math.cos(t), q = r2 * Math.sin(t);
    points[2 * k] = cx + p * Math.cos(phi) - q * Math.sin(phi);
    points[2 * k + 1] = cy + p * Math.sin(phi) + q * Math.cos(phi);
  }
  return { minimum: cert.minimum, cx, cy, points, radius: Math.max(r1, r2) };
}

/** Every certified momentum region of an analysis in the map's slice. */
export function momentumOutlines(analysis: OptimizerAnalysis | null, base: readonly number[], axes: readonly [number, number]): RegionOutline[] {
  const out: RegionOutline[] = [];
  for (const c of analysis?.momentumCertificates ?? []) {
    if (!c.ok) continue;
    const outline = momentumRegionInSlice(c.certificate, base, axes);
    if (outline) out.push(outline);
  }
  return out;
}

/** The legend's note on what is certified under another optimizer than GD (at the map's η). */
export function optimizerCertifiedNote(a: OptimizerAnalysis, minimaCount: number): string {
  const name = OPTIMIZER_TITLES[a.spec.name];
  if (a.momentumCertificates) {
    const ok = a.momentumCertificates.filter((c) => c.ok);
    if (ok.length === 0) {
      const why = a.momentumCertificates.find((c) => !c.ok);
      return `no momentum certificate at this η${why && !why.ok ? ` (${why.reason})` : ''}: converged = position and momentum within the tolerance; Theorem 2's circles are for GD`;
    }
    return `dashed ellipses (a ring where one is smaller than a few pixels): the momentum certificate of ${ok.length} of ${minimaCount} minima — ${name}'s certified Lyapunov region cut at zero velocity (θ_{k−1} = θ_k); Theorem 2's circles are for GD`;
  }
  const nb = a.neighbourhood;
  if (nb) {
    return `no certified region for ${name}: converged = entered ‖θ − θ*‖ < ${fmt(nb.inner, 3)} (η√n) and stayed within ${fmt(nb.outer, 3)} for ${nb.window} iterates — a convention, not a proof`;
  }
  return `no certified region for ${name} at this η`;
}

/**
 * A minimum's threshold under the panel's optimizer, in words: "η_max = 2/λ_max = 0.5263" (GD),
 * "η_max = 2(1+β)/λ_max = 1" (heavy-ball 0.9); for Adam / RMSProp, which have none, the η below
 * which the iterate can settle at the minimum itself ("settles at θ* only for η < 2.1e-8").
 */
export function minimumThresholdText(lambdaMax: number, spec: OptimizerSpec): string {
  if (isAdaptive(spec)) {
    const point = pointEtaMax(spec, lambdaMax);
    return `no static η_max (${OPTIMIZER_TITLES[spec.name]}); settles at θ* only for η < ${etaMaxRule(spec)} = ${point === null ? '–' : fmt(point)}`;
  }
  const e = etaMax(spec, lambdaMax);
  return `η_max = ${etaMaxRule(spec)} = ${e === null ? '–' : fmt(e)}`;
}
