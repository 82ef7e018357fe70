/**
 * Optimizers on flat Float64Array parameter vectors. One module per optimizer, each with
 * `create(n, eta, spec)` → state, `step(params, grad, state)` (in place, no allocation) and, for
 * the adaptive ones, the diagonal preconditioner P of the next step.
 *
 * The vocabulary — names, parameters, defaults, ranges, validation — and the threshold formulas
 * are the expression engine's (src/engine/optimizers/spec.ts and thresholds.ts), re-exported
 * here so the network trainer and the expression kernels share one source of truth.
 */
import type { OptimizerSpec } from '../../optimizers/spec';

export { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES, type OptimizerName, type OptimizerSpec } from '../../optimizers/spec';

export interface OptimizerModule<Spec extends OptimizerSpec, State> {
  readonly name: Spec['name'];
  create(n: number, eta: number, spec: Spec): State;
  /** one step in place: params ← params − (the optimizer's update from grad = ∇f(params)) */
  step(params: Float64Array, grad: Float64Array, state: State): void;
  /**
   * Fills out[i] = P_ii of the step about to be taken from the current point with gradient
   * `grad` (the state is not changed). Only for preconditioned optimizers.
   */
  preconditioner?(state: State, grad: Float64Array, out: Float64Array): void;
}
