/** Full-batch gradient descent: θ ← θ − η∇f(θ). Stable on a quadratic iff λ_max < 2/η. */
import type { OptimizerModule } from './types';

export interface GdState {
  eta: number;
}

export const gd: OptimizerModule<{ name: 'gd' }, GdState> = {
  name: 'gd',
  preconditioned: false,
  create: (_n, eta) => ({ eta }),
  step(params, grad, state) {
    const eta = state.eta;
    for (let i = 0; i < params.length; i++) params[i] -= eta * grad[i];
  },
  threshold: (eta) => 2 / eta,
};
