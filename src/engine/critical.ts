/**
 * Critical points of a compiled objective in a box: deterministic multi-start
 * Levenberg–Marquardt on ∇f = 0 (Jacobian = the exact Hessian), Newton polish,
 * de-duplication and classification from the Hessian eigenvalues.
 *
 * Algorithm (all tolerances are in {@link CRITICAL_TOLERANCES}):
 * 1. Seeds: the box centre, the origin (if in the box), and n ≤ 3 → a jittered grid (one seed
 *    per cell, jitter ±¼ cell, seeded); n ≥ 4 → a Halton sequence with a seeded
 *    Cranley–Patterson shift (criticalSeeds.ts). Default counts in {@link defaultStarts} (what a
 *    count can miss: missedBasinShare). Same seed → same seeds → same result.
 * 2. From each seed, Levenberg–Marquardt on the residual r = ∇f with J = ∇²f:
 *    (H² + μI) d = −H∇f, Nielsen's μ update, at most `maxIterations` steps; iterates may leave
 *    the box (so critical points on its edge are found) but a start is abandoned once it is
 *    two box widths outside or hits a non-finite value. Then up to 8 plain Newton steps
 *    (accepted only while ‖∇f‖ decreases). Up to 20 variables with the dense Hessian
 *    (lmSolver.ts); beyond, matrix-free (krylovSolver.ts: each step by CGLS on ∇²f·v products,
 *    no n×n matrix), where a start also stops once a step moves no coordinate by 1e-13 of the
 *    width (the Newton polish and the zero-snapping of step 3 finish it), and once it comes within
 *    {@link JOIN_DISTANCE} of a nondegenerate point already found (early de-duplication).
 * 3. Coordinates within 1e-12 widths of 0 are snapped to 0 when that does not increase ‖∇f‖
 *    (cosmetic: prints 0, not 1e-17). Then the point is checked against floating point
 *    (src/engine/stationary.ts): the Hessian eigenvalues are classified with a zero tolerance
 *    given by the round-off of the Hessian itself (degenerate if some |λ| is below it; else
 *    minimum / maximum / saddle by sign; a minimum also needs a finite 2/λ_max), and the
 *    residual ‖∇f‖ is compared with the round-off bound of ∇f there.
 *    Accepted if inside the box up to domainSlack · width per coordinate and
 *    - nondegenerate (minimum, saddle, maximum): verified stationary — ‖∇f‖ within its
 *      round-off bound. Nothing else is ever reported as a minimum: a small-looking residual
 *      on a wide window (or at a jump of f) is rejected and counted in the search report;
 *    - degenerate: verified stationary, or ‖∇f‖ ≤ gradientRelative · G (G = median ‖∇f‖ over
 *      the seeds) and ‖∇f‖ ≤ newtonRelative · D · ‖∇²f‖_F (D = box diameter) — degenerate
 *      points are approached only linearly, and they carry no threshold.
 * 4. Duplicates: two nondegenerate points are one when they are closer than their resolutions
 *    (the Newton distance to the true root) plus a few ulps — a scale-free test, right for a
 *    window of width 1e-320 or 1e6; degenerate points closer than duplicateRelative in
 *    box-normalised coordinates are one. The best resolved copy is kept.
 * 5. Output: η_max = 2/λ_max for minima.
 * 6. Non-isolated critical sets (e.g. the axes of x⁴y²+x²y⁴−3x²y²+1, which are lines of
 *    degenerate critical points) would give one point per seed. Degenerate points are merged
 *    into connected components (points within 1e-3 of the box are one; then single linkage
 *    over pairs within ¼ of the box, closest first): a, b are linked when the Newton distance
 *    from their midpoint m to the critical set is small, ‖∇f(m)‖ ≤ 0.05·‖a−b‖·‖∇²f(m)‖_F, or
 *    (for each point's 8 nearest neighbours) when 8 Levenberg–Marquardt steps from m land on a
 *    degenerate critical point within 0.1 of their normalised distance — true for neighbours
 *    on one smooth curve/surface of critical points, false for two isolated points. Each component is reported once, by its member
 *    nearest the box centre; at most `maxDegenerate` degenerate points are reported.
 * Output order: kind (minimum, saddle, maximum, degenerate), then f, then coordinates.
 */
import { defaultStarts, seedPoints } from './criticalSeeds';
import { mergeDegenerate, type DegenerateCandidate } from './degenerate';
import { allFinite } from './krylov';
import { KrylovSolver, MATRIX_FREE_ABOVE } from './krylovSolver';
import { Solver } from './lmSolver';
import { scaledNorm } from './roundoff';
import { checkPoint, compareCriticalPoints, samePoint, toCriticalPoint, type PointCheck } from './stationary';
import type { Box, CompiledObjective, CriticalPoint } from './types';

export { compareCriticalPoints } from './stationary';

export interface CriticalSearchOptions {
  /** seed of the start jitter / shift; default 1 */
  seed?: number;
  /** number of starts; default {@link defaultStarts}(n) */
  starts?: number;
  /** Levenberg–Marquardt iterations per start; default 100 */
  maxIterations?: number;
}

/** Every tolerance of the search, relative to the scales described in the module comment. */
export const CRITICAL_TOLERANCES = {
  /** ‖∇f‖ ≤ this × median seed ‖∇f‖ (and the Newton test below) counts as stationary */
  gradientRelative: 1e-8,
  /** ‖∇f‖ ≤ this × box diameter × ‖∇²f‖_F: the Newton step to the point is ≲ 1e-6 of the box */
  newtonRelative: 1e-6,
  /** two degenerate points closer than this (max-norm, box-normalised coordinates) are one */
  duplicateRelative: 1e-6,
  /** a point may lie outside the box by this fraction of the width per coordinate */
  domainSlack: 1e-7,
  /** largest number of degenerate critical points reported */
  maxDegenerate: 32,
} as const;

/**
 * Matrix-free search: a start whose iterate comes within this distance (max-norm, box-normalised)
 * of a nondegenerate critical point found already stops there as a duplicate of it.
 */
export const JOIN_DISTANCE = 1e-8;

/** Does the search of `obj` go matrix-free (krylovSolver.ts)? Above 20 variables, when it has ∇²f·v. */
export function matrixFree(obj: CompiledObjective): boolean {
  return obj.n > MATRIX_FREE_ABOVE && typeof obj.hessianVectorProduct === 'function';
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : 0.5 * (s[mid - 1] + s[mid]);
}

/** Throws a clear Error if the box does not fit the objective or is empty/inverted/non-finite. */
export function checkBox(domain: Box, n: number, variables?: readonly string[]): void {
  if (domain.length !== n) throw new Error(`the domain has ${domain.length} ranges but the objective has ${n} variables`);
  for (let i = 0; i < n; i++) {
    const name = variables?.[i] ?? `#${i + 1}`;
    const r = domain[i];
    if (!Array.isArray(r) || r.length !== 2) throw new Error(`the domain of ${name} must be a pair [lo, hi]`);
    const [lo, hi] = r;
    if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi)) {
      throw new Error(`the domain of ${name} must be two finite numbers, got [${String(lo)}, ${String(hi)}]`);
    }
    if (!(lo < hi)) throw new Error(`the domain of ${name} is ${lo === hi ? 'empty' : 'inverted'}: [${lo}, ${hi}] (need lo < hi)`);
  }
}

interface Candidate {
  x: Float64Array;
  check: PointCheck;
  cp: CriticalPoint;
}

/** What the search did, for messages ("the window may be too wide to search"). */
export interface SearchReport {
  /** starts run */
  starts: number;
  /** starts abandoned: non-finite values, or more than two box widths outside the box */
  abandoned: number;
  /** starts that ended inside the box at an accepted critical point */
  accepted: number;
  /** starts that ended inside the box with a residual ‖∇f‖ round-off cannot explain (rejected) */
  unverified: number;
  /** starts that ended outside the box */
  outside: number;
}

/**
 * All critical points of `obj` found in `domain` (see the module comment for the method and
 * every tolerance). Deterministic for a given seed. Throws on an empty/inverted/non-finite box.
 */
export function findCriticalPoints(obj: CompiledObjective, domain: Box, options: CriticalSearchOptions = {}): CriticalPoint[] {
  return searchCriticalPoints(obj, domain, options).points;
}

/** {@link findCriticalPoints} with the search report. */
export function searchCriticalPoints(obj: CompiledObjective, domain: Box, options: CriticalSearchOptions = {}): { points: CriticalPoint[]; report: SearchReport } {
  const n = obj.n;
  checkBox(domain, n, obj.variables);
  const report: SearchReport = { starts: 0, abandoned: 0, accepted: 0, unverified: 0, outside: 0 };
  if (n === 0) return { points: [], report };
  const seed = options.seed ?? 1;
  const starts = Math.max(1, Math.floor(options.starts ?? defaultStarts(n)));
  const maxIterations = Math.max(1, Math.floor(options.maxIterations ?? 100));
  const tol = CRITICAL_TOLERANCES;

  const lo = Float64Array.from(domain, (r) => r[0]);
  const width = Float64Array.from(domain, (r) => r[1] - r[0]);
  const centre = Float64Array.from(domain, (r) => 0.5 * (r[0] + r[1]));
  const diameter = scaledNorm(width);
  const solver = matrixFree(obj) ? new KrylovSolver(obj, lo, width) : new Solver(obj, lo, width);
  const hess = new Float64Array(n * n);
  const grad = new Float64Array(n);

  /** ‖∇²f(x)‖_F, or NaN if not finite */
  const hessianNorm = (x: ArrayLike<number>): number => {
    obj.hessian(x, hess);
    const s = scaledNorm(hess);
    return Number.isFinite(s) ? s : NaN;
  };

  // Seeds and the problem's gradient scale.
  // The box centre and the origin (if inside) are seeds too: symmetric problems often have a
  // critical point there, and a critical line through it is then represented by that point.
  const seeds = seedPoints(n, starts, seed).map((u) => Float64Array.from(u, (ui, i) => lo[i] + ui * width[i]));
  const origin = new Float64Array(n);
  if (domain.every(([a, b]) => a <= 0 && 0 <= b) && centre.some((c) => c !== 0)) seeds.unshift(origin);
  seeds.unshift(Float64Array.from(centre));
  const seedGradients: number[] = [];
  for (const x of seeds) {
    const gn = solver.gradientNorm(x);
    if (Number.isFinite(gn)) seedGradients.push(gn);
  }
  const gradientScale = median(seedGradients) || Math.max(0, ...seedGradients);
  const gradientTol = tol.gradientRelative * gradientScale;
  /** the loose test degenerate points may pass instead of verified stationarity */
  const looselyStationary = (x: Float64Array, gradientNorm: number): boolean =>
    gradientNorm <= gradientTol && gradientNorm <= tol.newtonRelative * diameter * (hessianNorm(x) || 0);

  const normalisedDistance = (p: Float64Array, q: Float64Array): number => {
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(p[i] - q[i]) / width[i]);
    return m;
  };
  const inside = (x: Float64Array): boolean => {
    for (let i = 0; i < n; i++) {
      const slack = tol.domainSlack * width[i];
      if (!(x[i] >= domain[i][0] - slack && x[i] <= domain[i][1] + slack)) return false;
    }
    return true;
  };
  const snapZeros = (x: Float64Array, gradientNorm: number): number => {
    let best = gradientNorm;
    for (let i = 0; i < n; i++) {
      if (x[i] === 0 || Math.abs(x[i]) > 1e-12 * width[i]) {
        if (Object.is(x[i], -0)) x[i] = 0;
        continue;
      }
      const old = x[i];
      x[i] = 0;
      const gn = solver.gradientNorm(x);
      if (gn <= best) best = gn;
      else x[i] = old;
    }
    return best;
  };
  /**
   * Newton converges only linearly to a degenerate root (x⁴: the residual shrinks by (2/3)³ per
   * step) and quadratically to a nondegenerate one. A loosely stationary point that is not yet
   * verified, and from which 4 Newton steps shrink ‖∇f‖ by a steady factor in [0.01, 0.99], is
   * approaching a degenerate root: its tiny Hessian eigenvalues are the approach, not curvature.
   */
  const probe = new Float64Array(n);
  const approachesDegenerateRoot = (x: Float64Array, gn: number): boolean => {
    probe.set(x);
    let previous = gn;
    for (let k = 0; k < 4; k++) {
      const next = solver.polish(probe, previous, 1);
      const ratio = next / previous;
      if (!(ratio >= 0.01 && ratio <= 0.99)) return false;
      previous = next;
    }
    return true;
  };
  /** accepted when verified stationary (degenerate points: or loosely stationary) */
  const accept = (x: Float64Array, gn: number): Candidate | 'unverified' | null => {
    const check = checkPoint(obj, x);
    if (!check) return null;
    if (check.stationary || (check.kind === 'degenerate' && looselyStationary(x, gn))) return { x, check, cp: toCriticalPoint(x, check) };
    if (looselyStationary(x, gn) && approachesDegenerateRoot(x, gn)) {
      const lambdaMin = check.eigenvalues[0];
      const degenerate: PointCheck = { ...check, kind: 'degenerate', resolution: Infinity, semidefinite: lambdaMin >= -check.zeroTolerance };
      return { x, check: degenerate, cp: toCriticalPoint(x, degenerate) };
    }
    return 'unverified';
  };

  // 1–2: solve from every seed, keep the points that end inside the box. Matrix-free (many
  // variables), a start stops once it comes within JOIN_DISTANCE of a nondegenerate point found
  // already (early de-duplication), so new points are checked as soon as a start ends there.
  const early = solver instanceof KrylovSolver;
  const settled: Float64Array[] = [];
  const checked = new Map<Float64Array, Candidate | 'unverified' | null>();
  const near = (x: Float64Array): boolean => settled.some((p) => normalisedDistance(p, x) <= JOIN_DISTANCE);
  const ended: { x: Float64Array; gn: number }[] = [];
  for (const s of seeds) {
    report.starts++;
    const x = Float64Array.from(s);
    const gn = early ? solver.solve(x, maxIterations, near) : solver.solve(x, maxIterations);
    if (solver.joined) report.accepted++;
    else if (!Number.isFinite(gn)) report.abandoned++;
    else if (!inside(x)) report.outside++;
    else {
      const point = { x, gn: snapZeros(x, gn) };
      ended.push(point);
      if (early && !near(x)) {
        const c = accept(x, point.gn);
        checked.set(x, c);
        if (c !== null && c !== 'unverified' && c.check.kind !== 'degenerate') settled.push(x);
      }
    }
  }

  // 3–4: check and de-duplicate, best-resolved first (so the kept copy is the most accurate; a
  // point that is the same as one already kept needs no check of its own).
  ended.sort((p, q) => p.gn - q.gn || lexCompare(p.x, q.x));
  const unique: Candidate[] = [];
  for (const { x, gn } of ended) {
    const duplicate = unique.some((u) =>
      u.check.kind === 'degenerate' ? normalisedDistance(u.x, x) <= tol.duplicateRelative : samePoint(u.x, u.check.resolution, x, 0),
    );
    if (duplicate) {
      report.accepted++;
      continue;
    }
    const c = checked.has(x) ? (checked.get(x) as Candidate | 'unverified' | null) : accept(x, gn);
    if (c === 'unverified' || c === null) {
      report.unverified++;
      continue;
    }
    report.accepted++;
    const degenerate = c.check.kind === 'degenerate';
    if (!unique.some((u) => (u.check.kind === 'degenerate') === degenerate && (degenerate ? normalisedDistance(u.x, x) <= tol.duplicateRelative : samePoint(u.x, u.check.resolution, x, c.check.resolution)))) unique.push(c);
  }

  // 6: merge connected sets of degenerate points.
  const regular = unique.filter((e) => e.check.kind !== 'degenerate');
  const degenerate: DegenerateCandidate[] = unique.filter((e) => e.check.kind === 'degenerate').map((e) => ({ x: e.x, cp: e.cp }));
  const midpoint = new Float64Array(n);
  /** Newton distance ‖∇f(m)‖/‖∇²f(m)‖_F from the midpoint to the critical set ≤ 5% of ‖a−b‖ */
  const cheapLink = (a: Float64Array, b: Float64Array): boolean => {
    for (let i = 0; i < n; i++) {
      midpoint[i] = 0.5 * (a[i] + b[i]);
      grad[i] = a[i] - b[i];
    }
    const apart = scaledNorm(grad);
    const f = obj.valueAndGradient(midpoint, grad);
    if (!Number.isFinite(f) || !allFinite(grad)) return false;
    const g = scaledNorm(grad);
    return g === 0 || g <= 0.05 * apart * (hessianNorm(midpoint) || 0);
  };
  /** 8 LM steps from the midpoint land on a degenerate critical point within 0.1·dist of it */
  const projectedLink = (a: Float64Array, b: Float64Array, dist: number): boolean => {
    const start = Float64Array.from(a, (v, i) => 0.5 * (v + b[i]));
    const x = Float64Array.from(start);
    const gn = solver.solve(x, 8);
    if (!Number.isFinite(gn) || normalisedDistance(x, start) > 0.1 * dist) return false;
    const c = accept(x, gn);
    return c !== null && c !== 'unverified' && c.check.kind === 'degenerate';
  };
  const representatives = mergeDegenerate(degenerate, normalisedDistance, cheapLink, projectedLink, centre);

  const result = [...regular.map((e) => e.cp), ...representatives.slice(0, tol.maxDegenerate)];
  result.sort(compareCriticalPoints);
  return { points: result, report };
}

function lexCompare(p: ArrayLike<number>, q: ArrayLike<number>): number {
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i] - q[i];
  return 0;
}
