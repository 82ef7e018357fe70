/**
 * Nesterov momentum: y_k = θ_k + β(θ_k − θ_{k−1}), θ_{k+1} = y_k − η∇f(y_k).
 *
 * The parameter vector this module steps is the look-ahead point y_k, where the gradient is
 * taken (the form PyTorch's SGD(nesterov=True) keeps): with v_k = θ_k − θ_{k−1},
 *   v_{k+1} = βv_k − η∇f(y_k),   y_{k+1} = y_k − η∇f(y_k) + βv_{k+1},
 * and θ_k = y_k − βv_k is recovered by {@link nesterovTheta}. The linearisation is the same in
 * both variables: stable on a quadratic iff λ_max < (2+2β)/((1+2β)η).
 */
import type { OptimizerModule } from './types';

export interface NesterovState {
  eta: number;
  beta: number;
  /** θ_k − θ_{k−1} */
  velocity: Float64Array;
}

export const nesterov: OptimizerModule<{ name: 'nesterov'; beta: number }, NesterovState> = {
  name: 'nesterov',
  create: (n, eta, spec) => ({ eta, beta: spec.beta, velocity: new Float64Array(n) }),
  step(params, grad, state) {
    const { eta, beta, velocity } = state;
    for (let i = 0; i < params.length; i++) {
      const g = eta * grad[i];
      const v = beta * velocity[i] - g;
      velocity[i] = v;
      params[i] += beta * v - g;
    }
  },
};

/** θ_k = y_k − βv_k from the look-ahead point y_k (the stepped parameters) and the state. */
export function nesterovTheta(y: Float64Array, state: NesterovState, out: Float64Array): void {
  for (let i = 0; i < y.length; i++) out[i] = y[i] - state.beta * state.velocity[i];
}
