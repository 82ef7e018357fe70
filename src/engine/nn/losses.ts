/**
 * Losses on the network output Z (N×C, row-major), with the gradient G = ∂L/∂Z and the product
 * of the output Hessian with a direction, ∂²L/∂Z² · RZ (what the R-operator needs). Every loss is
 * a sum over points times `scale` (1/N for the mean, 1 for a sum):
 *
 *   mse            L = scale · Σ_n ½‖z_n − y_n‖²            (targets: N×C real values)
 *   logistic       L = scale · Σ_n log(1 + e^{z_n}) − y_n z_n (C = 1, targets 0 or 1)
 *   cross-entropy  L = scale · Σ_n logsumexp(z_n) − z_n[y_n]  (targets: N class indices 0..C−1)
 *
 * The ½ in mse follows Cohen et al. (2021), so sharpness values compare with theirs.
 */
import { sigmoid } from './activations';

export const LOSSES = ['mse', 'logistic', 'cross-entropy'] as const;
export type LossName = (typeof LOSSES)[number];

/**
 * L, and G = ∂L/∂Z when `g` is given; `aux` (N×C) receives what the output Hessian needs
 * (σ(z) for logistic, softmax(z) for cross-entropy; untouched for mse).
 */
export function lossForward(
  loss: LossName, z: Float64Array, y: Float64Array, N: number, C: number, scale: number,
  g: Float64Array | null, aux: Float64Array,
): number {
  let total = 0;
  switch (loss) {
    case 'mse':
      for (let i = 0; i < N * C; i++) {
        const r = z[i] - y[i];
        total += r * r;
        if (g) g[i] = scale * r;
      }
      return 0.5 * scale * total;
    case 'logistic':
      for (let n = 0; n < N; n++) {
        const zn = z[n];
        // log(1 + e^z) − y z, stably: max(z, 0) + log1p(e^{−|z|}) − y z
        total += Math.max(zn, 0) + Math.log1p(Math.exp(-Math.abs(zn))) - y[n] * zn;
        const s = sigmoid(zn);
        aux[n] = s;
        if (g) g[n] = scale * (s - y[n]);
      }
      return scale * total;
    case 'cross-entropy':
      for (let n = 0; n < N; n++) {
        const row = n * C;
        let m = -Infinity;
        for (let c = 0; c < C; c++) if (z[row + c] > m) m = z[row + c];
        let sum = 0;
        for (let c = 0; c < C; c++) {
          const e = Math.exp(z[row + c] - m);
          aux[row + c] = e;
          sum += e;
        }
        const label = y[n];
        total += m + Math.log(sum) - z[row + label];
        for (let c = 0; c < C; c++) {
          const p = aux[row + c] / sum;
          aux[row + c] = p;
          if (g) g[row + c] = scale * (p - (c === label ? 1 : 0));
        }
      }
      return scale * total;
  }
}

/** out = (∂²L/∂Z²) · rz, using `aux` from the last {@link lossForward} at the same Z. */
export function lossHessianTimes(loss: LossName, rz: Float64Array, N: number, C: number, scale: number, aux: Float64Array, out: Float64Array): void {
  switch (loss) {
    case 'mse':
      for (let i = 0; i < N * C; i++) out[i] = scale * rz[i];
      return;
    case 'logistic':
      for (let n = 0; n < N; n++) out[n] = scale * aux[n] * (1 - aux[n]) * rz[n];
      return;
    case 'cross-entropy':
      // (diag(p) − p pᵀ) r per point
      for (let n = 0; n < N; n++) {
        const row = n * C;
        let pr = 0;
        for (let c = 0; c < C; c++) pr += aux[row + c] * rz[row + c];
        for (let c = 0; c < C; c++) out[row + c] = scale * aux[row + c] * (rz[row + c] - pr);
      }
      return;
  }
}
