/**
 * chart.js charts of the panel: loss (log scale, red while unstable / dark once stable, K marked),
 * ‖∇f‖, sharpness λ_max with the 2/η line, and the stacked LR sweep. Only the needed chart.js
 * parts are registered (no eval anywhere, fine under the webview's CSP).
 */
import {
  Chart, Filler, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Tooltip, Legend,
} from 'chart.js';
import type { ChartConfiguration, ChartType, ChartEvent, ActiveElement, Plugin, ScriptableLineSegmentContext } from 'chart.js';
import type { SweepPointView, TrajectoryView } from '../../src/shared/protocol';
import type { ThemeColors } from '../lib/theme';
import { parseCssColor } from '../lib/colors';
import { inTail, logSafe, stepPhase, withAlpha } from '../lib/trajectory';

/** Opacity of the iterates drawn after the decision (the tail). */
const TAIL_ALPHA = 0.35;

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Tooltip, Legend);

/** Vertical marker lines (e.g. K) drawn by a tiny inline plugin, configured per chart. */
export interface MarkerOptions {
  /** `dy`: the label this many pixels lower (two markers close together) */
  lines: { x: number; label: string; color: string; dy?: number }[];
}

export const markerPlugin: Plugin<'line', MarkerOptions> = {
  id: 'markers',
  afterDatasetsDraw(chart, _args, options) {
    const x = chart.scales.x;
    const area = chart.chartArea;
    if (!x || !area || !options.lines) return;
    const ctx = chart.ctx;
    for (const line of options.lines) {
      const px = x.getPixelForValue(line.x);
      if (!(px >= area.left && px <= area.right)) continue;
      ctx.save();
      ctx.strokeStyle = line.color;
      ctx.fillStyle = line.color;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = '11px sans-serif';
      ctx.textAlign = px > (area.left + area.right) / 2 ? 'right' : 'left';
      ctx.fillText(line.label, px + (ctx.textAlign === 'right' ? -4 : 4), area.top + 12 + (line.dy ?? 0));
      ctx.restore();
    }
  },
};

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    markers?: MarkerOptions;
  }
}

/** Compact tick labels: 0.001, 10, 1e-7, 3.2e+4. */
export function shortNumber(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

type LineScales = NonNullable<NonNullable<ChartConfiguration<'line'>['options']>['scales']>;

/**
 * The step axes every step chart shares (trajectory, side by side, training): x = step k, linear;
 * y titled, linear or logarithmic, compact tick labels.
 */
export function stepScales(theme: ThemeColors, yTitle: string, yLog: boolean, x: { min?: number; maxTicks?: number } = {}): LineScales {
  return {
    x: {
      type: 'linear',
      ...(x.min !== undefined ? { min: x.min } : {}),
      title: { display: true, text: 'step k', color: theme.muted },
      ticks: { color: theme.muted, maxTicksLimit: x.maxTicks ?? 6 },
      grid: { color: theme.grid },
    },
    y: {
      type: yLog ? 'logarithmic' : 'linear',
      title: { display: true, text: yTitle, color: theme.muted },
      ticks: { color: theme.muted, maxTicksLimit: 6, callback: (v: number | string) => shortNumber(Number(v)) },
      grid: { color: theme.grid },
    },
  };
}

type HoverHandler = (iterate: number | null) => void;

function baseOptions(theme: ThemeColors, title: string, yLog: boolean, onHover: HoverHandler): ChartConfiguration<'line'>['options'] {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    parsing: false,
    normalized: true,
    interaction: { mode: 'index', intersect: false, axis: 'x' },
    onHover: (_e: ChartEvent, elements: ActiveElement[]) => onHover(elements.length ? elements[0].index : null),
    plugins: {
      legend: { display: false, labels: { color: theme.foreground } },
      tooltip: { enabled: true },
      title: { display: false, text: title },
      markers: { lines: [] },
    },
    scales: stepScales(theme, title, yLog),
  };
}

function points(values: readonly (number | null)[]): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    out.push({ x: k, y: v === null ? NaN : v });
  }
  return out;
}

/** The three trajectory charts; `onHover(k)` reports the hovered iterate (null when leaving). */
export class TrajectoryCharts {
  private loss: Chart<'line'> | null = null;
  private grad: Chart<'line'> | null = null;
  private sharp: Chart<'line'> | null = null;

  constructor(
    private readonly canvases: { loss: HTMLCanvasElement; grad: HTMLCanvasElement; sharpness: HTMLCanvasElement },
    private readonly onHover: HoverHandler,
  ) {
    for (const c of Object.values(canvases)) c.addEventListener('mouseleave', () => onHover(null));
  }

  /**
   * `limitName` names the threshold line (the optimizer's: '2/η', '2(1+β)/η', …); Adam / RMSProp
   * trajectories chart their preconditioned sharpness λ_max(P⁻¹∇²f) against it.
   */
  show(t: TrajectoryView, theme: ThemeColors, limitName = '2/η'): void {
    this.destroy();
    const K = t.K;
    const decided = t.steps;
    const last = t.loss.length - 1;
    // the tail (iterates after the decision) in the same colour, lighter
    const tailed = (color: string) => (ctx: ScriptableLineSegmentContext): string => (inTail(ctx.p0DataIndex, decided) ? withAlpha(color, TAIL_ALPHA, parseCssColor) : color);
    const phased = (stableColor: string) => (ctx: ScriptableLineSegmentContext): string =>
      tailed(stepPhase(ctx.p0DataIndex, K) === 'unstable' ? theme.unstable : stableColor)(ctx);
    const decision = last > decided ? [{ x: decided, label: `decided (steps = ${decided})`, color: theme.muted }] : [];
    const lossSafe = logSafe(t.loss);
    const lossOptions = baseOptions(theme, lossSafe.logOk ? 'f(θ_k) (log)' : 'f(θ_k)', lossSafe.logOk, this.onHover);
    lossOptions!.plugins!.markers = {
      lines: [...(K > 0 ? [{ x: K, label: `K = ${K}`, color: theme.unstable }] : []), ...decision],
    };
    this.loss = new Chart(this.canvases.loss, {
      type: 'line',
      data: {
        datasets: [{
          label: 'loss',
          data: points(lossSafe.values),
          borderColor: theme.stable,
          borderWidth: 1.5,
          pointRadius: 0,
          pointHoverRadius: 3,
          spanGaps: false,
          segment: { borderColor: phased(theme.stable) },
        }],
      },
      options: lossOptions,
      plugins: [markerPlugin],
    });

    const gradSafe = logSafe(t.gradNorm);
    this.grad = new Chart(this.canvases.grad, {
      type: 'line',
      data: { datasets: [{ label: '‖∇f‖', data: points(gradSafe.values), borderColor: theme.accent, borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 3, segment: { borderColor: tailed(theme.accent) } }] },
      options: baseOptions(theme, gradSafe.logOk ? '‖∇f(θ_k)‖ (log)' : '‖∇f(θ_k)‖', gradSafe.logOk, this.onHover),
      plugins: [markerPlugin],
    });

    const edge = t.sharpnessLimit ?? 2 / t.eta;
    const pre = t.preconditionedSharpness ?? null;
    const sharpOptions = baseOptions(theme, pre ? 'λ_max(P⁻¹∇²f(θ_k))' : 'λ_max(∇²f(θ_k))', false, this.onHover);
    sharpOptions!.plugins!.legend = { display: true, labels: { color: theme.foreground, boxWidth: 12 } };
    this.sharp = new Chart(this.canvases.sharpness, {
      type: 'line',
      data: {
        datasets: [
          {
            label: pre ? 'λ_max(P⁻¹∇²f)' : 'λ_max', data: points(pre ?? t.sharpness), borderColor: theme.accent, borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 3,
            segment: { borderColor: phased(theme.accent) },
          },
          // across the whole x-range, the tail included
          { label: `${limitName} = ${Number(edge.toPrecision(4))}`, data: [{ x: 0, y: edge }, { x: Math.max(1, last), y: edge }], borderColor: theme.muted, borderDash: [6, 4], borderWidth: 1, pointRadius: 0 },
        ],
      },
      options: sharpOptions,
      plugins: [markerPlugin],
    });
  }

  destroy(): void {
    this.loss?.destroy();
    this.grad?.destroy();
    this.sharp?.destroy();
    this.loss = this.grad = this.sharp = null;
  }
}

/** Colours of the sweep's series (class colours of the panel's scheme). */
export interface SweepColors {
  stable: string; unstable: string; other: string; diverged: string;
  /** classes 5–7 (absent: drawn with `other`) */
  cycle?: string; aperiodic?: string; descending?: string;
}

/** Stacked area chart of the sweep: stable / unstable / cycle / aperiodic / still descending / other / diverged against η/η_max. */
export class SweepChart {
  private chart: Chart<'line'> | null = null;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly onPick: (eta: number) => void) {}

  show(sweep: readonly SweepPointView[], theme: ThemeColors, colors: SweepColors): void {
    const sorted = [...sweep].sort((a, b) => a.etaFraction - b.etaFraction);
    const series = (pick: (p: SweepPointView) => number) => sorted.map((p) => ({ x: p.etaFraction, y: pick(p) }));
    const data = {
      datasets: [
        { label: 'stable', data: series((p) => p.stats.stable), backgroundColor: colors.stable, borderColor: colors.stable, fill: 'origin' as const },
        { label: 'unstable', data: series((p) => p.stats.unstable), backgroundColor: colors.unstable, borderColor: colors.unstable, fill: '-1' as const },
        // classes 5–7 (older hosts' stats lack them: 0)
        { label: 'cycle', data: series((p) => p.stats.cycle ?? 0), backgroundColor: colors.cycle ?? colors.other, borderColor: colors.cycle ?? colors.other, fill: '-1' as const },
        { label: 'bounded aperiodic', data: series((p) => p.stats.aperiodic ?? 0), backgroundColor: colors.aperiodic ?? colors.other, borderColor: colors.aperiodic ?? colors.other, fill: '-1' as const },
        { label: 'still descending', data: series((p) => p.stats.descending ?? 0), backgroundColor: colors.descending ?? colors.other, borderColor: colors.descending ?? colors.other, fill: '-1' as const },
        { label: 'other / not converged', data: series((p) => p.stats.other + p.stats.notConverged), backgroundColor: colors.other, borderColor: colors.other, fill: '-1' as const },
        { label: 'diverged', data: series((p) => p.stats.diverged), backgroundColor: colors.diverged, borderColor: theme.muted, fill: '-1' as const },
      ].map((d) => ({ ...d, pointRadius: 2, borderWidth: 1 })),
    };
    if (this.chart) {
      this.chart.data = data;
      this.chart.update('none');
      return;
    }
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        parsing: false,
        interaction: { mode: 'index', intersect: false, axis: 'x' },
        onClick: (_e: ChartEvent, elements: ActiveElement[]) => {
          const p = elements.length ? sorted[elements[0].index] : undefined;
          if (p) this.onPick(p.eta);
        },
        plugins: {
          legend: { display: true, labels: { color: theme.foreground, boxWidth: 12 } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${(100 * (item.parsed.y ?? 0)).toFixed(1)}%` } },
        },
        scales: {
          x: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'η / η_max', color: theme.muted }, ticks: { color: theme.muted }, grid: { color: theme.grid } },
          y: { type: 'linear', stacked: true, min: 0, max: 1, title: { display: true, text: 'fraction of starts', color: theme.muted }, ticks: { color: theme.muted }, grid: { color: theme.grid } },
        },
      },
    });
  }

  clear(): void {
    this.chart?.destroy();
    this.chart = null;
  }
}
