/** "lr", "learningRates", "lrFractions": the learning rates of interest. */
import { describeOptimizer, isAdaptive, OPTIMIZER_TITLES } from '../../engine/optimizers/spec';
import { etaMaxRule } from '../../engine/optimizers/thresholds';
import { fmt } from '../format';
import type { PosNode } from '../tree';
import { describe, isFiniteNumber, type KeyValidator, type ValidationContext } from './context';

function positive(ctx: ValidationContext, node: PosNode, label: string): number | null {
  if (!isFiniteNumber(node)) {
    ctx.err(node.range, `${label} must be a number (found ${describe(node)})`, 'lr');
    return null;
  }
  if (node.value <= 0) {
    ctx.err(node.range, `${label} must be positive: gradient descent needs η > 0 (found ${node.value})`, 'lr');
    return null;
  }
  return node.value;
}

export const learningRatesValidator: KeyValidator<'lr' | 'learningRates' | 'lrFractions'> = {
  keys: ['lr', 'learningRates', 'lrFractions'],
  aliases: {
    learningrate: 'lr', eta: 'lr', stepsize: 'lr', alpha: 'lr', rate: 'lr', η: 'lr',
    lrs: 'learningRates', etas: 'learningRates', rates: 'learningRates', stepsizes: 'learningRates',
    fractions: 'lrFractions', etafractions: 'lrFractions', etafracs: 'lrFractions', lrfracs: 'lrFractions', lrfraction: 'lrFractions',
  },
  validate(ctx) {
    const lrEntry = ctx.get('lr');
    if (lrEntry) {
      const value = positive(ctx, lrEntry.value, '"lr" (the learning rate η)');
      if (value !== null) ctx.result.learningRates.push({ key: 'lr', index: null, value, fraction: false, range: lrEntry.value.range });
    }
    // "optimizer" is validated first: fractions are of its own threshold
    const optimizer = ctx.result.optimizer;
    const who = !optimizer || optimizer.name === 'gd' ? 'GD' : describeOptimizer(optimizer);
    for (const key of ['learningRates', 'lrFractions'] as const) {
      const entry = ctx.get(key);
      if (!entry) continue;
      if (key === 'lrFractions' && optimizer && isAdaptive(optimizer)) {
        ctx.err(
          entry.keyRange,
          `"lrFractions" are fractions of the threshold η_max, but ${OPTIMIZER_TITLES[optimizer.name]}'s threshold depends on the trajectory (it bounds the preconditioned sharpness), so there is none to take fractions of: give absolute "learningRates" instead`,
          'lr',
        );
        continue;
      }
      const v = entry.value;
      if (v.kind !== 'array') {
        ctx.err(v.range, `"${key}" must be a list of numbers, e.g. ${key === 'lrFractions' ? '[0.2, 0.5, 0.8, 0.95, 0.99]' : '[0.1, 0.25, 0.5]'} (found ${describe(v)})`, 'lr');
        continue;
      }
      v.items.forEach((item, index) => {
        const value = positive(ctx, item, key === 'lrFractions' ? `a fraction of η_max in "lrFractions"` : `a learning rate in "learningRates"`);
        if (value === null) return;
        if (key === 'lrFractions' && value >= 1) {
          ctx.warn(item.range, `η = ${fmt(value)}·η_max is at or beyond the threshold ${etaMaxRule(optimizer ?? { name: 'gd' })}: ${who} diverges from every start near the minimum`, 'lr-threshold');
        }
        ctx.result.learningRates.push({ key, index, value, fraction: key === 'lrFractions', range: item.range });
      });
    }
  },
};
