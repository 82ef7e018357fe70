/**
 * RMSProp (Tieleman & Hinton; PyTorch's RMSprop with α = β₂, no momentum, not centred):
 *   v ← β₂v + (1 − β₂)g²,   θ ← θ − η g / (√v̂ + ε),   v̂ = v/(1 − β₂ᵗ) with bias correction, v̂ = v
 * without (the default: PyTorch and Keras have none). t = k + 1 is the number of the step.
 * State: sq_i = v_i (0 at the start). As a preconditioned step θ ← θ − ηP⁻¹g with
 * P = diag(√v̂ + ε); with P frozen it is stable iff λ_max(P⁻¹H) < 2/η (thresholds.ts).
 */
import { numberLiteral as L } from '../codegen';
import { biasCutoff, biasTable, range, withTable, ruleBase, type OptimizerRule } from './rule';

export interface RmspropParams {
  beta2: number;
  epsilon: number;
  biasCorrection: boolean;
}

export function rmspropRule(eta: number, params: RmspropParams): OptimizerRule {
  const spec = { name: 'rmsprop', ...params } as const;
  const { beta2, epsilon, biasCorrection } = params;
  const names = (n: number): string[] => range(n).map((i) => `sq${i}`);
  const cut = biasCutoff(beta2);
  // tabulated bias factors (rd), as Adam's
  const { table, steps } = biasTable([beta2]);
  const bc2 = biasCorrection ? `const bc2 = k < ${steps} ? rd[k] : k < ${cut} ? 1 - Math.pow(${L(beta2)}, k + 1) : 1;` : '';
  const root = (i: number): string => (biasCorrection ? `Math.sqrt(sq${i} / bc2)` : `Math.sqrt(sq${i})`);
  const rule: OptimizerRule = {
    ...ruleBase(spec, eta, names),
    stationaryScale: eta / epsilon,
    convergence: 'neighbourhood',
    step: (n) =>
      `{ ${bc2} ${range(n)
        .map((i) => `sq${i} = ${L(beta2)} * sq${i} + ${L(1 - beta2)} * g${i} * g${i}; p${i} -= (${L(eta)} * g${i}) / (${root(i)} + ${L(epsilon)});`)
        .join(' ')} }`,
    stall: () => null,
  };
  return biasCorrection ? withTable(rule, table) : rule;
}

/**
 * P_ii of the step taken from iterate k (t = k + 1), from the state before that step and the
 * gradient at the iterate: √v̂ + ε with v = β₂·sq + (1 − β₂)g².
 */
export function rmspropPreconditioner(params: RmspropParams, sq: ArrayLike<number>, g: ArrayLike<number>, k: number, out: Float64Array): void {
  const { beta2, epsilon, biasCorrection } = params;
  const d2 = biasCorrection ? 1 - Math.pow(beta2, k + 1) : 1;
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt((beta2 * sq[i] + (1 - beta2) * g[i] * g[i]) / d2) + epsilon;
}
