import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../src/engine/random';
import {
  choleskySolve,
  eigen2x2,
  eigen2x2Max,
  eigen2x2Min,
  luSolve,
  norm2,
  symmetricEigen,
  symmetricEigenvalues,
} from '../../../src/engine/linalg';

const rng = mulberry32;

/** A random orthogonal matrix from Gram–Schmidt on random columns (row-major). */
function randomOrthogonal(n: number, rand: () => number): Float64Array {
  const q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const v = Array.from({ length: n }, () => rand() * 2 - 1);
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i] * q[i * n + k];
      for (let i = 0; i < n; i++) v[i] -= dot * q[i * n + k];
    }
    const len = Math.hypot(...v);
    for (let i = 0; i < n; i++) q[i * n + j] = v[i] / len;
  }
  return q;
}

/** Q diag(d) Qᵀ */
function qdqt(q: Float64Array, d: number[]): Float64Array {
  const n = d.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * d[k] * q[j * n + k];
      a[i * n + j] = s;
    }
  // exact symmetry
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[j * n + i] = a[i * n + j];
  return a;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]} (tol ${tol})`);
  }
}

test('diagonal matrices: eigenvalues are the sorted diagonal', () => {
  const d = [3, -1, 7, 0, 2.5];
  const a = new Float64Array(25);
  d.forEach((v, i) => (a[i * 5 + i] = v));
  assertClose(symmetricEigenvalues(a, 5), [-1, 0, 2.5, 3, 7], 0, 'diag');
  assertClose(symmetricEigenvalues(new Float64Array([4]), 1), [4], 0, '1x1');
  assert.equal(symmetricEigenvalues(new Float64Array(0), 0).length, 0);
});

test('2×2 diagonal in descending order: values ascending, eigenvector columns swapped with them', () => {
  const e = symmetricEigen(new Float64Array([5, 0, 0, -2]), 2);
  assert.deepEqual(Array.from(e.values), [-2, 5]);
  // column 0 belongs to −2 (the y axis), column 1 to 5 (the x axis); row-major n×n
  assert.deepEqual(Array.from(e.vectors).map(Math.abs), [0, 1, 1, 0]);
  // equal values keep their order
  const t = symmetricEigen(new Float64Array([1, 0, 0, 1]), 2);
  assert.deepEqual(Array.from(t.vectors), [1, 0, 0, 1]);
});

test('2x2 closed form: [[a,b],[b,c]] eigenvalues are (a+c)/2 ± sqrt(((a-c)/2)^2 + b^2)', () => {
  const rand = rng(7);
  for (let k = 0; k < 200; k++) {
    const a = rand() * 20 - 10;
    const b = rand() * 20 - 10;
    const c = rand() * 20 - 10;
    const r = Math.sqrt(((a - c) / 2) ** 2 + b * b);
    const expected = [(a + c) / 2 - r, (a + c) / 2 + r];
    assertClose(eigen2x2(a, b, c), expected, 1e-12 * (1 + r), '2x2 closed');
    assertClose(symmetricEigenvalues(new Float64Array([a, b, b, c]), 2), expected, 1e-12 * (1 + r), '2x2 jacobi');
    assert.ok(Math.abs(eigen2x2Max(a, b, c) - expected[1]) <= 1e-12 * (1 + r));
    assert.ok(Math.abs(eigen2x2Min(a, b, c) - expected[0]) <= 1e-12 * (1 + r));
  }
  // Rosenbrock Hessian at (1,1): [[802,-400],[-400,200]] → 501 ± sqrt(301² + 400²)
  const r = Math.sqrt(301 * 301 + 400 * 400);
  assertClose(eigen2x2(802, -400, 200), [501 - r, 501 + r], 1e-12, 'rosenbrock');
  // f3 Hessian at (1,1): [[8,4],[4,8]] → 4, 12
  assertClose(eigen2x2(8, 4, 8), [4, 12], 1e-14, 'f3');
  // small eigenvalue without cancellation: [[1, 1e-9],[1e-9, 1e-8]] → λmin ≈ 1e-8 - 1e-18/(1-1e-8)
  const [lo] = eigen2x2(1, 1e-9, 1e-8);
  assert.ok(Math.abs(lo - (1e-8 - 1e-18 / (1 - 1e-8))) <= 1e-22, `small eigenvalue ${lo}`);
});

test('known spectra: tridiagonal [-1 2 -1] has eigenvalues 2 - 2cos(kπ/(n+1))', () => {
  for (const n of [3, 6, 10, 20]) {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = -1;
      if (i < n - 1) a[i * n + i + 1] = -1;
    }
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    assertClose(symmetricEigenvalues(a, n), expected, 1e-13, `tridiag n=${n}`);
  }
  // all-ones matrix J_n: eigenvalues 0 (n-1 times) and n
  const n = 7;
  const ones = new Float64Array(n * n).fill(1);
  assertClose(symmetricEigenvalues(ones, n), [0, 0, 0, 0, 0, 0, 7], 1e-13, 'ones');
});

test('rotated diagonal Q D Qᵀ, n = 3..8 and 20: eigenvalues are D sorted, eigenvectors satisfy A v = λ v', () => {
  const rand = rng(42);
  for (const n of [3, 4, 5, 6, 7, 8, 20]) {
    const d = Array.from({ length: n }, () => Math.round((rand() * 20 - 10) * 1000) / 1000);
    if (n >= 4) d[1] = d[0]; // a repeated eigenvalue
    const q = randomOrthogonal(n, rand);
    const a = qdqt(q, d);
    const expected = [...d].sort((x, y) => x - y);
    assertClose(symmetricEigenvalues(a, n), expected, 1e-12 * 10 * n, `QDQt n=${n}`);
    const { values, vectors } = symmetricEigen(a, n);
    for (let j = 0; j < n; j++) {
      const v = Array.from({ length: n }, (_, i) => vectors[i * n + j]);
      assert.ok(Math.abs(norm2(v) - 1) < 1e-12, 'unit eigenvector');
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let k = 0; k < n; k++) av += a[i * n + k] * v[k];
        assert.ok(Math.abs(av - values[j] * v[i]) < 1e-11 * n, `A v = λ v, n=${n}`);
      }
    }
  }
});

test('input is not modified; non-finite input gives NaN; bad size throws', () => {
  const a = new Float64Array([2, 1, 1, 2]);
  symmetricEigenvalues(a, 2);
  assert.deepEqual([...a], [2, 1, 1, 2]);
  const bad = symmetricEigenvalues(new Float64Array([1, NaN, NaN, 1]), 2);
  assert.ok(bad.every((v) => Number.isNaN(v)));
  assert.throws(() => symmetricEigenvalues(new Float64Array(3), 2), /entries/);
});

test('norm2 is overflow-safe; Cholesky and LU solve small systems', () => {
  assert.equal(norm2([3, 4]), 5);
  assert.ok(Math.abs(norm2([3e200, 4e200]) / 5e200 - 1) < 1e-15);
  const a = new Float64Array([4, 2, 2, 3]); // SPD
  const x = new Float64Array(2);
  assert.ok(choleskySolve(a, [2, 1], 2, x, new Float64Array(4)));
  // solution of [[4,2],[2,3]] x = [2,1]: det 8, x = [ (2*3-2*1)/8, (4*1-2*2)/8 ] = [0.5, 0]
  assertClose(x, [0.5, 0], 1e-15, 'cholesky');
  assert.equal(choleskySolve(new Float64Array([1, 2, 2, 1]), [1, 1], 2, x, new Float64Array(4)), false);
  const y = new Float64Array(3);
  // [[0,1,0],[1,0,0],[0,0,2]] needs pivoting
  assert.ok(luSolve(new Float64Array([0, 1, 0, 1, 0, 0, 0, 0, 2]), [3, 5, 4], 3, y, new Float64Array(12)));
  assertClose(y, [5, 3, 2], 1e-15, 'lu');
  assert.equal(luSolve(new Float64Array([1, 2, 2, 4]), [1, 1], 2, y, new Float64Array(6)), false);
});
