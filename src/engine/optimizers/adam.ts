/**
 * Adam (Kingma & Ba 2015, as PyTorch, Optax and TensorFlow implement it), t = k + 1:
 *   m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,   θ ← θ − η m̂ / (√v̂ + ε),
 *   m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) with bias correction (the default), m̂ = m, v̂ = v without.
 * State: mo_i = m_i, sq_i = v_i (0 at the start). The bias factors are 1 − Math.pow(β, t) like the
 * textbook loop — tabulated once per (β₁, β₂) (rule.table, read as rd[…]; Math.pow per step cost
 * 4× the kernel's speed) and exactly 1 once 1 − βᵗ rounds to 1 (biasCutoff) — so no bit changes.
 *
 * Preconditioned form (Cohen et al. 2022): θ ← θ − ηP⁻¹m with P = (1 − β₁ᵗ)·diag(√v̂ + ε)
 * (bias correction on) or diag(√v + ε) (off). With P frozen this is heavy-ball on P⁻¹H with
 * learning rate η(1 − β₁) and momentum β₁: stable iff λ_max(P⁻¹H) < (2 + 2β₁)/((1 − β₁)η),
 * 38/η at β₁ = 0.9 (thresholds.ts).
 */
import { numberLiteral as L } from '../codegen';
import { biasCutoff, biasTable, range, sumSquares, withTable, ruleBase, type OptimizerRule } from './rule';

export interface AdamParams {
  beta1: number;
  beta2: number;
  epsilon: number;
  biasCorrection: boolean;
}

export function adamRule(eta: number, params: AdamParams): OptimizerRule {
  const spec = { name: 'adam', ...params } as const;
  const { beta1, beta2, epsilon, biasCorrection } = params;
  const mo = (n: number): string[] => range(n).map((i) => `mo${i}`);
  const names = (n: number): string[] => [...mo(n), ...range(n).map((i) => `sq${i}`)];
  // the bias factors: tabulated (rd, computed with Math.pow like the textbook loop), Math.pow past the table
  const { table, steps } = biasTable([beta1, beta2]);
  const factors = biasCorrection
    ? `const bc1 = k < ${steps} ? rd[2 * k] : k < ${biasCutoff(beta1)} ? 1 - Math.pow(${L(beta1)}, k + 1) : 1; ` +
      `const bc2 = k < ${steps} ? rd[2 * k + 1] : k < ${biasCutoff(beta2)} ? 1 - Math.pow(${L(beta2)}, k + 1) : 1;`
    : '';
  const update = (i: number): string =>
    `mo${i} = ${L(beta1)} * mo${i} + ${L(1 - beta1)} * g${i}; ` +
    `sq${i} = ${L(beta2)} * sq${i} + ${L(1 - beta2)} * g${i} * g${i}; ` +
    (biasCorrection
      ? `p${i} -= (${L(eta)} * (mo${i} / bc1)) / (Math.sqrt(sq${i} / bc2) + ${L(epsilon)});`
      : `p${i} -= (${L(eta)} * mo${i}) / (Math.sqrt(sq${i}) + ${L(epsilon)});`);
  // The next step is η m̂'/(√v̂' + ε) with m' = β₁m + (1 − β₁)g and 1 − β₁ᵗ ≥ 1 − β₁: the
  // gradient part is bounded by (η/ε)‖g‖ (stationaryScale), the state part by ηβ₁‖m‖/(ε(1 − β₁)).
  const stateGain = (eta * beta1) / (epsilon * (1 - beta1));
  const rule: OptimizerRule = {
    ...ruleBase(spec, eta, names),
    stationaryScale: eta / epsilon,
    convergence: 'neighbourhood',
    step: (n) => `{ ${factors} ${range(n).map(update).join(' ')} }`,
    stall: (n, bound) => (beta1 === 0 ? null : `${L(stateGain * stateGain)} * (${sumSquares(mo(n))}) < ${bound}`),
  };
  return biasCorrection ? withTable(rule, table) : rule;
}

/**
 * P_ii of the step taken from iterate k (t = k + 1), from the state before that step and the
 * gradient at the iterate (v_i = sq[sqOffset + i]): (1 − β₁ᵗ)(√v̂ + ε) with bias correction, √v + ε without.
 */
export function adamPreconditioner(params: AdamParams, sq: ArrayLike<number>, sqOffset: number, g: ArrayLike<number>, k: number, out: Float64Array): void {
  const { beta1, beta2, epsilon, biasCorrection } = params;
  const d1 = biasCorrection ? 1 - Math.pow(beta1, k + 1) : 1;
  const d2 = biasCorrection ? 1 - Math.pow(beta2, k + 1) : 1;
  for (let i = 0; i < out.length; i++) out[i] = d1 * (Math.sqrt((beta2 * sq[sqOffset + i] + (1 - beta2) * g[i] * g[i]) / d2) + epsilon);
}
