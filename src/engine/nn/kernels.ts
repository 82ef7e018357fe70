/**
 * The three dense products a fully connected layer needs, on row-major Float64Arrays with
 * offsets (weights live inside the flat parameter vector). Unrolled by four so each loaded
 * element feeds four multiply-adds; no allocation.
 *
 *   gemmABt  C (N×Q)  =/+= A (N×P) · Bᵀ   (B is Q×P)   — forward: Z = A Wᵀ (+ b)
 *   gemmAB   C (N×P)  =/+= D (N×Q) · B    (B is Q×P)   — backward: ∂L/∂A = δ W
 *   gemmAtB  C (Q×P)   +=  D (N×Q)ᵀ · A  (A is N×P)   — backward: ∂L/∂W = δᵀ A
 */

/** C[n,q] (= or +=) Σ_p A[n,p]·B[bOff + q·P + p] (+ bias[biasOff + q] when bias is given). */
export function gemmABt(
  a: Float64Array, b: Float64Array, bOff: number, c: Float64Array, N: number, P: number, Q: number,
  accumulate: boolean, bias: Float64Array | null, biasOff: number,
): void {
  const Q4 = Q - (Q & 3);
  for (let n = 0; n < N; n++) {
    const ar = n * P;
    const cr = n * Q;
    let q = 0;
    for (; q < Q4; q += 4) {
      const b0 = bOff + q * P;
      const b1 = b0 + P;
      const b2 = b1 + P;
      const b3 = b2 + P;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < P; p++) {
        const x = a[ar + p];
        s0 += x * b[b0 + p];
        s1 += x * b[b1 + p];
        s2 += x * b[b2 + p];
        s3 += x * b[b3 + p];
      }
      if (bias) {
        s0 += bias[biasOff + q];
        s1 += bias[biasOff + q + 1];
        s2 += bias[biasOff + q + 2];
        s3 += bias[biasOff + q + 3];
      }
      if (accumulate) {
        c[cr + q] += s0;
        c[cr + q + 1] += s1;
        c[cr + q + 2] += s2;
        c[cr + q + 3] += s3;
      } else {
        c[cr + q] = s0;
        c[cr + q + 1] = s1;
        c[cr + q + 2] = s2;
        c[cr + q + 3] = s3;
      }
    }
    for (; q < Q; q++) {
      const b0 = bOff + q * P;
      let s = bias ? bias[biasOff + q] : 0;
      for (let p = 0; p < P; p++) s += a[ar + p] * b[b0 + p];
      if (accumulate) c[cr + q] += s;
      else c[cr + q] = s;
    }
  }
}

/** C[n,p] (= or +=) Σ_q D[n,q]·B[bOff + q·P + p]. */
export function gemmAB(d: Float64Array, b: Float64Array, bOff: number, c: Float64Array, N: number, Q: number, P: number, accumulate: boolean): void {
  const Q4 = Q - (Q & 3);
  for (let n = 0; n < N; n++) {
    const dr = n * Q;
    const cr = n * P;
    if (!accumulate) c.fill(0, cr, cr + P);
    let q = 0;
    for (; q < Q4; q += 4) {
      const d0 = d[dr + q], d1 = d[dr + q + 1], d2 = d[dr + q + 2], d3 = d[dr + q + 3];
      const b0 = bOff + q * P;
      const b1 = b0 + P;
      const b2 = b1 + P;
      const b3 = b2 + P;
      for (let p = 0; p < P; p++) c[cr + p] += d0 * b[b0 + p] + d1 * b[b1 + p] + d2 * b[b2 + p] + d3 * b[b3 + p];
    }
    for (; q < Q; q++) {
      const d0 = d[dr + q];
      const b0 = bOff + q * P;
      for (let p = 0; p < P; p++) c[cr + p] += d0 * b[b0 + p];
    }
  }
}

/** C[cOff + q·P + p] += Σ_n D[n,q]·A[n,p]. */
export function gemmAtB(d: Float64Array, a: Float64Array, c: Float64Array, cOff: number, N: number, Q: number, P: number): void {
  const N4 = N - (N & 3);
  for (let q = 0; q < Q; q++) {
    const cr = cOff + q * P;
    let n = 0;
    for (; n < N4; n += 4) {
      const d0 = d[n * Q + q], d1 = d[(n + 1) * Q + q], d2 = d[(n + 2) * Q + q], d3 = d[(n + 3) * Q + q];
      const a0 = n * P;
      const a1 = a0 + P;
      const a2 = a1 + P;
      const a3 = a2 + P;
      for (let p = 0; p < P; p++) c[cr + p] += d0 * a[a0 + p] + d1 * a[a1 + p] + d2 * a[a2 + p] + d3 * a[a3 + p];
    }
    for (; n < N; n++) {
      const d0 = d[n * Q + q];
      const a0 = n * P;
      for (let p = 0; p < P; p++) c[cr + p] += d0 * a[a0 + p];
    }
  }
}

/** out[off + q] += Σ_n D[n,q] (bias gradients). */
export function columnSums(d: Float64Array, out: Float64Array, off: number, N: number, Q: number): void {
  for (let n = 0; n < N; n++) {
    const r = n * Q;
    for (let q = 0; q < Q; q++) out[off + q] += d[r + q];
  }
}
