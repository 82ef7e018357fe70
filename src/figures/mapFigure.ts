/**
 * One basin map as a FigureSpec: a title (and notes under it), the map with axes and ticks, the
 * minima, certified regions and trajectories drawn on it, and a legend beside it (a swatch, words
 * and a value per entry, e.g. each class with its area fraction). The layout does not depend on
 * the data (same size for every frame of a zoom movie). Used by `gdlab zoom` for its labelled
 * frames and by the panel's SVG export of the map.
 */
import type { ChartConfiguration } from 'chart.js';
import { mapChartConfig, type MapTrajectory, type PanelStyle } from './charts';
import { cssColor, type ClassStyle } from './classes';
import { minimumMarkers } from './figure2';
import type { FigureItem, FigureSpec, MapImage } from './spec';

export interface MapLegendEntry {
  label: string;
  /** CSS colour of the swatch */
  color: string;
  /** e.g. '12.5 %' (empty: none) */
  value?: string;
}

export interface MapFigureData {
  title: string;
  /** lines under the title (window, zoom factor, measures …) */
  notes?: string[];
  xRange: [number, number];
  yRange: [number, number];
  xLabel: string;
  yLabel: string;
  image: MapImage;
  minima?: [number, number][];
  certified?: { center: [number, number]; radius: number }[];
  trajectories?: MapTrajectory[];
  legend: MapLegendEntry[];
  /** legend lines without a swatch, after the entries */
  legendNotes?: string[];
}

const PLOT = 340;
const STYLE: PanelStyle = { tick: 11.5, axisTitle: 13, yAxisWidth: 76, xAxisHeight: 42, padding: { top: 0, right: 10, bottom: 0, left: 0 } };
const LEGEND_W = 250;
const ROW = 19;
const TITLE = 17;
const NOTE = 12;

/** Legend entries of class codes with their fraction of the map (index = code), in class order. */
export function classLegendEntries(classes: readonly ClassStyle[], fractions: readonly number[] | null, colorOf?: (code: number) => string): MapLegendEntry[] {
  return classes.map((c) => ({
    label: c.label,
    color: colorOf ? colorOf(c.code) : cssColor(c.color),
    value: fractions ? `${(100 * (fractions[c.code] ?? 0)).toFixed(1)} %` : '',
  }));
}

/**
 * Tick labels with as many decimals as the tick step needs (a deep zoom's window is narrower than
 * three significant digits can tell apart), no ticks forced at the window's ends.
 */
export function stepTicks(config: ChartConfiguration): ChartConfiguration {
  const scales = (config.options?.scales ?? {}) as Record<string, { ticks?: Record<string, unknown> }>;
  for (const axis of ['x', 'y']) {
    const s = scales[axis];
    if (!s) continue;
    s.ticks = {
      ...(s.ticks ?? {}),
      includeBounds: false,
      callback: (v: number | string, _i: number, ticks: { value: number }[]) => {
        const step = ticks.length > 1 ? Math.abs(ticks[1].value - ticks[0].value) : Math.abs(Number(v)) || 1;
        const decimals = Math.min(12, Math.max(0, 1 - Math.floor(Math.log10(step) + 1e-9)));
        let text = Number(v).toFixed(decimals);
        if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
        return text === '-0' ? '0' : text.replace('-', '−');
      },
    };
  }
  return config;
}

/** Splits text into lines of at most `chars` characters at spaces. */
function wrapWords(text: string, chars: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && (last + ' ' + word).length <= chars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

export function mapFigureSpec(data: MapFigureData, options: { pixelRatio: number }): FigureSpec {
  const notes = data.notes ?? [];
  const top = 16 + TITLE + 8 + notes.length * (NOTE + 5) + 8;
  const mapW = STYLE.yAxisWidth + PLOT + STYLE.padding.right;
  const width = 16 + mapW + 24 + LEGEND_W;
  const items: FigureItem[] = [];
  items.push({ kind: 'text', x: 16, y: 16 + TITLE, text: data.title, size: TITLE, weight: 'bold' });
  notes.forEach((n, i) => items.push({ kind: 'text', x: 16, y: 16 + TITLE + 8 + (i + 1) * (NOTE + 5) - 4, text: n, size: NOTE, color: '#333' }));
  items.push({
    kind: 'chart', x: 16, y: top, width: mapW, height: PLOT + STYLE.xAxisHeight,
    config: (images) => stepTicks(mapChartConfig({
      xRange: data.xRange, yRange: data.yRange, xLabel: data.xLabel, yLabel: data.yLabel, image: data.image,
      markers: minimumMarkers(data.minima ?? []), certified: data.certified, certifiedMinPixels: 1 / options.pixelRatio,
      trajectories: data.trajectories,
    }, STYLE, images)),
  });
  const lx = 16 + mapW + 24;
  let ly = top + 12;
  for (const e of data.legend) {
    items.push({ kind: 'swatch', x: lx, y: ly - 10, width: 13, height: 13, fill: e.color, stroke: '#000' });
    items.push({ kind: 'text', x: lx + 20, y: ly, text: e.label, size: 12 });
    if (e.value) items.push({ kind: 'text', x: lx + LEGEND_W - 8, y: ly, text: e.value, size: 12, align: 'right' });
    ly += ROW;
  }
  if ((data.minima ?? []).length > 0) {
    items.push({ kind: 'marker', x: lx + 6, y: ly - 4, shape: 'cross', size: 4, color: '#e8112d' });
    items.push({ kind: 'text', x: lx + 20, y: ly, text: 'minimum θ*', size: 12 });
    ly += ROW;
  }
  ly += 4;
  for (const note of data.legendNotes ?? []) {
    for (const line of wrapWords(note, 38)) {
      items.push({ kind: 'text', x: lx, y: ly, text: line, size: 11, color: '#333' });
      ly += 15;
    }
    ly += 3;
  }
  const height = Math.max(top + PLOT + STYLE.xAxisHeight + 12, ly + 8);
  return { title: data.title, width, height, background: '#ffffff', items };
}
