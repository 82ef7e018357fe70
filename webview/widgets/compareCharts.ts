/**
 * The side-by-side charts of one start under two optimizers (chart.js): both loss curves on one
 * log axis — each red while unstable (k < its own K) and dark after, the first solid, the second
 * dashed, each K marked — and one sharpness chart per run against that run's own threshold line.
 */
import { Chart, Legend, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Tooltip } from 'chart.js';
import type { ChartConfiguration, ScriptableLineSegmentContext } from 'chart.js';
import type { TrajectoryView } from '../../src/shared/protocol';
import { limitText, sharpnessAxisMax, type SharpnessSeries } from '../lib/compare';
import type { ThemeColors } from '../lib/theme';
import { logSafe, stepPhase } from '../lib/trajectory';
import { markerPlugin, stepScales } from './charts';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);

/** One run as the charts need it. */
export interface ComparedRun {
  /** legend name, e.g. "A: Adam" (the summary lines give the parameters) */
  name: string;
  data: TrajectoryView;
  sharpness: SharpnessSeries;
}

/** Line dashes of the first and the second run (the map draws them the same way). */
export const RUN_DASH: readonly number[][] = [[], [5, 3]];

const xy = (values: readonly (number | null)[]): { x: number; y: number }[] => values.map((v, k) => ({ x: k, y: v === null ? NaN : v }));

function options(theme: ThemeColors, yTitle: string, yLog: boolean): ChartConfiguration<'line'>['options'] {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    parsing: false,
    normalized: true,
    interaction: { mode: 'index', intersect: false, axis: 'x' },
    plugins: {
      legend: { display: true, labels: { color: theme.foreground, boxWidth: 18 } },
      tooltip: { enabled: true },
      markers: { lines: [] },
    },
    scales: stepScales(theme, yTitle, yLog),
  };
}

export class CompareCharts {
  private charts: Chart<'line'>[] = [];

  constructor(private readonly canvases: { loss: HTMLCanvasElement; sharpness: [HTMLCanvasElement, HTMLCanvasElement] }) {}

  show(runs: [ComparedRun, ComparedRun], theme: ThemeColors): void {
    this.destroy();
    const safe = runs.map((r) => logSafe(r.data.loss));
    const logOk = safe.every((s) => s.logOk);
    const lossOptions = options(theme, logOk ? 'f(θ_k) (log)' : 'f(θ_k)', logOk);
    lossOptions!.plugins!.markers = {
      lines: runs.flatMap((r, i) => (r.data.K > 0 ? [{ x: r.data.K, label: `K_${'AB'[i]} = ${r.data.K}`, color: theme.unstable, dy: 14 * i }] : [])),
    };
    this.charts.push(new Chart(this.canvases.loss, {
      type: 'line',
      data: {
        datasets: runs.map((r, i) => ({
          label: r.name,
          data: xy(safe[i].values),
          borderColor: theme.stable,
          borderDash: RUN_DASH[i],
          borderWidth: 1.5,
          pointRadius: 0,
          pointHoverRadius: 3,
          spanGaps: false,
          segment: {
            borderColor: (ctx: ScriptableLineSegmentContext) => (stepPhase(ctx.p0DataIndex, r.data.K) === 'unstable' ? theme.unstable : theme.stable),
          },
        })),
      },
      options: lossOptions,
      plugins: [markerPlugin],
    }));
    runs.forEach((r, i) => {
      const s = r.sharpness;
      const last = Math.max(1, s.values.length - 1);
      const sharpOptions = options(theme, s.label, false);
      const y = sharpOptions!.scales!.y as { max?: number };
      y.max = sharpnessAxisMax(s.values, s.limit);
      this.charts.push(new Chart(this.canvases.sharpness[i], {
        type: 'line',
        data: {
          datasets: [
            {
              label: `${'AB'[i]}: ${s.label}`, data: xy(s.values), borderColor: theme.accent, borderDash: RUN_DASH[i], borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 3,
              segment: { borderColor: (ctx: ScriptableLineSegmentContext) => (stepPhase(ctx.p0DataIndex, r.data.K) === 'unstable' ? theme.unstable : theme.accent) },
            },
            { label: limitText(s), data: [{ x: 0, y: s.limit }, { x: last, y: s.limit }], borderColor: theme.muted, borderDash: [6, 4], borderWidth: 1, pointRadius: 0 },
          ],
        },
        options: sharpOptions,
        plugins: [markerPlugin],
      }));
    });
  }

  destroy(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }
}
