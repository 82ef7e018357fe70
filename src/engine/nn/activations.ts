/**
 * Twice-differentiable activations with their first and second derivatives, applied over whole
 * arrays (one call per layer, no per-element dispatch). ReLU is not here on purpose: its second
 * derivative is zero almost everywhere and undefined at 0, so Hessians, sharpness and the
 * R-operator are meaningless for it; softplus with a sharpness β is the smoothed ReLU offered
 * instead (softplus_β(z) = log(1 + e^{βz})/β → max(z, 0) as β → ∞).
 */

export const ACTIVATIONS = ['tanh', 'softplus', 'gelu', 'sigmoid', 'linear'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** An activation with its parameter: β (sharpness) is used by softplus only. */
export interface Activation {
  name: ActivationName;
  /** softplus sharpness β > 0 (default 1); ignored by the others */
  beta: number;
}

/** √(2/π), the constant of GELU's tanh form */
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/**
 * a[i] = σ(z[i]) and d1[i] = σ'(z[i]) for i in [0, len). `d1` may be null (loss only).
 * GELU is the tanh form 0.5·z·(1 + tanh(√(2/π)(z + 0.044715 z³))) (Hendrycks & Gimpel; what
 * PyTorch calls approximate='tanh'), smooth with closed-form derivatives.
 */
export function activate(act: Activation, z: Float64Array, a: Float64Array, d1: Float64Array | null, len: number): void {
  switch (act.name) {
    case 'tanh':
      for (let i = 0; i < len; i++) {
        const t = Math.tanh(z[i]);
        a[i] = t;
        if (d1) d1[i] = 1 - t * t;
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) {
        const s = sigmoid(z[i]);
        a[i] = s;
        if (d1) d1[i] = s * (1 - s);
      }
      return;
    case 'softplus': {
      const b = act.beta;
      for (let i = 0; i < len; i++) {
        const bz = b * z[i];
        a[i] = (bz > 0 ? bz + Math.log1p(Math.exp(-bz)) : Math.log1p(Math.exp(bz))) / b;
        if (d1) d1[i] = sigmoid(bz);
      }
      return;
    }
    case 'gelu':
      for (let i = 0; i < len; i++) {
        const x = z[i];
        const u = GELU_C * (x + GELU_K * x * x * x);
        const t = Math.tanh(u);
        a[i] = 0.5 * x * (1 + t);
        if (d1) d1[i] = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * x * x);
      }
      return;
    case 'linear':
      for (let i = 0; i < len; i++) a[i] = z[i];
      if (d1) d1.fill(1, 0, len);
      return;
  }
}

/** d2[i] = σ''(z[i]), given z, a = σ(z) and d1 = σ'(z) from {@link activate}. */
export function activationSecond(act: Activation, z: Float64Array, a: Float64Array, d1: Float64Array, d2: Float64Array, len: number): void {
  switch (act.name) {
    case 'tanh':
      for (let i = 0; i < len; i++) d2[i] = -2 * a[i] * d1[i];
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) d2[i] = d1[i] * (1 - 2 * a[i]);
      return;
    case 'softplus': {
      const b = act.beta;
      for (let i = 0; i < len; i++) d2[i] = b * d1[i] * (1 - d1[i]);
      return;
    }
    case 'gelu':
      for (let i = 0; i < len; i++) {
        const x = z[i];
        const t = Math.tanh(GELU_C * (x + GELU_K * x * x * x));
        const du = GELU_C * (1 + 3 * GELU_K * x * x);
        const ddu = GELU_C * 6 * GELU_K * x;
        d2[i] = (1 - t * t) * (du + 0.5 * x * (ddu - 2 * t * du * du));
      }
      return;
    case 'linear':
      d2.fill(0, 0, len);
      return;
  }
}

/** The logistic function, without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Scalar σ, σ', σ'' (tests and per-sample reference loops). */
export function activationScalar(act: Activation, z: number): [number, number, number] {
  const zs = new Float64Array([z]);
  const a = new Float64Array(1);
  const d1 = new Float64Array(1);
  const d2 = new Float64Array(1);
  activate(act, zs, a, d1, 1);
  activationSecond(act, zs, a, d1, d2, 1);
  return [a[0], d1[0], d2[0]];
}
