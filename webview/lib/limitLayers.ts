/**
 * The two map layers about where each start ends up (pure, no DOM): the **sharpness at the limit**
 * — λ_max(∇²f) at the point a start converged to, against the stability edge 2/η — and the
 * **period** of cycle pixels. renderMap (colors.ts) colours pixels with these; the legend
 * (legend.ts) draws the colour bar, its ticks and the statistics from the same scale.
 *
 * Sharpness scale: sequential (matplotlib's plasma, perceptually uniform, dark = flat) from the
 * flattest limit point on the map, `lo`, up to 2/η; a converged start can only settle where
 * λ_max ≤ 2/η, so the top of the bar is the edge of stability, marked on it. Limit points
 * sharper than 2/η (round-off at the edge) are drawn red, beyond the bar's plasma part. Starts
 * that did not converge: diverged in their class colour, every other outcome in one grey.
 */
import { PixelClass } from '../../src/engine/types';
import type { MapData, Rgb } from './colors';

/** matplotlib's plasma sampled at 0, 1/7, …, 1. */
const PLASMA: readonly Rgb[] = [
  [13, 8, 135], [84, 2, 163], [139, 10, 165], [185, 50, 137], [219, 92, 104], [244, 136, 73], [254, 188, 43], [240, 249, 33],
];

/** Limit points sharper than 2/η (only round-off at the edge can put a converged start there). */
export const ABOVE_EDGE: Rgb = [215, 25, 28];
/** Starts that neither converged nor diverged, in the sharpness layer. */
export const NO_LIMIT_GREY: Rgb = [150, 150, 150];

function lerp(a: Rgb, b: Rgb, t: number): Rgb {
  return [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
}

/** Plasma at t ∈ [0, 1] (clamped), piecewise-linear between the control points. */
export function plasma(t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (PLASMA.length - 1);
  const i = Math.min(PLASMA.length - 2, Math.floor(x));
  return lerp(PLASMA[i], PLASMA[i + 1], x - i);
}

const isConverged = (cls: number): boolean => cls === PixelClass.Stable || cls === PixelClass.Unstable;

/** The sharpness layer's scale over the computed rows of a map. */
export interface SharpnessScale {
  /** bottom of the bar: the flattest limit point (or 2/η, if lower) */
  lo: number;
  /** top of the bar: the sharpest limit point or 2/η, whichever is larger */
  hi: number;
  /** 2/η (NaN when the map's η is unknown) */
  edge: number;
  /** converged starts with a finite limit sharpness */
  count: number;
  /** smallest, largest and median limit sharpness of those starts */
  min: number;
  max: number;
  /** median, to within (hi − lo)/MEDIAN_BINS */
  median: number;
  /** how many of them lie above 2/η */
  above: number;
}

/** Histogram bins of the median (its resolution is (hi − lo) / MEDIAN_BINS). */
export const MEDIAN_BINS = 4096;

/** The scale of the sharpness layer (null: no converged start with a limit sharpness yet). */
export function sharpnessScale(map: MapData): SharpnessScale | null {
  const edge = 2 / map.eta;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let above = 0;
  const visit = (fn: (v: number) => void): void => {
    for (let r = 0; r < map.height; r++) {
      if (!map.rowFilled[r]) continue;
      for (let i = r * map.width, end = i + map.width; i < end; i++) {
        const v = map.limitSharpness[i];
        if (isConverged(map.classes[i]) && Number.isFinite(v)) fn(v);
      }
    }
  };
  visit((v) => {
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v > edge) above++;
  });
  if (count === 0) return null;
  const lo = Number.isFinite(edge) ? Math.min(min, edge) : min;
  const hi = Number.isFinite(edge) ? Math.max(max, edge) : max;
  let median = min;
  if (max > min) {
    const bins = new Uint32Array(MEDIAN_BINS);
    const scale = MEDIAN_BINS / (max - min);
    visit((v) => {
      bins[Math.min(MEDIAN_BINS - 1, Math.floor((v - min) * scale))]++;
    });
    const half = count / 2;
    let seen = 0;
    for (let b = 0; b < MEDIAN_BINS; b++) {
      seen += bins[b];
      if (seen >= half) {
        median = min + ((b + 0.5) / MEDIAN_BINS) * (max - min);
        break;
      }
    }
  }
  return { lo, hi, edge, count, min, max, median, above };
}

/** Position of λ on the bar, 0 (lo) … 1 (hi). */
export function barPosition(scale: SharpnessScale, value: number): number {
  return scale.hi > scale.lo ? Math.min(1, Math.max(0, (value - scale.lo) / (scale.hi - scale.lo))) : 1;
}

/** Colour of a limit sharpness: plasma from lo (flat, dark) to 2/η (bright yellow); red beyond 2/η. */
export function sharpnessColor(scale: SharpnessScale, value: number): Rgb {
  if (value > scale.edge) return ABOVE_EDGE;
  const top = Number.isFinite(scale.edge) ? scale.edge : scale.hi;
  return plasma(top > scale.lo ? (value - scale.lo) / (top - scale.lo) : 1);
}

/** CSS gradient of the bar: plasma up to 2/η's position, red beyond it. */
export function sharpnessGradient(scale: SharpnessScale, css: (c: Rgb) => string): string {
  const edgeAt = Number.isFinite(scale.edge) ? barPosition(scale, scale.edge) : 1;
  const stops = PLASMA.map((c, i) => `${css(c)} ${(100 * edgeAt * i / (PLASMA.length - 1)).toFixed(2)}%`);
  if (edgeAt < 1) stops.push(`${css(ABOVE_EDGE)} ${(100 * edgeAt).toFixed(2)}%`, `${css(ABOVE_EDGE)} 100%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/* ------------------------------------------------------------------ period layer */

/** Colour groups of the period layer (Tableau 10 hues): one per small period, then ranges. */
export const PERIOD_GROUPS: readonly { label: string; from: number; to: number; color: Rgb }[] = [
  { label: 'period 2', from: 2, to: 2, color: [31, 119, 180] },
  { label: 'period 3', from: 3, to: 3, color: [255, 127, 14] },
  { label: 'period 4', from: 4, to: 4, color: [44, 160, 44] },
  { label: 'period 5', from: 5, to: 5, color: [214, 39, 40] },
  { label: 'period 6', from: 6, to: 6, color: [148, 103, 189] },
  { label: 'period 7', from: 7, to: 7, color: [140, 86, 75] },
  { label: 'period 8', from: 8, to: 8, color: [227, 119, 194] },
  { label: 'period 9–16', from: 9, to: 16, color: [188, 189, 34] },
  { label: 'period 17–64', from: 17, to: 64, color: [23, 190, 207] },
];

/** The group index of a period (−1 for none: 0 or 1 or beyond 64). */
export function periodGroup(period: number): number {
  return PERIOD_GROUPS.findIndex((g) => period >= g.from && period <= g.to);
}

/** Grey of the same luminance (Rec. 709 weights), lightened halfway to white: context pixels of the period layer. */
export function paleGrey(c: Rgb): Rgb {
  const y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  const v = Math.round((y + 255) / 2);
  return [v, v, v];
}

/** Shares of each period group among the computed pixels (fractions of all computed pixels). */
export function periodShares(map: MapData): number[] {
  const counts = new Array<number>(PERIOD_GROUPS.length).fill(0);
  let counted = 0;
  for (let r = 0; r < map.height; r++) {
    if (!map.rowFilled[r]) continue;
    for (let i = r * map.width, end = i + map.width; i < end; i++) {
      counted++;
      if (map.classes[i] !== PixelClass.Cycle) continue;
      const g = periodGroup(map.period[i]);
      if (g >= 0) counts[g]++;
    }
  }
  return counts.map((c) => c / (counted || 1));
}
