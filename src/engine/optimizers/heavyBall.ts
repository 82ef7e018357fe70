/**
 * Heavy-ball (Polyak) momentum: θ_{k+1} = θ_k − η∇f(θ_k) + β(θ_k − θ_{k−1}), θ_{−1} = θ_0.
 * State: the velocity vel_i = θ_k − θ_{k−1} (0 at the start); one update is
 *   vel_i ← β·vel_i − η·g_i,   p_i ← p_i + vel_i.
 * At β = 0 this is GD bit for bit (0·vel − ηg = −(ηg) exactly, and p + (−x) = p − x).
 * Threshold: λ_max(∇²f(θ*)) < 2(1 + β)/η (thresholds.ts). Same recurrence as PyTorch's
 * SGD(momentum = β) in exact arithmetic (its buffer is −vel/η).
 */
import { numberLiteral as L } from '../codegen';
import { range, sumSquares, ruleBase, type OptimizerRule } from './rule';

export function heavyBallRule(eta: number, beta: number): OptimizerRule {
  const spec = { name: 'momentum', beta } as const;
  const names = (n: number): string[] => range(n).map((i) => `vel${i}`);
  return {
    ...ruleBase(spec, eta, names),
    stationaryScale: eta,
    convergence: 'point',
    step: (n) => `{ ${range(n).map((i) => `vel${i} = ${L(beta)} * vel${i} - ${L(eta)} * g${i}; p${i} += vel${i};`).join(' ')} }`,
    // the next step is β·vel − η·g: the gradient part is the stall test's, the state part β‖vel‖
    stall: (n, bound) => `${L(beta * beta)} * (${sumSquares(names(n))}) < ${bound}`,
  };
}
