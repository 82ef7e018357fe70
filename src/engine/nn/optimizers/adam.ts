/**
 * Adam (Kingma & Ba): t ← t+1, m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * θ ← θ − η m̂ / (√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ) with bias correction (the default: it is
 * what PyTorch, Optax and the paper's algorithm do, so runs compare with users' code), m̂ = m,
 * v̂ = v without.
 *
 * Preconditioned form (Cohen et al. 2022, "Adaptive gradient methods at the edge of stability"):
 * the step is θ ← θ − η P⁻¹ m with P = (1−β₁ᵗ)·diag(√v̂ + ε) (bias correction on) or
 * P = diag(√v + ε) (off), t and v those of the step being taken. With P frozen, on a quadratic
 * the iteration is heavy-ball with learning rate η(1−β₁) and momentum β₁ on P⁻¹H, so it is stable
 * iff λ_max(P⁻¹H) < (2+2β₁)/((1−β₁)η) — 38/η at β₁ = 0.9.
 */
import type { OptimizerModule } from './types';

type Spec = { name: 'adam'; beta1: number; beta2: number; epsilon: number; biasCorrection: boolean };

export interface AdamState {
  eta: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  biasCorrection: boolean;
  /** steps taken */
  t: number;
  /** first- and second-moment estimates */
  m: Float64Array;
  v: Float64Array;
}

export const adam: OptimizerModule<Spec, AdamState> = {
  name: 'adam',
  create: (n, eta, spec) => ({
    eta, beta1: spec.beta1, beta2: spec.beta2, epsilon: spec.epsilon, biasCorrection: spec.biasCorrection,
    t: 0, m: new Float64Array(n), v: new Float64Array(n),
  }),
  step(params, grad, state) {
    const { eta, beta1, beta2, epsilon, m, v } = state;
    state.t++;
    // the textbook arithmetic (divisions by 1 − βᵗ), so results match reference loops bit for bit
    const d1 = state.biasCorrection ? 1 - Math.pow(beta1, state.t) : 1;
    const d2 = state.biasCorrection ? 1 - Math.pow(beta2, state.t) : 1;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      const mi = beta1 * m[i] + (1 - beta1) * g;
      const vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (eta * (mi / d1)) / (Math.sqrt(vi / d2) + epsilon);
    }
  },
  preconditioner(state, grad, out) {
    const { beta1, beta2, epsilon, v } = state;
    const t = state.t + 1;
    const bc1 = state.biasCorrection ? 1 - Math.pow(beta1, t) : 1;
    const d2 = state.biasCorrection ? 1 - Math.pow(beta2, t) : 1;
    for (let i = 0; i < out.length; i++) out[i] = bc1 * (Math.sqrt((beta2 * v[i] + (1 - beta2) * grad[i] * grad[i]) / d2) + epsilon);
  },
};
