/**
 * The update rule of the generated optimizer loop (basin.ts): how the iterate θ = (p0, …, p(n−1))
 * moves given the gradient (g0, …, g(n−1)) at step k, and the per-start state the rule carries.
 * The classification checks around it (loss increase, convergence regions, divergence, stalls,
 * the tail) are shared by every rule; a new optimizer is a new UpdateRule, not a new loop.
 *
 * Contract for a rule's source (it is pasted into generated code, so it must be built from
 * numeric literals via numberLiteral and the identifiers below only — never from user text):
 * - `init(n)`: declarations of the rule's state, run once per start before step 0
 *   (e.g. `let v0 = 0, v1 = 0;` for momentum); may be empty;
 * - `step(n)`: statements that update p0 … p(n−1) in place from g0 … g(n−1) (consts of the
 *   current step) and the state; the step index is `k` (0 for the first update);
 * - `stationaryScale`: the factor s with "step length" s·‖∇f‖ for the stall test (GD: η).
 *   A rule with state should make its stall test meaningful for itself (e.g. also require a
 *   small velocity) — GD needs nothing more.
 * Gradient descent emits exactly `p_i -= η * g_i`: the benchmark compares this loop with a
 * hand-written C kernel, so the GD arithmetic must stay this tight.
 */
import { numberLiteral } from './codegen';

export interface UpdateRule {
  /** identifies the rule and its parameters (part of the kernel's cache key) */
  readonly key: string;
  /** factor of ‖∇f‖ in the stall test (the length of a step at that gradient) */
  readonly stationaryScale: number;
  /** per-start state declarations */
  init(n: number): string;
  /** one update of p0 … p(n−1) */
  step(n: number): string;
  /**
   * Rules with state: the names of the state locals declared by `init` (the trajectory records
   * them and continues its tail from them); absent or [] for none.
   */
  stateNames?(n: number): string[];
  /**
   * Rules with state: a further JS condition for a stall (the state's share of the next step is
   * small too), `bound` being the JS expression of S²(1 + ‖θ‖²); null / absent: none.
   */
  stall?(n: number, bound: string): string | null;
  /**
   * Numbers the rule's code reads as `rd[i]` (e.g. Adam's bias-correction factors per step), or
   * absent. Non-enumerable on rule objects, so it stays out of cache keys.
   */
  readonly table?: Float64Array;
}

/** The `rd` argument for a rule without a table. */
export const NO_TABLE = new Float64Array(0);

/**
 * A convergence test replacing the loop's default one (Theorem 2's certified set, else the
 * tolerance ball) — for optimizers whose convergence is judged differently
 * (src/engine/optimizers/convergence.ts). Generated source over the loop's locals.
 */
export interface ConvergenceTest {
  /** per-start declarations */
  declare: string;
  /** statements at each iterate; on convergence they set mi, cls, sharp (cert) and `break` */
  test: string;
  /** JS expression: updates run after the date of the decision (added to the step total) */
  extraSteps: string;
}

/** Plain gradient descent θ_{k+1} = θ_k − η ∇f(θ_k). */
export function gradientDescent(eta: number): UpdateRule {
  const L = numberLiteral(eta);
  return {
    key: `gd:${eta}`,
    stationaryScale: eta,
    init: () => '',
    step: (n) => Array.from({ length: n }, (_, i) => `p${i} -= ${L} * g${i};`).join(' '),
  };
}
