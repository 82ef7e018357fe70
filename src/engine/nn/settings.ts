/**
 * The training settings of a network config, read from the config's top-level keys shared with
 * the expression configs: `lr` and `learningRates` (absolute learning rates, run in that order,
 * duplicates dropped), `maxSteps` (optimizer steps per learning rate) and `optimizer`
 * (optimizers/index.ts). Paths in errors are from the config root.
 */
import { validateOptimizerSpec, type OptimizerSpec } from './optimizers';
import { Checker, type PlainObject, type SpecError, type Validated } from './specCheck';

export interface TrainSettings {
  learningRates: number[];
  steps: number;
  optimizer: OptimizerSpec;
}

export const TRAIN_LIMITS = { maxSteps: 1_000_000, maxLearningRates: 16, defaultSteps: 1000 } as const;

export function validateTrainSettings(root: PlainObject): Validated<TrainSettings> {
  const c = new Checker();
  const rates: number[] = [];
  const add = (v: unknown, path: (string | number)[]): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) c.error(path, `a learning rate must be a positive number, got ${JSON.stringify(v)}`);
    else if (!rates.includes(v)) rates.push(v);
  };
  if (root.lr !== undefined) add(root.lr, ['lr']);
  if (root.learningRates !== undefined) {
    if (!Array.isArray(root.learningRates)) c.error(['learningRates'], 'learningRates must be a list of learning rates, e.g. [0.05, 0.1]');
    else root.learningRates.forEach((v, i) => add(v, ['learningRates', i]));
  }
  if (rates.length > TRAIN_LIMITS.maxLearningRates) c.error(['learningRates'], `at most ${TRAIN_LIMITS.maxLearningRates} learning rates per run`);
  if (root.lrFractions !== undefined) c.error(['lrFractions'], 'lrFractions (fractions of 2/λ_max at a minimum) are for expressions; a network has no precomputed minimum — give absolute rates in learningRates');
  const steps = c.number(root, 'maxSteps', [], { fallback: TRAIN_LIMITS.defaultSteps, integer: true, min: 0, max: TRAIN_LIMITS.maxSteps, what: 'maxSteps (optimizer steps per learning rate)' });
  let optimizer: OptimizerSpec = { name: 'gd' };
  if (root.optimizer !== undefined) {
    const o = validateOptimizerSpec(root.optimizer, ['optimizer']);
    if (o.errors) c.errors.push(...o.errors);
    else optimizer = o.spec;
  }
  const errors: SpecError[] = c.errors;
  return errors.length > 0 ? { errors } : { spec: { learningRates: rates, steps, optimizer } };
}
