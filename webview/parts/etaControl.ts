/**
 * The learning-rate control: slider in η/η_max (ticks at the paper's fractions), the number field,
 * η/η_max readout, and chips that set η to a fraction of η_max.
 */
import type { Part } from '../core/part';
import type { ValueElement } from '../core/dom';
import { etaFromSlider, etaToSlider, formatEta, parseEta } from '../lib/eta';
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
    <span class="muted">η / η_max:</span>
    <div id="eta-chips" class="chips" role="group" aria-label="Set η to a fraction of η_max"></div>
  </div>`,
  }],
  mount(ctx) {
    const slider = ctx.el<HTMLInputElement>('eta-slider');
    const ticks = ctx.el('eta-ticks');
    const input = ctx.el<ValueElement>('eta-input');
    const fraction = ctx.el('eta-fraction');
    const chips = ctx.el('eta-chips');
    const etaMax = (): number | null => ctx.store.state.analysis?.etaMax ?? null;

    const buildMarks = (max: number | null): void => {
      chips.replaceChildren();
      ticks.replaceChildren();
      if (max === null) return;
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

    ctx.watch((s) => [s.session, s.analysis, s.eta, s.etaFromSlider] as const, ([session, analysis, eta, fromSlider], prev) => {
      if (!session) return; // nothing to show before the first session
      if (!prev || analysis !== prev[1]) buildMarks(analysis?.etaMax ?? null);
      const max = analysis?.etaMax ?? null;
      input.value = formatEta(eta);
      if (fromSlider) {
        // the slider is under the pointer: leave it (and the chips) where the user put it
        fraction.textContent = max ? `η/η_max = ${fmt(eta / max, 3)}` : '';
        return;
      }
      slider.value = String(etaToSlider(eta, max ?? eta * 2));
      fraction.textContent = max ? `η/η_max = ${fmt(eta / max, 3)}${eta >= max ? ' (≥ η_max: no stable convergence to the sharpest minimum)' : ''}` : '';
      for (const chip of Array.from(chips.querySelectorAll<HTMLButtonElement>('button'))) {
        const f = Number(chip.dataset.fraction);
        chip.setAttribute('aria-pressed', String(max !== null && Math.abs(eta - f * max) <= 1e-9 * max));
      }
    });

    let settle: ReturnType<typeof setTimeout> | undefined;
    slider.addEventListener('input', () => {
      const eta = etaFromSlider(Number(slider.value), etaMax() ?? ctx.store.state.eta * 2);
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
