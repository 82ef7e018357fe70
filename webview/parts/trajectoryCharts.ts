/**
 * Charts of the selected trajectory (loss, ‖∇f‖, sharpness with 2/η) and its summary; hovering a
 * chart highlights that iterate on the map. Opens the `trajectory-actions` slot for its buttons.
 */
import type { Part } from '../core/part';
import { fmt } from '../lib/format';
import { trajectorySummary } from '../lib/trajectory';
import { selectedTrajectory } from '../state/selectors';
import { TrajectoryCharts } from '../widgets/charts';
import { thresholdName } from '../../src/shared/networkSession';

export const trajectoryChartsPart: Part = {
  name: 'trajectory charts',
  fragments: [{
    slot: 'below',
    html: `
<section id="trajectory-section" aria-label="Trajectory charts" hidden>
  <h2>Trajectory</h2>
  <p id="trajectory-summary" class="muted trajectory-summary"></p>
  <div class="chart-grid">
    <div class="chart-box"><canvas id="loss-chart" data-role="loss-chart" role="img" aria-label="Loss per step, log scale: red while unstable, dark once stable"></canvas></div>
    <div class="chart-box"><canvas id="grad-chart" role="img" aria-label="Gradient norm per step"></canvas></div>
    <div class="chart-box"><canvas id="sharpness-chart" role="img" aria-label="Sharpness λ_max per step with the 2/η line"></canvas></div>
  </div>
  <div class="row"><!--slot:trajectory-actions-->
  </div>
</section>`,
  }],
  mount(ctx) {
    const section = ctx.el('trajectory-section');
    const summary = ctx.el('trajectory-summary');
    const charts = new TrajectoryCharts(
      { loss: ctx.el<HTMLCanvasElement>('loss-chart'), grad: ctx.el<HTMLCanvasElement>('grad-chart'), sharpness: ctx.el<HTMLCanvasElement>('sharpness-chart') },
      (iterate) => ctx.dispatch({ type: 'chartHovered', iterate }),
    );
    ctx.watch((s) => s.generation, () => {
      section.hidden = true;
      charts.destroy();
    });
    // the charts keep the last trajectory shown until the selected one has data
    ctx.watch((s) => [selectedTrajectory(s)?.data ?? null, s.theme] as const, ([d, theme]) => {
      if (!d) return;
      section.hidden = false;
      summary.textContent = trajectorySummary(d, (v) => fmt(v));
      charts.show(d, theme, thresholdName(ctx.store.state.optimizer));
    });
  },
};
