/**
 * The optimizer selector: GD, heavy-ball, Nesterov, RMSProp or Adam with their parameters,
 * starting from the config's optimizer; a change recomputes the map and every trajectory under it
 * (state/optimizer.ts), like a new η. Beside it, the optimizer's threshold rule and η_max.
 */
import type { Part } from '../core/part';
import { fmt } from '../lib/format';
import { OptimizerPicker } from '../widgets/optimizerPicker';
import { isAdaptive } from '../../src/engine/optimizers/spec';
import { thresholdRule } from '../../src/engine/optimizers/thresholds';

export const optimizerSelectPart: Part = {
  name: 'optimizer',
  fragments: [{
    slot: 'controls',
    html: `
  <div class="row" id="optimizer-row" role="group" aria-label="Optimizer and its parameters">
    <span class="muted">Optimizer</span>
    <span id="optimizer-picker" class="row optimizer-picker"></span>
    <span id="optimizer-rule" class="muted" aria-live="polite"></span>
  </div>`,
  }],
  mount(ctx) {
    const rule = ctx.el('optimizer-rule');
    const picker = new OptimizerPicker(ctx.el('optimizer-picker'), {
      id: 'optimizer',
      label: 'Optimizer the map and trajectories run',
      onSpec: (spec) => {
        if (spec) ctx.dispatch({ type: 'optimizerSet', optimizer: spec });
      },
    });
    ctx.watch((s) => s.optimizer, (spec) => picker.show(spec));
    ctx.watch((s) => [s.optimizer, s.analysis?.etaMax ?? null] as const, ([spec, etaMax]) => {
      const limit = isAdaptive(spec) ? '' : etaMax !== null ? `; η_max = ${fmt(etaMax)}` : '';
      rule.textContent = `threshold: ${thresholdRule(spec)}${limit}`;
    });
  },
};
