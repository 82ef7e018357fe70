/**
 * What floating point can tell about a point: is it stationary, and which Hessian eigenvalues
 * are distinguishable from zero? Both questions are answered against running error bounds of the
 * evaluation itself (src/engine/roundoff.ts), not against fixed relative cuts:
 *
 * - **Verified stationarity.** x is stationary when ‖∇f(x)‖ ≤ S · ‖E_g + |∇²f(x)|·(u|x| + 2⁻¹⁰⁷⁴)‖,
 *   where E_g bounds the round-off of evaluating ∇f at x and the second term is the gradient
 *   change caused by rounding x itself to doubles (the best double near a true root cannot do
 *   better). S = {@link STATIONARY_SAFETY}. A residual above that cannot be explained by
 *   round-off: the point is not a root of ∇f, however small ‖∇f‖ looks against the window.
 * - **Degeneracy.** An eigenvalue λ of the computed Hessian is "zero" when
 *   |λ| ≤ S · (‖E_H‖_F + n·u·‖∇²f‖_F): Weyl's theorem bounds the eigenvalue change by ‖E‖₂ ≤ ‖E‖_F
 *   for the entries' round-off E_H, and the Jacobi solver adds a few ulps of ‖∇²f‖. So
 *   x² + 10⁸y² is a strict minimum (eigenvalues 2 and 2·10⁸, both far above ~10⁻⁷), while an
 *   exactly flat direction, or a curvature that underflows, is degenerate.
 * - **Finite threshold.** A strict minimum must also have a finite, positive 2/λ_max.
 * - **Resolution.** A nondegenerate stationary point is known to within
 *   r = (residual bound)/|λ|_min (the Newton distance to the true root); two points closer than
 *   their resolutions plus a few ulps are the same point, at any scale (even subnormal windows).
 */
import { BoundedProgram, scaledNorm, UNIT_ROUNDOFF } from './roundoff';
import { choleskySolve, eigenScratch, symmetricEigenInto, type EigenScratch } from './linalg';
import type { CompiledObjective, CriticalKind, CriticalPoint } from './types';

/** Safety factor on every round-off bound of this module. */
export const STATIONARY_SAFETY = 8;

export interface PointCheck {
  value: number;
  /** round-off bound of f at the point */
  valueError: number;
  gradient: Float64Array;
  gradientNorm: number;
  /** ‖∇f‖ at or below this is round-off (the verified-stationarity bound) */
  gradientBound: number;
  stationary: boolean;
  hessian: Float64Array;
  /** ascending */
  eigenvalues: Float64Array;
  /** unit eigenvectors as columns (n×n row-major) when asked for, else empty */
  eigenvectors: Float64Array;
  /** |λ| at or below this cannot be told from 0 */
  zeroTolerance: number;
  kind: CriticalKind;
  /** degenerate with no eigenvalue below −zeroTolerance (a candidate for a non-isolated minimum) */
  semidefinite: boolean;
  /** distance within which the true stationary point lies (∞ when degenerate) */
  resolution: number;
}

interface BoundedObjective {
  program: BoundedProgram;
  upper: { i: number; j: number }[];
  values: Float64Array;
  errors: Float64Array;
}

const programs = new WeakMap<CompiledObjective, BoundedObjective>();

/** f, ∇f and the Hessian's upper triangle as one running-error program (cached per objective). */
function boundedObjective(obj: CompiledObjective): BoundedObjective {
  let b = programs.get(obj);
  if (!b) {
    const n = obj.n;
    const upper: { i: number; j: number }[] = [];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) upper.push({ i, j });
    const program = new BoundedProgram([obj.ir.f, ...obj.ir.grad, ...upper.map(({ i, j }) => obj.ir.hess[i][j])]);
    const count = 1 + n + upper.length;
    b = { program, upper, values: new Float64Array(count), errors: new Float64Array(count) };
    programs.set(obj, b);
  }
  return b;
}

const valuePrograms = new WeakMap<CompiledObjective, { program: BoundedProgram; values: Float64Array; errors: Float64Array }>();

/** f at x and its round-off bound (from the IR of f alone). */
export function boundedValue(obj: CompiledObjective, x: ArrayLike<number>): { value: number; error: number } {
  const value = boundedValueInto(obj, x, BOUND_OUT);
  return { value, error: BOUND_OUT[0] };
}
const BOUND_OUT = new Float64Array(1);

/** {@link boundedValue} without allocating: returns f at x and writes its round-off bound into error[0]. */
export function boundedValueInto(obj: CompiledObjective, x: ArrayLike<number>, error: Float64Array): number {
  let b = valuePrograms.get(obj);
  if (!b) {
    b = { program: new BoundedProgram([obj.ir.f]), values: new Float64Array(1), errors: new Float64Array(1) };
    valuePrograms.set(obj, b);
  }
  b.program.run(x, b.values, b.errors);
  error[0] = b.errors[0];
  return b.values[0];
}

/**
 * Buffers of repeated checks at points of one objective ({@link checkPointInto}): the result
 * object and every array in it are reused, so a caller that checks many points (the stall
 * classifier of a basin map) does not allocate per call.
 */
export interface PointCheckScratch {
  readonly n: number;
  readonly wantVectors: boolean;
  readonly gradientErrors: Float64Array;
  readonly hessErrors: Float64Array;
  readonly eigen: EigenScratch;
  readonly result: PointCheck;
}

export function pointCheckScratch(n: number, wantVectors: boolean): PointCheckScratch {
  const eigen = eigenScratch(n, wantVectors);
  return {
    n,
    wantVectors,
    gradientErrors: new Float64Array(n),
    hessErrors: new Float64Array(n * n),
    eigen,
    result: {
      value: NaN, valueError: NaN, gradient: new Float64Array(n), gradientNorm: NaN, gradientBound: NaN, stationary: false, hessian: new Float64Array(n * n),
      eigenvalues: eigen.values, eigenvectors: eigen.vectors, zeroTolerance: NaN, kind: 'degenerate', semidefinite: false, resolution: Infinity,
    },
  };
}

/** Evaluates f, ∇f, ∇²f and their round-off bounds at x and answers the questions above; null if not finite. */
export function checkPoint(obj: CompiledObjective, x: ArrayLike<number>, wantVectors = false): PointCheck | null {
  return checkPointInto(obj, x, pointCheckScratch(obj.n, wantVectors));
}

/**
 * {@link checkPoint} into `s` (made by pointCheckScratch(n, wantVectors)): the very same
 * operations; returns s.result (overwritten by the next call with `s`) or null.
 */
export function checkPointInto(obj: CompiledObjective, x: ArrayLike<number>, s: PointCheckScratch): PointCheck | null {
  const n = obj.n;
  if (s.n !== n) throw new Error(`checkPoint: scratch for ${s.n} variables, objective of ${n}`);
  const out = s.result;
  const { gradient, hessian } = out;
  const value = obj.valueAndGradient(x, gradient);
  obj.hessian(x, hessian);
  if (!Number.isFinite(value)) return null;
  for (let i = 0; i < n; i++) if (!Number.isFinite(gradient[i])) return null;
  for (let i = 0; i < n * n; i++) if (!Number.isFinite(hessian[i])) return null;

  const bounded = boundedObjective(obj);
  bounded.program.run(x, bounded.values, bounded.errors);
  const errors = bounded.errors;
  const gradientErrors = s.gradientErrors;
  for (let i = 0; i < n; i++) {
    let rounded = errors[1 + i];
    for (let j = 0; j < n; j++) rounded += Math.abs(hessian[i * n + j]) * (UNIT_ROUNDOFF * Math.abs(x[j]) + Number.MIN_VALUE);
    gradientErrors[i] = rounded;
  }
  const gradientBound = STATIONARY_SAFETY * scaledNorm(gradientErrors);
  const gradientNorm = scaledNorm(gradient);
  const hessErrors = s.hessErrors;
  const upper = bounded.upper;
  for (let k = 0; k < upper.length; k++) {
    const { i, j } = upper[k];
    hessErrors[i * n + j] = hessErrors[j * n + i] = errors[1 + n + k];
  }
  const eigenvalues = symmetricEigenInto(hessian, n, s.wantVectors, s.eigen).values;
  const zeroTolerance = STATIONARY_SAFETY * (scaledNorm(hessErrors) + n * UNIT_ROUNDOFF * scaledNorm(hessian));
  const lambdaMin = eigenvalues[0];
  const lambdaMax = eigenvalues[n - 1];
  let kind: CriticalKind;
  let flat = false;
  for (let i = 0; i < n; i++) if (!(Math.abs(eigenvalues[i]) > zeroTolerance)) flat = true;
  if (flat) kind = 'degenerate';
  else if (lambdaMin > 0) kind = Number.isFinite(2 / lambdaMax) ? 'minimum' : 'degenerate';
  else if (lambdaMax < 0) kind = 'maximum';
  else kind = 'saddle';
  let smallest = Infinity;
  for (let i = 0; i < n; i++) smallest = Math.min(smallest, Math.abs(eigenvalues[i]));
  out.value = value;
  out.valueError = errors[0];
  out.gradientNorm = gradientNorm;
  out.gradientBound = gradientBound;
  out.stationary = gradientNorm <= gradientBound;
  out.zeroTolerance = zeroTolerance;
  out.kind = kind;
  out.semidefinite = kind === 'degenerate' && lambdaMin >= -zeroTolerance;
  out.resolution = kind === 'degenerate' ? Infinity : (gradientNorm + gradientBound) / smallest;
  return out;
}

/** The CriticalPoint of a checked point. */
export function toCriticalPoint(x: ArrayLike<number>, c: PointCheck): CriticalPoint {
  const n = c.eigenvalues.length;
  const cp: CriticalPoint = {
    kind: c.kind,
    point: Array.from(x),
    value: c.value,
    eigenvalues: Array.from(c.eigenvalues),
    lambdaMin: c.eigenvalues[0],
    lambdaMax: c.eigenvalues[n - 1],
    etaMax: c.kind === 'minimum' ? 2 / c.eigenvalues[n - 1] : null,
    gradientNorm: c.gradientNorm,
    gradientBound: c.gradientBound,
  };
  if (c.kind !== 'degenerate') cp.resolution = c.resolution;
  if (c.semidefinite) cp.semidefinite = true;
  return cp;
}

/** A few ulps of the larger coordinate, plus the smallest subnormal. */
function ulps(a: number, b: number): number {
  return 4 * UNIT_ROUNDOFF * 2 * Math.max(Math.abs(a), Math.abs(b)) + 4 * Number.MIN_VALUE;
}

/** Two nondegenerate stationary points closer than their resolutions (plus ulps) are one. */
export function samePoint(a: ArrayLike<number>, ra: number, b: ArrayLike<number>, rb: number): boolean {
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= ra + rb + ulps(a[i], b[i]))) return false;
  }
  return true;
}

const KIND_ORDER: Record<CriticalKind, number> = { minimum: 0, saddle: 1, maximum: 2, degenerate: 3 };

function lexCompare(p: ArrayLike<number>, q: ArrayLike<number>): number {
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i] - q[i];
  return 0;
}

/** Output order: kind (minimum, saddle, maximum, degenerate), then f, then coordinates. */
export function compareCriticalPoints(a: CriticalPoint, b: CriticalPoint): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.value - b.value || lexCompare(a.point, b.point);
}

interface RefineScratch {
  g: Float64Array;
  h: Float64Array;
  a: Float64Array;
  rhs: Float64Array;
  d: Float64Array;
  trial: Float64Array;
  gTrial: Float64Array;
  work: Float64Array;
}
const scratch = new Map<number, RefineScratch>();
/** Buffers of refineStationary per dimension (single-threaded use: one call at a time). */
function scratchFor(n: number): RefineScratch {
  let s = scratch.get(n);
  if (!s) {
    s = {
      g: new Float64Array(n), h: new Float64Array(n * n), a: new Float64Array(n * n), rhs: new Float64Array(n),
      d: new Float64Array(n), trial: new Float64Array(n), gTrial: new Float64Array(n), work: new Float64Array(n * n),
    };
    scratch.set(n, s);
  }
  return s;
}

/**
 * Moves x (in place) onto the stationary set nearby: up to `steps` Levenberg–Marquardt steps on
 * ∇f = 0, d = −(H² + μI)⁻¹ H ∇f with μ = 1e-12·‖H‖²_F (the least-squares Newton step, defined
 * where H is singular along a set of critical points), each accepted only while ‖∇f‖ decreases.
 * A GD iterate that has stalled within ~1e-12 of a curve of minima ends within round-off of it,
 * where the Hessian's flat eigenvalue is round-off too. Returns the final ‖∇f‖.
 */
export function refineStationary(obj: CompiledObjective, x: Float64Array, steps = 8): number {
  const n = obj.n;
  const { g, h, a, rhs, d, trial, gTrial, work } = scratchFor(n);
  if (!Number.isFinite(obj.valueAndGradient(x, g))) return NaN;
  let gn = scaledNorm(g);
  for (let it = 0; it < steps && gn > 0; it++) {
    obj.hessian(x, h);
    const hn = scaledNorm(h);
    if (!(hn > 0) || !Number.isFinite(hn)) break;
    // scaled by 1/‖H‖ and 1/‖g‖ against overflow and underflow
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let k = 0; k < n; k++) r += (h[i * n + k] / hn) * (g[k] / gn);
      rhs[i] = -r;
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += (h[i * n + k] / hn) * (h[j * n + k] / hn);
        a[i * n + j] = a[j * n + i] = s;
      }
    }
    for (let i = 0; i < n; i++) a[i * n + i] += 1e-12;
    if (!choleskySolve(a, rhs, n, d, work)) break;
    let moved = false;
    for (let i = 0; i < n; i++) {
      trial[i] = x[i] + d[i] * (gn / hn);
      if (trial[i] !== x[i]) moved = true;
    }
    if (!moved) break;
    const f = obj.valueAndGradient(trial, gTrial);
    const next = scaledNorm(gTrial);
    if (!Number.isFinite(f) || !(next < gn)) break;
    x.set(trial);
    g.set(gTrial);
    gn = next;
  }
  return gn;
}
