/**
 * chart.js configurations of the figure panels: a basin or landscape map (the raster drawn in the
 * chart area at full resolution, vector overlays on top, chart.js axes), a loss curve (log scale,
 * red up to K, black after, K marked), a log colour bar and the learning-rate sweep. The same
 * vocabulary as the panel's charts (webview/charts.ts): linear/log scales, segment colours, a
 * marker plugin. Pure configuration: any context draws it (see draw.ts).
 */
import type { ChartConfiguration, Plugin, Scale, ScriptableLineSegmentContext } from 'chart.js';
import type { ContourLine, LogScale } from './landscape';
import { landscapeColor } from './landscape';
import { drawMarker, hatchRect } from './draw';
import type { Ctx2D, ImageResolver, MapImage, MarkerShape } from './spec';

export const RED = '#d7191c';
export const BLACK = '#000000';

/** Sizes shared by every panel (figure units). */
export interface PanelStyle {
  tick: number;
  axisTitle: number;
  /** fixed widths of the y axis (ticks + title) and heights of the x axis, so plot areas align */
  yAxisWidth: number;
  xAxisHeight: number;
  padding: { top: number; right: number; bottom: number; left: number };
}

export interface MapMarker {
  at: [number, number];
  shape: MarkerShape;
  size: number;
  color: string;
  fill?: string;
  label?: string;
  /** put the label under the marker (default above) */
  labelBelow?: boolean;
}

export interface MapTrajectory {
  /** θ_0, θ_1, … in the map's axis coordinates */
  points: [number, number][];
  /** segments θ_k → θ_{k+1} with k < K are drawn in `before`, the rest in `after` */
  K: number;
  before: string;
  after: string;
}

export interface MapPanel {
  xRange: [number, number];
  yRange: [number, number];
  xLabel: string;
  yLabel: string;
  image: MapImage;
  contours?: { lines: ContourLine[]; color: string; width: number };
  /** region hatched (e.g. f < f(θ*)), outlined by `rings`, in data coordinates */
  hatch?: { rings: [number, number][][]; color: string; outline: string };
  /** certified regions: circles of radius t′ (data units), drawn to scale when ≥ minPixels */
  certified?: { center: [number, number]; radius: number }[];
  certifiedMinPixels?: number;
  trajectories?: MapTrajectory[];
  markers?: MapMarker[];
}

function tracePath(ctx: Ctx2D, x: Scale, y: Scale, rings: [number, number][][], close = true): void {
  ctx.beginPath();
  for (const ring of rings) {
    ring.forEach(([u, v], i) => {
      const px = x.getPixelForValue(u);
      const py = y.getPixelForValue(v);
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    if (close) ctx.closePath();
  }
}

/** The raster in the chart area (nearest-neighbour), contours and hatch over it. */
function mapBackground(panel: MapPanel, images: ImageResolver): Plugin {
  return {
    id: 'mapBackground',
    beforeDatasetsDraw(chart) {
      const ctx = chart.ctx as unknown as Ctx2D;
      const a = chart.chartArea;
      const { x, y } = chart.scales;
      ctx.save();
      ctx.beginPath();
      ctx.rect(a.left, a.top, a.right - a.left, a.bottom - a.top);
      ctx.clip();
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(images(panel.image), a.left, a.top, a.right - a.left, a.bottom - a.top);
      if (panel.hatch && panel.hatch.rings.length > 0) {
        ctx.save();
        tracePath(ctx, x, y, panel.hatch.rings);
        ctx.clip('evenodd');
        hatchRect(ctx, a.left, a.top, a.right - a.left, a.bottom - a.top, panel.hatch.color, 5);
        ctx.restore();
        tracePath(ctx, x, y, panel.hatch.rings);
        ctx.strokeStyle = panel.hatch.outline;
        ctx.lineWidth = 1.2;
        ctx.setLineDash([4, 2]);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      if (panel.contours) {
        ctx.strokeStyle = panel.contours.color;
        ctx.lineWidth = panel.contours.width;
        for (const line of panel.contours.lines) {
          tracePath(ctx, x, y, line.paths, false);
          ctx.stroke();
        }
      }
      ctx.restore();
    },
  };
}

/** Certified regions, markers and the frame, over the datasets. */
function mapForeground(panel: MapPanel, labelSize: number): Plugin {
  return {
    id: 'mapForeground',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx as unknown as Ctx2D;
      const a = chart.chartArea;
      const { x, y } = chart.scales;
      ctx.save();
      ctx.beginPath();
      ctx.rect(a.left, a.top, a.right - a.left, a.bottom - a.top);
      ctx.clip();
      for (const c of panel.certified ?? []) {
        const rx = Math.abs(x.getPixelForValue(c.center[0] + c.radius) - x.getPixelForValue(c.center[0]));
        const ry = Math.abs(y.getPixelForValue(c.center[1] + c.radius) - y.getPixelForValue(c.center[1]));
        if (Math.max(rx, ry) < (panel.certifiedMinPixels ?? 0)) continue;
        ctx.beginPath();
        ctx.ellipse(x.getPixelForValue(c.center[0]), y.getPixelForValue(c.center[1]), rx, ry, 0, 0, 2 * Math.PI);
        ctx.strokeStyle = BLACK;
        ctx.lineWidth = 1;
        ctx.stroke();
      }
      for (const m of panel.markers ?? []) {
        const px = x.getPixelForValue(m.at[0]);
        const py = y.getPixelForValue(m.at[1]);
        drawMarker(ctx, m.shape, px, py, m.size, m.color, m.fill, 1.8);
        if (m.label) {
          ctx.font = `bold ${labelSize}px ${chart.options.font?.family ?? 'sans-serif'}`;
          ctx.fillStyle = m.color;
          ctx.textAlign = px > (a.left + a.right) / 2 ? 'right' : 'left';
          ctx.textBaseline = m.labelBelow ? 'top' : 'bottom';
          ctx.fillText(m.label, px + (ctx.textAlign === 'right' ? -m.size - 2 : m.size + 2), m.labelBelow ? py + m.size : py - m.size);
        }
      }
      ctx.restore();
      ctx.save();
      ctx.strokeStyle = BLACK;
      ctx.lineWidth = 1;
      ctx.strokeRect(a.left, a.top, a.right - a.left, a.bottom - a.top);
      ctx.restore();
    },
  };
}

export function axis(title: string, range: [number, number] | null, style: PanelStyle, which: 'x' | 'y', type: 'linear' | 'logarithmic' = 'linear', tickCallback?: (v: number) => string) {
  return {
    type,
    ...(range ? { min: range[0], max: range[1] } : {}),
    title: { display: title !== '', text: title, font: { size: style.axisTitle }, padding: 1 },
    ticks: { font: { size: style.tick }, maxTicksLimit: which === 'x' ? 5 : 6, maxRotation: 0, padding: 2, ...(tickCallback ? { callback: (v: number | string) => tickCallback(Number(v)) } : {}) },
    grid: { display: false },
    border: { display: true, color: BLACK },
    afterFit(scale: Scale) {
      if (which === 'y') scale.width = style.yAxisWidth;
      else scale.height = style.xAxisHeight;
    },
  };
}

/** Compact numbers for ticks: 0.5, −1, 1e-4, 2e+3. */
export function tickNumber(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const s = a >= 1e4 || a < 1e-3 ? v.toExponential(0) : String(Number(v.toPrecision(3)));
  return s.replace('-', '−');
}

export function mapChartConfig(panel: MapPanel, style: PanelStyle, images: ImageResolver): ChartConfiguration {
  const datasets = (panel.trajectories ?? []).map((t) => ({
    type: 'line' as const,
    data: t.points.map(([u, v]) => ({ x: u, y: v })),
    borderWidth: 1.6,
    pointRadius: 0,
    borderColor: t.after,
    segment: { borderColor: (c: ScriptableLineSegmentContext) => (c.p0DataIndex < t.K ? t.before : t.after) },
    parsing: false as const,
  }));
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      layout: { padding: style.padding },
      plugins: { legend: { display: false }, title: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: axis(panel.xLabel, panel.xRange, style, 'x', 'linear', tickNumber),
        y: axis(panel.yLabel, panel.yRange, style, 'y', 'linear', tickNumber),
      },
    },
    plugins: [mapBackground(panel, images), mapForeground(panel, style.tick)],
  } as ChartConfiguration;
}

/** A vertical dashed line at x with a label (e.g. K). */
function verticalMarkers(lines: { x: number; label: string; color: string }[], size: number): Plugin {
  return {
    id: 'verticalMarkers',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx as unknown as Ctx2D;
      const a = chart.chartArea;
      const xs = chart.scales.x;
      for (const line of lines) {
        const px = xs.getPixelForValue(line.x);
        if (!(px >= a.left && px <= a.right)) continue;
        ctx.save();
        ctx.strokeStyle = line.color;
        ctx.fillStyle = line.color;
        ctx.lineWidth = 1;
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(px, a.top);
        ctx.lineTo(px, a.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.font = `${size}px ${chart.options.font?.family ?? 'sans-serif'}`;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        ctx.fillText(line.label, px + 3, a.top + 3);
        ctx.restore();
      }
    },
  };
}

export interface LossPanel {
  /** f(θ_k) − f(θ*) for k = 0..steps; values ≤ 0 (round-off at the minimum) are left out */
  gap: readonly number[];
  K: number;
  xLabel: string;
  yLabel: string;
}

export function lossChartConfig(panel: LossPanel, style: PanelStyle): ChartConfiguration {
  const data = panel.gap.map((v, k) => ({ x: k, y: v > 0 && Number.isFinite(v) ? v : NaN }));
  const positive = panel.gap.filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  return {
    type: 'line',
    data: {
      datasets: [{
        data,
        borderWidth: 1.6,
        pointRadius: 0,
        borderColor: BLACK,
        spanGaps: false,
        segment: { borderColor: (c: ScriptableLineSegmentContext) => (c.p0DataIndex < panel.K ? RED : BLACK) },
      }],
    },
    options: {
      parsing: false,
      layout: { padding: style.padding },
      plugins: { legend: { display: false }, title: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: axis(panel.xLabel, [0, Math.max(1, panel.gap.length - 1)], style, 'x'),
        y: {
          ...axis(panel.yLabel, [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))], style, 'y', 'logarithmic', tickNumber),
          grid: { display: true, color: '#e4e4e4' },
        },
      },
    },
    plugins: [verticalMarkers(panel.K > 0 ? [{ x: panel.K, label: `K = ${panel.K}`, color: RED }] : [], style.tick)],
  } as ChartConfiguration;
}

/** A vertical log colour bar of the landscape scale, ticks on the right. */
export function colorbarConfig(scale: LogScale, label: string, style: PanelStyle): ChartConfiguration {
  const gradient: Plugin = {
    id: 'colorbar',
    beforeDatasetsDraw(chart) {
      const ctx = chart.ctx as unknown as Ctx2D;
      const a = chart.chartArea;
      const g = ctx.createLinearGradient(0, a.bottom, 0, a.top);
      for (let k = 0; k <= 16; k++) g.addColorStop(k / 16, landscapeColor(k / 16));
      ctx.save();
      ctx.fillStyle = g;
      ctx.fillRect(a.left, a.top, a.right - a.left, a.bottom - a.top);
      ctx.strokeStyle = BLACK;
      ctx.lineWidth = 1;
      ctx.strokeRect(a.left, a.top, a.right - a.left, a.bottom - a.top);
      ctx.restore();
    },
  };
  // Under two decades chart.js labels every integer mantissa and the odd ends: keep 1, 2, 3, 5 × 10^k.
  const narrow = Math.log10(scale.hi / scale.lo) < 2;
  const label10 = (v: number) => {
    const mantissa = Number((v / 10 ** Math.floor(Math.log10(v))).toPrecision(3));
    return !narrow || [1, 2, 3, 5].includes(mantissa) ? tickNumber(v) : '';
  };
  const yAxis = axis(label, [scale.lo, scale.hi], style, 'y', 'logarithmic', label10);
  return {
    type: 'scatter',
    data: { datasets: [] },
    options: {
      layout: { padding: style.padding },
      plugins: { legend: { display: false }, title: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: { display: false, min: 0, max: 1 },
        y: { ...yAxis, position: 'right', ticks: { ...yAxis.ticks, maxTicksLimit: 8 } },
      },
    },
    plugins: [gradient],
  } as ChartConfiguration;
}

export interface SweepSeries {
  label: string;
  color: string;
  /** fraction per η, same order as `fractions` */
  values: number[];
}

/** Stacked fractions of starts per class against η/η_max (the sweep chart). */
export function sweepChartConfig(fractions: number[], series: SweepSeries[], style: PanelStyle, legendSize: number): ChartConfiguration {
  return {
    type: 'line',
    data: {
      datasets: series.map((s, i) => ({
        label: s.label,
        data: fractions.map((f, k) => ({ x: f, y: s.values[k] })),
        backgroundColor: s.color,
        borderColor: i === 0 ? BLACK : '#555',
        borderWidth: 0.8,
        pointRadius: 0,
        fill: i === 0 ? 'origin' : '-1',
      })),
    },
    options: {
      parsing: false,
      layout: { padding: style.padding },
      plugins: {
        legend: { display: true, position: 'right', labels: { font: { size: legendSize }, boxWidth: 12, boxHeight: 10, color: '#222' } },
        title: { display: false },
        tooltip: { enabled: false },
        filler: { propagate: false },
      },
      scales: {
        x: axis('η / η_max', [Math.min(...fractions), Math.max(...fractions)], style, 'x', 'linear', tickNumber),
        y: { ...axis('fraction of starts', [0, 1], style, 'y', 'linear', tickNumber), stacked: true },
      },
    },
  } as ChartConfiguration;
}
