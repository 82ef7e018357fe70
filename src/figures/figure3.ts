/**
 * Figure 3 as a FigureSpec: the basin map with the trajectories drawn on it (red from θ_0 up to
 * θ_K, K = the step of the last loss increase, black after; the start and θ_K marked), and beside it each
 * trajectory's loss gap f(θ_k) − f(θ*) on a log axis over the whole recorded run, K marked.
 */
import { BLACK, lossChartConfig, mapChartConfig, RED, type MapMarker, type PanelStyle } from './charts';
import { classLegend, flowLegend, formatEta, minimumMarkers, type FigureOptions } from './figure2';
import type { FigureItem, FigureSpec, MapImage } from './spec';

export interface Figure3Trajectory {
  init: [number, number];
  /** 'stable', 'unstable', 'diverged', … (the engine's outcome kind) */
  outcome: string;
  /** the step of the last loss increase (0 if none), from the engine: the unstable phase is θ_0 … θ_K */
  K: number;
  /** step at which the iterate entered the certified region (null: never) */
  enteredCertifiedAt: number | null;
  /** θ_k projected on the map axes, k = 0..steps */
  points: [number, number][];
  /** f(θ_k) − f(θ*) */
  gap: number[];
}

export interface Figure3Data {
  functionName: string;
  eta: number;
  xRange: [number, number];
  yRange: [number, number];
  xLabel: string;
  yLabel: string;
  image: MapImage;
  minima: [number, number][];
  certified: { center: [number, number]; radius: number }[];
  trajectories: Figure3Trajectory[];
}

const MAP = 300;
const STYLE: PanelStyle = { tick: 12, axisTitle: 13, yAxisWidth: 50, xAxisHeight: 42, padding: { top: 0, right: 8, bottom: 0, left: 0 } };
const LOSS_W = 390;
const LOSS_H = 118;
const TOP = 64;

function startLabel(t: Figure3Trajectory): string {
  const k = t.K > 0 ? `, K = ${t.K}` : ', no loss increase';
  const entered = t.enteredCertifiedAt !== null ? `, certified from step ${t.enteredCertifiedAt}` : '';
  return `(${t.init.join(', ')}): ${t.outcome.replace('_', ' ')}${k}${entered}`;
}

export function figure3Spec(data: Figure3Data, options: FigureOptions): FigureSpec {
  const items: FigureItem[] = [];
  const markers: MapMarker[] = [...minimumMarkers(data.minima)];
  for (const t of data.trajectories) {
    const color = t.K > 0 ? RED : BLACK;
    const lower = data.trajectories.some((o) => o !== t && o.init[1] > t.init[1]);
    markers.push({ at: t.points[0], shape: 'circle', size: 4.5, color: BLACK, fill: color, label: `(${t.init.join(', ')})`, labelBelow: lower });
    if (t.K > 0 && t.points[t.K]) markers.push({ at: t.points[t.K], shape: 'square', size: 3.5, color: BLACK, fill: '#ffffff', label: `θ_K, K = ${t.K}` });
  }
  const mapX = 16;
  items.push({
    kind: 'chart', x: mapX, y: TOP, width: STYLE.yAxisWidth + MAP + STYLE.padding.right, height: MAP + STYLE.xAxisHeight,
    config: (images) => mapChartConfig({
      xRange: data.xRange, yRange: data.yRange, xLabel: data.xLabel, yLabel: data.yLabel, image: data.image,
      certified: data.certified, certifiedMinPixels: 1 / options.pixelRatio, markers,
      trajectories: data.trajectories.map((t) => ({ points: t.points, K: t.K, before: RED, after: BLACK })),
    }, STYLE, images),
  });
  items.push({ kind: 'text', x: mapX + STYLE.yAxisWidth + MAP / 2, y: TOP - 10, text: `${data.functionName}, η = ${formatEta(data.eta)}: basin map and trajectories`, size: 14, weight: 'bold', align: 'center' });

  const lossX = mapX + STYLE.yAxisWidth + MAP + 40;
  const lossStyle: PanelStyle = { ...STYLE, yAxisWidth: 82 };
  const rowH = (MAP + STYLE.xAxisHeight) / Math.max(1, data.trajectories.length);
  data.trajectories.forEach((t, i) => {
    const y = TOP + i * rowH + 10;
    items.push({ kind: 'text', x: lossX + 20, y: y - 6, text: startLabel(t), size: 13, weight: 'bold' });
    items.push({
      kind: 'chart', x: lossX, y, width: lossStyle.yAxisWidth + LOSS_W, height: Math.min(LOSS_H + STYLE.xAxisHeight, rowH - 14),
      config: () => lossChartConfig({ gap: t.gap, K: t.K, xLabel: 'step k', yLabel: 'f(θ_k) − f(θ*)' }, lossStyle),
    });
  });
  const width = lossX + lossStyle.yAxisWidth + LOSS_W + 16;
  items.unshift({ kind: 'text', x: width / 2, y: 26, text: `Figure 3 — ${data.functionName}: an unstable and a stable start at η = ${formatEta(data.eta)}`, size: 16, weight: 'bold', align: 'center' });

  const legendTop = TOP + MAP + STYLE.xAxisHeight + 26;
  const entries = [
    { label: 'red: θ_0 … θ_K and f(θ_k) for k ≤ K (K = the step of the last loss increase: the unstable phase)', glyph: (x: number, y: number): FigureItem[] => [{ kind: 'line', points: [[x, y - 4], [x + 14, y - 4]], color: RED, width: 2.2 }] },
    { label: 'black: after θ_K (the loss falls at every step)', glyph: (x: number, y: number): FigureItem[] => [{ kind: 'line', points: [[x, y - 4], [x + 14, y - 4]], color: BLACK, width: 2.2 }] },
    { label: 'start θ_0 (red if it converges unstably)', glyph: (x: number, y: number): FigureItem[] => [{ kind: 'marker', x: x + 6, y: y - 4, shape: 'circle', size: 4.5, color: BLACK, fill: RED }] },
    { label: 'θ_K', glyph: (x: number, y: number): FigureItem[] => [{ kind: 'marker', x: x + 6, y: y - 4, shape: 'square', size: 3.5, color: BLACK, fill: '#ffffff' }] },
    ...classLegend(options),
  ];
  const legend = flowLegend(entries, mapX, legendTop, width - mapX - 16, 13);
  items.push(...legend.items);
  return { title: `Figure 3: ${data.functionName} at η = ${formatEta(data.eta)}`, width, height: legendTop + legend.height + 6, background: '#ffffff', items };
}
