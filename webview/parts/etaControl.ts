/**
 * The learning-rate control: slider in η/η_max (ticks at the paper's fractions), the number field,
 * η/η_max readout, and chips that set η to a fraction of η_max — η_max of the panel's optimizer.
 * Without one (Adam / RMSProp, or no strict minimum) the slider and chips are absolute (log scale).
 */
import type { Part } from '../core/part';
import type { ValueElement } from '../core/dom';
import { ABSOLUTE_ETA_CHIPS, etaFromAbsoluteSlider, etaFromSlider, etaToAbsoluteSlider, etaToSlider, formatEta, parseEta } from '../lib/eta';
import { isAdaptive, OPTIMIZER_TITLES } from '../../src/engine/optimizers/spec';
import { fmt } from '../lib/format';
import { PAPER_ETA_FRACTIONS } from '../lib/geometry';

/** Slider moves settle this long before the map is recomputed. */
const SLIDER_SETTLE_MS = 150;

export const etaControlPart: Part = {
  name: 'learning rate',
  fragments: [{
    slot: 'controls',
    html: `
  <div class="row">
    <label for="eta-slider">η</label>
    <input type="range" id="eta-slider" min="0" max="1000" step="1" value="500" list="eta-ticks"
      aria-label="Learning rate η (slider, marked at the paper's fractions of η_max)">
    <datalist id="eta-ticks"></datalist>
    <vscode-textfield id="eta-input" type="text" inputmode="decimal" aria-label="Learning rate η" title="Learning rate η (Enter to apply)"></vscode-textfield>
    <span id="eta-fraction" aria-live="polite"></span>
  </div>
  <div class="row">
    <span id="eta-chips-label" class="muted">η / η_max:</span>
    <div id="eta-chips" class="chips" role="group" aria-label="Set η to a fraction of η_max"></div>
  </div>`,
  }],
  mount(ctx) {
    const slider = ctx.el<HTMLInputElement>('eta-slider');
    const ticks = ctx.el('eta-ticks');
    const input = ctx.el<ValueElement>('eta-input');
    const fraction = ctx.el('eta-fraction');
    const chips = ctx.el('eta-chips');
    const chipsLabel = ctx.el('eta-chips-label');
    const etaMax = (): number | null => ctx.store.state.analysis?.etaMax ?? null;

    /** No static η_max: absolute chips and a log-scale slider. */
    const absoluteMarks = (): void => {
      chipsLabel.textContent = 'η:';
      for (const eta of ABSOLUTE_ETA_CHIPS) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'chip';
        b.dataset.eta = String(eta);
        b.textContent = String(eta);
        b.setAttribute('aria-label', `Set η to ${eta}`);
        b.addEventListener('click', () => ctx.dispatch({ type: 'etaSet', eta, fromSlider: false }));
        chips.append(b);
        const o = document.createElement('option');
        o.value = String(etaToAbsoluteSlider(eta));
        ticks.append(o);
      }
    };

    const buildMarks = (max: number | null): void => {
      chips.replaceChildren();
      ticks.replaceChildren();
      chipsLabel.textContent = 'η / η_max:';
      if (max === null) return absoluteMarks();
      for (const f of [...PAPER_ETA_FRACTIONS, 1]) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = f === 1 ? 'chip eta-max' : 'chip';
        b.dataset.fraction = String(f);
        b.textContent = f === 1 ? `η_max = ${fmt(max)}` : String(f);
        b.setAttribute('aria-label', f === 1 ? `Set η to η_max = ${fmt(max)}` : `Set η to ${f} η_max = ${fmt(f * max)}`);
        b.addEventListener('click', () => ctx.dispatch({ type: 'etaSet', eta: f * max, fromSlider: false }));
        chips.append(b);
        const o = document.createElement('option');
        o.value = String(etaToSlider(f * max, max));
        ticks.append(o);
      }
    };

    ctx.watch((s) => [s.session, s.analysis, s.eta, s.etaFromSlider, s.optimizer] as const, ([session, analysis, eta, fromSlider], prev) => {
      if (!session) return; // nothing to show before the first session
      if (!prev || analysis !== prev[1]) buildMarks(analysis?.etaMax ?? null);
      const max = analysis?.etaMax ?? null;
      input.value = formatEta(eta);
      const optimizer = ctx.store.state.optimizer;
      const noMax = isAdaptive(optimizer)
        ? `absolute η: ${OPTIMIZER_TITLES[optimizer.name]} has no static η_max (its threshold bounds the preconditioned sharpness along a trajectory)`
        : 'absolute η (no strict minimum, so no η_max)';
      if (fromSlider) {
        // the slider is under the pointer: leave it (and the chips) where the user put it
        fraction.textContent = max ? `η/η_max = ${fmt(eta / max, 3)}` : noMax;
        return;
      }
      slider.value = String(max ? etaToSlider(eta, max) : etaToAbsoluteSlider(eta));
      fraction.textContent = max ? `η/η_max = ${fmt(eta / max, 3)}${eta >= max ? ' (≥ η_max: no stable convergence to the sharpest minimum)' : ''}` : noMax;
      for (const chip of Array.from(chips.querySelectorAll<HTMLButtonElement>('button'))) {
        const pressed = max !== null ? Math.abs(eta - Number(chip.dataset.fraction) * max) <= 1e-9 * max : Math.abs(eta - Number(chip.dataset.eta)) <= 1e-12;
        chip.setAttribute('aria-pressed', String(pressed));
      }
    });

    let settle: ReturnType<typeof setTimeout> | undefined;
    slider.addEventListener('input', () => {
      const max = etaMax();
      const eta = max ? etaFromSlider(Number(slider.value), max) : etaFromAbsoluteSlider(Number(slider.value));
      input.value = formatEta(eta);
      clearTimeout(settle);
      settle = setTimeout(() => ctx.dispatch({ type: 'etaSet', eta, fromSlider: true }), SLIDER_SETTLE_MS);
    });
    const apply = (): void => {
      const parsed = parseEta(input.value);
      if (typeof parsed === 'string') {
        input.invalid = true;
        ctx.dispatch({ type: 'errorShown', message: `Learning rate: ${parsed}` });
        return;
      }
      input.invalid = false;
      ctx.dispatch({ type: 'errorShown', message: null });
      if (parsed !== ctx.store.state.eta) ctx.dispatch({ type: 'etaSet', eta: parsed, fromSlider: false });
    };
    input.addEventListener('change', apply);
    input.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') apply();
    });
  },
};
