/**
 * Fractal measures of the current map, beside the legend: basin entropy S_b and boundary basin
 * entropy S_bb (with the "> ln 2 ⇒ fractal" test) and box-counting dimensions of the stable |
 * unstable and converged | diverged boundaries, computed here when the map completes (a few ms
 * for 256²); the uncertainty exponent on demand (extra maps on the host). State: state/measures.ts.
 */
import type { Part } from '../core/part';
import { measureRows, mapMeasures } from '../lib/measures';
import { measuresSlice } from '../state/measures';

export const measuresPart: Part = {
  name: 'fractal measures',
  fragments: [{
    slot: 'side',
    html: `
    <h2>Fractal measures</h2>
    <div id="measures" class="legend" data-role="fractal-measures" aria-label="Fractal measures of the map"></div>
    <div class="row">
      <vscode-button id="uncertainty-button" secondary disabled aria-label="Compute the uncertainty exponent of this map (21 extra maps of 64² starts)">Uncertainty exponent</vscode-button>
      <span id="uncertainty-status" class="muted"></span>
    </div>`,
  }],
  mount(ctx) {
    const measures = ctx.store.addSlice(measuresSlice);
    const box = ctx.el('measures');
    const button = ctx.el<HTMLElement & { disabled: boolean }>('uncertainty-button');
    const status = ctx.el('uncertainty-status');
    button.addEventListener('click', () => measures.dispatch({ type: 'uncertaintyRequested' }));
    let computed: { map: unknown; value: ReturnType<typeof mapMeasures> } = { map: null, value: null };
    measures.watch((st, root) => [root.main?.map ?? null, root.main?.done ?? false, root.analysis, st.uncertainty] as const, ([map, done, analysis, u]) => {
      button.disabled = !done || u?.status === 'running';
      status.textContent = !u ? '' : u.status === 'running' ? (u.progress ? `${u.progress.done} of ${u.progress.total} maps…` : 'computing…') : u.status === 'done' ? `${u.starts} starts shifted by ±ε` : u.status === 'failed' ? (u.error ?? 'failed') : 'cancelled';
      if (!map || !done || !analysis) {
        box.replaceChildren();
        box.textContent = map ? 'computed when the map is complete' : '';
        return;
      }
      const slice = ctx.store.state.main?.slice;
      if (computed.map !== map) computed = { map, value: mapMeasures(map, analysis.minima.length, slice ? (slice.xRange[1] - slice.xRange[0]) / map.width : NaN) };
      if (!computed.value) return;
      box.replaceChildren(...measureRows(computed.value, u?.status === 'done' ? u.exponents : null).flatMap((r) => {
        const l = document.createElement('span');
        l.textContent = r.label;
        l.title = r.detail;
        const v = document.createElement('span');
        v.textContent = r.value;
        v.title = r.detail;
        return [l, v];
      }));
    });
  },
};
