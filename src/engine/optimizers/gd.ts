/**
 * Gradient descent: θ_{k+1} = θ_k − η∇f(θ_k). No state. Emits exactly `p_i -= η * g_i` (the
 * benchmark compares this loop with a hand-written C kernel, so it stays this tight).
 * Threshold: λ_max(∇²f(θ*)) < 2/η (thresholds.ts).
 */
import { numberLiteral as L } from '../codegen';
import { range, ruleBase, type OptimizerRule } from './rule';

export function gdRule(eta: number): OptimizerRule {
  const spec = { name: 'gd' } as const;
  return {
    ...ruleBase(spec, eta, () => []),
    stationaryScale: eta,
    convergence: 'point',
    step: (n) => range(n).map((i) => `p${i} -= ${L(eta)} * g${i};`).join(' '),
    stall: () => null,
  };
}
