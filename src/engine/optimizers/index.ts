/**
 * The optimizers of the expression engine: one file per optimizer (gd, heavyBall, nesterov,
 * rmsprop, adam) with its update rule as code-generation pieces, plus the shared spec
 * (names, defaults, ranges, validation) and thresholds. `optimizerRule` picks the rule.
 */
import { checkEta } from '../classify';
import { symmetricEigenvalues } from '../linalg';
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

/**
 * λ_max(P⁻¹H) for a diagonal P > 0 — the largest eigenvalue of the symmetric P^-½HP^-½, which
 * has the same spectrum. `scratch` has n² entries.
 */
export function preconditionedSharpness(h: ArrayLike<number>, p: ArrayLike<number>, n: number, scratch: Float64Array): number {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) scratch[i * n + j] = h[i * n + j] / Math.sqrt(p[i] * p[j]);
  }
  if (n === 1) return scratch[0];
  if (n === 2) {
    const mid = (scratch[0] + scratch[3]) / 2;
    return mid + Math.sqrt(((scratch[0] - scratch[3]) / 2) ** 2 + scratch[1] * scratch[1]);
  }
  const ev = symmetricEigenvalues(scratch, n);
  return ev[n - 1];
}
