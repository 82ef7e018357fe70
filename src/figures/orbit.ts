/**
 * The orbit (bifurcation) diagram as a FigureSpec: above, the values GD keeps visiting after the
 * transient (the loss gap f − f* on a log axis, or a coordinate) against η as small dots coloured
 * by the orbit's status; below, on the same η axis, the finite-time Lyapunov exponent with its
 * zero line. Dashed vertical lines mark η_max = 2/λ_max of every minimum, a red line the first η
 * where a start stops converging. Colours of cycles, aperiodic and still-descending orbits are
 * the class colours of the basin maps (figureClasses), looked up by class key.
 *
 * The dots are binned on the plot (one per figure unit of η and half a unit of height per status),
 * so a chaotic band of 200 iterates × 1,000 η stays a light SVG without changing the picture.
 */
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { OrbitDiagram, OrbitStatus } from '../engine/measures/orbit';
import { tickNumber, type PanelStyle } from './charts';
import { cssColor, figureClasses, type ClassStyle } from './classes';
import { flowLegend, formatEta, textWidth } from './figure2';
import type { Ctx2D, FigureItem, FigureSpec } from './spec';

export interface OrbitFigureOptions {
  /** recorded channel on the vertical axis: 0 = the loss (drawn as f − f*), 1… = the recorded coordinates */
  channel: number;
  /** the figure's title (function and start) */
  title: string;
  /** second line under the title */
  subtitle?: string;
  /** reference for η/η_max in the axis title (null: none) */
  etaReference: number | null;
  /** log axis for the loss gap (default true); coordinates are always linear */
  logLoss?: boolean;
  /** class styles (default figureClasses()) */
  classes?: ClassStyle[];
}

const W = 720;
const TOP_H = 300;
const LYAP_H = 150;
const STYLE: PanelStyle = { tick: 11.5, axisTitle: 12.5, yAxisWidth: 64, xAxisHeight: 40, padding: { top: 4, right: 14, bottom: 0, left: 0 } };
const RED = '#d7191c';
const ETA_MAX_COLOR = '#444444';

/** Status → dot colour and legend words; colours of the matching map classes where there is one. */
export function statusStyles(classes: ClassStyle[] = figureClasses()): Record<OrbitStatus, { color: string; label: string }> {
  const byKey = (key: string, fallback: string): string => {
    const c = classes.find((s) => s.key === key);
    return c ? cssColor(c.color) : fallback;
  };
  return {
    converged: { color: '#000000', label: 'converged / converging to a minimum' },
    converging: { color: '#000000', label: 'converged / converging to a minimum' },
    stationary: { color: byKey('Other', '#8c8c8c'), label: 'stationary at a saddle or maximum' },
    cycle: { color: byKey('Cycle', '#e69f00'), label: 'cycle of period p' },
    aperiodic: { color: byKey('BoundedAperiodic', '#cc79a7'), label: 'bounded aperiodic (λ > 0: chaos)' },
    descending: { color: byKey('StillDescending', '#009e73'), label: 'still descending' },
    diverged: { color: '#000000', label: 'diverged (nothing to draw)' },
  };
}

/** [lo, hi] widened to multiples of a round step (1, 2 or 5 × 10^k, about a tenth of the span). */
export function niceRange(lo: number, hi: number): [number, number] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo, hi];
  const raw = span / 10;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

/** The lowest loss among the minima (the gap's zero), or null. */
function lossFloor(d: OrbitDiagram): number | null {
  return d.minima.length > 0 ? Math.min(...d.minima.map((m) => m.value)) : null;
}

export interface OrbitDots {
  /** per status: bin centres in data units */
  byStatus: Map<OrbitStatus, { x: number; y: number }[]>;
  yRange: [number, number];
  log: boolean;
  /** the values drawn on the lower edge (below the log axis, e.g. exact convergence) */
  clamped: number;
  yLabel: string;
}

/** The visited values binned on a plot of `width` × `height` figure units. */
export function orbitDots(d: OrbitDiagram, channel: number, width: number, height: number, logLoss = true): OrbitDots {
  const C = d.channels.length;
  if (!Number.isInteger(channel) || channel < 0 || channel >= C) throw new RangeError(`channel ${channel} is not recorded (0 … ${C - 1}: ${d.channels.join(', ')})`);
  const S = d.starts.length;
  const keep = d.options.keep;
  const floor = lossFloor(d);
  const log = channel === 0 && logLoss && floor !== null;
  const value = (v: number): number => (channel === 0 && floor !== null ? v - floor : v);
  // gaps below the round-off of f near its minimum value are not resolved: they go on the lower edge
  const roundoff = floor !== null ? 1e-14 * (1 + Math.abs(floor)) : 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.values.length; i += C) {
    const v = value(d.values[i + channel]);
    if (!Number.isFinite(v) || (log && !(v > roundoff))) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let yRange: [number, number];
  if (!(lo <= hi)) yRange = log ? [roundoff, Math.max(1, roundoff * 1e6)] : [-1, 1];
  else if (log) {
    const top = 10 ** Math.ceil(Math.log10(hi) + 0.05);
    yRange = [Math.max(10 ** Math.floor(Math.log10(lo)), top * 1e-14, roundoff), top];
  } else {
    const pad = (hi - lo) * 0.04 || Math.max(1e-3, Math.abs(hi) * 0.05);
    yRange = niceRange(lo - pad, hi + pad);
  }
  const [xLo, xHi] = [Math.min(...d.etas), Math.max(...d.etas)];
  const xSpan = xHi - xLo || 1;
  const toY = (v: number): number => (log ? Math.log10(v) : v);
  const [yLo, yHi] = [toY(yRange[0]), toY(yRange[1])];
  const byStatus = new Map<OrbitStatus, { x: number; y: number }[]>();
  const seen = new Set<string>();
  let clamped = 0;
  for (let e = 0; e < d.etas.length; e++) {
    const col = Math.round(((d.etas[e] - xLo) / xSpan) * width);
    for (let s = 0; s < S; s++) {
      const p = d.points[e * S + s];
      const base = (e * S + s) * keep * C;
      for (let k = 0; k < keep; k++) {
        let v = value(d.values[base + k * C + channel]);
        if (!Number.isFinite(v)) continue;
        if (log && !(v >= yRange[0])) {
          v = yRange[0];
          clamped++;
        }
        const row = Math.round(((toY(v) - yLo) / (yHi - yLo)) * height * 2);
        const key = `${p.status}:${col}:${row}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let list = byStatus.get(p.status);
        if (!list) byStatus.set(p.status, (list = []));
        list.push({ x: d.etas[e], y: v });
      }
    }
  }
  const name = d.channels[channel];
  const yLabel = channel === 0 ? (floor !== null ? 'f(θ_k) − f*' : 'f(θ_k)') : name;
  return { byStatus, yRange, log, clamped, yLabel };
}

interface VLine { x: number; label: string; color: string; dash: number[] }

/** Vertical lines across the chart area; labels stacked from the top (only in the upper panel). */
function verticalLines(lines: VLine[], labelSize: number | null): Plugin {
  return {
    id: 'orbitLines',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx as unknown as Ctx2D;
      const a = chart.chartArea;
      const xs = chart.scales.x;
      lines.forEach((line, i) => {
        const px = xs.getPixelForValue(line.x);
        if (!(px >= a.left - 0.5 && px <= a.right + 0.5)) return;
        ctx.save();
        ctx.strokeStyle = line.color;
        ctx.lineWidth = 1.2;
        ctx.setLineDash(line.dash);
        ctx.beginPath();
        ctx.moveTo(px, a.top);
        ctx.lineTo(px, a.bottom);
        ctx.stroke();
        if (labelSize !== null) {
          ctx.setLineDash([]);
          ctx.fillStyle = line.color;
          ctx.font = `${labelSize}px ${chart.options.font?.family ?? 'sans-serif'}`;
          const right = px > (a.left + a.right) / 2;
          ctx.textAlign = right ? 'right' : 'left';
          ctx.textBaseline = 'top';
          const tx = px + (right ? -4 : 4);
          const ty = a.top + 4 + i * (labelSize + 5);
          const w = (ctx as unknown as { measureText(t: string): { width: number } }).measureText(line.label).width;
          ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
          ctx.fillRect(right ? tx - w - 2 : tx - 2, ty - 1, w + 4, labelSize + 3);
          ctx.fillStyle = line.color;
          ctx.fillText(line.label, tx, ty);
        }
        ctx.restore();
      });
    },
  };
}

function xAxis(range: [number, number], title: string, showTicks: boolean) {
  return {
    type: 'linear' as const, min: range[0], max: range[1],
    title: { display: title !== '', text: title, font: { size: STYLE.axisTitle }, padding: 1 },
    ticks: { display: showTicks, includeBounds: false, font: { size: STYLE.tick }, maxTicksLimit: 9, maxRotation: 0, padding: 2, callback: (v: number | string) => tickNumber(Number(v)) },
    grid: { display: true, color: '#ececec' },
    border: { display: true, color: '#000' },
    afterFit(scale: { height: number }) {
      scale.height = showTicks ? STYLE.xAxisHeight : 6;
    },
  };
}

function yAxis(range: [number, number], title: string, log: boolean) {
  return {
    type: log ? ('logarithmic' as const) : ('linear' as const), min: range[0], max: range[1],
    title: { display: true, text: title, font: { size: STYLE.axisTitle }, padding: 1 },
    ticks: { font: { size: STYLE.tick }, maxTicksLimit: 7, padding: 2, callback: (v: number | string) => tickNumber(Number(v)) },
    grid: { display: true, color: '#ececec' },
    border: { display: true, color: '#000' },
    afterFit(scale: { width: number }) {
      scale.width = STYLE.yAxisWidth;
    },
  };
}

/** The markers of a diagram: η_max of each minimum in range, the first non-convergent η of each start. */
export function orbitMarkers(d: OrbitDiagram, etaReference: number | null): VLine[] {
  const [lo, hi] = [Math.min(...d.etas), Math.max(...d.etas)];
  const lines: VLine[] = [];
  // minima sharing a threshold (to 4 digits, e.g. the two wells of a symmetric function) share a line
  const byValue = new Map<string, { eta: number; minima: number[] }>();
  d.minima.forEach((m, j) => {
    if (m.etaMax === null || m.etaMax < lo || m.etaMax > hi) return;
    const key = formatEta(m.etaMax);
    const entry = byValue.get(key) ?? { eta: m.etaMax, minima: [] };
    entry.minima.push(j);
    byValue.set(key, entry);
  });
  for (const [text, { eta, minima }] of byValue) {
    const which = d.minima.length > 1 ? ` (minim${minima.length > 1 ? 'a' : 'um'} #${minima.join(', #')})` : '';
    lines.push({ x: eta, label: `η_max = ${text}${which}`, color: ETA_MAX_COLOR, dash: [5, 3] });
  }
  d.firstNonConvergent.forEach((eta, s) => {
    if (eta === null) return;
    const rel = etaReference ? ` (${Number((eta / etaReference).toPrecision(4))} η_max)` : '';
    lines.push({ x: eta, label: `${d.starts.length > 1 ? `start ${s + 1} ` : ''}stops converging: η = ${formatEta(eta)}${rel}`, color: RED, dash: [] });
  });
  return lines;
}

export function orbitFigureSpec(d: OrbitDiagram, options: OrbitFigureOptions): FigureSpec {
  const classes = options.classes ?? figureClasses();
  const styles = statusStyles(classes);
  const width = Math.max(W, textWidth(options.title, 16) + 40);
  const plotW = width - STYLE.yAxisWidth - STYLE.padding.right - 24;
  const dots = orbitDots(d, options.channel, plotW, TOP_H - STYLE.xAxisHeight, options.logLoss ?? true);
  const xRange: [number, number] = [Math.min(...d.etas), Math.max(...d.etas)];
  if (xRange[0] === xRange[1]) xRange[1] = xRange[0] * 1.001 + 1e-12;
  const markers = orbitMarkers(d, options.etaReference);
  const xTitle = options.etaReference ? `learning rate η   (η_max = ${formatEta(options.etaReference)})` : 'learning rate η';
  const datasets = [...dots.byStatus.entries()].map(([status, data]) => ({
    type: 'scatter' as const, label: status, data, parsing: false as const,
    pointRadius: 0.9, pointStyle: 'rect' as const, pointBorderWidth: 0, backgroundColor: styles[status].color, borderColor: styles[status].color,
  }));
  const top: ChartConfiguration = {
    type: 'scatter',
    data: { datasets },
    options: {
      layout: { padding: STYLE.padding },
      plugins: { legend: { display: false }, title: { display: false }, tooltip: { enabled: false } },
      scales: { x: xAxis(xRange, '', true), y: yAxis(dots.yRange, dots.yLabel, dots.log) },
    },
    plugins: [verticalLines(markers, 11)],
  } as ChartConfiguration;

  const palette = ['#000000', '#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00'];
  const finite = d.points.map((p) => p.lyapunov).filter((v) => Number.isFinite(v));
  const lyLo = finite.length > 0 ? Math.max(Math.min(...finite), -4) : -1;
  const lyHi = finite.length > 0 ? Math.max(Math.max(...finite), 0.2) : 1;
  const pad = (lyHi - lyLo) * 0.04;
  const lyRange = niceRange(lyLo - pad, lyHi + pad);
  const S = d.starts.length;
  const lyDatasets = d.starts.map((_, s) => ({
    type: 'line' as const, label: `λ, start ${s + 1}`,
    data: d.etas.map((eta, e) => {
      const v = d.points[e * S + s].lyapunov;
      return { x: eta, y: v === -Infinity ? lyRange[0] : Number.isFinite(v) ? Math.max(v, lyRange[0]) : NaN };
    }),
    parsing: false as const, borderColor: palette[s % palette.length], borderWidth: 1.1, pointRadius: 0, spanGaps: false,
  }));
  lyDatasets.push({ type: 'line', label: 'λ = 0', data: [{ x: xRange[0], y: 0 }, { x: xRange[1], y: 0 }], parsing: false, borderColor: '#777777', borderWidth: 1, pointRadius: 0, spanGaps: false, borderDash: [4, 3] } as (typeof lyDatasets)[number]);
  const bottom: ChartConfiguration = {
    type: 'line',
    data: { datasets: lyDatasets },
    options: {
      layout: { padding: STYLE.padding },
      plugins: { legend: { display: false }, title: { display: false }, tooltip: { enabled: false } },
      scales: { x: xAxis(xRange, xTitle, true), y: yAxis(lyRange, 'Lyapunov exponent λ', false) },
    },
    plugins: [verticalLines(markers, null)],
  } as ChartConfiguration;

  const items: FigureItem[] = [];
  items.push({ kind: 'text', x: width / 2, y: 24, text: options.title, size: 16, weight: 'bold', align: 'center' });
  let y = 34;
  if (options.subtitle) {
    items.push({ kind: 'text', x: width / 2, y: y + 10, text: options.subtitle, size: 12, align: 'center', color: '#333' });
    y += 18;
  }
  items.push({ kind: 'chart', x: 12, y, width: width - 24, height: TOP_H, config: () => top });
  y += TOP_H + 4;
  items.push({ kind: 'chart', x: 12, y, width: width - 24, height: LYAP_H, config: () => bottom });
  y += LYAP_H + 16;

  const used = new Set([...dots.byStatus.keys()].map((s) => styles[s].label));
  const entries = [...new Map(Object.values(styles).filter((s) => used.has(s.label)).map((s) => [s.label, s])).values()].map((s) => ({
    label: s.label,
    glyph: (x: number, yy: number): FigureItem[] => [{ kind: 'swatch', x: x + 2, y: yy - 8, width: 8, height: 8, fill: s.color, stroke: s.color }],
  }));
  if (markers.some((m) => m.color === ETA_MAX_COLOR)) entries.push({ label: 'η_max = 2/λ_max of a minimum', glyph: (x, yy) => [{ kind: 'line', points: [[x, yy - 4], [x + 14, yy - 4]], color: ETA_MAX_COLOR, width: 1.2, dash: [5, 3] }] });
  if (markers.some((m) => m.color === RED)) entries.push({ label: 'first η where the start stops converging', glyph: (x, yy) => [{ kind: 'line', points: [[x, yy - 4], [x + 14, yy - 4]], color: RED, width: 1.2 }] });
  else entries.push({ label: 'the start converges at every η of the range', glyph: () => [] });
  if (dots.clamped > 0) entries.push({ label: `values below ${tickNumber(dots.yRange[0])} (converged, or round-off of f) drawn on the lower edge`, glyph: () => [] });
  const legend = flowLegend(entries, 16, y, width - 32, 12);
  items.push(...legend.items);
  return { title: options.title, width, height: y + legend.height + 4, background: '#ffffff', items };
}
