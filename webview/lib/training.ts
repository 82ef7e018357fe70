/**
 * Pure helpers of the training view (no DOM): one colour per learning rate, chart points thinned
 * for long runs without losing the oscillations, and the words under the charts.
 */
import { PixelClass } from '../../src/engine/types';
import { classColor, liveFractions, rgbCss, type ColorScheme, type MapData } from './colors';
import { fmt, pct } from './format';

/**
 * Colours of the learning rates (Tableau 10 without its red, which marks the unstable phase), in
 * the order of the config's learning rates.
 */
export const ETA_COLORS: readonly string[] = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

export function etaColor(index: number): string {
  return ETA_COLORS[index % ETA_COLORS.length];
}

/**
 * Indices of at most ~maxPoints samples of a series of `length` values that keep its shape: the
 * first and last index and, per bucket of consecutive indices, the ones of its smallest and
 * largest finite value (so an oscillating loss still shows its full band). Ascending, no repeats;
 * every index when length ≤ maxPoints.
 */
export function thinIndices(length: number, value: (i: number) => number, maxPoints: number): number[] {
  if (length <= maxPoints) return Array.from({ length }, (_, i) => i);
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const out: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * (length - 2)) / buckets);
    const to = 1 + Math.floor(((b + 1) * (length - 2)) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const v = value(i);
      if (!Number.isFinite(v)) continue;
      if (lo < 0 || v < value(lo)) lo = i;
      if (hi < 0 || v > value(hi)) hi = i;
    }
    if (lo >= 0) out.push(Math.min(lo, hi));
    if (hi >= 0 && hi !== lo) out.push(Math.max(lo, hi));
    if (lo < 0 && from < to) out.push(from);
  }
  out.push(length - 1);
  return out;
}

/** Points {x: step, y} of a per-step series at the given indices (non-finite → a gap). */
export function seriesPoints(values: ArrayLike<number>, indices: readonly number[], floor?: number): { x: number; y: number }[] {
  return indices.map((i) => {
    const v = values[i];
    return { x: i, y: Number.isFinite(v) ? (floor !== undefined && v <= 0 ? floor : v) : NaN };
  });
}

/** Smallest positive finite value over the first `length` entries (a floor for log axes), or null. */
export function minPositive(values: ArrayLike<number>, length: number): number | null {
  let m = Infinity;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v > 0 && v < m) m = v;
  }
  return Number.isFinite(m) ? m : null;
}

export interface RunLine {
  eta: number;
  threshold: number;
  length: number;
  steps: number;
  K: number;
  increases: number | null;
  status: string | null;
  reachedAt: number | null;
  lastSharpness: number | null;
  lossFirst: number;
  lossLast: number;
}

/** One line per run under the charts: its phase, where sharpness met the line, the loss. */
export function runSummary(r: RunLine, thresholdName: string): string {
  const progress = r.status ? (r.status === 'completed' ? '' : ` — ${r.status} after ${r.length - 1} steps`) : ` — step ${Math.max(0, r.length - 1)} of ${r.steps}`;
  const phase = r.K > 0 ? `unstable phase k < K = ${r.K}${r.increases !== null ? ` (${r.increases} loss increase${r.increases === 1 ? '' : 's'})` : ''}` : 'no loss increase';
  const reach = r.reachedAt !== null
    ? `sharpness reached ${thresholdName} = ${fmt(r.threshold)} at step ${r.reachedAt}`
    : `sharpness ${r.lastSharpness !== null ? `${fmt(r.lastSharpness)} ` : ''}below ${thresholdName} = ${fmt(r.threshold)}`;
  const loss = r.length > 0 ? `; loss ${fmt(r.lossFirst)} → ${fmt(r.lossLast)}` : '';
  return `η = ${fmt(r.eta)}${progress}: ${phase}; ${reach}${loss}`;
}


/** Legend rows of a network slice map: the outcome classes in the expression maps' colours, with live fractions. */
export function sliceLegend(map: MapData | null, scheme: ColorScheme): { color: string; label: string; value: string }[] {
  const live = map ? liveFractions(map, 0) : null;
  const rows: [number, string][] = [
    [PixelClass.Stable, 'stable: reached the trained loss, no increase'],
    [PixelClass.Unstable, 'unstable: reached it after loss increases'],
    [PixelClass.Diverged, 'diverged'],
    [PixelClass.NotConverged, 'not converged'],
    [PixelClass.Other, 'stalled above it (saddle / plateau)'],
  ];
  return rows.map(([code, label]) => ({ color: rgbCss(classColor(scheme, code, -1)), label, value: live && live.counted > 0 ? pct(live.byClass[code] ?? 0) : '–' }));
}

export { thresholdName } from '../../src/shared/networkSession';
