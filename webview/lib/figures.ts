/**
 * The panel's exportable figures as FigureSpecs (pure, no DOM; the CLI's chart configurations
 * from src/figures): the map as shown (layer and colour scheme, axes, title, legend with the live
 * fractions, minima, certified balls, the selected trajectory), the selected trajectory's loss
 * curve, and the LR sweep. widgets/figureFiles.ts turns them into SVG or PNG files.
 */
import { BLACK, lossChartConfig, RED } from '../../src/figures/charts';
import { figureClasses } from '../../src/figures/classes';
import { mapFigureSpec } from '../../src/figures/mapFigure';
import { sweepSpec } from '../../src/figures/sweep';
import type { FigureItem, FigureSpec } from '../../src/figures/spec';
import { legendRows } from './legend';
import { renderMap } from './colors';
import { fmt } from './format';
import { projectIterates } from './geometry';
import { axisNames, selectedTrajectory } from '../state/selectors';
import type { PanelState } from '../state/types';

/** The main map as a figure, or null until it has a slice and pixels. */
export function mapFigure(s: PanelState): FigureSpec | null {
  const m = s.main;
  const a = s.analysis;
  if (!m?.map || !m.slice || !a) return null;
  const { width, height } = m.map;
  const rgba = new Uint8Array(width * height * 4);
  renderMap(m.map, s.display.layer, s.display.scheme, rgba);
  const [xn, yn] = axisNames(s);
  const axes = m.slice.axes;
  const rows = legendRows({
    map: m.map, minimaCount: a.minima.length, layer: s.display.layer, scheme: s.display.scheme, done: m.done,
    certified: m.certificates.filter((c) => c.ok).length, hasObjective: false,
    ...(s.session ? { stepLimit: { maxSteps: s.session.maxSteps, source: s.session.sourceUri ? 'config' as const : 'setting' as const } } : {}),
    ...(a.definedness ? { definedness: a.definedness } : {}),
  });
  const legend = rows.flatMap((r) => (r.kind === 'entry' ? [{ label: r.label, color: r.color, value: r.value }] : []));
  // a layer's colour bar (the sharpness at the limit) goes in as words: its caption and ticks
  const legendNotes = rows.flatMap((r) => (r.kind === 'note' ? [r.text] : r.kind === 'scale' ? [`${r.caption}: from ${r.ticks.map((t) => t.label).join(' to ')} (dark to yellow)`] : []));
  const t = selectedTrajectory(s)?.data ?? null;
  const trajectory = t ? projectIterates(t.theta, t.n, axes) : null;
  const etaMax = a.etaMax;
  return mapFigureSpec({
    title: `${s.session?.title ?? 'Basin map'}: η = ${fmt(m.eta)}${etaMax ? ` (${fmt(m.eta / etaMax, 3)} η_max)` : ''}`,
    notes: [
      `f = ${a.normalized}`,
      `${width}×${height} starts, ${xn} ∈ [${fmt(m.slice.xRange[0])}, ${fmt(m.slice.xRange[1])}], ${yn} ∈ [${fmt(m.slice.yRange[0])}, ${fmt(m.slice.yRange[1])}]${m.done ? '' : ' (partial)'}`,
    ],
    xRange: m.slice.xRange, yRange: m.slice.yRange, xLabel: xn, yLabel: yn,
    image: { width, height, rgba },
    minima: s.display.showMinima ? a.minima.map((p) => [p.point[axes[0]], p.point[axes[1]]] as [number, number]) : [],
    certified: s.display.showCertified ? m.certificates.flatMap((c) => (c.ok ? [{ center: [c.certificate.center[axes[0]], c.certificate.center[axes[1]]] as [number, number], radius: c.certificate.tPrime }] : [])) : [],
    trajectories: trajectory && t ? [{ points: Array.from({ length: trajectory.length / 2 }, (_, k) => [trajectory[2 * k], trajectory[2 * k + 1]] as [number, number]), K: t.K, before: RED, after: BLACK }] : [],
    legend,
    legendNotes: [...legendNotes, ...(t ? [`trajectory from (${t.init.map((v) => fmt(v)).join(', ')}): red up to K = ${t.K}, black after`] : [])],
  }, { pixelRatio: 1 });
}

/** The selected trajectory's loss gap f(θ_k) − f* on a log axis with K marked, or null. */
export function trajectoryFigure(s: PanelState): FigureSpec | null {
  const t = selectedTrajectory(s)?.data ?? null;
  const a = s.analysis;
  if (!t || !a) return null;
  const finite = t.loss.filter((v) => Number.isFinite(v));
  const fStar = t.minimum !== null && a.minima[t.minimum] ? a.minima[t.minimum].value : Math.min(...finite);
  const gap = t.loss.map((v) => v - fStar);
  if (!gap.some((v) => v > 0 && Number.isFinite(v))) return null;
  const title = `Loss from (${t.init.map((v) => fmt(v)).join(', ')}) at η = ${fmt(t.eta)}: ${t.outcome.replace('_', ' ')}, K = ${t.K}`;
  const style = { tick: 11, axisTitle: 12, yAxisWidth: 74, xAxisHeight: 40, padding: { top: 4, right: 12, bottom: 0, left: 0 } };
  const items: FigureItem[] = [
    { kind: 'text', x: 16, y: 24, text: title, size: 14, weight: 'bold' },
    { kind: 'text', x: 16, y: 42, text: `f = ${a.normalized}; red: θ_0 … θ_K (unstable phase), black after`, size: 11, color: '#333' },
    { kind: 'chart', x: 8, y: 52, width: 560, height: 260, config: () => lossChartConfig({ gap, K: t.K, xLabel: 'step k', yLabel: 'f(θ_k) − f*' }, style) },
  ];
  return { title, width: 580, height: 320, background: '#ffffff', items };
}

/** The LR sweep as the CLI's sweep figure, or null without points. */
export function sweepFigure(s: PanelState): FigureSpec | null {
  const sw = s.sweep;
  if (!sw || sw.points.length < 2) return null;
  return sweepSpec(`${s.session?.title ?? 'LR sweep'}: fractions of ${sw.grid}×${sw.grid} starts against η/η_max`, sw.points, figureClasses());
}
