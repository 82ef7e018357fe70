/** Full-batch gradient descent: θ ← θ − η∇f(θ) (threshold: thresholds.ts, λ_max < 2/η). */
import type { OptimizerModule } from './types';

export interface GdState {
  eta: number;
}

export const gd: OptimizerModule<{ name: 'gd' }, GdState> = {
  name: 'gd',
  create: (_n, eta) => ({ eta }),
  step(params, grad, state) {
    const eta = state.eta;
    for (let i = 0; i < params.length; i++) params[i] -= eta * grad[i];
  },
};
