/**
 * The critical-point search for many variables (matrix-free: krylovSolver.ts, krylov.ts) and the
 * eigenvalues beyond Jacobi's range (tridiagonal.ts), checked against closed forms: path-graph
 * Laplacian spectra, a cubic solved by hand, and dense solves written here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileProblemText } from '../../../src/engine/analyze';
import { matrixFree, searchCriticalPoints } from '../../../src/engine/critical';
import { defaultStarts, missedBasinShare } from '../../../src/engine/criticalSeeds';
import { discoverMinima } from '../../../src/engine/discover';
import { cgls, CglsScratch, conjugateGradient } from '../../../src/engine/krylov';
import { MAX_EIGEN_N, symmetricEigen } from '../../../src/engine/linalg';
import { mulberry32 } from '../../../src/engine/random';
import { tridiagonalEigen } from '../../../src/engine/tridiagonal';
import type { Box } from '../../../src/engine/types';

const box = (n: number, lo: number, hi: number): Box => Array.from({ length: n }, () => [lo, hi] as [number, number]);
const chain = (n: number, tail: (k: number) => string): string =>
  Array.from({ length: n - 1 }, (_, k) => `(w${k} - w${k + 1})^2`).join(' + ') + ' + ' + Array.from({ length: n }, (_, k) => tail(k)).join(' + ');
/** eigenvalues of the path graph's Laplacian on n nodes: 2 − 2cos(kπ/n), k = 0..n−1 */
const pathLaplacian = (n: number): number[] => Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((k * Math.PI) / n)).sort((a, b) => a - b);

test('150-variable sum of squares: one minimum at 0, every eigenvalue 2, η_max = 1, verified stationary, 68 starts', () => {
  const obj = compileProblemText(Array.from({ length: 150 }, (_, k) => `w${k}^2`).join(' + '));
  assert.ok(matrixFree(obj));
  const { points, report } = searchCriticalPoints(obj, box(150, -3, 3));
  assert.equal(points.length, 1);
  const [m] = points;
  assert.equal(m.kind, 'minimum');
  assert.deepEqual(m.point, new Array(150).fill(0));
  assert.ok(m.eigenvalues.every((l) => l === 2));
  assert.equal(m.etaMax, 1);
  assert.ok(m.gradientNorm <= (m.gradientBound as number));
  assert.equal(report.starts, defaultStarts(150) + 1); // + the box centre (= the origin)
  assert.equal(report.starts - report.accepted, 0);
});

test('50-variable chain Σ(w_i − w_{i+1})² + 0.1Σw_i² + Σw_i⁴/10: minimum 0, Hessian spectrum 0.2 + 2·(path Laplacian), η_max = 2/(4.2 + 4cos(π/50))', () => {
  const n = 50;
  const obj = compileProblemText(chain(n, (k) => `0.1*w${k}^2 + w${k}^4/10`));
  const { points } = searchCriticalPoints(obj, box(n, -3, 3));
  assert.equal(points.length, 1);
  const [m] = points;
  assert.equal(m.kind, 'minimum');
  assert.ok(m.point.every((v) => v === 0));
  const expected = pathLaplacian(n).map((l) => 0.2 + 2 * l);
  m.eigenvalues.forEach((l, i) => assert.ok(Math.abs(l - expected[i]) <= 1e-13 * 8.2, `λ_${i} = ${l}, expected ${expected[i]}`));
  assert.ok(Math.abs((m.etaMax as number) - 2 / (4.2 + 4 * Math.cos(Math.PI / n))) <= 1e-15);
  assert.ok(m.gradientNorm <= (m.gradientBound as number));
});

test('40-variable chain with its minimum off the origin: w_i = c with 2c³ + c − 1 = 0 (Cardano), spectrum 0.2 + 1.2c² + 2·(path Laplacian)', () => {
  const n = 40;
  const obj = compileProblemText(chain(n, (k) => `0.1*(w${k} - 1)^2 + w${k}^4/10`));
  // 0.2(c − 1) + 0.4c³ = 0  ⇔  c³ + c/2 − 1/2 = 0: one real root by Cardano
  const p = 0.5;
  const q = -0.5;
  const disc = Math.sqrt((q * q) / 4 + (p * p * p) / 27);
  const c = Math.cbrt(-q / 2 + disc) + Math.cbrt(-q / 2 - disc);
  assert.ok(Math.abs(2 * c ** 3 + c - 1) < 1e-15);
  const { points } = searchCriticalPoints(obj, box(n, -3, 3));
  const minima = points.filter((x) => x.kind === 'minimum');
  assert.equal(minima.length, 1);
  assert.equal(points.length, 1);
  const [m] = minima;
  m.point.forEach((v) => assert.ok(Math.abs(v - c) <= 1e-14, `coordinate ${v} vs ${c}`));
  const expected = pathLaplacian(n).map((l) => 0.2 + 1.2 * c * c + 2 * l);
  m.eigenvalues.forEach((l, i) => assert.ok(Math.abs(l - expected[i]) <= 1e-12, `λ_${i} = ${l}, expected ${expected[i]}`));
  assert.ok(m.gradientNorm <= (m.gradientBound as number));
});

test('25 variables, a double well in w0 (w0⁴ − 2w0² + Σw_i²): minima w0 = ±1 (λ_max 8, η_max 1/4) and the saddle at 0 (λ_min = 12·0² − 4 = −4)', () => {
  const n = 25;
  const obj = compileProblemText(`w0^4 - 2*w0^2 + ` + Array.from({ length: n - 1 }, (_, k) => `w${k + 1}^2`).join(' + '));
  assert.ok(matrixFree(obj));
  const { points } = searchCriticalPoints(obj, box(n, -2, 2));
  assert.deepEqual(points.map((x) => x.kind), ['minimum', 'minimum', 'saddle']);
  for (const [m, w0] of [[points[0], -1], [points[1], 1]] as const) {
    assert.deepEqual(m.point, [w0, ...new Array(n - 1).fill(0)]);
    assert.equal(m.etaMax, 0.25);
    assert.equal(m.value, -1);
  }
  assert.deepEqual(points[2].point, new Array(n).fill(0));
  assert.equal(points[2].lambdaMin, -4);
  // descent from the box finds nothing new
  assert.deepEqual(discoverMinima(obj, [box(n, -2, 2)], points), []);
});

test('the chain minimum outside the box is found by descent (matrix-free discovery)', () => {
  const n = 30;
  // minimum at w_i = 5 for every i, the box is [-3, 3]ⁿ
  const obj = compileProblemText(chain(n, (k) => `(w${k} - 5)^2`));
  const { points } = searchCriticalPoints(obj, box(n, -3, 3));
  assert.equal(points.length, 0);
  const found = discoverMinima(obj, [box(n, -3, 3)], points);
  assert.equal(found.length, 1);
  assert.equal(found[0].outside, true);
  found[0].point.forEach((v) => assert.ok(Math.abs(v - 5) <= 1e-13));
  const expected = pathLaplacian(n).map((l) => 2 + 2 * l);
  found[0].eigenvalues.forEach((l, i) => assert.ok(Math.abs(l - expected[i]) <= 1e-12));
});

test('default starts: unchanged up to 20 variables, 10,000/n (≥ 64) beyond; the missed-basin share solves (1 − p)^k = 5%', () => {
  assert.deepEqual([1, 2, 3, 4, 6, 20].map(defaultStarts), [64, 196, 512, 600, 800, 800]);
  assert.deepEqual([21, 50, 150, 1000].map(defaultStarts), [476, 200, 67, 64]);
  for (const k of [1, 64, 196, 800]) assert.ok(Math.abs((1 - missedBasinShare(k)) ** k - 0.05) < 1e-12);
  assert.ok(Math.abs(missedBasinShare(64) - 0.0457) < 1e-3);
});

/** a random symmetric matrix with a chosen spectrum: Q diag(λ) Qᵀ, Q from Householder reflections */
function withSpectrum(values: number[], seed: number): Float64Array {
  const n = values.length;
  const random = mulberry32(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = values[i];
  for (let r = 0; r < 3; r++) {
    const v = Array.from({ length: n }, () => random() - 0.5);
    const vv = v.reduce((s, x) => s + x * x, 0);
    // a ← (I − 2vvᵀ/vᵀv) a (I − 2vvᵀ/vᵀv)
    for (const side of [0, 1]) {
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += v[i] * (side === 0 ? a[i * n + k] : a[k * n + i]);
        for (let i = 0; i < n; i++) {
          if (side === 0) a[i * n + k] -= (2 * v[i] * s) / vv;
          else a[k * n + i] -= (2 * v[i] * s) / vv;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = 0.5 * (a[i * n + j] + a[j * n + i]);
  return a;
}

test('eigenvalues above MAX_EIGEN_N (Householder + QL): known spectra, repeated and zero eigenvalues, eigenvector residuals', () => {
  for (const [n, spectrum] of [
    [MAX_EIGEN_N + 1, (k: number) => k - 10],
    [40, (k: number) => (k % 4 === 0 ? 0 : k)],
    [64, (k: number) => (k < 32 ? 3 : -1e-3 * k)],
    [100, (k: number) => Math.sin(k) * 1e6],
  ] as const) {
    const values = Array.from({ length: n }, (_, k) => spectrum(k));
    const a = withSpectrum(values, n);
    const scale = Math.max(...values.map(Math.abs));
    const { values: got, vectors } = symmetricEigen(a, n, true);
    const sorted = [...values].sort((p, q) => p - q);
    sorted.forEach((l, i) => assert.ok(Math.abs(got[i] - l) <= 1e-13 * n * scale, `n = ${n}: λ_${i} = ${got[i]}, expected ${l}`));
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j] * vectors[j * n + k];
        assert.ok(Math.abs(s - got[k] * vectors[i * n + k]) <= 1e-12 * n * scale);
      }
    }
  }
  // a diagonal matrix and the zero matrix come back exactly
  const d = new Float64Array(30 * 30);
  for (let i = 0; i < 30; i++) d[i * 30 + i] = 30 - i;
  assert.deepEqual(Array.from(tridiagonalEigen(d.slice(), 30, false).values), Array.from({ length: 30 }, (_, i) => i + 1));
  assert.deepEqual(Array.from(symmetricEigen(new Float64Array(900), 30, false).values), new Array(30).fill(0));
  assert.ok(symmetricEigen(Float64Array.from({ length: 900 }, (_, i) => (i === 31 ? NaN : 0)), 30, false).values.every(Number.isNaN));
});

test('a rank-deficient Gram matrix B·Bᵀ (60×60, rank 8): 52 eigenvalues at round-off level, the other 8 = those of Bᵀ·B', () => {
  const n = 60;
  const k = 8;
  const random = mulberry32(11);
  const b = Array.from({ length: n * k }, () => random() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < k; c++) a[i * n + j] += b[i * k + c] * b[j * k + c];
  const small = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let r = 0; r < n; r++) small[i * k + j] += b[r * k + i] * b[r * k + j];
  const got = symmetricEigen(a, n, false).values; // Householder + QL (n > 20)
  const expected = symmetricEigen(small, k, false).values; // Jacobi (k ≤ 20)
  const scale = expected[k - 1];
  for (let i = 0; i < n - k; i++) assert.ok(Math.abs(got[i]) <= 1e-13 * scale, `λ_${i} = ${got[i]}`);
  for (let i = 0; i < k; i++) assert.ok(Math.abs(got[n - k + i] - expected[i]) <= 1e-13 * scale);
});

test('CGLS and CG against dense solves written here (indefinite and singular matrices too)', () => {
  const n = 12;
  const random = mulberry32(3);
  const values = Array.from({ length: n }, (_, k) => (k === 0 ? 0 : k % 3 === 0 ? -k : k));
  const a = withSpectrum(values, 7);
  const apply = (v: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
      out[i] = s;
    }
  };
  const b = Float64Array.from({ length: n }, () => random() - 0.5);
  const d = new Float64Array(n);
  const w = new CglsScratch(n);
  // damped: (A² + μI) d = A b, checked through the normal equations
  for (const mu of [1e-3, 1]) {
    const r = cgls(apply, b, mu, d, w, 100, 1e-14);
    assert.ok(r.ok);
    const ad = new Float64Array(n);
    apply(d, ad);
    const res = ad.map((v, i) => b[i] - v);
    const atr = new Float64Array(n);
    apply(res, atr);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(atr[i] - mu * d[i]) <= 1e-11, `μ = ${mu}: normal equations off by ${atr[i] - mu * d[i]}`);
    assert.ok(Math.abs(r.residual - Math.hypot(...res)) <= 1e-12);
  }
  // singular A, μ = 0: the minimum-norm least-squares solution has no component along the null vector
  cgls(apply, b, 0, d, w, 100, 1e-14);
  const eigen = symmetricEigen(a, n, true);
  const zero = eigen.values.reduce((best, l, k) => (Math.abs(l) < Math.abs(eigen.values[best]) ? k : best), 0);
  let along = 0;
  for (let i = 0; i < n; i++) along += eigen.vectors[i * n + zero] * d[i];
  assert.ok(Math.abs(along) < 1e-10, `component along the null vector: ${along}`);
  // CG stops at negative curvature on the indefinite matrix, solves a positive definite one
  assert.equal(conjugateGradient(apply, b, d, w, 100, 1e-14).indefinite, true);
  const spd = withSpectrum(Array.from({ length: n }, (_, k) => k + 1), 9);
  const applySpd = (v: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += spd[i * n + j] * v[j];
      out[i] = s;
    }
  };
  const cg = conjugateGradient(applySpd, b, d, w, 100, 1e-14);
  assert.ok(cg.ok && !cg.indefinite);
  const check = new Float64Array(n);
  applySpd(d, check);
  check.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-12));
});
