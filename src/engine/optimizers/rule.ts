/**
 * An optimizer as code-generation pieces for the fused optimizer loop (basin.ts) and the
 * stand-alone stepper (stepper.ts). A rule moves the iterate p0 … p(n−1) in place given the
 * gradient g0 … g(n−1) at it, at step index k (k = 0 for the first update, so the step count
 * of Adam's bias correction is t = k + 1), and carries per-start state in locals.
 *
 * Safety: every piece is built from numeric literals (codegen.ts numberLiteral), the fixed
 * identifiers below and arithmetic — never from user text. Locals a rule may use: its state
 * names (vel*, mo*, sq*), block-scoped temporaries inside its own `{ … }` (nh*, bc1, bc2), p*, g*
 * and k.
 */
import { optimizerKey, type OptimizerSpec } from './spec';

export type Convergence =
  /** converged when the iterate reaches a minimum (certified set or tolerance ball) */
  | 'point'
  /**
   * Adam / RMSProp at a constant η do not converge to a point (the normalised step does not
   * vanish): converged when the iterate enters a neighbourhood of a minimum and stays in it
   * (classify.ts documents the radius and the window)
   */
  | 'neighbourhood';

export interface OptimizerRule {
  readonly spec: OptimizerSpec;
  readonly eta: number;
  /** identifies the rule and its parameters (part of a kernel's cache key) */
  readonly key: string;
  /**
   * s with s·‖∇f‖ an upper bound of the gradient's share of the step length, for the stall test
   * s²‖∇f‖² < S²(1 + ‖θ‖²): η for GD and momentum, η/ε for the adaptive methods (the largest
   * preconditioner gain)
   */
  readonly stationaryScale: number;
  readonly convergence: Convergence;
  /** names of the per-start state locals, coordinate-major within each kind (e.g. vel0, vel1) */
  stateNames(n: number): string[];
  /** declarations of the state, every value 0, run once per start before step 0 ('' if none) */
  init(n: number): string;
  /** statements of one update of p0 … p(n−1) (in a block of their own) */
  step(n: number): string;
  /**
   * For rules with state: a JS condition on the state that must hold too for a stall (the
   * state's share of the next step is below √bound), `bound` being the JS expression of
   * S²(1 + ‖θ‖²); null when the gradient test alone bounds the step (GD, RMSProp).
   */
  stall(n: number, bound: string): string | null;
  /** numbers the step reads as `rd[i]` (Adam's and RMSProp's bias-correction factors), non-enumerable */
  readonly table?: Float64Array;
}

/** Steps whose bias-correction factors are tabulated (beyond: Math.pow, as before). */
export const BIAS_TABLE_STEPS = 65_536;

const biasTables = new Map<string, Float64Array>();

/**
 * 1 − βᵢ^(k+1) for k = 0 … T−1 and each β in `betas`, interleaved (entry k·m + i), computed with
 * Math.pow exactly as the textbook loop does; T = min(BIAS_TABLE_STEPS, the step from which every
 * factor is exactly 1). Cached per list of β.
 */
export function biasTable(betas: readonly number[]): { table: Float64Array; steps: number } {
  const steps = Math.min(BIAS_TABLE_STEPS, Math.max(...betas.map(biasCutoff)));
  const key = betas.join(',');
  let table = biasTables.get(key);
  if (!table) {
    table = new Float64Array(steps * betas.length);
    for (let k = 0; k < steps; k++) betas.forEach((b, i) => ((table as Float64Array)[k * betas.length + i] = 1 - Math.pow(b, k + 1)));
    if (biasTables.size > 32) biasTables.clear();
    biasTables.set(key, table);
  }
  return { table, steps };
}

/** Attaches a table to a rule without making it enumerable (cache keys stringify rules). */
export function withTable<R extends object>(rule: R, table: Float64Array): R {
  Object.defineProperty(rule, 'table', { value: table, enumerable: false });
  return rule;
}

/** p-, g- and state-index helpers. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** What every rule has the same way: its spec, η, cache key, and its state names declared as zeros. */
export function ruleBase(spec: OptimizerSpec, eta: number, names: (n: number) => string[]): Pick<OptimizerRule, 'spec' | 'eta' | 'key' | 'stateNames' | 'init'> {
  return { spec, eta, key: `${optimizerKey(spec)}:eta=${eta}`, stateNames: names, init: (n) => zeroInit(names(n)) };
}

/** `let a0 = 0, a1 = 0, …;` for the given names ('' for none). */
export function zeroInit(names: readonly string[]): string {
  return names.length === 0 ? '' : `let ${names.map((s) => `${s} = 0`).join(', ')};`;
}

/** Σ name_i² as JS text. */
export function sumSquares(names: readonly string[]): string {
  return names.length === 0 ? '0' : names.map((s) => `${s} * ${s}`).join(' + ');
}

/**
 * The first step index k from which 1 − β^(k+1) is exactly 1 in floating point (β^(k+1) < 2⁻⁵⁵),
 * so generated code can skip Math.pow there without changing a bit.
 */
export function biasCutoff(beta: number): number {
  const tiny = 2 ** -55;
  if (!(beta > 0)) return 0;
  let t = Math.max(1, Math.ceil((55 * Math.LN2) / -Math.log(beta)));
  while (!(Math.pow(beta, t) < tiny)) t++;
  while (t > 1 && Math.pow(beta, t - 1) < tiny) t--;
  return t - 1;
}
