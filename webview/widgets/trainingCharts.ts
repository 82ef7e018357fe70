/**
 * chart.js charts of a training job, every learning rate overlaid in its own colour (legend;
 * click an entry to focus that η): the loss per step on a log axis — the focused run red while
 * in its unstable phase (k < K) and black (the theme's foreground on dark themes) once the loss
 * decreases for good, K marked —, the sharpness every k steps with each η's threshold line
 * (dashed, its colour) and the step where it first reaches the line (▲), and ‖∇L‖ (log).
 * Long runs are thinned to ~MAX_POINTS points per curve, keeping each stretch's min and max.
 */
import { Chart } from 'chart.js';
import type { ChartConfiguration, ChartDataset, LegendItem, ScriptableLineSegmentContext } from 'chart.js';
import type { ThemeColors } from '../lib/theme';
import { etaColor, minPositive, seriesPoints, thinIndices } from '../lib/training';
import { fmt } from '../lib/format';
import { comparedSharpness, firstAtThreshold, runK, type RunCurves } from '../state/training';
import { markerPlugin, stepScales } from './charts';

/** Points per curve at most (the chart stays responsive for runs of a million steps). */
export const MAX_POINTS = 1500;

export interface TrainingChartInput {
  runs: RunCurves[];
  preconditioned: boolean;
  /** the run drawn in the paper's colours (red unstable phase, black after K) */
  focus: number;
  steps: number;
  /** '2/η', '2(1+β)/η', … for labels */
  thresholdName: string;
  theme: ThemeColors;
}

type Points = { x: number; y: number }[];
type LineDataset = ChartDataset<'line', Points> & { runIndex?: number };

function options(theme: ThemeColors, yTitle: string, yLog: boolean, onLegend: ((runIndex: number) => void) | null): ChartConfiguration<'line', Points>['options'] {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    parsing: false,
    normalized: true,
    interaction: { mode: 'nearest', intersect: false, axis: 'x' },
    plugins: {
      legend: {
        display: onLegend !== null,
        labels: { color: theme.foreground, boxWidth: 12, filter: (item: LegendItem) => item.text !== '' },
        onClick: (_e, item: LegendItem, legend) => {
          const ds = legend.chart.data.datasets[item.datasetIndex ?? -1] as LineDataset | undefined;
          if (ds?.runIndex !== undefined) onLegend?.(ds.runIndex);
        },
      },
      tooltip: { enabled: true, callbacks: { title: (items) => (items.length ? `step ${items[0].parsed.x}` : '') } },
      markers: { lines: [] },
    },
    scales: stepScales(theme, yTitle, yLog, { min: 0, maxTicks: 7 }),
  };
}

export class TrainingCharts {
  private loss: Chart<'line', Points> | null = null;
  private sharp: Chart<'line', Points> | null = null;
  private grad: Chart<'line', Points> | null = null;
  private theme: ThemeColors | null = null;
  private preconditioned = false;

  constructor(
    private readonly canvases: { loss: HTMLCanvasElement; sharpness: HTMLCanvasElement; grad: HTMLCanvasElement },
    private readonly onFocus: (runIndex: number) => void,
  ) {}

  show(input: TrainingChartInput): void {
    const { theme } = input;
    if (this.theme !== theme || this.preconditioned !== input.preconditioned || !this.loss) {
      this.destroy();
      this.theme = theme;
      this.preconditioned = input.preconditioned;
      const sharpTitle = input.preconditioned ? 'λ_max(P⁻¹∇²L)' : 'λ_max(∇²L)';
      this.loss = new Chart(this.canvases.loss, { type: 'line', data: { datasets: [] }, options: options(theme, 'L(θ_k) (log)', true, this.onFocus), plugins: [markerPlugin] });
      this.sharp = new Chart(this.canvases.sharpness, { type: 'line', data: { datasets: [] }, options: options(theme, sharpTitle, false, this.onFocus), plugins: [markerPlugin] });
      this.grad = new Chart(this.canvases.grad, { type: 'line', data: { datasets: [] }, options: options(theme, '‖∇L(θ_k)‖ (log)', true, null), plugins: [markerPlugin] });
    }
    this.fill(input);
  }

  private fill(input: TrainingChartInput): void {
    const { runs, theme, focus } = input;
    const lossSets: LineDataset[] = [];
    const gradSets: LineDataset[] = [];
    const sharpSets: LineDataset[] = [];
    const reached: { x: number; y: number; color: string }[] = [];
    let lossFloor = Infinity;
    let gradFloor = Infinity;
    for (const r of runs) {
      lossFloor = Math.min(lossFloor, minPositive(r.loss, r.length) ?? Infinity);
      gradFloor = Math.min(gradFloor, minPositive(r.gradNorm, r.length) ?? Infinity);
    }
    const lf = Number.isFinite(lossFloor) ? lossFloor / 10 : 1e-300;
    const gf = Number.isFinite(gradFloor) ? gradFloor / 10 : 1e-300;
    for (const r of runs) {
      const color = etaColor(r.index);
      const focused = r.index === focus;
      const K = runK(r);
      const idx = thinIndices(r.length, (i) => r.loss[i], MAX_POINTS);
      const label = `η = ${fmt(r.eta)}${focused ? ' (red: unstable phase)' : ''}`;
      lossSets.push({
        label, runIndex: r.index, data: seriesPoints(r.loss, idx, lf), borderColor: focused ? theme.stable : color,
        backgroundColor: focused ? theme.unstable : color, borderWidth: focused ? 2 : 1.2, pointRadius: 0, pointHoverRadius: 3, spanGaps: false,
        order: focused ? 0 : 1,
        ...(focused ? { segment: { borderColor: (c: ScriptableLineSegmentContext) => ((c.p0.parsed.x ?? 0) < K ? theme.unstable : theme.stable) } } : {}),
      });
      const gIdx = thinIndices(r.length, (i) => r.gradNorm[i], MAX_POINTS);
      gradSets.push({ label, runIndex: r.index, data: seriesPoints(r.gradNorm, gIdx, gf), borderColor: color, borderWidth: focused ? 2 : 1.2, pointRadius: 0, pointHoverRadius: 3 });
      const s = comparedSharpness(r, input.preconditioned);
      const sIdx = thinIndices(s.length, (i) => s[i], MAX_POINTS);
      sharpSets.push({
        label: `η = ${fmt(r.eta)}: ${input.thresholdName} = ${fmt(r.threshold)}`, runIndex: r.index,
        data: sIdx.map((i) => ({ x: r.sharpnessSteps[i], y: Number.isFinite(s[i]) ? s[i] : NaN })),
        borderColor: color, borderWidth: focused ? 2 : 1.2, pointRadius: 0, pointHoverRadius: 3,
      });
      sharpSets.push({
        label: '', data: [{ x: 0, y: r.threshold }, { x: input.steps, y: r.threshold }], borderColor: color, borderDash: [6, 4], borderWidth: 1, pointRadius: 0,
      });
      const at = firstAtThreshold(r, input.preconditioned);
      if (at !== null) {
        const i = r.sharpnessSteps.indexOf(at);
        if (i >= 0) reached.push({ x: at, y: s[i], color });
      }
    }
    if (reached.length > 0) {
      sharpSets.push({
        label: '', data: reached.map(({ x, y }) => ({ x, y })), showLine: false, pointStyle: 'triangle', pointRadius: 6,
        pointBackgroundColor: reached.map((p) => p.color), pointBorderColor: theme.foreground, borderWidth: 1,
      });
    }
    const focusRun = runs[focus];
    const K = focusRun ? runK(focusRun) : 0;
    const reach = focusRun ? firstAtThreshold(focusRun, input.preconditioned) : null;
    this.set(this.loss, lossSets, K > 0 ? [{ x: K, label: `K = ${K}`, color: theme.unstable }] : [], input.steps);
    this.set(this.grad, gradSets, [], input.steps);
    this.set(this.sharp, sharpSets, reach !== null && focusRun ? [{ x: reach, label: `reaches ${input.thresholdName} at k = ${reach}`, color: etaColor(focusRun.index) }] : [], input.steps);
  }

  private set(chart: Chart<'line', Points> | null, datasets: LineDataset[], lines: { x: number; label: string; color: string }[], steps: number): void {
    if (!chart) return;
    chart.data.datasets = datasets;
    const o = chart.options;
    if (o.plugins) o.plugins.markers = { lines };
    if (o.scales?.x) o.scales.x.max = Math.max(1, steps);
    chart.update('none');
  }

  destroy(): void {
    this.loss?.destroy();
    this.sharp?.destroy();
    this.grad?.destroy();
    this.loss = this.sharp = this.grad = null;
    this.theme = null;
  }
}
