/**
 * The optimizer registry: validation of an optimizer spec (plain data with JSON-path errors),
 * and a uniform runtime (`step`, `threshold`, `preconditioner`) over the per-optimizer modules.
 */
import { Checker, type JsonPath, type Validated } from '../specCheck';
import { adam } from './adam';
import { gd } from './gd';
import { momentum } from './momentum';
import { nesterov } from './nesterov';
import { rmsprop } from './rmsprop';
import { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES, type OptimizerName, type OptimizerSpec } from './types';

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
  mod: { create(n: number, eta: number, spec: S): State; step(p: Float64Array, g: Float64Array, s: State): void; threshold(eta: number, spec: S): number; preconditioned: boolean; preconditioner?(s: State, g: Float64Array, out: Float64Array): void },
  spec: S, n: number, eta: number,
): Optimizer {
  const state = mod.create(n, eta, spec);
  let steps = 0;
  return {
    spec,
    eta,
    threshold: mod.threshold(eta, spec),
    preconditioned: mod.preconditioned,
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

/** The threshold line of an optimizer at η (2/η for GD, 38/η for Adam at β₁ = 0.9, …). */
export function optimizerThreshold(spec: OptimizerSpec, eta: number): number {
  switch (spec.name) {
    case 'gd':
      return gd.threshold(eta, spec);
    case 'momentum':
      return momentum.threshold(eta, spec);
    case 'nesterov':
      return nesterov.threshold(eta, spec);
    case 'rmsprop':
      return rmsprop.threshold(eta, spec);
    case 'adam':
      return adam.threshold(eta, spec);
  }
}

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

const KEYS: Record<OptimizerName, readonly string[]> = {
  gd: ['name'],
  momentum: ['name', 'beta'],
  nesterov: ['name', 'beta'],
  rmsprop: ['name', 'beta2', 'epsilon', 'biasCorrection'],
  adam: ['name', 'beta1', 'beta2', 'epsilon', 'biasCorrection'],
};

/**
 * `"adam"` or `{ "name": "adam", "beta1": 0.9, … }` → a complete spec (defaults filled in), or
 * errors with paths relative to the value given.
 */
export function validateOptimizerSpec(value: unknown, path: JsonPath = []): Validated<OptimizerSpec> {
  const c = new Checker();
  const obj = typeof value === 'string' ? { name: value } : c.object(value, path, 'the optimizer');
  if (!obj) return { errors: c.errors };
  const name = c.oneOf(obj.name, OPTIMIZER_NAMES, typeof value === 'string' ? path : [...path, 'name'], 'optimizer name');
  if (!name) return { errors: c.errors };
  c.unknownKeys(obj, KEYS[name], path, `the ${name} optimizer`);
  const beta = (key: string, fallback: number): number => c.number(obj, key, path, { fallback, min: 0, below: 1, what: `${key} (must be in [0, 1))` });
  let spec: OptimizerSpec;
  switch (name) {
    case 'gd':
      spec = { name };
      break;
    case 'momentum':
    case 'nesterov':
      spec = { name, beta: beta('beta', OPTIMIZER_DEFAULTS[name].beta) };
      break;
    case 'rmsprop': {
      const d = OPTIMIZER_DEFAULTS.rmsprop;
      spec = { name, beta2: beta('beta2', d.beta2), epsilon: c.number(obj, 'epsilon', path, { fallback: d.epsilon, above: 0 }), biasCorrection: c.boolean(obj, 'biasCorrection', path, d.biasCorrection) };
      break;
    }
    case 'adam': {
      const d = OPTIMIZER_DEFAULTS.adam;
      spec = {
        name, beta1: beta('beta1', d.beta1), beta2: beta('beta2', d.beta2),
        epsilon: c.number(obj, 'epsilon', path, { fallback: d.epsilon, above: 0 }), biasCorrection: c.boolean(obj, 'biasCorrection', path, d.biasCorrection),
      };
      break;
    }
  }
  return c.errors.length > 0 ? { errors: c.errors } : { spec };
}
