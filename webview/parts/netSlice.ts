/**
 * The slice of a network's loss landscape around a trained point: choose the run whose end point
 * is the centre, the plane (top-2 Hessian eigenvectors, or filter-normalised random directions),
 * the grid and the window; the map fills in row by row (GD from every pixel in the full parameter
 * space, at that run's η) in the expression maps' classes and colours. Its state is a view slice
 * (state/netSlice.ts) registered here; the canvas is the basin map's widget.
 */
import type { ValueElement } from '../core/dom';
import type { Part } from '../core/part';
import { CLASS_NAMES } from '../lib/legend';
import { fmt } from '../lib/format';
import { sliceLegend } from '../lib/training';
import { SLICE_GRIDS, SLICE_RANGES, SLICE_STEPS, netSliceSlice, type NetSliceJob } from '../state/netSlice';
import { SLICE_PLANES, type SlicePlaneName } from '../../src/shared/networkProtocol';
import { BasinCanvas } from '../widgets/basinCanvas';

const PLANE_LABELS: Record<SlicePlaneName, string> = {
  hessian: 'top-2 Hessian eigenvectors',
  'filter-normalized': 'filter-normalised random directions',
};

const options = (values: readonly (number | string)[], label: (v: number | string) => string, selected: number | string): string =>
  values.map((v) => `<vscode-option value="${v}"${v === selected ? ' selected' : ''}>${label(v)}</vscode-option>`).join('');

function summary(job: NetSliceJob): string {
  const what = `${job.grid}×${job.grid} starts, GD at η = ${fmt(job.eta)}, ≤ ${job.maxSteps} steps`;
  if (job.error) return `(failed: ${job.error})`;
  if (job.cancelled) return `(${what}; stopped: the rows computed so far)`;
  const eig = job.eigenvalues.length === 2 ? `; λ₁ = ${fmt(job.eigenvalues[0])}, λ₂ = ${fmt(job.eigenvalues[1])} (2/η = ${fmt(2 / job.eta)})` : '';
  const loss = job.centerLoss !== null ? `; L(θ*) = ${fmt(job.centerLoss)}` : '';
  if (job.done) return `(${what}${eig}${loss}; ${(job.elapsedMs / 1000).toFixed(1)} s)`;
  return `(${what}${eig}${loss}: ${Math.floor(job.progress * 100)}%)`;
}

export const netSlicePart: Part = {
  name: 'network slice',
  fragments: [{
    slot: 'network',
    html: `
<section id="net-slice-section" aria-label="Slice of the loss landscape around the trained point" hidden>
  <h2>Slice around the trained point <span id="net-slice-summary" class="muted"></span></h2>
  <div class="row">
    <label for="net-slice-run">centre: end of</label>
    <vscode-single-select id="net-slice-run" aria-label="The run whose end point is the centre"></vscode-single-select>
    <vscode-single-select id="net-slice-plane" aria-label="Plane of the slice">${options(SLICE_PLANES, (p) => PLANE_LABELS[p as SlicePlaneName], 'hessian')}
    </vscode-single-select>
    <vscode-single-select id="net-slice-grid" aria-label="Starts per side">${options(SLICE_GRIDS, (g) => `${g}×${g}`, 24)}
    </vscode-single-select>
    <vscode-single-select id="net-slice-range" aria-label="Window: ± this fraction of ‖θ*‖ along both directions">${options(SLICE_RANGES, (r) => `± ${r} ‖θ*‖`, 0.25)}
    </vscode-single-select>
    <vscode-single-select id="net-slice-steps" aria-label="GD steps per start before it counts as not converged">${options(SLICE_STEPS, (n) => `≤ ${n} steps`, 500)}
    </vscode-single-select>
    <vscode-button id="net-slice-go" aria-label="Compute the slice map">Compute slice</vscode-button>
    <vscode-button id="net-slice-stop" secondary hidden aria-label="Stop the slice map">Stop</vscode-button>
  </div>
  <vscode-progress-bar id="net-slice-progress" aria-label="Slice progress" hidden></vscode-progress-bar>
  <div class="layout">
    <div class="net-slice-map"><canvas id="net-slice-canvas" data-role="net-slice-map" tabindex="0" role="img" aria-label="Slice map: outcome of GD from every start θ* + α d₁ + β d₂"></canvas></div>
    <div class="net-slice-side">
      <div id="net-slice-legend" class="legend-grid" aria-label="Legend with area fractions"></div>
      <div id="net-slice-readout" class="help" aria-live="off"></div>
    </div>
  </div>
  <p class="help">Each pixel starts GD at θ* + α·d₁ + β·d₂ (α, β in units of ‖θ*‖) and runs it in the full parameter space; it converges when its loss stays within 10 % of L(θ*) for 10 steps. Slices are expensive: one full training run per pixel.</p>
</section>`,
  }],
  mount(ctx) {
    const slice = ctx.store.addSlice(netSliceSlice);
    const section = ctx.el('net-slice-section');
    const runSelect = ctx.el<ValueElement>('net-slice-run');
    const plane = ctx.el<ValueElement>('net-slice-plane');
    const grid = ctx.el<ValueElement>('net-slice-grid');
    const range = ctx.el<ValueElement>('net-slice-range');
    const steps = ctx.el<ValueElement>('net-slice-steps');
    const go = ctx.el<ValueElement>('net-slice-go');
    const stop = ctx.el('net-slice-stop');
    const progress = ctx.el<HTMLElement & { value?: number }>('net-slice-progress');
    const summaryEl = ctx.el('net-slice-summary');
    const legend = ctx.el('net-slice-legend');
    const readout = ctx.el('net-slice-readout');
    const canvas = new BasinCanvas(ctx.el<HTMLCanvasElement>('net-slice-canvas'), {
      pick: () => undefined,
      zoom: () => undefined,
      back: () => undefined,
      reset: () => undefined,
      hover: (h) => {
        const job = slice.get().job;
        const m = job?.map;
        if (!h || !m || !m.rowFilled[h.row]) {
          readout.textContent = h ? `α = ${fmt(h.x)}, β = ${fmt(h.y)}` : '';
          return;
        }
        const i = h.row * m.width + h.col;
        readout.textContent = `α = ${fmt(h.x)}, β = ${fmt(h.y)} — ${CLASS_NAMES[m.classes[i]] ?? m.classes[i]}, ${m.steps[i]} steps, K = ${m.unstableSteps[i]}`;
      },
    }, ctx.store.state.theme);

    runSelect.addEventListener('change', () => slice.dispatch({ type: 'sliceRunChosen', run: Number(runSelect.value) }));
    plane.addEventListener('change', () => {
      if ((SLICE_PLANES as readonly string[]).includes(plane.value)) slice.dispatch({ type: 'slicePlaneChosen', plane: plane.value as SlicePlaneName });
    });
    grid.addEventListener('change', () => slice.dispatch({ type: 'sliceGridChosen', grid: Number(grid.value) }));
    range.addEventListener('change', () => slice.dispatch({ type: 'sliceRangeChosen', range: Number(range.value) }));
    steps.addEventListener('change', () => slice.dispatch({ type: 'sliceStepsChosen', maxSteps: Number(steps.value) }));
    go.addEventListener('click', () => slice.dispatch({ type: 'sliceRequested' }));
    stop.addEventListener('click', () => slice.dispatch({ type: 'sliceStop' }));

    slice.watch((st) => st.etas, (etas) => {
      section.hidden = etas.length === 0;
    });
    // the runs that can be sliced (ended without diverging) fill the centre menu
    slice.watch((st) => [st.ended, st.run] as const, ([ended, run]) => {
      const etas = slice.get().etas;
      runSelect.replaceChildren(...ended.map((i) => {
        const o = document.createElement('vscode-option');
        o.setAttribute('value', String(i));
        o.textContent = `η = ${fmt(etas[i])}`;
        if (i === run) o.setAttribute('selected', '');
        return o;
      }));
      if (ended.includes(run)) runSelect.value = String(run);
      go.disabled = ended.length === 0;
    });
    slice.watch((st) => st.job, (job) => {
      const running = job !== null && !job.done;
      stop.hidden = !running;
      progress.hidden = !running;
      progress.value = job ? Math.round(job.progress * 100) : 0;
      summaryEl.textContent = job ? summary(job) : '— train first, then compute a slice around a run’s end point';
    });
    slice.watch((st) => st.job?.map ?? null, (map) => {
      const job = slice.get().job;
      canvas.setView(map && job ? { map, xRange: [-job.range, job.range], yRange: [-job.range, job.range], axes: [0, 1], base: [0, 0], axisNames: ['α (d₁)', 'β (d₂)'] } : null);
    });
    slice.watch((st) => st.job?.revision ?? 0, () => {
      canvas.mapChanged();
      const map = slice.get().job?.map ?? null;
      legend.replaceChildren(...sliceLegend(map, 'paper').flatMap((r) => {
        const sw = document.createElement('span');
        sw.className = 'swatch';
        sw.style.background = r.color;
        const l = document.createElement('span');
        l.textContent = r.label;
        const v = document.createElement('span');
        v.textContent = r.value;
        return [sw, l, v];
      }));
    });
    ctx.watch((s) => s.theme, (theme) => canvas.setTheme(theme));
  },
};
