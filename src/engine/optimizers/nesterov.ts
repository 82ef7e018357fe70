/**
 * Nesterov momentum: y_k = θ_k + β(θ_k − θ_{k−1}), θ_{k+1} = y_k − η∇f(y_k).
 *
 * The iterate this rule steps — and the loop judges, draws and classifies — is the look-ahead
 * point p_k = y_k where the gradient is taken: the parameters PyTorch's SGD(nesterov=True) keeps,
 * whose loss a training loop logs. With vel_k = θ_k − θ_{k−1} (0 at the start):
 *   vel ← β·vel − η∇f(p),   p ← p + β·vel − η∇f(p)      (and θ_k = p_k − β·vel_k).
 * At β = 0 this is GD bit for bit. Both sequences have the same linearisation, so the threshold
 * λ_max(∇²f(θ*)) < (2 + 2β)/((1 + 2β)η) (thresholds.ts) holds for either.
 */
import { numberLiteral as L } from '../codegen';
import { range, sumSquares, ruleBase, type OptimizerRule } from './rule';

export function nesterovRule(eta: number, beta: number): OptimizerRule {
  const spec = { name: 'nesterov', beta } as const;
  const names = (n: number): string[] => range(n).map((i) => `vel${i}`);
  return {
    ...ruleBase(spec, eta, names),
    stationaryScale: eta,
    convergence: 'point',
    step: (n) =>
      `{ ${range(n).map((i) => `const nh${i} = ${L(eta)} * g${i}; vel${i} = ${L(beta)} * vel${i} - nh${i}; p${i} += ${L(beta)} * vel${i} - nh${i};`).join(' ')} }`,
    // the next step is β(β·vel − ηg) − ηg: its state part is β²‖vel‖
    stall: (n, bound) => `${L(beta ** 4)} * (${sumSquares(names(n))}) < ${bound}`,
  };
}
