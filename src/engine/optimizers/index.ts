/**
 * The optimizers of the expression engine: one file per optimizer (gd, heavyBall, nesterov,
 * rmsprop, adam) with its update rule as code-generation pieces, plus the shared spec
 * (names, defaults, ranges, validation) and thresholds. `optimizerRule` picks the rule.
 */
import { checkEta } from '../classify';
import { adamPreconditioner, adamRule } from './adam';
import { gdRule } from './gd';
import { heavyBallRule } from './heavyBall';
import { nesterovRule } from './nesterov';
import { rmspropPreconditioner, rmspropRule } from './rmsprop';
import type { OptimizerRule } from './rule';
import type { OptimizerSpec } from './spec';

export * from './spec';
export * from './thresholds';
export type { Convergence, OptimizerRule } from './rule';

/** The update rule of a resolved optimizer at learning rate η (throws a RangeError for a bad η). */
export function optimizerRule(spec: OptimizerSpec, eta: number): OptimizerRule {
  checkEta(eta);
  switch (spec.name) {
    case 'gd':
      return gdRule(eta);
    case 'momentum':
      return heavyBallRule(eta, spec.beta);
    case 'nesterov':
      return nesterovRule(eta, spec.beta);
    case 'rmsprop':
      return rmspropRule(eta, spec);
    case 'adam':
      return adamRule(eta, spec);
  }
}

/**
 * Adaptive methods: fills out[i] = P_ii of the step taken from iterate k, given the rule's state
 * before that step (in stateNames order) and the gradient at the iterate. Returns false (and
 * leaves `out` alone) for GD, momentum and Nesterov, which have no preconditioner.
 */
export function preconditioner(spec: OptimizerSpec, state: ArrayLike<number>, g: ArrayLike<number>, k: number, out: Float64Array): boolean {
  const n = out.length;
  switch (spec.name) {
    case 'rmsprop':
      rmspropPreconditioner(spec, state, g, k, out);
      return true;
    case 'adam':
      // state = [m0 … m(n−1), v0 … v(n−1)]
      adamPreconditioner(spec, state, n, g, k, out);
      return true;
    default:
      return false;
  }
}
