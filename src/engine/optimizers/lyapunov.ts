/**
 * A certified convergence region for heavy-ball and Nesterov momentum: the analogue of Theorem 2's
 * forward-invariant set, built on a quadratic Lyapunov function of the linearised 2n-dimensional
 * map and an interval-verified bound on the nonlinear remainder.
 *
 * State z_k = (θ_k − θ*, θ_{k−1} − θ*) ∈ ℝ²ⁿ. With H = ∇²f(θ̃) at the floating-point minimum θ̃ and
 * ∇f(θ) = (H + Δ)(θ − θ*) (Δ = ∫₀¹ ∇²f(θ* + s(θ − θ*)) ds − H; ∇f(θ*) = 0 at the exact minimum θ*),
 * both methods are z_{k+1} = (A + BΔC) z_k with B = [−ηI; 0] and
 *   heavy-ball: A = [[(1+β)I − ηH, −βI], [I, 0]],                C = [I, 0]    (∇f taken at θ_k),
 *   Nesterov:   A = [[(1+β)(I − ηH), −β(I − ηH)], [I, 0]],       C = [(1+β)I, −βI] (at y_k = Cz_k).
 * Construction, for minimum j at learning rate η:
 * 1. P: the solution of (A/r)ᵀP(A/r) − P = −I (Smith's doubling), for a few r between the
 *    spectral radius ρ(A) < 1 (from the 2×2 blocks per eigenvalue of H, thresholds.ts) and 1;
 *    any symmetric P will do — the bounds below are verified for the P actually used.
 * 2. Verified with interval arithmetic (outward rounding) and interval Cholesky:
 *    p_lo·I ≼ P ≼ p_hi·I and AᵀPA ≼ ρ_A²P, so ‖Az‖_P ≤ ρ_A‖z‖_P (‖z‖_P = √(zᵀPz)).
 * 3. Remainder: ‖BΔCz‖_P ≤ √p_hi · η · δ · ‖C‖ · ‖z‖_P/√p_lo, where δ ≥ sup ‖∇²f(θ) − H‖₂ over
 *    the ball ‖θ − θ̃‖ ≤ t, certified by interval enclosures of ∇²f over boxes covering the ball.
 *    So ‖z_{k+1}‖_P ≤ γ‖z_k‖_P with γ = ρ_A + ηδ‖C‖√(p_hi/p_lo) < 1 (δ is asked to be at most
 *    half the room 1 − ρ_A; t is the largest radius, by halving and bisection, where it is).
 * 4. The exact minimum θ* is within ρ₀ = ‖∇f(θ̃)‖/(λ_min,lb − δ) of θ̃ (strong convexity on the
 *    ball; ‖∇f(θ̃)‖ enclosed in interval arithmetic). The set {z : ‖z‖²_P < c}, c = p_lo((t − ρ₀)/‖C‖)²,
 *    keeps every gradient point in the ball, so it is forward invariant and the iterates converge
 *    to θ* geometrically (√V shrinks by γ per step): in exact arithmetic.
 * 5. The loop tests z̃ = (p − θ̃ − a·vel, p − θ̃ − b·vel) against `level` < c, which absorbs the
 *    offset θ* − θ̃, the rounding of z̃ and of the quadratic form (a = 0, b = 1 for heavy-ball;
 *    a = β, b = 1 + β for Nesterov, whose iterate p is the look-ahead point y_k).
 * Floating-point evaluation of ∇f adds ~1 ulp of the terms of ∇f per step, which is not bounded
 * here; the construction requires the contraction margin (1 − γ)√c to exceed it by 10³ and says
 * so. The region certifies convergence, not monotone descent: momentum can still raise the loss
 * inside it (classify.ts counts increases only until the decision).
 */
import { checkEta, type DynamicsProblem } from '../classify';
import { intervalCholeskyPositive, intervalEigenBounds } from '../certificate';
import { iAdd, iMul, interval, IntervalUnsupportedError, iSub, roundDown, roundUp, type Interval } from '../interval';
import { evalIntervals, IntervalProgram } from '../intervalEval';
import { MAX_EIGEN_N, symmetricEigenvalues } from '../linalg';
import type { Expr } from '../types';
import type { OptimizerSpec } from './spec';

export interface MomentumCertificate {
  minimum: number;
  eta: number;
  optimizer: 'momentum' | 'nesterov';
  beta: number;
  /** the floating-point minimum θ̃ */
  center: number[];
  /** V(z) = zᵀPz, row-major 2n×2n, z = (θ_k − θ̃, θ_{k−1} − θ̃) */
  P: number[];
  /** the loop's test: V(z̃) < level means converged (certified) */
  level: number;
  /** θ_k = p − a·vel, θ_{k−1} = p − b·vel from the loop's iterate p and velocity vel */
  a: number;
  b: number;
  /** radius of the ball around θ̃ on which ‖∇²f − ∇²f(θ̃)‖₂ ≤ delta is certified */
  radius: number;
  delta: number;
  /** √V shrinks at least by γ < 1 per step inside the region */
  gamma: number;
  /**
   * The region's slice at zero velocity (θ_{k−1} = θ_k): {θ : (θ − θ̃)ᵀS(θ − θ̃) < level}, an
   * ellipse (n×n row-major S = P₁₁ + P₁₂ + P₂₁ + P₂₂) a view can draw.
   */
  slice: number[];
}

export type MomentumCertificateResult =
  | { ok: true; certificate: MomentumCertificate }
  | { ok: false; minimum: number; reason: string };

const U = 2 ** -53;
const fmt = (v: number): string => Number(v.toPrecision(4)).toString();

/** Spectral radius of the heavy-ball / Nesterov recurrence along an eigenvalue λ of H. */
export function momentumRadius(name: 'momentum' | 'nesterov', beta: number, eta: number, lambda: number): number {
  const a = name === 'momentum' ? 1 + beta - eta * lambda : (1 - eta * lambda) * (1 + beta);
  const c = name === 'momentum' ? beta : (1 - eta * lambda) * beta; // z² − a z + c
  const disc = a * a - 4 * c;
  if (disc < 0) return Math.sqrt(c);
  const s = Math.sqrt(disc);
  return Math.max(Math.abs((a + s) / 2), Math.abs((a - s) / 2));
}

/** Dense helpers on row-major m×m arrays. */
function matMul(x: Float64Array, y: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) {
    const xik = x[i * m + k];
    if (xik === 0) continue;
    for (let j = 0; j < m; j++) out[i * m + j] += xik * y[k * m + j];
  }
  return out;
}
function transpose(x: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) out[j * m + i] = x[i * m + j];
  return out;
}

/** P = Σ_k (Mᵀ)ᵏ Mᵏ (Smith's doubling) for ρ(M) < 1; null if it does not settle. */
function lyapunovSolve(M0: Float64Array, m: number): Float64Array | null {
  let X = new Float64Array(m * m);
  for (let i = 0; i < m; i++) X[i * m + i] = 1;
  let M = M0;
  for (let it = 0; it < 60; it++) {
    const term = matMul(matMul(transpose(M, m), X, m), M, m);
    X = X.map((v, idx) => v + term[idx]);
    M = matMul(M, M, m);
    let size = 0;
    for (const v of M) size = Math.max(size, Math.abs(v));
    if (!Number.isFinite(size)) return null;
    if (size < 1e-30) break;
  }
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) {
    const v = (X[i * m + j] + X[j * m + i]) / 2;
    X[i * m + j] = v;
    X[j * m + i] = v;
  }
  return X.every(Number.isFinite) ? X : null;
}

/** The 2n×2n A as intervals (exact real entries enclosed) and as floats. */
function buildA(name: 'momentum' | 'nesterov', beta: number, eta: number, H: Float64Array, n: number): { iv: Interval[]; fl: Float64Array } {
  const m = 2 * n;
  const iv = new Array<Interval>(m * m).fill(interval(0));
  const one = interval(1);
  const b = interval(beta);
  const onePlusB = iAdd(one, b);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const etaH = iMul(interval(eta), interval(H[i * n + j]));
      const g = i === j ? iSub(one, etaH) : iMul(interval(-1), etaH); // (I − ηH)_ij
      if (name === 'momentum') {
        iv[i * m + j] = i === j ? iSub(onePlusB, etaH) : g;
        if (i === j) iv[i * m + n + j] = interval(-beta);
      } else {
        iv[i * m + j] = iMul(onePlusB, g);
        iv[i * m + n + j] = iMul(interval(-beta), g);
      }
    }
    iv[(n + i) * m + i] = one;
  }
  const fl = Float64Array.from(iv, (e) => (e.lo + e.hi) / 2);
  return { iv, fl };
}

/** Interval ρ²P − AᵀPA (P exact floats). */
function contractionMatrix(A: Interval[], P: Float64Array, m: number, rho2: number): Interval[] {
  const PA = new Array<Interval>(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
    let s = interval(0);
    for (let k = 0; k < m; k++) if (P[i * m + k] !== 0) s = iAdd(s, iMul(interval(P[i * m + k]), A[k * m + j]));
    PA[i * m + j] = s;
  }
  const out = new Array<Interval>(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
    let s = iMul(interval(rho2), interval(P[i * m + j]));
    for (let k = 0; k < m; k++) s = iSub(s, iMul(A[k * m + i], PA[k * m + j]));
    out[i * m + j] = s;
  }
  return out;
}

/** Verified p_lo ≤ λ_min(P) and λ_max(P) ≤ p_hi (interval Cholesky of P − p_lo I and p_hi I − P). */
function verifiedSpectrum(P: Float64Array, m: number): { lo: number; hi: number } | null {
  const ev = symmetricEigenvalues(P, m);
  const lo = ev[0] * (1 - 1e-6);
  const hi = ev[m - 1] * (1 + 1e-6);
  if (!(lo > 0)) return null;
  const shifted = (s: number, sign: 1 | -1): Interval[] =>
    Array.from(P, (v, k) => {
      const diag = k % (m + 1) === 0;
      return sign === 1 ? (diag ? iSub(interval(v), interval(s)) : interval(v)) : diag ? iSub(interval(s), interval(v)) : interval(-v);
    });
  if (!intervalCholeskyPositive(shifted(lo, 1), m) || !intervalCholeskyPositive(shifted(hi, -1), m)) return null;
  return { lo, hi };
}

/** sup over the ball B(center, t) of ‖∇²f − H‖₂, by boxes covering it (bisected while above `target`); Infinity if not bounded. */
function remainderBound(program: IntervalProgram, H: Float64Array, n: number, center: readonly number[], t: number, target: number, budget = 256): number {
  let worst = 0;
  let evaluations = 0;
  const stack: { lo: number[]; hi: number[] }[] = [{ lo: center.map((c) => c - t), hi: center.map((c) => c + t) }];
  const boxLo = new Float64Array(n);
  const boxHi = new Float64Array(n);
  const D = new Array<Interval>(n * n);
  while (stack.length > 0) {
    const cell = stack.pop() as { lo: number[]; hi: number[] };
    let dist2 = 0;
    for (let i = 0; i < n; i++) {
      const gap = Math.max(0, cell.lo[i] - center[i], center[i] - cell.hi[i]);
      dist2 += gap * gap;
    }
    if (dist2 > t * t * (1 + 1e-12)) continue;
    if (++evaluations > budget) return Infinity;
    for (let i = 0; i < n; i++) {
      boxLo[i] = roundDown(cell.lo[i]);
      boxHi[i] = roundUp(cell.hi[i]);
    }
    program.run(boxLo, boxHi);
    let k = 0;
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
      const slot = program.outputs[k++];
      const e = iSub({ lo: program.lo[slot], hi: program.hi[slot] }, interval(H[i * n + j]));
      D[i * n + j] = e;
      D[j * n + i] = e;
    }
    const b = intervalEigenBounds(D, n);
    const norm = Math.max(-b.lambdaMinLb, b.lambdaMaxUb, 0);
    if (norm <= target) {
      worst = Math.max(worst, norm);
      continue;
    }
    let axis = 0;
    for (let i = 1; i < n; i++) if (cell.hi[i] - cell.lo[i] > cell.hi[axis] - cell.lo[axis]) axis = i;
    const mid = (cell.lo[axis] + cell.hi[axis]) / 2;
    if (!(cell.hi[axis] - cell.lo[axis] > 1e-12 * (1 + Math.abs(mid)))) return Infinity;
    const leftHi = cell.hi.slice();
    leftHi[axis] = mid;
    const rightLo = cell.lo.slice();
    rightLo[axis] = mid;
    stack.push({ lo: cell.lo, hi: leftHi }, { lo: rightLo, hi: cell.hi });
  }
  return worst;
}

const programs = new WeakMap<object, IntervalProgram>();

/** Builds and certifies the region for minimum `minimumIndex` (module comment). */
export function certifyMomentum(problem: DynamicsProblem, minimumIndex: number, spec: OptimizerSpec, eta: number): MomentumCertificateResult {
  checkEta(eta);
  const fail = (reason: string): MomentumCertificateResult => ({ ok: false, minimum: minimumIndex, reason });
  if (spec.name !== 'momentum' && spec.name !== 'nesterov') return fail(`no momentum certificate for ${spec.name}`);
  const name = spec.name;
  const beta = spec.beta;
  const minimum = problem.minima[minimumIndex];
  if (!minimum) return fail(`there is no minimum with index ${minimumIndex}`);
  const { compiled } = problem;
  const n = compiled.n;
  const m = 2 * n;
  if (m > MAX_EIGEN_N) return fail(`the momentum certificate is built for at most ${MAX_EIGEN_N / 2} variables`);
  if (!(minimum.lambdaMin > 0)) return fail('degenerate minimum: the Hessian at θ* is not positive definite');
  const center = minimum.point.slice();
  const H = new Float64Array(n * n);
  compiled.hessian(center, H);
  const hEig = symmetricEigenvalues(H, n);
  let rhoA = 0;
  for (const l of hEig) rhoA = Math.max(rhoA, momentumRadius(name, beta, eta, l));
  if (!(rhoA < 1)) return fail(`η = ${fmt(eta)} is at or beyond the threshold: the linearised map has spectral radius ${fmt(rhoA)} ≥ 1`);
  const A = buildA(name, beta, eta, H, n);
  const cNorm = name === 'momentum' ? 1 : roundUp(Math.sqrt(roundUp(roundUp((1 + beta) ** 2) + roundUp(beta * beta))));

  // 1–2. the best verified (P, ρ_A) over a few r
  let best: { P: Float64Array; lo: number; hi: number; rho: number; target: number } | null = null;
  for (const frac of [0.2, 0.4, 0.6, 0.8]) {
    const r = rhoA + (1 - rhoA) * frac;
    const P = lyapunovSolve(A.fl.map((v) => v / r), m);
    if (!P) continue;
    const spectrum = verifiedSpectrum(P, m);
    if (!spectrum) continue;
    // (A/r)ᵀP(A/r) = P − I ≼ (1 − 1/p_hi)P numerically; verify a slightly larger factor
    const base = r * r * (1 - 1 / spectrum.hi);
    const rho2 = roundUp(base + 1e-3 * (1 - base));
    if (!(rho2 < 1) || !intervalCholeskyPositive(contractionMatrix(A.iv, P, m, rho2), m)) continue;
    const rho = roundUp(Math.sqrt(rho2));
    const target = (0.5 * (1 - rho)) / (eta * cNorm * Math.sqrt(spectrum.hi / spectrum.lo));
    if (!best || target > best.target) best = { P, lo: spectrum.lo, hi: spectrum.hi, rho, target };
  }
  if (!best) return fail('no Lyapunov matrix of the linearised map could be verified');
  const { P, lo: pLo, hi: pHi, rho } = best;

  // 3. the largest radius t on which δ ≤ target
  let program = programs.get(compiled);
  try {
    if (!program) {
      const upper: Expr[] = [];
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) upper.push(compiled.ir.hess[i][j]);
      program = new IntervalProgram(upper);
      programs.set(compiled, program);
    }
  } catch (err) {
    if (err instanceof IntervalUnsupportedError) return fail(`the objective cannot be bounded in interval arithmetic: ${err.message}`);
    throw err;
  }
  const prog = program;
  const passes = (t: number): boolean => remainderBound(prog, H, n, center, t, best.target) <= best.target;
  let start = 1;
  for (const [a, b] of problem.domain) if (Number.isFinite(b - a)) start = Math.max(start, b - a);
  let good = 0;
  let failing = start;
  if (passes(start)) good = start;
  else {
    let t = start;
    for (let i = 0; i < 50 && good === 0; i++) {
      t /= 2;
      if (passes(t)) good = t;
      else failing = t;
    }
    if (good === 0) return fail('no radius found on which the Hessian stays close enough to ∇²f(θ*) for the contraction');
    for (let i = 0; i < 10; i++) {
      const mid = (good + failing) / 2;
      if (passes(mid)) good = mid;
      else failing = mid;
    }
  }
  const t = good;
  const delta = remainderBound(prog, H, n, center, t, best.target);
  const gamma = roundUp(rho + roundUp(eta * delta * cNorm * Math.sqrt(pHi / pLo) * (1 + 1e-12)));
  if (!(gamma < 1)) return fail('the contraction factor is not below 1');

  // 4. the exact minimum's offset ρ₀ and the level
  const hBounds = intervalEigenBounds(Array.from(H, (v) => interval(v)), n, { lower: [hEig[0] * 0.999, hEig[0] / 2] });
  const strong = roundDown(hBounds.lambdaMinLb - delta);
  if (!(strong > 0)) return fail('strong convexity on the ball could not be certified');
  const grad = evalIntervals(compiled.ir.grad, center.map((v) => interval(v)));
  let g2 = 0;
  for (const g of grad) g2 = roundUp(g2 + roundUp(Math.max(Math.abs(g.lo), Math.abs(g.hi)) ** 2));
  const rho0 = roundUp(roundUp(Math.sqrt(g2)) / strong);
  if (!(rho0 < t / 2)) return fail('the floating-point minimum is too far from the exact one for the certified radius');
  const c = roundDown(pLo * roundDown(((t - rho0) / cNorm) ** 2));

  // 5. the loop's level: offset θ* − θ̃, rounding of z̃ and of the quadratic form
  const a = name === 'momentum' ? 0 : beta;
  const b = name === 'momentum' ? 1 : 1 + beta;
  let centerInf = 0;
  for (const v of center) centerInf = Math.max(centerInf, Math.abs(v));
  const zError = 4 * U * Math.sqrt(m) * (centerInf + 3 * t) * (1 + a + b);
  let absP = 0;
  for (const v of P) absP += v * v;
  const formRel = (4 * m + 4) * U * (Math.sqrt(absP) / pLo);
  const root = Math.sqrt(c) - Math.sqrt(pHi) * (Math.SQRT2 * rho0 + zError);
  if (!(root > 0) || !(formRel < 0.5)) return fail('the certified region is too small to be tested reliably in floating point');
  const level = roundDown(((root * root) / (1 + formRel)) * (1 - 1e-12));
  // round-off of the floating-point iteration itself, against the contraction margin
  if (!((1 - gamma) * Math.sqrt(c) > 1e3 * Math.sqrt(m * pHi) * U * (centerInf + t))) {
    return fail('the certified region is too small to absorb floating-point rounding per step');
  }
  const slice = new Array<number>(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    slice[i * n + j] = P[i * m + j] + P[i * m + n + j] + P[(n + i) * m + j] + P[(n + i) * m + n + j];
  }
  return {
    ok: true,
    certificate: { minimum: minimumIndex, eta, optimizer: name, beta, center, P: Array.from(P), level, a, b, radius: t, delta, gamma, slice },
  };
}

/** certifyMomentum for every minimum, in index order. */
export function certifyMomentumAll(problem: DynamicsProblem, spec: OptimizerSpec, eta: number): MomentumCertificateResult[] {
  return problem.minima.map((_, j) => certifyMomentum(problem, j, spec, eta));
}
