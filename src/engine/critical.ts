/**
 * Critical points of a compiled objective in a box: deterministic multi-start
 * Levenberg–Marquardt on ∇f = 0 (Jacobian = the exact Hessian), Newton polish,
 * de-duplication and classification from the Hessian eigenvalues.
 *
 * Algorithm (all tolerances are in {@link CRITICAL_TOLERANCES}):
 * 1. Seeds: the box centre, the origin (if in the box), and n ≤ 3 → a jittered grid (one seed
 *    per cell, jitter ±¼ cell, seeded); n ≥ 4 → a Halton sequence with a seeded
 *    Cranley–Patterson shift. Default counts in {@link defaultStarts}. Same seed → same seeds
 *    → same result.
 * 2. From each seed, Levenberg–Marquardt on the residual r = ∇f with J = ∇²f:
 *    (H² + μI) d = −H∇f, Nielsen's μ update, at most `maxIterations` steps; iterates may leave
 *    the box (so critical points on its edge are found) but a start is abandoned once it is
 *    two box widths outside or hits a non-finite value. Then up to 8 plain Newton steps
 *    (accepted only while ‖∇f‖ decreases).
 * 3. Accepted if inside the box up to domainSlack · width per coordinate and stationary:
 *    ‖∇f‖ ≤ gradientRelative · G (G = median ‖∇f‖ over the seeds) and
 *    ‖∇f‖ ≤ newtonRelative · D · ‖∇²f‖_F (D = box diameter: the Newton step to a root is
 *    ≲ 1e-6 of the box; rejects unfinished starts and spurious minima of ‖∇f‖²).
 *    Coordinates within 1e-12 widths of 0 are snapped to 0 when that does not increase ‖∇f‖
 *    (cosmetic: prints 0, not 1e-17).
 * 4. Duplicates (max-norm distance ≤ duplicateRelative in box-normalised coordinates) are
 *    merged, keeping the smallest ‖∇f‖.
 * 5. Classification from the ascending Hessian eigenvalues λ with
 *    tol = degenerateRelative · S, S = the largest of max|λ| and ‖∇²f‖_F at the point and at
 *    the 2n probes ±1% of the box width along each axis (a local curvature scale: an exactly
 *    flat Hessian at x⁴+y⁴'s origin is still "zero" against its surroundings, and growth like
 *    exp(10x²) elsewhere in the box does not matter): degenerate if some |λ| ≤ tol; otherwise
 *    minimum if all λ > 0, maximum if all λ < 0, saddle if mixed. η_max = 2/λ_max for minima.
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
import { choleskySolve, luSolve, symmetricEigenvalues } from './linalg';
import type { Box, CompiledObjective, CriticalKind, CriticalPoint } from './types';
import { mulberry32 } from './random';

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
  /** |λ| ≤ this × local curvature scale (max ‖∇²f‖_F at the point and ±1% of the box around it) → degenerate */
  degenerateRelative: 1e-8,
  /** two points closer than this (max-norm, box-normalised coordinates) are one */
  duplicateRelative: 1e-6,
  /** a point may lie outside the box by this fraction of the width per coordinate */
  domainSlack: 1e-7,
  /** largest number of degenerate critical points reported */
  maxDegenerate: 32,
} as const;

/** Default number of starts for n variables (fast for n ≤ 6; bounded beyond). */
export function defaultStarts(n: number): number {
  if (n <= 1) return 64;
  if (n === 2) return 196; // 14×14 grid
  if (n === 3) return 512; // 8×8×8 grid
  return Math.min(800, 100 * n + 200);
}

const KIND_ORDER: Record<CriticalKind, number> = { minimum: 0, saddle: 1, maximum: 2, degenerate: 3 };

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

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : 0.5 * (s[mid - 1] + s[mid]);
}

function sumSquares(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}

function allFinite(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
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
  gradientNorm: number;
}

/** The search state shared by all starts (scratch buffers, scales, objective). */
class Solver {
  readonly n: number;
  private readonly g: Float64Array;
  private readonly gNew: Float64Array;
  private readonly h: Float64Array;
  private readonly a: Float64Array;
  private readonly rhs: Float64Array;
  private readonly d: Float64Array;
  private readonly xNew: Float64Array;
  private readonly work: Float64Array;

  constructor(
    private readonly obj: CompiledObjective,
    private readonly lo: Float64Array,
    private readonly width: Float64Array,
  ) {
    const n = obj.n;
    this.n = n;
    this.g = new Float64Array(n);
    this.gNew = new Float64Array(n);
    this.h = new Float64Array(n * n);
    this.a = new Float64Array(n * n);
    this.rhs = new Float64Array(n);
    this.d = new Float64Array(n);
    this.xNew = new Float64Array(n);
    this.work = new Float64Array(n * n + n);
  }

  /** ‖∇f(x)‖ (Infinity if not finite). */
  gradientNorm(x: Float64Array): number {
    const f = this.obj.valueAndGradient(x, this.g);
    if (!Number.isFinite(f) || !allFinite(this.g)) return Infinity;
    return Math.sqrt(sumSquares(this.g));
  }

  private escaped(x: Float64Array): boolean {
    for (let i = 0; i < this.n; i++) {
      const u = (x[i] - this.lo[i]) / this.width[i];
      if (!(u > -2 && u < 3)) return true;
    }
    return false;
  }

  /**
   * Levenberg–Marquardt on ∇f = 0 from x (modified in place), then Newton polish.
   * Returns ‖∇f‖ at the final x, or Infinity if the start was abandoned.
   */
  solve(x: Float64Array, maxIterations: number): number {
    const { n, g, gNew, h, a, rhs, d, xNew, work, obj } = this;
    const f0 = obj.valueAndGradient(x, g);
    if (!Number.isFinite(f0) || !allFinite(g)) return Infinity;
    let gg = sumSquares(g);
    obj.hessian(x, h);
    if (!allFinite(h)) return Infinity;
    let mu = -1;
    let nu = 2;
    for (let it = 0; it < maxIterations && gg > 0; it++) {
      // a = H² (= HᵀH, H symmetric), rhs = −H g
      let maxDiag = 0;
      for (let i = 0; i < n; i++) {
        let r = 0;
        for (let k = 0; k < n; k++) r += h[i * n + k] * g[k];
        rhs[i] = -r;
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += h[i * n + k] * h[j * n + k];
          a[i * n + j] = s;
          a[j * n + i] = s;
        }
        maxDiag = Math.max(maxDiag, a[i * n + i]);
      }
      if (mu < 0) mu = 1e-3 * (maxDiag > 0 ? maxDiag : 1);
      if (!(maxDiag > 0) && mu < 1e-300) mu = 1e-300;
      for (let i = 0; i < n; i++) a[i * n + i] += mu;
      if (!choleskySolve(a, rhs, n, d, work)) {
        mu *= nu;
        nu *= 2;
        if (!Number.isFinite(mu)) break;
        continue;
      }
      let stepSq = 0;
      let xSq = 0;
      for (let i = 0; i < n; i++) {
        xNew[i] = x[i] + d[i];
        stepSq += d[i] * d[i];
        xSq += x[i] * x[i];
      }
      // predicted ‖g + H d‖²
      let predicted = 0;
      for (let i = 0; i < n; i++) {
        let r = g[i];
        for (let k = 0; k < n; k++) r += h[i * n + k] * d[k];
        predicted += r * r;
      }
      const fNew = this.escaped(xNew) ? NaN : obj.valueAndGradient(xNew, gNew);
      const ggNew = Number.isFinite(fNew) && allFinite(gNew) ? sumSquares(gNew) : Infinity;
      if (ggNew < gg) {
        const rho = (gg - ggNew) / Math.max(gg - predicted, 1e-300);
        x.set(xNew);
        g.set(gNew);
        gg = ggNew;
        obj.hessian(x, h);
        if (!allFinite(h)) return Infinity;
        mu *= Math.max(1 / 3, 1 - Math.pow(2 * Math.min(rho, 1) - 1, 3));
        nu = 2;
        if (stepSq <= 1e-32 * (1 + xSq)) break;
      } else {
        if (stepSq <= 1e-32 * (1 + xSq)) break; // no representable progress left
        mu *= nu;
        nu *= 2;
        if (!Number.isFinite(mu) || mu > 1e300) break;
      }
      if (this.escaped(x)) return Infinity;
    }
    // Newton polish (quadratic convergence at nondegenerate points).
    for (let it = 0; it < 8 && gg > 0; it++) {
      for (let i = 0; i < n; i++) rhs[i] = -g[i];
      if (!luSolve(h, rhs, n, d, work)) break;
      for (let i = 0; i < n; i++) xNew[i] = x[i] + d[i];
      const fNew = obj.valueAndGradient(xNew, gNew);
      if (!Number.isFinite(fNew) || !allFinite(gNew)) break;
      const ggNew = sumSquares(gNew);
      if (!(ggNew < gg)) break;
      x.set(xNew);
      g.set(gNew);
      gg = ggNew;
      obj.hessian(x, h);
      if (!allFinite(h)) return Infinity;
    }
    return this.escaped(x) ? Infinity : Math.sqrt(gg);
  }
}

/**
 * All critical points of `obj` found in `domain` (see the module comment for the method and
 * every tolerance). Deterministic for a given seed. Throws on an empty/inverted/non-finite box.
 */
export function findCriticalPoints(obj: CompiledObjective, domain: Box, options: CriticalSearchOptions = {}): CriticalPoint[] {
  const n = obj.n;
  checkBox(domain, n, obj.variables);
  if (n === 0) return [];
  const seed = options.seed ?? 1;
  const starts = Math.max(1, Math.floor(options.starts ?? defaultStarts(n)));
  const maxIterations = Math.max(1, Math.floor(options.maxIterations ?? 100));
  const tol = CRITICAL_TOLERANCES;

  const lo = Float64Array.from(domain, (r) => r[0]);
  const width = Float64Array.from(domain, (r) => r[1] - r[0]);
  const centre = Float64Array.from(domain, (r) => 0.5 * (r[0] + r[1]));
  const diameter = Math.sqrt(width.reduce((s, w) => s + w * w, 0));
  const solver = new Solver(obj, lo, width);
  const hess = new Float64Array(n * n);
  const grad = new Float64Array(n);

  /** ‖∇²f(x)‖_F, or NaN if not finite */
  const hessianNorm = (x: ArrayLike<number>): number => {
    obj.hessian(x, hess);
    let s = 0;
    for (let k = 0; k < n * n; k++) s += hess[k] * hess[k];
    return Number.isFinite(s) ? Math.sqrt(s) : NaN;
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
  /** stationary: small against the problem's gradients AND a Newton step ≲ 1e-6 of the box */
  const isStationary = (x: Float64Array, gradientNorm: number): boolean =>
    gradientNorm <= gradientTol && gradientNorm <= tol.newtonRelative * diameter * (hessianNorm(x) || 0);

  /**
   * The curvature scale that decides what a "zero" eigenvalue is at x: the largest ‖∇²f‖_F at x
   * and at the 2n probes x ± 1% of the box width along each axis (local, so neither a tiny
   * Hessian at a degenerate point nor exponential growth elsewhere in the box fools it).
   */
  const probe = new Float64Array(n);
  const curvatureScaleAt = (x: Float64Array): number => {
    let scale = hessianNorm(x) || 0;
    for (let i = 0; i < n; i++)
      for (const sign of [-1, 1]) {
        probe.set(x);
        probe[i] += sign * 0.01 * width[i];
        const h = hessianNorm(probe);
        if (h > scale) scale = h;
      }
    return scale;
  };

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

  // 1–3: solve from every seed, keep stationary points inside the box.
  const candidates: Candidate[] = [];
  for (const s of seeds) {
    const x = Float64Array.from(s);
    let gn = solver.solve(x, maxIterations);
    if (!Number.isFinite(gn) || !inside(x) || !isStationary(x, gn)) continue;
    gn = snapZeros(x, gn);
    candidates.push({ x, gradientNorm: gn });
  }

  // 4: de-duplicate (best-resolved first, so the kept copy is the most accurate).
  candidates.sort((p, q) => p.gradientNorm - q.gradientNorm || lexCompare(p.x, q.x));
  const unique: Candidate[] = [];
  for (const c of candidates) {
    if (!unique.some((u) => normalisedDistance(u.x, c.x) <= tol.duplicateRelative)) unique.push(c);
  }

  // 5: classify.
  const classified: { cand: Candidate; cp: CriticalPoint }[] = [];
  for (const c of unique) {
    const cp = describe(obj, c.x, c.gradientNorm, curvatureScaleAt(c.x), hess);
    if (cp) classified.push({ cand: c, cp });
  }

  // 6: merge connected sets of degenerate points.
  const regular = classified.filter((e) => e.cp.kind !== 'degenerate');
  const degenerate = classified.filter((e) => e.cp.kind === 'degenerate');
  const midpoint = new Float64Array(n);
  /** Newton distance ‖∇f(m)‖/‖∇²f(m)‖_F from the midpoint to the critical set ≤ 5% of ‖a−b‖ */
  const cheapLink = (a: Float64Array, b: Float64Array): boolean => {
    let apart = 0;
    for (let i = 0; i < n; i++) {
      midpoint[i] = 0.5 * (a[i] + b[i]);
      apart += (a[i] - b[i]) ** 2;
    }
    const f = obj.valueAndGradient(midpoint, grad);
    if (!Number.isFinite(f) || !allFinite(grad)) return false;
    const g = Math.sqrt(sumSquares(grad));
    return g === 0 || g <= 0.05 * Math.sqrt(apart) * (hessianNorm(midpoint) || 0);
  };
  /** 8 LM steps from the midpoint land on a degenerate critical point within 0.1·dist of it */
  const projectedLink = (a: Float64Array, b: Float64Array, dist: number): boolean => {
    const start = Float64Array.from(a, (v, i) => 0.5 * (v + b[i]));
    const x = Float64Array.from(start);
    const gn = solver.solve(x, 8);
    if (!Number.isFinite(gn) || !isStationary(x, gn) || normalisedDistance(x, start) > 0.1 * dist) return false;
    const cp = describe(obj, x, gn, curvatureScaleAt(x), hess);
    return cp !== null && cp.kind === 'degenerate';
  };
  const representatives = mergeDegenerate(degenerate, normalisedDistance, cheapLink, projectedLink, centre);

  const result = [...regular.map((e) => e.cp), ...representatives.slice(0, tol.maxDegenerate)];
  result.sort(compareCriticalPoints);
  return result;
}

function lexCompare(p: ArrayLike<number>, q: ArrayLike<number>): number {
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i] - q[i];
  return 0;
}

/** Output order: kind (minimum, saddle, maximum, degenerate), then f, then coordinates. */
export function compareCriticalPoints(a: CriticalPoint, b: CriticalPoint): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.value - b.value || lexCompare(a.point, b.point);
}

/** Hessian eigenvalues → kind, f, λ_min/λ_max, η_max; null if f or ∇²f is not finite there. */
function describe(obj: CompiledObjective, x: Float64Array, gradientNorm: number, curvatureScale: number, hess: Float64Array): CriticalPoint | null {
  const n = obj.n;
  const value = obj.value(x);
  obj.hessian(x, hess);
  if (!Number.isFinite(value) || !allFinite(hess)) return null;
  const eig = symmetricEigenvalues(hess, n);
  const lambdaMin = eig[0];
  const lambdaMax = eig[n - 1];
  const zeroTol = CRITICAL_TOLERANCES.degenerateRelative * Math.max(curvatureScale, Math.abs(lambdaMin), Math.abs(lambdaMax));
  let kind: CriticalKind;
  if (eig.some((l) => Math.abs(l) <= zeroTol)) kind = 'degenerate';
  else if (lambdaMin > 0) kind = 'minimum';
  else if (lambdaMax < 0) kind = 'maximum';
  else kind = 'saddle';
  return {
    kind,
    point: Array.from(x),
    value,
    eigenvalues: Array.from(eig),
    lambdaMin,
    lambdaMax,
    etaMax: kind === 'minimum' ? 2 / lambdaMax : null,
    gradientNorm,
  };
}

/**
 * One representative per connected set of degenerate critical points (module comment, step 6),
 * ordered by kind/value/coordinates.
 */
function mergeDegenerate(
  all: { cand: Candidate; cp: CriticalPoint }[],
  distance: (p: Float64Array, q: Float64Array) => number,
  cheapLink: (a: Float64Array, b: Float64Array) => boolean,
  projectedLink: (a: Float64Array, b: Float64Array, dist: number) => boolean,
  centre: Float64Array,
): CriticalPoint[] {
  // Points this close are one (isolated degenerate points are resolved far better than this).
  // (Nearest the box centre first, so it is the one kept: the component's representative.)
  const byCentre = all.map((p, i) => ({ p, i, d: distance(p.cand.x, centre) })).sort((a, b) => a.d - b.d || a.i - b.i);
  const points: typeof all = [];
  for (const { p } of byCentre) if (!points.some((q) => distance(p.cand.x, q.cand.x) <= DEGENERATE_SAME)) points.push(p);
  const k = points.length;
  if (k <= 1) return points.map((p) => p.cp);
  const parent = Array.from({ length: k }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const pairs: { i: number; j: number; dist: number }[] = [];
  const nearest = new Set<number>(); // pair keys among each point's NEIGHBOURS nearest
  for (let i = 0; i < k; i++) {
    const near: { j: number; dist: number }[] = [];
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      const dist = distance(points[i].cand.x, points[j].cand.x);
      if (dist <= DEGENERATE_LINK_RANGE) near.push({ j, dist });
    }
    near.sort((p, q) => p.dist - q.dist || p.j - q.j);
    near.forEach(({ j, dist }, rank) => {
      const key = Math.min(i, j) * k + Math.max(i, j);
      if (rank < NEIGHBOURS) nearest.add(key);
      if (j > i) pairs.push({ i, j, dist });
    });
  }
  pairs.sort((p, q) => p.dist - q.dist || p.i - q.i || p.j - q.j);
  // Closest pairs first; the cheap test for every pair, the projection only for near neighbours.
  for (const { i, j, dist } of pairs) {
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) continue;
    const a = points[i].cand.x;
    const b = points[j].cand.x;
    if (cheapLink(a, b) || (nearest.has(i * k + j) && projectedLink(a, b, dist))) parent[Math.max(ri, rj)] = Math.min(ri, rj);
  }
  const best = new Map<number, number>();
  for (let i = 0; i < k; i++) {
    const r = find(i);
    const cur = best.get(r);
    if (cur === undefined || distance(points[i].cand.x, centre) < distance(points[cur].cand.x, centre)) best.set(r, i);
  }
  return [...best.values()].map((i) => points[i].cp).sort(compareCriticalPoints);
}

/** degenerate points closer than this (normalised) are one */
const DEGENERATE_SAME = 1e-3;
/** links between degenerate points are tested up to this normalised distance */
const DEGENERATE_LINK_RANGE = 0.25;
/** the expensive (projected) link test is tried with this many nearest neighbours */
const NEIGHBOURS = 8;
