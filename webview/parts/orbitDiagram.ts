/**
 * The orbit-diagram view: "Orbit diagram" sweeps η over 0.5–1.5 η_max from the clicked start (or
 * next to the first minimum), shows progress with Cancel, then the visited values and the Lyapunov
 * exponent against η (click to use an η). Exports: CSV / JSON from the host, PNG / SVG drawn here
 * from the CLI's figure (src/figures/orbit.ts). State: view slice state/orbit.ts.
 */
import { orbitFigureSpec } from '../../src/figures/orbit';
import { prettyFormula } from '../../src/figures/formula';
import type { Part } from '../core/part';
import type { ValueElement } from '../core/dom';
import { fmt } from '../lib/format';
import { orbitSlice, type OrbitJobState } from '../state/orbit';
import { OrbitCharts } from '../widgets/orbitCharts';
import { saveFigure } from '../widgets/figureFiles';

const button = (id: string, label: string, aria: string): string => `
    <vscode-button id="${id}" secondary aria-label="${aria}">${label}</vscode-button>`;

/** The line after the section's title. */
export function orbitSummary(j: OrbitJobState): string {
  const range = `η ∈ [${fmt(j.etaRange[0])}, ${fmt(j.etaRange[1])}]`;
  const from = `${j.source} (${j.init.map((v) => fmt(v)).join(', ')})`;
  switch (j.status) {
    case 'running': return `— ${from}, ${range}: ${j.progress ? `${j.progress.done} of ${j.progress.total} learning rates` : 'starting…'}`;
    case 'cancelled': return '— cancelled';
    case 'failed': return `— ${j.error ?? 'failed'}`;
    case 'done': {
      const d = j.diagram;
      const stop = d?.firstNonConvergent[0];
      const where = stop === null || stop === undefined ? 'converges at every η of the range' : `stops converging at η = ${fmt(stop)}${j.etaReference ? ` (${fmt(stop / j.etaReference, 4)} η_max)` : ''}`;
      return `— ${from}, ${range}: ${where}; click a point to use its η`;
    }
  }
}

export const orbitDiagramPart: Part = {
  name: 'orbit diagram',
  fragments: [
    { slot: 'toolbar', html: button('orbit-button', 'Orbit diagram', 'Orbit diagram: sweep η from the clicked start (or next to the first minimum)') },
    {
      slot: 'below',
      html: `
<section id="orbit-section" aria-label="Orbit diagram" data-role="orbit-section" hidden>
  <h2>Orbit diagram <span id="orbit-summary" class="muted"></span></h2>
  <div class="row">
    <vscode-progress-bar id="orbit-progress" hidden></vscode-progress-bar>
    <vscode-button id="orbit-cancel" secondary hidden>Cancel</vscode-button>
    <vscode-single-select id="orbit-channel" aria-label="What the diagram shows against η"></vscode-single-select>
  </div>
  <div class="chart-box tall"><canvas id="orbit-chart" data-role="orbit-chart" role="img" aria-label="Visited values against the learning rate"></canvas></div>
  <div class="chart-box"><canvas id="lyapunov-chart" role="img" aria-label="Finite-time Lyapunov exponent against the learning rate"></canvas></div>
  <div class="row"><!--slot:orbit-actions-->${button('orbit-csv', 'Orbit CSV', 'Export the orbit diagram as CSV')}${button('orbit-json', 'Orbit JSON', 'Export the orbit diagram as JSON')}${button('orbit-png', 'Orbit PNG', 'Export the orbit diagram figure as PNG')}${button('orbit-svg', 'Orbit SVG', 'Export the orbit diagram figure as SVG')}
  </div>
</section>`,
    },
  ],
  mount(ctx) {
    const orbit = ctx.store.addSlice(orbitSlice);
    const section = ctx.el('orbit-section');
    const summary = ctx.el('orbit-summary');
    const progress = ctx.el<HTMLElement & { value?: number }>('orbit-progress');
    const cancel = ctx.el('orbit-cancel');
    const select = ctx.el<ValueElement>('orbit-channel');
    const charts = new OrbitCharts({ top: ctx.el<HTMLCanvasElement>('orbit-chart'), bottom: ctx.el<HTMLCanvasElement>('lyapunov-chart') }, (eta) => ctx.dispatch({ type: 'etaSet', eta, fromSlider: false }));
    ctx.el('orbit-button').addEventListener('click', () => orbit.dispatch({ type: 'orbitRequested' }));
    cancel.addEventListener('click', () => orbit.dispatch({ type: 'orbitCancelled' }));
    select.addEventListener('change', () => orbit.dispatch({ type: 'orbitChannelChosen', channel: Number(select.value) || 0 }));

    const figure = () => {
      const j = orbit.get().job;
      const root = ctx.store.state;
      if (!j?.diagram || !root.analysis) return null;
      const title = `Orbit diagram of GD on f = ${prettyFormula(root.analysis.normalized)}, from θ₀ = (${j.init.map((v) => fmt(v)).join(', ')})`;
      const subtitle = `${j.diagram.etas.length} learning rates; ${j.diagram.options.keep} iterates kept after ${j.diagram.options.transient} steps`;
      return orbitFigureSpec(j.diagram, { channel: orbit.get().channel, title, subtitle, etaReference: j.etaReference });
    };
    const save = (format: 'png' | 'svg') => () => {
      const spec = figure();
      if (!spec) return ctx.dispatch({ type: 'noticeShown', message: 'No orbit diagram yet: press “Orbit diagram” first.' });
      saveFigure((m) => ctx.post(m), spec, 'orbit-diagram', format);
    };
    ctx.el('orbit-png').addEventListener('click', save('png'));
    ctx.el('orbit-svg').addEventListener('click', save('svg'));
    ctx.el('orbit-csv').addEventListener('click', () => ctx.post({ type: 'measureExport', format: 'orbit-csv' }));
    ctx.el('orbit-json').addEventListener('click', () => ctx.post({ type: 'measureExport', format: 'orbit-json' }));

    orbit.watch((st) => st.job, (j) => {
      section.hidden = j === null;
      if (!j) return charts.clear();
      summary.textContent = orbitSummary(j);
      const running = j.status === 'running';
      progress.hidden = !running;
      cancel.hidden = !running;
      progress.value = j.progress && j.progress.total > 0 ? (100 * j.progress.done) / j.progress.total : 0;
      if (j.status !== 'done') charts.clear();
    });
    // the channel menu follows the diagram's recorded channels
    orbit.watch((st) => st.job?.diagram ?? null, (d) => {
      const names = d ? d.channels : ['loss'];
      select.replaceChildren(...names.map((n, i) => {
        const o = document.createElement('vscode-option');
        o.setAttribute('value', String(i));
        o.textContent = i === 0 ? 'loss gap f − f* (log)' : n;
        return o;
      }));
      select.value = String(orbit.get().channel < names.length ? orbit.get().channel : 0);
    });
    orbit.watch((st, root) => [st.job?.diagram ?? null, st.channel, root.theme] as const, ([d, channel, theme]) => {
      const j = orbit.get().job;
      if (d && j) charts.show(d, channel < d.channels.length ? channel : 0, j.etaReference, theme);
    });
  },
};
