/** Map layer, colour scheme and the overlay checkboxes (certified region, minima, contours). */
import type { Part } from '../core/part';
import type { ValueElement } from '../core/dom';
import { COLOR_SCHEMES, MAP_LAYERS } from '../lib/colors';
import type { ColorScheme, MapLayer } from '../lib/colors';
import { LAYER_INFO } from '../lib/legend';
import type { OverlayToggle } from '../state/actions';

const layerOptions = MAP_LAYERS.map((l, i) => `
      <vscode-option value="${l}"${i === 0 ? ' selected' : ''}>${LAYER_INFO[l].label}</vscode-option>`).join('');

const TOGGLES: [string, OverlayToggle][] = [['show-certified', 'showCertified'], ['show-minima', 'showMinima'], ['show-contours', 'showContours']];

export const displayOptionsPart: Part = {
  name: 'display options',
  fragments: [{
    slot: 'controls',
    html: `
  <div class="row">
    <vscode-single-select id="layer-select" aria-label="Map layer">${layerOptions}
    </vscode-single-select>
    <vscode-single-select id="scheme-select" aria-label="Colour scheme">
      <vscode-option value="paper" selected>Paper colours</vscode-option>
      <vscode-option value="per-minimum">Colour per minimum</vscode-option>
      <vscode-option value="colorblind">Colour-blind safe</vscode-option>
    </vscode-single-select>
    <vscode-checkbox id="show-certified" checked aria-label="Show certified region">Certified region</vscode-checkbox>
    <vscode-checkbox id="show-minima" checked aria-label="Show minima">Minima</vscode-checkbox>
    <vscode-checkbox id="show-contours" aria-label="Show contour lines of f">Contours</vscode-checkbox>
  </div>`,
  }],
  mount(ctx) {
    const layer = ctx.el<ValueElement>('layer-select');
    const scheme = ctx.el<ValueElement>('scheme-select');
    layer.addEventListener('change', () => {
      const v = layer.value as MapLayer;
      if (MAP_LAYERS.includes(v)) ctx.dispatch({ type: 'layerChosen', layer: v });
    });
    scheme.addEventListener('change', () => {
      const v = scheme.value as ColorScheme;
      if (COLOR_SCHEMES.includes(v)) ctx.dispatch({ type: 'schemeChosen', scheme: v });
    });
    for (const [id, overlay] of TOGGLES) {
      const box = ctx.el<ValueElement>(id);
      box.addEventListener('change', () => ctx.dispatch({ type: 'overlayToggled', overlay, on: box.checked }));
    }
    // a session's colour scheme (the setting) shows in the menu
    ctx.watch((s) => s.display.scheme, (v) => {
      if (scheme.value !== v) scheme.value = v;
    });
  },
};
