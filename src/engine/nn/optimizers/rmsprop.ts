/**
 * RMSProp: t ← t+1, v ← β₂v + (1−β₂)g², θ ← θ − η g / (√v̂ + ε) with v̂ = v/(1−β₂ᵗ) when bias
 * correction is on, v̂ = v otherwise (the default, as in PyTorch's and Keras' RMSprop and
 * Tieleman & Hinton's original). As a preconditioned step θ ← θ − η P⁻¹g with
 * P = diag(√v̂ + ε); stable on a quadratic with P frozen iff λ_max(P⁻¹H) < 2/η.
 */
import type { OptimizerModule } from './types';

type Spec = { name: 'rmsprop'; beta2: number; epsilon: number; biasCorrection: boolean };

export interface RmspropState {
  eta: number;
  beta2: number;
  epsilon: number;
  biasCorrection: boolean;
  /** steps taken */
  t: number;
  /** second-moment estimate */
  v: Float64Array;
}

export const rmsprop: OptimizerModule<Spec, RmspropState> = {
  name: 'rmsprop',
  create: (n, eta, spec) => ({ eta, beta2: spec.beta2, epsilon: spec.epsilon, biasCorrection: spec.biasCorrection, t: 0, v: new Float64Array(n) }),
  step(params, grad, state) {
    const { eta, beta2, epsilon, v } = state;
    state.t++;
    const d2 = state.biasCorrection ? 1 - Math.pow(beta2, state.t) : 1;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      const vi = beta2 * v[i] + (1 - beta2) * g * g;
      v[i] = vi;
      params[i] -= (eta * g) / (Math.sqrt(vi / d2) + epsilon);
    }
  },
  preconditioner(state, grad, out) {
    const { beta2, epsilon, v } = state;
    const d2 = state.biasCorrection ? 1 - Math.pow(beta2, state.t + 1) : 1;
    for (let i = 0; i < out.length; i++) out[i] = Math.sqrt((beta2 * v[i] + (1 - beta2) * grad[i] * grad[i]) / d2) + epsilon;
  },
};
