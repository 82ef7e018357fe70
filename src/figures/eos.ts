/**
 * The edge-of-stability figure as a FigureSpec: a network trained by full-batch GD at several
 * learning rates. Left, the training loss L(θ_k) per step on a log axis; right, the sharpness
 * λ_max(∇²L(θ_k)) at the measured steps with each η's threshold 2/η as a dashed line in the same
 * colour, and ▲ where the sharpness first reaches it. Below, a legend with what each η did.
 * Plain data and chart.js configuration (no Node or DOM API); the CLI renders it.
 */
import type { ChartConfiguration, Plugin } from 'chart.js';
import { axis, BLACK, tickNumber, type PanelStyle } from './charts';
import { flowLegend, formatEta } from './figure2';
import type { Ctx2D, FigureItem, FigureSpec } from './spec';

/** One learning rate's curves. */
export interface EosCurve {
  eta: number;
  threshold: number;
  /** L(θ_k), k = 0..steps */
  loss: ArrayLike<number>;
  /** measured steps and λ_max there */
  sharpnessSteps: ArrayLike<number>;
  sharpness: ArrayLike<number>;
  /** first measured step with λ_max ≥ threshold (null: never) */
  reachedAt: number | null;
  /** λ_max ÷ threshold from reachedAt on */
  ratioMin: number;
  ratioMax: number;
}

export interface EosFigureData {
  title: string;
  /** e.g. 'tanh MLP 1→32→32→1, 4289 parameters, 64 Chebyshev points (T₄), MSE' */
  subtitle: string;
  steps: number;
  curves: EosCurve[];
}

/** Colours of the learning rates (colour-blind-distinguishable: blue, orange, green, purple, …; the panel's order). */
export const EOS_COLORS: readonly string[] = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2'];

const STYLE: PanelStyle = { tick: 12, axisTitle: 13, yAxisWidth: 62, xAxisHeight: 42, padding: { top: 4, right: 10, bottom: 0, left: 0 } };
const PANEL_W = 460;
const PANEL_H = 300;
const TOP = 78;
const GAP = 36;

/** ▲ at each point where a curve first reaches its threshold, drawn over the datasets. */
function reachMarkers(points: { x: number; y: number; color: string }[]): Plugin {
  return {
    id: 'reachMarkers',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx as unknown as Ctx2D;
      const { x, y } = chart.scales;
      for (const p of points) {
        const px = x.getPixelForValue(p.x);
        const py = y.getPixelForValue(p.y);
        // a triangle: three strokes around (px, py)
        ctx.save();
        ctx.beginPath();
        ctx.moveTo(px, py - 6);
        ctx.lineTo(px + 5.5, py + 4);
        ctx.lineTo(px - 5.5, py + 4);
        ctx.closePath();
        ctx.fillStyle = p.color;
        ctx.fill();
        ctx.strokeStyle = BLACK;
        ctx.lineWidth = 1;
        ctx.stroke();
        ctx.restore();
      }
    },
  };
}

function range(values: number[], log: boolean): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (log) return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))];
  // whole numbers around a 6 % margin, so the axis ends on round values
  const pad = 0.06 * (hi - lo || 1);
  return [Math.max(0, Math.floor(lo - pad)), Math.ceil(hi + pad)];
}

/** A step chart of the figure: x = step k over the run, y titled, grid lines, no legend or tooltip. */
function stepChart(datasets: object[], steps: number, yTitle: string, yRange: [number, number], yScale: 'linear' | 'logarithmic', plugins: Plugin[] = []): ChartConfiguration {
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      layout: { padding: STYLE.padding },
      plugins: { legend: { display: false }, title: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: axis('step k', [0, steps], STYLE, 'x', 'linear', tickNumber),
        y: { ...axis(yTitle, yRange, STYLE, 'y', yScale, tickNumber), grid: { display: true, color: '#e4e4e4' } },
      },
    },
    plugins,
  } as ChartConfiguration;
}

function lossConfig(data: EosFigureData): ChartConfiguration {
  const all: number[] = [];
  const datasets = data.curves.map((c, i) => {
    const points = Array.from(c.loss, (v, k) => ({ x: k, y: v > 0 && Number.isFinite(v) ? v : NaN }));
    for (const p of points) all.push(p.y);
    return { data: points, borderColor: EOS_COLORS[i % EOS_COLORS.length], borderWidth: 1.2, pointRadius: 0, spanGaps: false };
  });
  return stepChart(datasets, data.steps, 'training loss L(θ_k)', range(all, true), 'logarithmic');
}

function sharpnessConfig(data: EosFigureData): ChartConfiguration {
  const all: number[] = [];
  const reach: { x: number; y: number; color: string }[] = [];
  const datasets: object[] = [];
  data.curves.forEach((c, i) => {
    const color = EOS_COLORS[i % EOS_COLORS.length];
    const points = Array.from(c.sharpness, (v, j) => ({ x: c.sharpnessSteps[j], y: v }));
    for (const p of points) all.push(p.y);
    all.push(c.threshold);
    datasets.push({ data: points, borderColor: color, borderWidth: 1.4, pointRadius: 0 });
    datasets.push({ data: [{ x: 0, y: c.threshold }, { x: data.steps, y: c.threshold }], borderColor: color, borderWidth: 1.2, borderDash: [6, 4], pointRadius: 0 });
    if (c.reachedAt !== null) {
      const j = Array.from(c.sharpnessSteps).indexOf(c.reachedAt);
      if (j >= 0) reach.push({ x: c.reachedAt, y: c.sharpness[j], color });
    }
  });
  return stepChart(datasets, data.steps, 'sharpness λ_max(∇²L(θ_k))', range(all, false), 'linear', [reachMarkers(reach)]);
}

/** What each η did, for its legend entry. */
export function eosCurveLabel(c: EosCurve): string {
  const reached = c.reachedAt === null
    ? 'λ_max stays below 2/η'
    : `λ_max reaches 2/η at step ${c.reachedAt}, then ${c.ratioMin.toFixed(2)}–${c.ratioMax.toFixed(2)} × 2/η`;
  return `η = ${formatEta(c.eta)} (2/η = ${formatEta(c.threshold)}): ${reached}`;
}

export function eosFigureSpec(data: EosFigureData): FigureSpec {
  const items: FigureItem[] = [];
  const x0 = 12;
  const w = STYLE.yAxisWidth + PANEL_W + STYLE.padding.right;
  const h = PANEL_H + STYLE.xAxisHeight;
  const x1 = x0 + w + GAP;
  const width = x1 + w + 12;
  items.push({ kind: 'text', x: width / 2, y: 26, text: data.title, size: 17, weight: 'bold', align: 'center' });
  items.push({ kind: 'text', x: width / 2, y: 48, text: data.subtitle, size: 13, align: 'center' });
  items.push({ kind: 'text', x: x0 + STYLE.yAxisWidth + PANEL_W / 2, y: TOP - 8, text: 'loss per step (log scale)', size: 14, weight: 'bold', align: 'center' });
  items.push({ kind: 'text', x: x1 + STYLE.yAxisWidth + PANEL_W / 2, y: TOP - 8, text: 'sharpness every few steps, and the threshold 2/η', size: 14, weight: 'bold', align: 'center' });
  items.push({ kind: 'chart', x: x0, y: TOP, width: w, height: h, config: () => lossConfig(data) });
  items.push({ kind: 'chart', x: x1, y: TOP, width: w, height: h, config: () => sharpnessConfig(data) });
  const entries = data.curves.map((c, i) => ({
    label: eosCurveLabel(c),
    glyph: (x: number, y: number): FigureItem[] => [{ kind: 'line', points: [[x, y - 4], [x + 14, y - 4]], color: EOS_COLORS[i % EOS_COLORS.length], width: 2.4 }],
  }));
  entries.push(
    { label: 'dashed: 2/η, where GD on a quadratic with that curvature stops converging', glyph: (x, y) => [{ kind: 'line', points: [[x, y - 4], [x + 14, y - 4]], color: '#555555', width: 1.4, dash: [4, 3] }] },
    { label: 'first measured step with λ_max ≥ 2/η', glyph: (x, y) => [{ kind: 'text', x: x + 1, y, text: '▲', size: 13, color: '#555555' }] },
  );
  // one line per learning rate, then the two notes on one line
  let y = TOP + h + 28;
  for (const e of entries.slice(0, data.curves.length)) {
    const line = flowLegend([e], x0 + 8, y, width - 2 * x0, 13);
    items.push(...line.items);
    y += line.height;
  }
  const notes = flowLegend(entries.slice(data.curves.length), x0 + 8, y, width - 2 * x0, 13);
  items.push(...notes.items);
  return { title: data.title, width, height: y + notes.height + 4, background: '#ffffff', items };
}
