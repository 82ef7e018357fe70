/**
 * Theorem 2's forward-invariant set, constructed as in the paper's proof and certified with
 * interval arithmetic (src/engine/interval.ts and intervalEval.ts, outward rounding):
 *
 *   U = {θ : ‖θ − θ*‖ < t′, f(θ) < c},  GD never leaves U and f(θ_{k+1}) ≤ f(θ_k) − Cη‖∇f(θ_k)‖².
 *
 * 1. M = (λ_max(θ*) + 2/η)/2 (the midpoint; λ_max < M < 2/η), C = 1 − ηM/2.
 * 2. t₁ = a radius on which every eigenvalue of ∇²f is in (0, M]: the ball is covered by a grid
 *    of boxes (bisected adaptively where the enclosure is too wide), the Hessian enclosed on each
 *    box, and eigenvalues bounded: n = 2 exactly
 *    (λ_max of [[a,b],[b,d]] is increasing in a, d and |b|, so its sup over the box is at
 *    (a_hi, d_hi, max|b|); likewise the inf of λ_min at (a_lo, d_lo, max|b|)), n ≥ 3 by
 *    Gershgorin discs on the interval entries, sharpened by interval Cholesky (M·I − ∇²f and
 *    ∇²f − μI positive definite on the box, μ = λ_min(θ*)/2 or /8), n = 1 directly. t₁ is found by halving from the
 *    domain's size and then bisecting (the largest radius that passes, to ~2e-4 relative; radii whose
 *    floating-point Hessian at sample points already violates the bound are rejected first).
 *    Positivity on the ball also certifies θ* is the only stationary point there.
 * 3. t′ = (t₁ − η‖∇f(θ*)‖) / (1 + ηM): then θ − α∇f(θ) stays in the t₁-ball for α ≤ η, because
 *    ‖∇f(θ)‖ ≤ ‖∇f(θ*)‖ + M‖θ−θ*‖ there. The ‖∇f(θ*)‖ term (an enclosure of the gradient at the
 *    floating-point minimum, ~1e-16) accounts for θ* being known to round-off only.
 * 4. c = f(θ*)_lo − ‖∇f(θ*)‖·t′ + λ_min,lb · t′²/2 ≤ min over the sphere ‖θ−θ*‖ = t′ of f (Taylor
 *    with the certified λ_min lower bound over the t′-ball). Any level ≤ that minimum gives a
 *    forward-invariant set (proof of Theorem 2), so the lower bound is enough.
 */
import { checkEta, type DynamicsProblem } from './classify';
import { iAdd, iDiv, iMul, iNeg, interval, iSqr, iSub, IntervalUnsupportedError, roundDown, roundUp, type Interval } from './interval';
import { evalIntervals, IntervalProgram } from './intervalEval';
import { symmetricEigenvalues } from './linalg';
import type { Certificate, CertificateResult, CompiledObjective, Expr } from './types';

/** Budget of box enclosures per radius test. */
const MAX_BOXES = 256;
/** Bisection steps after a passing radius is bracketed. */
const BISECTION_STEPS = 12;
/** Halvings tried from the starting radius before giving up. */
const MAX_HALVINGS = 60;

/** Eigenvalue bounds over a set of points: every eigenvalue of ∇²f there is in [lambdaMinLb, lambdaMaxUb]. */
export interface HessianBounds {
  lambdaMinLb: number;
  lambdaMaxUb: number;
}

/**
 * Interval Cholesky (Alefeld & Mayer): true only if every symmetric matrix in the interval matrix
 * `a` (row-major n×n) is positive definite — all pivots keep a positive lower bound.
 */
export function intervalCholeskyPositive(a: readonly Interval[], n: number): boolean {
  const L: Interval[] = new Array<Interval>(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s = iSub(s, iSqr(L[j * n + k]));
    if (!(s.lo > 0) || !Number.isFinite(s.hi)) return false;
    const d: Interval = { lo: roundDown(Math.sqrt(s.lo)), hi: roundUp(Math.sqrt(s.hi)) };
    if (!(d.lo > 0)) return false;
    L[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t = iSub(t, iMul(L[i * n + k], L[j * n + k]));
      L[i * n + j] = iDiv(t, d);
    }
  }
  return true;
}

/** Shifts probed by interval Cholesky for n ≥ 3 (where Gershgorin alone is often too loose). */
export interface EigenProbe {
  /** try to prove λ_max ≤ upper (M·I − H positive definite) */
  upper?: number;
  /** try to prove λ_min ≥ each value, largest first (H − μ·I positive definite) */
  lower?: readonly number[];
}

/**
 * Bounds the eigenvalues of a symmetric interval matrix (row-major n×n intervals). n = 2 exactly,
 * n ≥ 3 by Gershgorin discs, improved to the probed values where interval Cholesky proves them.
 */
export function intervalEigenBounds(h: readonly Interval[], n: number, probe?: EigenProbe): HessianBounds {
  for (const e of h) if (!(Number.isFinite(e.lo) && Number.isFinite(e.hi))) return { lambdaMinLb: -Infinity, lambdaMaxUb: Infinity };
  if (n === 1) return { lambdaMinLb: h[0].lo, lambdaMaxUb: h[0].hi };
  if (n === 2) {
    const a = h[0];
    const b = h[1];
    const d = h[3];
    const bAbs = Math.max(Math.abs(b.lo), Math.abs(b.hi));
    const bSq = iMul(interval(bAbs), interval(bAbs));
    // λ_max(a,d,b) = (a+d)/2 + sqrt(((a−d)/2)² + b²), evaluated in interval arithmetic at the corner
    const radius = (p: number, q: number): Interval => {
      const half = iMul(iSub(interval(p), interval(q)), interval(0.5));
      const s = iAdd(iMul(half, half), bSq);
      // outward rounding can push a zero square slightly below 0: clamp before the root
      return { lo: Math.max(0, roundDown(Math.sqrt(Math.max(0, s.lo)))), hi: roundUp(Math.sqrt(Math.max(0, s.hi))) };
    };
    const midHi = iMul(iAdd(interval(a.hi), interval(d.hi)), interval(0.5));
    const midLo = iMul(iAdd(interval(a.lo), interval(d.lo)), interval(0.5));
    const lambdaMaxUb = iAdd(midHi, radius(a.hi, d.hi)).hi;
    const lambdaMinLb = iSub(midLo, radius(a.lo, d.lo)).lo;
    return { lambdaMinLb, lambdaMaxUb };
  }
  let lambdaMinLb = Infinity;
  let lambdaMaxUb = -Infinity;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const e = h[i * n + j];
      r = roundUp(r + Math.max(Math.abs(e.lo), Math.abs(e.hi)));
    }
    const d = h[i * n + i];
    lambdaMinLb = Math.min(lambdaMinLb, roundDown(d.lo - r));
    lambdaMaxUb = Math.max(lambdaMaxUb, roundUp(d.hi + r));
  }
  if (probe?.upper !== undefined && lambdaMaxUb > probe.upper) {
    const upper = probe.upper;
    const shifted = h.map((e, k) => (k % (n + 1) === 0 ? iSub(interval(upper), e) : iNeg(e)));
    if (intervalCholeskyPositive(shifted, n)) lambdaMaxUb = upper;
  }
  for (const mu of probe?.lower ?? []) {
    if (lambdaMinLb >= mu) break;
    const shifted = h.map((e, k) => (k % (n + 1) === 0 ? iSub(e, interval(mu)) : e));
    if (intervalCholeskyPositive(shifted, n)) {
      lambdaMinLb = mu;
      break;
    }
  }
  return { lambdaMinLb, lambdaMaxUb };
}

/** One box of a ball covering: per-axis bounds (not yet outward-rounded). */
type Cell = { lo: number[]; hi: number[] };

/**
 * Eigenvalue bounds of ∇²f over the closed ball B(center, t), certified on a covering of the ball
 * by boxes. Starts from the bounding cube and bisects (along the widest axis) every box whose
 * enclosure does not meet `accept` — as long as the budget of box evaluations lasts and the
 * Hessian at the box centre (plain floating point) does not already violate it, in which case no
 * refinement can help. Returns ok = false when some box could not be accepted.
 */
export function hessianBoundsOnBall(
  hessUpper: IntervalProgram,
  n: number,
  center: readonly number[],
  t: number,
  accept: (b: HessianBounds) => boolean = () => true,
  probe?: EigenProbe,
  budget = MAX_BOXES,
): HessianBounds & { ok: boolean } {
  let lambdaMinLb = Infinity;
  let lambdaMaxUb = -Infinity;
  const full = new Array<Interval>(n * n);
  const stack: Cell[] = [{ lo: center.map((c) => c - t), hi: center.map((c) => c + t) }];
  let evaluations = 0;
  const boxLo = new Float64Array(n);
  const boxHi = new Float64Array(n);
  const enclose = (lo: readonly number[], hi: readonly number[]): HessianBounds => {
    for (let i = 0; i < n; i++) {
      boxLo[i] = roundDown(lo[i]);
      boxHi[i] = roundUp(hi[i]);
    }
    hessUpper.run(boxLo, boxHi);
    let k = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const slot = hessUpper.outputs[k++];
        const e = { lo: hessUpper.lo[slot], hi: hessUpper.hi[slot] };
        full[i * n + j] = e;
        full[j * n + i] = e;
      }
    }
    return intervalEigenBounds(full, n, probe);
  };
  while (stack.length > 0) {
    const cell = stack.pop() as Cell;
    // skip boxes that miss the ball
    let dist2 = 0;
    for (let i = 0; i < n; i++) {
      const gap = Math.max(0, cell.lo[i] - center[i], center[i] - cell.hi[i]);
      dist2 += gap * gap;
    }
    if (dist2 > t * t * (1 + 1e-12)) continue;
    evaluations++;
    const b = enclose(cell.lo, cell.hi);
    if (accept(b) && b.lambdaMinLb <= b.lambdaMaxUb) {
      if (b.lambdaMinLb < lambdaMinLb) lambdaMinLb = b.lambdaMinLb;
      if (b.lambdaMaxUb > lambdaMaxUb) lambdaMaxUb = b.lambdaMaxUb;
      continue;
    }
    const mid = cell.lo.map((l, i) => (l + cell.hi[i]) / 2);
    const atCentre = enclose(mid, mid);
    if (evaluations + stack.length >= budget || !accept(atCentre)) {
      return { ok: false, lambdaMinLb: -Infinity, lambdaMaxUb: Infinity };
    }
    let axis = 0;
    for (let i = 1; i < n; i++) if (cell.hi[i] - cell.lo[i] > cell.hi[axis] - cell.lo[axis]) axis = i;
    const leftHi = cell.hi.slice();
    leftHi[axis] = mid[axis];
    const rightLo = cell.lo.slice();
    rightLo[axis] = mid[axis];
    stack.push({ lo: cell.lo, hi: leftHi }, { lo: rightLo, hi: cell.hi });
  }
  return { ok: true, lambdaMinLb, lambdaMaxUb };
}

const hessianPrograms = new WeakMap<CompiledObjective, IntervalProgram>();

/** The upper triangle of ∇²f as one interval program (cached per compiled objective). */
function hessianProgram(compiled: CompiledObjective): IntervalProgram {
  let program = hessianPrograms.get(compiled);
  if (!program) {
    const upper: Expr[] = [];
    for (let i = 0; i < compiled.n; i++) for (let j = i; j < compiled.n; j++) upper.push(compiled.ir.hess[i][j]);
    program = new IntervalProgram(upper);
    hessianPrograms.set(compiled, program);
  }
  return program;
}

/** Deterministic unit directions for the quick floating-point pre-check: ±axes and diagonals. */
function sampleDirections(n: number): number[][] {
  const dirs: number[][] = [];
  for (let i = 0; i < n; i++) {
    for (const sgn of [1, -1]) {
      const d = new Array<number>(n).fill(0);
      d[i] = sgn;
      dirs.push(d);
    }
  }
  if (n === 2) {
    for (let k = 0; k < 24; k++) {
      const a = (2 * Math.PI * (k + 0.5)) / 24;
      dirs.push([Math.cos(a), Math.sin(a)]);
    }
  } else {
    for (let k = 0; k < Math.min(32, 2 ** n); k++) {
      const d = Array.from({ length: n }, (_, i) => ((k >> (i % 5)) & 1 ? 1 : -1) / Math.sqrt(n));
      dirs.push(d);
    }
  }
  return dirs;
}

/**
 * A cheap necessary condition before the interval work: the plain floating-point Hessian at
 * sample points of the ball (radius t and t/2) already has an eigenvalue outside (0, M). Only
 * used to reject radii quickly; acceptance always comes from the interval bound.
 */
function sampledViolation(compiled: CompiledObjective, center: readonly number[], t: number, dirs: readonly number[][], M: number): boolean {
  const n = compiled.n;
  const h = new Float64Array(n * n);
  const x = new Float64Array(n);
  for (const scale of [t, t / 2]) {
    for (const d of dirs) {
      for (let i = 0; i < n; i++) x[i] = center[i] + scale * d[i];
      compiled.hessian(x, h);
      let lo: number;
      let hi: number;
      if (n === 1) {
        lo = hi = h[0];
      } else if (n === 2) {
        const mid = (h[0] + h[3]) / 2;
        const r = Math.sqrt(((h[0] - h[3]) / 2) ** 2 + h[1] * h[1]);
        lo = mid - r;
        hi = mid + r;
      } else {
        const ev = symmetricEigenvalues(h, n);
        lo = ev[0];
        hi = ev[n - 1];
      }
      if (!(lo > 0 && hi < M)) return true;
    }
  }
  return false;
}

function fail(minimum: number, reason: string): CertificateResult {
  return { ok: false, minimum, reason };
}

function fmt(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

/** Builds and certifies U for minimum `minimumIndex` at learning rate `eta` (see the module comment). */
export function certify(problem: DynamicsProblem, minimumIndex: number, eta: number): CertificateResult {
  checkEta(eta);
  const minimum = problem.minima[minimumIndex];
  if (!minimum) return fail(minimumIndex, `there is no minimum with index ${minimumIndex}`);
  const { compiled } = problem;
  const n = compiled.n;
  const lambdaMax = minimum.lambdaMax;
  const lambdaMin = minimum.lambdaMin;
  if (!(lambdaMin > 0) || !(lambdaMax > 0) || minimum.kind !== 'minimum') {
    return fail(minimumIndex, `degenerate minimum: the Hessian eigenvalues at θ* are not all positive (λ_min = ${fmt(lambdaMin)})`);
  }
  const etaMax = 2 / lambdaMax;
  if (eta >= etaMax) {
    return fail(minimumIndex, `η = ${fmt(eta)} ≥ η_max = 2/λ_max = ${fmt(etaMax)}: GD cannot converge to this minimum (Theorem 1)`);
  }
  const M = (lambdaMax + 2 / eta) / 2;
  if (!(M > lambdaMax && eta * M < 2)) {
    return fail(minimumIndex, `η = ${fmt(eta)} is too close to η_max = ${fmt(etaMax)} to separate λ_max from 2/η in floating point`);
  }
  const C = 1 - (eta * M) / 2;
  const center = minimum.point.slice();
  const inRange = (b: HessianBounds): boolean => b.lambdaMinLb > 0 && b.lambdaMaxUb <= M;
  const probe: EigenProbe = { upper: M, lower: [lambdaMin / 2, lambdaMin / 8] };
  let hessUpper: IntervalProgram;
  try {
    hessUpper = hessianProgram(compiled);
    hessianBoundsOnBall(hessUpper, n, center, 0, inRange, probe); // the point enclosure
  } catch (err) {
    if (err instanceof IntervalUnsupportedError) return fail(minimumIndex, `the objective cannot be bounded in interval arithmetic: ${err.message}`);
    throw err;
  }
  const bounds = (t: number) => hessianBoundsOnBall(hessUpper, n, center, t, inRange, probe);
  const sampled = sampleDirections(n);
  const passes = (t: number): boolean => !sampledViolation(compiled, center, t, sampled, M) && bounds(t).ok;

  // Start from the domain's size (or 1) and halve until a radius passes, then bisect upwards.
  let start = 1;
  for (const [lo, hi] of problem.domain) if (Number.isFinite(hi - lo)) start = Math.max(start, hi - lo);
  let failing = start;
  let good = 0;
  if (passes(start)) {
    good = start;
  } else {
    let t = start;
    for (let i = 0; i < MAX_HALVINGS; i++) {
      t /= 2;
      if (passes(t)) {
        good = t;
        break;
      }
      failing = t;
    }
    if (good === 0) {
      return fail(minimumIndex, `no radius found on which the interval Hessian has all eigenvalues in (0, M] with M = ${fmt(M)} (the minimum may be nearly degenerate or η too close to η_max)`);
    }
    for (let i = 0; i < BISECTION_STEPS; i++) {
      const mid = (good + failing) / 2;
      if (passes(mid)) good = mid;
      else failing = mid;
    }
  }
  const t1 = good;

  // Enclosures at the floating-point minimum: f(θ*) and ‖∇f(θ*)‖.
  const point = center.map((v) => interval(v));
  const [fAt, ...gradAt] = evalIntervals([compiled.ir.f, ...compiled.ir.grad], point);
  let g2 = 0;
  for (const g of gradAt) {
    const m = Math.max(Math.abs(g.lo), Math.abs(g.hi));
    g2 = roundUp(g2 + roundUp(m * m));
  }
  const gradNormUb = roundUp(Math.sqrt(g2));
  if (!Number.isFinite(gradNormUb) || !Number.isFinite(fAt.lo)) {
    return fail(minimumIndex, 'f or ∇f cannot be bounded at the minimum');
  }
  const tPrime = roundDown(roundDown(t1 - roundUp(eta * gradNormUb)) / roundUp(1 + roundUp(eta * M)));
  if (!(tPrime > 0)) return fail(minimumIndex, `the certified radius t₁ = ${fmt(t1)} is too small for the gradient residual at θ*`);
  // λ_min lower bound on the t′-ball: refine until the bound is at least half the value at θ*
  const onSphere = hessianBoundsOnBall(hessUpper, n, center, tPrime, (b) => b.lambdaMinLb >= lambdaMin / 2 && b.lambdaMaxUb <= M, probe);
  const lambdaMinLb = Math.max(onSphere.ok ? onSphere.lambdaMinLb : -Infinity, bounds(t1).lambdaMinLb);
  const c = roundDown(roundDown(fAt.lo - roundUp(gradNormUb * tPrime)) + roundDown((lambdaMinLb * roundDown(tPrime * tPrime)) / 2));
  if (!(c > fAt.hi)) {
    return fail(minimumIndex, `the certified level c does not exceed f(θ*) (radius t′ = ${fmt(tPrime)} too small)`);
  }
  const certificate: Certificate = { minimum: minimumIndex, eta, M, C, t1, tPrime, c, center };
  return { ok: true, certificate };
}

/** certify() for every minimum of the problem, in minimum-index order. */
export function certifyAll(problem: DynamicsProblem, eta: number): CertificateResult[] {
  return problem.minima.map((_, j) => certify(problem, j, eta));
}
