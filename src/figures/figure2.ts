/**
 * Figure 2 as a FigureSpec: a titled grid, one row per function (name, formula, η_max on the
 * left), the landscape with its log colour bar first, then one basin map per learning rate with
 * η and η/η_max above it; a legend of every class, the markers and the landscape's hatch below.
 * Used by `gdlab reproduce` (the paper's f1–f4) and `gdlab figure` (one row, the user's function).
 */
import { BELOW_MINIMUM_RGB, type ContourLine, type LogScale } from './landscape';
import { colorbarConfig, mapChartConfig, type MapMarker, type PanelStyle } from './charts';
import { cssColor, type ClassStyle } from './classes';
import type { FigureItem, FigureSpec, MapImage } from './spec';

export interface LandscapeData {
  image: MapImage;
  scale: LogScale;
  contours: ContourLine[];
  /** outline of f < f(θ*) (empty if none) */
  below: [number, number][][];
  /** the legend's words for that region, e.g. 'f < f(θ*)  (f → −∞ beyond the window)' */
  belowLabel: string | null;
}

export interface BasinPanelData {
  eta: number;
  /** η / η_max, or null when there is no strict minimum */
  fraction: number | null;
  image: MapImage;
  /** certified radius t′ per minimum (null: no certificate) */
  certified: { center: [number, number]; radius: number }[];
  certificateNote: string | null;
}

export interface Figure2Row {
  name: string;
  formula: string;
  etaMax: number | null;
  xRange: [number, number];
  yRange: [number, number];
  xLabel: string;
  yLabel: string;
  minima: [number, number][];
  landscape: LandscapeData;
  panels: BasinPanelData[];
}

export interface FigureOptions {
  title: string;
  classes: ClassStyle[];
  /** device pixels per figure unit of the output (to decide what is below one pixel) */
  pixelRatio: number;
  /** map grid (pixels per side), to say what one map pixel is */
  grid: number;
}

/** Figure units. */
export const PLOT = 150;
const STYLE: PanelStyle = { tick: 11.5, axisTitle: 12.5, yAxisWidth: 46, xAxisHeight: 40, padding: { top: 0, right: 8, bottom: 0, left: 0 } };
const ROW_LABEL = 150;
const CELL_TOP = 40;
const CELL_W = STYLE.yAxisWidth + PLOT + STYLE.padding.right;
const CELL_H = CELL_TOP + PLOT + STYLE.xAxisHeight + 10;
const COLORBAR_W = 78;
const HEADER = 64;

export function minimumMarkers(minima: [number, number][]): MapMarker[] {
  return minima.map((at) => ({ at, shape: 'cross' as const, size: 4, color: '#e8112d' }));
}

/** "η = 0.1667": four significant digits, no trailing zeros beyond them. */
export function formatEta(eta: number): string {
  return Number(eta.toPrecision(4)).toString();
}

export function certificateText(panel: BasinPanelData, plotUnitsPerDataUnit: number, pixelRatio: number): string {
  if (panel.certified.length === 0) return panel.certificateNote ? 'no certified region' : '';
  const t = Math.min(...panel.certified.map((c) => c.radius));
  const px = t * plotUnitsPerDataUnit * pixelRatio;
  const value = `t′ = ${Number(t.toPrecision(2))}`;
  return px < 1 ? `${value} (< 1 px)` : value;
}

function rowItems(row: Figure2Row, top: number, options: FigureOptions): FigureItem[] {
  const items: FigureItem[] = [];
  const mid = top + CELL_TOP + PLOT / 2;
  items.push({ kind: 'text', x: 10, y: mid - 22, text: row.name, size: 22, weight: 'bold' });
  const formulaLines = wrap(row.formula, 18);
  formulaLines.forEach((line, i) => items.push({ kind: 'text', x: 10, y: mid + i * 16, text: line, size: 14 }));
  if (row.etaMax !== null) items.push({ kind: 'text', x: 10, y: mid + formulaLines.length * 16 + 8, text: `η_max = ${formatEta(row.etaMax)}`, size: 13, italic: true });

  const markers = minimumMarkers(row.minima);
  const base = { xRange: row.xRange, yRange: row.yRange, xLabel: row.xLabel, yLabel: row.yLabel, markers };
  const unitsPerData = PLOT / (row.xRange[1] - row.xRange[0]);
  let x = ROW_LABEL;
  items.push({ kind: 'text', x: x + STYLE.yAxisWidth + PLOT / 2, y: top + CELL_TOP - 8, text: 'f − f(θ*), log colours', size: 13, align: 'center' });
  const land = row.landscape;
  items.push({
    kind: 'chart', x, y: top + CELL_TOP, width: CELL_W, height: PLOT + STYLE.xAxisHeight,
    config: (images) => mapChartConfig({
      ...base,
      image: land.image,
      contours: { lines: land.contours, color: 'rgba(255,255,255,0.75)', width: 0.7 },
      hatch: land.below.length > 0 ? { rings: land.below, color: '#7a3b7a', outline: '#7a3b7a' } : undefined,
    }, STYLE, images),
  });
  x += CELL_W;
  items.push({
    kind: 'chart', x, y: top + CELL_TOP, width: COLORBAR_W, height: PLOT + STYLE.xAxisHeight,
    config: () => colorbarConfig(land.scale, '', { ...STYLE, yAxisWidth: 50, padding: { top: 0, right: 0, bottom: STYLE.xAxisHeight, left: 8 } }),
  });
  x += COLORBAR_W;
  for (const panel of row.panels) {
    const title = `η = ${formatEta(panel.eta)}`;
    items.push({ kind: 'text', x: x + STYLE.yAxisWidth + PLOT / 2, y: top + CELL_TOP - 22, text: title, size: 14, align: 'center', weight: 'bold' });
    const note = certificateText(panel, unitsPerData, options.pixelRatio);
    if (note) items.push({ kind: 'text', x: x + STYLE.yAxisWidth + PLOT / 2, y: top + CELL_TOP - 6, text: note, size: 11.5, align: 'center', color: '#333' });
    items.push({
      kind: 'chart', x, y: top + CELL_TOP, width: CELL_W, height: PLOT + STYLE.xAxisHeight,
      config: (images) => mapChartConfig({ ...base, image: panel.image, certified: panel.certified, certifiedMinPixels: 1 / options.pixelRatio }, STYLE, images),
    });
    x += CELL_W;
  }
  return items;
}

/** Splits a formula at top-level + and − signs (not inside parentheses) into lines of about `width` characters. */
export function wrap(text: string, width: number): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && (c === '+' || c === '−' || c === '-') && isBinary(text, i)) {
      const cut = text[i - 1] === ' ' ? i - 1 : i;
      if (cut > start) parts.push(text.slice(start, cut));
      start = cut;
    }
  }
  parts.push(text.slice(start));
  const lines: string[] = [];
  for (const p of parts) {
    if (lines.length > 0 && (lines[lines.length - 1] + p).length <= width) lines[lines.length - 1] += p;
    else lines.push(lines.length === 0 ? p : p.trimStart());
  }
  return lines;
}

/** Whether the sign at text[i] joins two terms (not a unary sign, not the exponent of 1e-5). */
function isBinary(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && text[j] === ' ') j--;
  if (j < 0) return false;
  const prev = text[j];
  if ('+-−*/^(,·×'.includes(prev)) return false;
  // 1e-5, 2.5E+3: the sign of an exponent
  return !((prev === 'e' || prev === 'E') && j > 0 && /[0-9.]/.test(text[j - 1]) && j === i - 1);
}

/** Estimated width of a text in figure units (DejaVu Sans averages about 0.58 em per character). */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.58;
}

type LegendEntry = { label: string; glyph: (x: number, y: number) => FigureItem[] };

/** Flows legend entries left to right, wrapping at `maxWidth`; returns the items and the height used. */
export function flowLegend(entries: LegendEntry[], x0: number, y0: number, maxWidth: number, size = 11): { items: FigureItem[]; height: number } {
  const items: FigureItem[] = [];
  let x = x0;
  let y = y0;
  for (const e of entries) {
    const w = 18 + textWidth(e.label, size) + 16;
    if (x > x0 && x + w > x0 + maxWidth) {
      x = x0;
      y += size + 9;
    }
    items.push(...e.glyph(x, y), { kind: 'text', x: x + 18, y, text: e.label, size });
    x += w;
  }
  return { items, height: y - y0 + size + 9 };
}

/** Legend entries: every class (framed swatches), minimum, certified region, then `extra`. */
export function classLegend(options: FigureOptions): LegendEntry[] {
  const entries: LegendEntry[] = options.classes.map((c) => ({
    label: c.label,
    glyph: (x, y) => [{ kind: 'swatch', x, y: y - 10, width: 13, height: 13, fill: cssColor(c.color), stroke: '#000' }],
  }));
  entries.push({ label: 'minimum θ*', glyph: (x, y) => [{ kind: 'marker', x: x + 6, y: y - 4, shape: 'cross', size: 4, color: '#e8112d' }] });
  entries.push({ label: 'certified region ‖θ − θ*‖ < t′ (Theorem 2), to scale (t′ < 1 px: named, not drawn)', glyph: (x, y) => [{ kind: 'marker', x: x + 6, y: y - 4, shape: 'circle', size: 6, color: '#000' }] });
  return entries;
}

/** Legend entries of the landscape: contour lines and, when present, the region f < f(θ*). */
export function landscapeLegend(belowLabel: string | null): LegendEntry[] {
  const entries: LegendEntry[] = [{
    label: 'landscape: viridis on log(f − f(θ*)), contours at f(θ*) + 1, 2, 5 × 10^k',
    glyph: (x, y) => [{ kind: 'swatch', x, y: y - 10, width: 13, height: 13, fill: '#21918c', stroke: '#000' }, { kind: 'line', points: [[x, y - 4], [x + 13, y - 4]], color: '#ffffff', width: 1 }],
  }];
  if (belowLabel) {
    entries.push({
      label: belowLabel,
      glyph: (x, y) => [{ kind: 'swatch', x, y: y - 10, width: 13, height: 13, fill: cssColor([...BELOW_MINIMUM_RGB, 255]), stroke: '#000', hatch: '#7a3b7a' }],
    });
  }
  return entries;
}

export function figure2Spec(rows: Figure2Row[], options: FigureOptions): FigureSpec {
  const columns = rows[0]?.panels.length ?? 0;
  const entries = [...classLegend(options), ...landscapeLegend(rows.map((r) => r.landscape.belowLabel).find((l) => l !== null) ?? null)];
  // Wide enough for the title and the longest legend entry (a one-column figure is narrow).
  const width = Math.max(ROW_LABEL + CELL_W + COLORBAR_W + columns * CELL_W + 12, textWidth(options.title, 20) + 40, ...entries.map((e) => textWidth(e.label, 13) + 60));
  const legendTop = HEADER + rows.length * CELL_H + 18;
  const legend = flowLegend(entries, 10, legendTop, width - 22, 13);
  const height = legendTop + legend.height + 8;
  const items: FigureItem[] = [{ kind: 'text', x: width / 2, y: 24, text: options.title, size: 20, weight: 'bold', align: 'center' }];
  // Column headers: the landscape, then η / η_max per column (same fractions in every row), when
  // the learning rates are fractions.
  const headerY = HEADER - 10;
  items.push({ kind: 'text', x: ROW_LABEL + STYLE.yAxisWidth + PLOT / 2, y: headerY, text: 'landscape', size: 15, weight: 'bold', align: 'center' });
  rows[0]?.panels.forEach((p, i) => {
    const cx = ROW_LABEL + CELL_W + COLORBAR_W + i * CELL_W + STYLE.yAxisWidth + PLOT / 2;
    // absolute learning rates (no η_max to take fractions of): each panel's own title names its η
    if (p.fraction === null) return;
    items.push({ kind: 'text', x: cx, y: headerY, text: `η/η_max = ${Number(p.fraction.toPrecision(3))}`, size: 15, weight: 'bold', align: 'center' });
  });
  rows.forEach((row, r) => items.push(...rowItems(row, HEADER + r * CELL_H, options)));
  items.push(...legend.items);
  return { title: options.title, width, height, background: '#ffffff', items };
}
