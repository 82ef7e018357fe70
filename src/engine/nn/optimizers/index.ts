/**
 * The optimizer registry of the network trainer: a uniform runtime (`step`, `threshold`,
 * `preconditioner`) over the per-optimizer step modules. Specs, defaults, validation and the
 * threshold formulas are the expression engine's (src/engine/optimizers/spec.ts and
 * thresholds.ts): `validateOptimizerSpec` only turns resolveOptimizer's errors into JSON-path
 * errors for the config layer.
 */
import {
  canonicalOptimizerName, isAdaptive, nearestOptimizerName, OPTIMIZER_NAMES, OptimizerError, resolveOptimizer, type OptimizerInput,
} from '../../optimizers/spec';
import { sharpnessLimit } from '../../optimizers/thresholds';
import { Checker, type JsonPath, type Validated } from '../specCheck';
import { adam } from './adam';
import { gd } from './gd';
import { momentum } from './momentum';
import { nesterov } from './nesterov';
import { rmsprop } from './rmsprop';
import type { OptimizerSpec } from './types';

export * from './types';
export { adam, gd, momentum, nesterov, rmsprop };
export { nesterovTheta } from './nesterov';

/** A ready optimizer for n parameters at one learning rate. */
export interface Optimizer {
  readonly spec: OptimizerSpec;
  readonly eta: number;
  /** the (preconditioned) sharpness threshold of this optimizer at this η */
  readonly threshold: number;
  /** true: compare λ_max(P⁻¹H) with the threshold; false: λ_max(H) */
  readonly preconditioned: boolean;
  /** one step in place, grad = ∇f(params) */
  step(params: Float64Array, grad: Float64Array): void;
  /** fills out = diag P of the next step (adaptive optimizers); false when there is none */
  preconditioner(grad: Float64Array, out: Float64Array): boolean;
  /** steps taken */
  readonly steps: number;
}

function wrap<S extends OptimizerSpec, State>(
  mod: { create(n: number, eta: number, spec: S): State; step(p: Float64Array, g: Float64Array, s: State): void; preconditioner?(s: State, g: Float64Array, out: Float64Array): void },
  spec: S, n: number, eta: number,
): Optimizer {
  const state = mod.create(n, eta, spec);
  let steps = 0;
  return {
    spec,
    eta,
    threshold: sharpnessLimit(spec, eta),
    preconditioned: isAdaptive(spec),
    step(params, grad) {
      mod.step(params, grad, state);
      steps++;
    },
    preconditioner(grad, out) {
      if (!mod.preconditioner) return false;
      mod.preconditioner(state, grad, out);
      return true;
    },
    get steps() {
      return steps;
    },
  };
}

export function createOptimizer(spec: OptimizerSpec, n: number, eta: number): Optimizer {
  if (!(eta > 0 && Number.isFinite(eta))) throw new RangeError(`the learning rate must be a positive number, got ${eta}`);
  switch (spec.name) {
    case 'gd':
      return wrap(gd, spec, n, eta);
    case 'momentum':
      return wrap(momentum, spec, n, eta);
    case 'nesterov':
      return wrap(nesterov, spec, n, eta);
    case 'rmsprop':
      return wrap(rmsprop, spec, n, eta);
    case 'adam':
      return wrap(adam, spec, n, eta);
  }
}

/** The threshold line of an optimizer at η (2/η for GD, 38/η for Adam at β₁ = 0.9, …): thresholds.ts. */
export const optimizerThreshold = sharpnessLimit;

/** A one-line description: 'GD', 'heavy-ball β = 0.9', 'Adam β₁ = 0.9, β₂ = 0.999, ε = 1e-8'. */
export function describeOptimizer(spec: OptimizerSpec): string {
  switch (spec.name) {
    case 'gd':
      return 'GD';
    case 'momentum':
      return `heavy-ball β = ${spec.beta}`;
    case 'nesterov':
      return `Nesterov β = ${spec.beta}`;
    case 'rmsprop':
      return `RMSProp β₂ = ${spec.beta2}, ε = ${spec.epsilon}${spec.biasCorrection ? ', bias-corrected' : ''}`;
    case 'adam':
      return `Adam β₁ = ${spec.beta1}, β₂ = ${spec.beta2}, ε = ${spec.epsilon}${spec.biasCorrection ? '' : ', no bias correction'}`;
  }
}

/**
 * `"adam"` or `{ "name": "adam", "beta1": 0.9, … }` → a complete spec (defaults filled in), or
 * errors with paths relative to the value given: every parameter is checked by resolveOptimizer
 * (the names, aliases, ranges and messages of the expression configs), each error on its key.
 */
export function validateOptimizerSpec(value: unknown, path: JsonPath = []): Validated<OptimizerSpec> {
  const c = new Checker();
  const obj = typeof value === 'string' ? { name: value } : c.object(value, path, 'the optimizer');
  if (!obj) return { errors: c.errors };
  const namePath = typeof value === 'string' ? path : [...path, 'name'];
  const raw = obj.name;
  if (typeof raw !== 'string') {
    c.error(namePath, `the optimizer needs a name: one of ${OPTIMIZER_NAMES.join(', ')}`);
    return { errors: c.errors };
  }
  const name = canonicalOptimizerName(raw);
  if (name === null) {
    const near = raw.length <= 40 ? nearestOptimizerName(raw) : null;
    c.error(namePath, `unknown optimizer "${raw}"${near ? ` (did you mean "${near}"?)` : ''}; use one of ${OPTIMIZER_NAMES.join(', ')}`);
    return { errors: c.errors };
  }
  const input: OptimizerInput = { name };
  for (const [key, v] of Object.entries(obj)) {
    if (key === 'name') continue;
    const one = { name, [key]: v } as unknown as OptimizerInput;
    try {
      resolveOptimizer(one);
      Object.assign(input, one);
    } catch (err) {
      if (!(err instanceof OptimizerError)) throw err;
      c.error([...path, key], err.message);
    }
  }
  return c.errors.length > 0 ? { errors: c.errors } : { spec: resolveOptimizer(input) };
}
