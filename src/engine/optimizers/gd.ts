/**
 * Gradient descent: θ_{k+1} = θ_k − η∇f(θ_k). No state. Emits exactly `p_i -= η * g_i` (the
 * benchmark compares this loop with a hand-written C kernel, so it stays this tight).
 * Threshold: λ_max(∇²f(θ*)) < 2/η (thresholds.ts).
 */
import { numberLiteral as L } from '../codegen';
import { range, type OptimizerRule } from './rule';
import { optimizerKey } from './spec';

export function gdRule(eta: number): OptimizerRule {
  const spec = { name: 'gd' } as const;
  return {
    spec,
    eta,
    key: `${optimizerKey(spec)}:eta=${eta}`,
    stationaryScale: eta,
    convergence: 'point',
    stateNames: () => [],
    init: () => '',
    step: (n) => range(n).map((i) => `p${i} -= ${L(eta)} * g${i};`).join(' '),
    stall: () => null,
  };
}
