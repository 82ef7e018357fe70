/**
 * The learning-rate sweep: stacked stable / unstable / cycle / aperiodic / still descending /
 * other / diverged fractions against η/η_max as points stream in; click a point to use its η.
 * Opens the `sweep-actions` slot.
 */
import { PixelClass } from '../../src/engine/types';
import type { Part } from '../core/part';
import { classColor, rgbCss } from '../lib/colors';
import type { ColorScheme } from '../lib/colors';
import type { SweepJob } from '../state/types';
import { SweepChart } from '../widgets/charts';
import type { SweepColors } from '../widgets/charts';

/** The summary after the section's title. */
export function sweepSummary(job: SweepJob): string {
  const per = `${job.grid}×${job.grid} starts per η`;
  if (job.done) return `(${per}; click a point to use its η)`;
  if (job.cancelled) return '(cancelled)';
  if (job.progress) return `(${per}: ${job.progress.done} of ${job.progress.total})`;
  return `(${per}, computing…)`;
}

function colors(scheme: ColorScheme): SweepColors {
  const c = (cls: number): string => rgbCss(classColor(scheme === 'per-minimum' ? 'paper' : scheme, cls, 0));
  return {
    stable: c(PixelClass.Stable), unstable: c(PixelClass.Unstable), other: rgbCss([170, 170, 170]), diverged: c(PixelClass.Diverged),
    cycle: c(PixelClass.Cycle), aperiodic: c(PixelClass.BoundedAperiodic), descending: c(PixelClass.StillDescending),
  };
}

export const sweepPart: Part = {
  name: 'LR sweep',
  fragments: [
    { slot: 'toolbar', html: `
    <vscode-button id="sweep-button" secondary aria-label="Sweep learning rates">LR sweep</vscode-button>` },
    {
      slot: 'below',
      html: `
<section id="sweep-section" aria-label="Learning-rate sweep" hidden>
  <h2>LR sweep <span id="sweep-summary" class="muted"></span></h2>
  <div class="chart-box tall"><canvas id="sweep-chart" role="img" aria-label="Stacked fractions of stable, unstable, cycle, bounded aperiodic, still descending, other and diverged starts against η/η_max"></canvas></div>
  <div class="row"><!--slot:sweep-actions-->
  </div>
</section>`,
    },
  ],
  mount(ctx) {
    const section = ctx.el('sweep-section');
    const summary = ctx.el('sweep-summary');
    const chart = new SweepChart(ctx.el<HTMLCanvasElement>('sweep-chart'), (eta) => ctx.dispatch({ type: 'etaSet', eta, fromSlider: false }));
    ctx.el('sweep-button').addEventListener('click', () => ctx.dispatch({ type: 'sweepRequested' }));
    // a new job (or none, after a new session) starts from an empty chart
    ctx.watch((s) => s.sweep?.requestId ?? null, () => {
      section.hidden = ctx.store.state.sweep === null;
      chart.clear();
    });
    ctx.watch((s) => s.sweep, (job) => {
      if (job) summary.textContent = sweepSummary(job);
    });
    ctx.watch((s) => [s.sweep?.points ?? null, s.theme, s.display.scheme] as const, ([points, theme, scheme]) => {
      if (points && points.length > 0) chart.show(points, theme, colors(scheme));
    });
  },
};
