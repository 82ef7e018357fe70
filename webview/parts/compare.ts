/**
 * Side by side: the charted start under the panel's optimizer (A) and a second one (B), same map
 * window, same η. Both trajectories on the map (A solid, B dashed with a square start), both loss
 * curves on one log axis (each red while unstable, with its own K), each run's sharpness against
 * its own threshold line, and a one-line summary each. Its state is a view slice (state/compare.ts).
 */
import type { Part } from '../core/part';
import { runSummary, sharpnessSeries } from '../lib/compare';
import { fmt } from '../lib/format';
import { compareSlice } from '../state/compare';
import { selectedTrajectory } from '../state/selectors';
import { CompareCharts } from '../widgets/compareCharts';
import { OptimizerPicker } from '../widgets/optimizerPicker';
import { describeOptimizer, OPTIMIZER_TITLES } from '../../src/engine/optimizers/spec';

export const comparePart: Part = {
  name: 'side-by-side optimizers',
  fragments: [{
    // under the map: which line is which optimizer while the comparison is on
    slot: 'map',
    html: `
    <p id="compare-map-legend" class="help compare-map-legend" hidden></p>`,
  }, {
    slot: 'below',
    html: `
<section id="compare-section" aria-label="One start under two optimizers" hidden>
  <h2>Side by side: one start under two optimizers</h2>
  <div class="row"><span class="muted">Compare the charted start with</span><span id="compare-picker" class="row optimizer-picker"></span></div>
  <p id="compare-note" class="muted" aria-live="polite"></p>
  <ul id="compare-summary" class="compare-summary"></ul>
  <div id="compare-charts" class="chart-grid" hidden>
    <div class="chart-box"><canvas id="compare-loss-chart" data-role="compare-loss-chart" role="img" aria-label="Loss of both runs per step, log scale: red while unstable, dark after; A solid, B dashed"></canvas></div>
    <div class="chart-box"><canvas id="compare-sharpness-a" data-role="compare-sharpness-a" role="img" aria-label="Run A's sharpness against its threshold line"></canvas></div>
    <div class="chart-box"><canvas id="compare-sharpness-b" data-role="compare-sharpness-b" role="img" aria-label="Run B's sharpness against its threshold line"></canvas></div>
  </div>
</section>`,
  }],
  mount(ctx) {
    const compare = ctx.store.addSlice(compareSlice);
    const section = ctx.el('compare-section');
    const note = ctx.el('compare-note');
    const summary = ctx.el('compare-summary');
    const chartsBox = ctx.el('compare-charts');
    const mapLegend = ctx.el('compare-map-legend');
    const charts = new CompareCharts({
      loss: ctx.el<HTMLCanvasElement>('compare-loss-chart'),
      sharpness: [ctx.el<HTMLCanvasElement>('compare-sharpness-a'), ctx.el<HTMLCanvasElement>('compare-sharpness-b')],
    });
    const picker = new OptimizerPicker(ctx.el('compare-picker'), {
      id: 'compare',
      label: 'Second optimizer for the charted start',
      off: 'nothing (off)',
      onSpec: (optimizer) => compare.dispatch({ type: 'compareSet', optimizer }),
    });
    ctx.watch((s) => s.analysis !== null && s.mode === 'expression', (shown) => {
      section.hidden = !shown;
    });
    compare.watch((c) => c.second, (second) => picker.show(second));

    compare.watch((c, root) => [c.second, c.run, selectedTrajectory(root)?.data ?? null, root.optimizer, root.theme] as const, ([second, run, a, optA, theme]) => {
      const mapComparison = ctx.use('mapComparison');
      mapComparison(second && run?.data ? run.data : null);
      mapLegend.hidden = !(second && run);
      if (second && run) mapLegend.textContent = `On the map: —— A ${describeOptimizer(optA)} (round start) · - - - B ${describeOptimizer(run.optimizer)} (square start); red while unstable, black after.`;
      summary.replaceChildren();
      if (!second) {
        note.textContent = 'Choose a second optimizer: the charted start runs under both, at the same η, on the same map.';
        chartsBox.hidden = true;
        charts.destroy();
        return;
      }
      if (!run) {
        note.textContent = 'Click a pixel of the map (or pick a trajectory) to chart a start under both optimizers.';
        chartsBox.hidden = true;
        charts.destroy();
        return;
      }
      const at = `from (${run.init.map((v) => fmt(v)).join(', ')}) at η = ${fmt(run.eta)}`;
      const line = (label: string, text: string): void => {
        const li = document.createElement('li');
        li.textContent = `${label} ${text}`;
        summary.append(li);
      };
      line('—— A (solid on the map):', a ? runSummary(a, optA) : `${describeOptimizer(optA)}: computing…`);
      line('- - B (dashed, square start):', run.error ? `${describeOptimizer(run.optimizer)}: ${run.error}` : run.data ? runSummary(run.data, run.optimizer) : `${describeOptimizer(run.optimizer)}: computing…`);
      note.textContent = `One start ${at}; loss red while unstable (k < K), dark after; each sharpness against its own threshold line.`;
      if (!a || !run.data) return;
      chartsBox.hidden = false;
      charts.show([
        { name: `A: ${OPTIMIZER_TITLES[optA.name]}`, data: a, sharpness: sharpnessSeries(a, optA) },
        { name: `B: ${OPTIMIZER_TITLES[run.optimizer.name]}`, data: run.data, sharpness: sharpnessSeries(run.data, run.optimizer) },
      ], theme);
    });
  },
};
