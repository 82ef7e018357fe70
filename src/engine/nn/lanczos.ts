/**
 * The top-k (algebraically largest) eigenvalues of a symmetric operator given only by
 * matrix-vector products (here: exact Hessian-vector products), by Lanczos with full
 * reorthogonalisation (classical Gram–Schmidt, twice), warm-started from the previous call's
 * Ritz vector(s). The Krylov basis is preallocated (maxIter × n); the small tridiagonal
 * eigenproblems use the engine's Jacobi solver (linalg.ts; their size is the iteration count).
 *
 * Stopping rule, per wanted Ritz value θ_i with residual r_i = β_j·|s_i[last]| (‖A x − θ x‖ of
 * its Ritz vector): the error estimate min(r_i, r_i² / max(θ_i − θ_{i+1} − r_{i+1}, r_i)) —
 * the residual bound, sharpened by the gap to the next Ritz value when that gap is resolved —
 * must fall below tol·|θ_i|. The gap is used only once the basis has k + 3 vectors (the next
 * Ritz value of a 2–3 dimensional Krylov space is too rough to bound the error with).
 */
import { symmetricEigen } from '../linalg';
import { mulberry32 } from '../random';

export type MatVec = (x: Float64Array, out: Float64Array) => void;

export interface LanczosOptions {
  /** how many top eigenvalues (default 1) */
  k?: number;
  /** relative accuracy of each wanted eigenvalue (default 1e-6) */
  tol?: number;
  /** at most this many matrix-vector products (default: the instance's capacity) */
  maxIter?: number;
  /** start from the last call's Ritz vectors (default true) */
  warm?: boolean;
}

export interface LanczosResult {
  /** top-k eigenvalue estimates, descending */
  values: number[];
  /** error estimate per value (absolute) */
  errors: number[];
  /** matrix-vector products used */
  matvecs: number;
  converged: boolean;
}

export class Lanczos {
  /** Ritz vectors of the last call, k × n row-major (unit length); the warm start of the next call */
  readonly vectors: Float64Array;
  private readonly basis: Float64Array;
  private readonly w: Float64Array;
  private readonly random: () => number;
  private hasWarm = false;
  private lastK = 0;

  constructor(readonly n: number, readonly capacity = 60, readonly maxK = 4, seed = 12345) {
    if (!(n >= 1)) throw new RangeError('Lanczos needs a positive dimension');
    this.capacity = Math.max(1, Math.min(capacity, n));
    this.basis = new Float64Array((this.capacity + 1) * n);
    this.w = new Float64Array(n);
    this.vectors = new Float64Array(maxK * n);
    this.random = mulberry32(seed);
  }

  /** Forget the warm start (e.g. when the operator changes completely). */
  reset(): void {
    this.hasWarm = false;
  }

  run(matvec: MatVec, options: LanczosOptions = {}): LanczosResult {
    const n = this.n;
    const k = Math.min(options.k ?? 1, this.maxK, n);
    const tol = options.tol ?? 1e-6;
    const maxIter = Math.min(options.maxIter ?? this.capacity, this.capacity);
    const { basis: Q, w } = this;

    // q_0: the previous Ritz vectors (summed), else a seeded random vector
    const q0 = Q.subarray(0, n);
    if ((options.warm ?? true) && this.hasWarm) {
      q0.fill(0);
      for (let i = 0; i < Math.min(k, this.lastK); i++) for (let t = 0; t < n; t++) q0[t] += this.vectors[i * n + t];
      // a small random part keeps directions the old vectors miss reachable
      for (let t = 0; t < n; t++) q0[t] += 1e-3 * (this.random() - 0.5) / Math.sqrt(n);
    } else {
      for (let t = 0; t < n; t++) q0[t] = this.random() - 0.5;
    }
    scale(q0, 1 / norm(q0));

    const alpha: number[] = [];
    const beta: number[] = [];
    let values: number[] = [];
    let errors: number[] = [];
    let ritz: Float64Array = new Float64Array(0);
    let order: number[] = [];
    let m = 0;
    let converged = false;
    for (let j = 0; j < maxIter; j++) {
      const qj = Q.subarray(j * n, (j + 1) * n);
      matvec(qj, w);
      m = j + 1;
      let a = 0;
      for (let t = 0; t < n; t++) a += qj[t] * w[t];
      alpha.push(a);
      // w ⟂ all previous basis vectors (twice is enough: Kahan–Parlett)
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i <= j; i++) {
          const qi = Q.subarray(i * n, (i + 1) * n);
          let c = 0;
          for (let t = 0; t < n; t++) c += qi[t] * w[t];
          for (let t = 0; t < n; t++) w[t] -= c * qi[t];
        }
      }
      const b = norm(w);
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        values = new Array<number>(k).fill(NaN);
        errors = new Array<number>(k).fill(NaN);
        m = 0;
        break;
      }
      // the tridiagonal T_m and its eigenpairs
      const T = new Float64Array(m * m);
      for (let i = 0; i < m; i++) {
        T[i * m + i] = alpha[i];
        if (i + 1 < m) T[i * m + i + 1] = T[(i + 1) * m + i] = beta[i];
      }
      const eig = symmetricEigen(T, m, true);
      ritz = eig.vectors;
      order = Array.from({ length: m }, (_, i) => m - 1 - i); // descending
      values = order.slice(0, k).map((i) => eig.values[i]);
      const residual = order.map((i) => Math.abs(b * ritz[(m - 1) * m + i]));
      errors = values.map((theta, i) => {
        const r = residual[i];
        // the gap to the next Ritz value is only trusted once the basis has a few more vectors
        if (i + 1 >= m || m < k + 3) return r;
        const gap = theta - eig.values[order[i + 1]] - residual[i + 1];
        return Math.min(r, (r * r) / Math.max(gap, r));
      });
      const normT = Math.max(Math.abs(eig.values[0]), Math.abs(eig.values[m - 1]), Number.MIN_VALUE);
      const invariant = b <= 1e-13 * normT;
      if (m >= k && values.every((v, i) => errors[i] <= tol * Math.max(Math.abs(v), 1e-300))) {
        converged = true;
        break;
      }
      if (invariant || m === n) {
        converged = m >= k;
        break;
      }
      beta.push(b);
      const next = Q.subarray((j + 1) * n, (j + 2) * n);
      for (let t = 0; t < n; t++) next[t] = w[t] / b;
    }
    // Ritz vectors x_i = Σ_j s_i[j] q_j
    const kk = Math.min(k, m);
    for (let i = 0; i < kk; i++) {
      const x = this.vectors.subarray(i * n, (i + 1) * n);
      x.fill(0);
      for (let j = 0; j < m; j++) {
        const s = ritz[j * m + order[i]];
        const qj = Q.subarray(j * n, (j + 1) * n);
        for (let t = 0; t < n; t++) x[t] += s * qj[t];
      }
      scale(x, 1 / norm(x));
    }
    this.hasWarm = kk > 0 && values.every(Number.isFinite);
    this.lastK = kk;
    return { values: values.slice(0, kk), errors: errors.slice(0, kk), matvecs: m, converged };
  }
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function scale(v: Float64Array, c: number): void {
  for (let i = 0; i < v.length; i++) v[i] *= c;
}
