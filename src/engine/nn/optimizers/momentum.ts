/**
 * Heavy-ball momentum: θ_{k+1} = θ_k − η∇f(θ_k) + β(θ_k − θ_{k−1}), θ_{−1} = θ_0, kept as the
 * velocity v_k = θ_k − θ_{k−1}: v ← βv − η∇f(θ), θ ← θ + v. Stable on a quadratic iff
 * λ_max < 2(1+β)/η.
 */
import type { OptimizerModule } from './types';

export interface MomentumState {
  eta: number;
  beta: number;
  /** θ_k − θ_{k−1} */
  velocity: Float64Array;
}

export const momentum: OptimizerModule<{ name: 'momentum'; beta: number }, MomentumState> = {
  name: 'momentum',
  create: (n, eta, spec) => ({ eta, beta: spec.beta, velocity: new Float64Array(n) }),
  step(params, grad, state) {
    const { eta, beta, velocity } = state;
    for (let i = 0; i < params.length; i++) {
      const v = beta * velocity[i] - eta * grad[i];
      velocity[i] = v;
      params[i] += v;
    }
  },
};
