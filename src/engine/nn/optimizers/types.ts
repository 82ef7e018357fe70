/**
 * Optimizers on flat Float64Array parameter vectors. One module per optimizer, each with
 * `create(n, eta, spec)` → state, `step(params, grad, state)` (in place, no allocation), the
 * stability threshold of its linearisation and, for the adaptive ones, the diagonal
 * preconditioner P of the next step. Shared by the network trainer and meant to be shared by the
 * expression kernels.
 */

export const OPTIMIZER_NAMES = ['gd', 'momentum', 'nesterov', 'rmsprop', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export type OptimizerSpec =
  | { name: 'gd' }
  /** heavy-ball: θ_{k+1} = θ_k − η∇f(θ_k) + β(θ_k − θ_{k−1}) */
  | { name: 'momentum'; beta: number }
  /** Nesterov: y_k = θ_k + β(θ_k − θ_{k−1}), θ_{k+1} = y_k − η∇f(y_k) */
  | { name: 'nesterov'; beta: number }
  | { name: 'rmsprop'; beta2: number; epsilon: number; biasCorrection: boolean }
  | { name: 'adam'; beta1: number; beta2: number; epsilon: number; biasCorrection: boolean };

/** Defaults: Adam as Kingma & Ba / PyTorch / Optax; RMSProp as PyTorch (α = 0.99, no bias correction). */
export const OPTIMIZER_DEFAULTS = {
  momentum: { beta: 0.9 },
  nesterov: { beta: 0.9 },
  rmsprop: { beta2: 0.99, epsilon: 1e-8, biasCorrection: false },
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection: true },
} as const;

export interface OptimizerModule<Spec extends OptimizerSpec, State> {
  readonly name: Spec['name'];
  create(n: number, eta: number, spec: Spec): State;
  /** one step in place: params ← params − (the optimizer's update from grad = ∇f(params)) */
  step(params: Float64Array, grad: Float64Array, state: State): void;
  /**
   * The sharpness threshold of the linearisation: the step is stable on a quadratic iff the
   * (preconditioned, for adaptive methods) Hessian's largest eigenvalue is below it.
   */
  threshold(eta: number, spec: Spec): number;
  /** whether the threshold is for λ_max(P⁻¹H) (adaptive methods) rather than λ_max(H) */
  readonly preconditioned: boolean;
  /**
   * Fills out[i] = P_ii of the step about to be taken from the current point with gradient
   * `grad` (the state is not changed). Only for preconditioned optimizers.
   */
  preconditioner?(state: State, grad: Float64Array, out: Float64Array): void;
}
