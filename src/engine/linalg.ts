/**
 * Small dense linear algebra for the engine: symmetric eigenvalues (cyclic Jacobi), a 2×2
 * closed form, norms and a Cholesky / LU solve. Matrices are row-major Float64Arrays of
 * length n*n. Nothing here allocates in a loop; every function is pure except the `*InPlace`
 * ones, which say so.
 */

import { tridiagonalEigen } from './tridiagonal';

/**
 * Largest n the cyclic Jacobi routine is used for (O(n³) per sweep, several sweeps); larger
 * matrices go through Householder tridiagonalisation and implicit QL (tridiagonal.ts), O(n³) once.
 */
export const MAX_EIGEN_N = 20;

/** Euclidean norm of a vector. */
export function norm2(v: ArrayLike<number>): number {
  // Scaled to avoid overflow/underflow for extreme entries.
  let scale = 0;
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const t = v[i] / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

/** Max-norm (largest absolute entry) of a vector. */
export function normInf(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}

/** Frobenius norm of an n×n matrix (row-major). */
export function frobeniusNorm(a: ArrayLike<number>): number {
  return norm2(a);
}

/**
 * Both eigenvalues of the symmetric 2×2 matrix [[a, b], [b, c]], ascending.
 * Uses the Jacobi rotation formula (no cancellation in the small eigenvalue when b is small).
 */
export function eigen2x2(a: number, b: number, c: number): [number, number] {
  const out: [number, number] = [0, 0];
  eigen2x2Into(a, b, c, out);
  return out;
}

/** {@link eigen2x2} into out[0] (smaller), out[1] (larger), without allocating. */
export function eigen2x2Into(a: number, b: number, c: number, out: Float64Array | [number, number]): void {
  if (b === 0) {
    out[0] = a <= c ? a : c;
    out[1] = a <= c ? c : a;
    return;
  }
  const theta = (c - a) / (2 * b);
  const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const l1 = a - t * b;
  const l2 = c + t * b;
  out[0] = l1 <= l2 ? l1 : l2;
  out[1] = l1 <= l2 ? l2 : l1;
}

/** Largest eigenvalue of the symmetric 2×2 matrix [[a, b], [b, c]]. */
export function eigen2x2Max(a: number, b: number, c: number): number {
  return eigen2x2(a, b, c)[1];
}

/** Smallest eigenvalue of the symmetric 2×2 matrix [[a, b], [b, c]]. */
export function eigen2x2Min(a: number, b: number, c: number): number {
  return eigen2x2(a, b, c)[0];
}

/**
 * Eigenvalues of the symmetric n×n matrix `a` (row-major; only its symmetric part is used:
 * entries (i,j) and (j,i) are averaged), ascending. Cyclic Jacobi with the classical
 * threshold strategy for n ≤ MAX_EIGEN_N (converges quadratically, to a few ulps of ‖a‖ in
 * ≤ ~10 sweeps); Householder + implicit QL beyond (tridiagonal.ts). Non-finite input gives NaN
 * eigenvalues. `a` is not modified.
 */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  return symmetricEigen(a, n, false).values;
}

/** Eigenvalues (ascending) and, if asked, unit eigenvectors as the columns of `vectors`. */
export interface SymmetricEigen {
  values: Float64Array;
  /** n×n row-major; column j is the eigenvector of values[j]; empty when not requested */
  vectors: Float64Array;
}

/** Jacobi eigen-decomposition of a symmetric matrix; see {@link symmetricEigenvalues}. */
export function symmetricEigen(a: ArrayLike<number>, n: number, wantVectors = true): SymmetricEigen {
  if (!Number.isInteger(n) || n < 0) throw new Error(`symmetricEigen: bad size ${n}`);
  return symmetricEigenInto(a, n, wantVectors, eigenScratch(n, wantVectors));
}

/**
 * Buffers for {@link symmetricEigenInto}: the result (values, vectors) and the work arrays, so a
 * caller that decomposes many matrices of one size (the stall classifier of a basin map) does
 * not allocate per call.
 */
export interface EigenScratch extends SymmetricEigen {
  readonly n: number;
  /** the matrix being rotated */
  readonly m: Float64Array;
  /** eigenvector columns before sorting */
  readonly sorted: Float64Array;
  /** the sort permutation (a plain array: sorted by the same Array.prototype.sort) */
  readonly order: number[];
}

export function eigenScratch(n: number, wantVectors: boolean): EigenScratch {
  return {
    n,
    values: new Float64Array(n),
    vectors: new Float64Array(wantVectors ? n * n : 0),
    m: new Float64Array(n * n),
    sorted: new Float64Array(wantVectors ? n * n : 0),
    order: Array.from({ length: n }, (_, i) => i),
  };
}

/**
 * {@link symmetricEigen} into `s` (made by eigenScratch(n, wantVectors)): the very same
 * operations; returns `s`, whose values and vectors are overwritten by the next call.
 */
export function symmetricEigenInto(a: ArrayLike<number>, n: number, wantVectors: boolean, s: EigenScratch): EigenScratch {
  if (!Number.isInteger(n) || n < 0) throw new Error(`symmetricEigen: bad size ${n}`);
  if (a.length < n * n) throw new Error(`symmetricEigen: matrix has ${a.length} entries, need ${n * n}`);
  if (s.n !== n || s.vectors.length !== (wantVectors ? n * n : 0)) throw new Error(`symmetricEigen: scratch of size ${s.n} for a ${n}×${n} matrix`);
  const { values, vectors, m } = s;
  if (n === 0) return s;

  let finite = true;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = i === j ? a[i * n + i] : 0.5 * (a[i * n + j] + a[j * n + i]);
      if (!Number.isFinite(v)) finite = false;
      m[i * n + j] = v;
    }
  }
  if (!finite) {
    values.fill(NaN);
    vectors.fill(NaN);
    return s;
  }
  if (n > MAX_EIGEN_N) {
    const t = tridiagonalEigen(m, n, wantVectors);
    values.set(t.values);
    vectors.set(t.vectors);
    return s;
  }
  if (wantVectors) {
    vectors.fill(0);
    for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  }

  const maxSweeps = 60;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i] * m[i * n + i];
      for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    }
    if (off === 0 || off <= 1e-36 * diag) break;
    // Threshold: skip tiny rotations in the first sweeps (classical strategy).
    const threshold = sweep < 3 ? (0.2 * Math.sqrt(off)) / (n * n) : 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const app = m[p * n + p];
        const aqq = m[q * n + q];
        // After a few sweeps, an element negligible against both diagonals is set to zero.
        const g = 100 * Math.abs(apq);
        if (sweep > 3 && Math.abs(app) + g === Math.abs(app) && Math.abs(aqq) + g === Math.abs(aqq)) {
          m[p * n + q] = 0;
          m[q * n + p] = 0;
          continue;
        }
        if (Math.abs(apq) <= threshold) continue;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        const tau = sn / (1 + c);
        m[p * n + p] = app - t * apq;
        m[q * n + q] = aqq + t * apq;
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = m[r * n + p];
          const arq = m[r * n + q];
          const nrp = arp - sn * (arq + tau * arp);
          const nrq = arq + sn * (arp - tau * arq);
          m[r * n + p] = nrp;
          m[p * n + r] = nrp;
          m[r * n + q] = nrq;
          m[q * n + r] = nrq;
        }
        if (wantVectors) {
          for (let r = 0; r < n; r++) {
            const vrp = vectors[r * n + p];
            const vrq = vectors[r * n + q];
            vectors[r * n + p] = vrp - sn * (vrq + tau * vrp);
            vectors[r * n + q] = vrq + sn * (vrp - tau * vrq);
          }
        }
      }
    }
  }

  // Sort ascending, permuting eigenvector columns along.
  const order = s.order;
  for (let i = 0; i < n; i++) order[i] = i;
  const cmp = (i: number, j: number): number => m[i * n + i] - m[j * n + j] || i - j;
  // two values (every 2-D map's stall check): the one comparison Array.prototype.sort makes
  // (its insertion step puts order[1] first iff cmp(order[1], order[0]) < 0), without its
  // temporary arrays
  if (n === 2) {
    if (cmp(1, 0) < 0) {
      order[0] = 1;
      order[1] = 0;
    }
  } else order.sort(cmp);
  for (let k = 0; k < n; k++) values[k] = m[order[k] * n + order[k]];
  if (wantVectors) {
    const sorted = s.sorted;
    for (let k = 0; k < n; k++) for (let r = 0; r < n; r++) sorted[r * n + k] = vectors[r * n + order[k]];
    vectors.set(sorted);
  }
  return s;
}

/**
 * Solves (A) x = b for a symmetric positive definite A by Cholesky, writing x into `out`.
 * `work` must have length ≥ n*n. Returns false (out untouched) if A is not numerically SPD.
 */
export function choleskySolve(a: ArrayLike<number>, b: ArrayLike<number>, n: number, out: Float64Array, work: Float64Array): boolean {
  const l = work;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  // forward: L y = b ; backward: Lᵀ x = y  (y stored in out)
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * out[k];
    out[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * out[k];
    out[i] = s / l[i * n + i];
  }
  return true;
}

/**
 * Solves A x = b by LU with partial pivoting (A general n×n), writing x into `out`.
 * `work` must have length ≥ n*n + n. Returns false if A is singular to working precision
 * (a pivot ≤ 1e-14·max|A|) or the result is not finite.
 */
export function luSolve(a: ArrayLike<number>, b: ArrayLike<number>, n: number, out: Float64Array, work: Float64Array): boolean {
  const m = work;
  let amax = 0;
  for (let i = 0; i < n * n; i++) {
    m[i] = a[i];
    amax = Math.max(amax, Math.abs(a[i]));
  }
  if (!(amax > 0) || !Number.isFinite(amax)) return false;
  const rhs = work.subarray(n * n, n * n + n);
  for (let i = 0; i < n; i++) rhs[i] = b[i];
  const tiny = 1e-14 * amax;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
    if (!(Math.abs(m[piv * n + c]) > tiny)) return false;
    if (piv !== c) {
      for (let k = 0; k < n; k++) {
        const t = m[c * n + k];
        m[c * n + k] = m[piv * n + k];
        m[piv * n + k] = t;
      }
      const t = rhs[c];
      rhs[c] = rhs[piv];
      rhs[piv] = t;
    }
    const d = m[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / d;
      if (f === 0) continue;
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
      rhs[r] -= f * rhs[c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = rhs[i];
    for (let k = i + 1; k < n; k++) s -= m[i * n + k] * out[k];
    out[i] = s / m[i * n + i];
    if (!Number.isFinite(out[i])) return false;
  }
  return true;
}
