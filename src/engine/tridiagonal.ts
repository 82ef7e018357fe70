/**
 * Symmetric eigenvalues (and eigenvectors) for larger matrices: Householder reduction to
 * tridiagonal form, then the implicit QL iteration with Wilkinson-type shifts (Golub & Van Loan,
 * *Matrix Computations*, §8.3). O(n³) once — about 4/3·n³ flops for the values, twice that with
 * vectors — where cyclic Jacobi (linalg.ts) costs O(n³) per sweep over several sweeps. Both are
 * backward stable: the computed eigenvalues are exact for a matrix within a small multiple of
 * n·u·‖A‖ of the input. linalg.symmetricEigen uses this above MAX_EIGEN_N.
 */

/**
 * Reduces the symmetric n×n matrix m (row-major, modified) to tridiagonal form QᵀmQ: diagonal in
 * d, sub-diagonal in e (e[i] couples i and i+1; e[n−1] = 0). When q is given (n×n), it receives Q.
 */
function tridiagonalize(m: Float64Array, n: number, d: Float64Array, e: Float64Array, q: Float64Array | null): void {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  if (q) {
    q.fill(0);
    for (let i = 0; i < n; i++) q[i * n + i] = 1;
  }
  for (let k = 0; k < n - 2; k++) {
    // Householder vector v for the column below the diagonal: (I − β v vᵀ) x = α e₁
    let scale = 0;
    for (let i = k + 1; i < n; i++) scale = Math.max(scale, Math.abs(m[i * n + k]));
    if (scale === 0) {
      e[k] = 0;
      continue;
    }
    let sigma = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = m[i * n + k] / scale;
      sigma += v[i] * v[i];
    }
    const x0 = v[k + 1];
    const normX = Math.sqrt(sigma);
    const alpha = x0 >= 0 ? -normX : normX;
    v[k + 1] = x0 - alpha;
    const vv = sigma - x0 * x0 + v[k + 1] * v[k + 1];
    const beta = 2 / vv;
    e[k] = alpha * scale;
    // p = β A v (on the trailing block), w = p − (β/2)(pᵀv) v, A ← A − v wᵀ − w vᵀ
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += m[i * n + j] * v[j];
      p[i] = beta * s;
      pv += p[i] * v[i];
    }
    const half = 0.5 * beta * pv;
    for (let i = k + 1; i < n; i++) p[i] -= half * v[i];
    for (let i = k + 1; i < n; i++) {
      for (let j = k + 1; j < n; j++) m[i * n + j] -= v[i] * p[j] + p[i] * v[j];
    }
    if (q) {
      // Q ← Q (I − β v vᵀ)
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let j = k + 1; j < n; j++) s += q[r * n + j] * v[j];
        s *= beta;
        if (s === 0) continue;
        for (let j = k + 1; j < n; j++) q[r * n + j] -= s * v[j];
      }
    }
  }
  for (let i = 0; i < n; i++) d[i] = m[i * n + i];
  if (n >= 2) e[n - 2] = m[(n - 1) * n + (n - 2)];
  e[n - 1] = 0;
}

/**
 * Implicit QL on the tridiagonal (d, e), in place: d becomes the eigenvalues (unsorted); the
 * rotations are applied to the columns of z (n×n) when given. Returns false if an eigenvalue did
 * not converge in 60 iterations.
 */
function implicitQL(d: Float64Array, e: Float64Array, n: number, z: Float64Array | null): boolean {
  // An off-diagonal entry below u·‖T‖ moves no eigenvalue by more than the backward error of the
  // reduction already allows: it is set aside even next to tiny diagonal entries (else eigenvalues
  // at round-off level, as in a singular Hessian, never meet the purely relative test).
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  const negligible = 0.5 * Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd || Math.abs(e[m]) <= negligible || Math.abs(e[m]) < Number.MIN_VALUE * 4) break;
      }
      if (m === l) break;
      if (++iterations > 60) return false;
      // Wilkinson-type shift from the leading 2×2 block
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (z) {
          for (let k = 0; k < n; k++) {
            const zk1 = z[k * n + i + 1];
            const zk = z[k * n + i];
            z[k * n + i + 1] = s * zk + c * zk1;
            z[k * n + i] = c * zk - s * zk1;
          }
        }
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return true;
}

/**
 * Eigenvalues (ascending) and, if asked, unit eigenvectors (columns of `vectors`, n×n row-major)
 * of the symmetric matrix m (row-major; modified). NaN everywhere if the iteration fails.
 */
export function tridiagonalEigen(m: Float64Array, n: number, wantVectors: boolean): { values: Float64Array; vectors: Float64Array } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const q = wantVectors ? new Float64Array(n * n) : null;
  tridiagonalize(m, n, d, e, q);
  const values = new Float64Array(n);
  const vectors = new Float64Array(wantVectors ? n * n : 0);
  if (!implicitQL(d, e, n, q)) {
    values.fill(NaN);
    vectors.fill(NaN);
    return { values, vectors };
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i] - d[j] || i - j);
  for (let k = 0; k < n; k++) values[k] = d[order[k]];
  if (q) for (let k = 0; k < n; k++) for (let r = 0; r < n; r++) vectors[r * n + k] = q[r * n + order[k]];
  return { values, vectors };
}
