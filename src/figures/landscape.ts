/**
 * The landscape panel's data: f − f(θ*) sampled at the map's pixel centres, coloured on a log
 * scale (viridis, from d3-scale-chromatic), contour lines at log-spaced levels (marching squares
 * from d3-contour), and the region where f < f(θ*) kept apart (hatched, never coloured like the
 * minimum). Pure: the value function is passed in, so the panel could reuse it.
 */
import { contours } from 'd3-contour';
import { interpolateViridis } from 'd3-scale-chromatic';
import { pixelStart } from '../engine/basin';
import type { SliceSpec } from '../engine/types';

/** f − f(θ*) per pixel, row-major, top row = largest y (the map convention). */
export interface LandscapeField {
  width: number;
  height: number;
  /** f(θ) − f(θ*); NaN where f is undefined */
  gap: Float64Array;
  fStar: number;
}

/** A log colour scale of f − f(θ*) > 0: [lo, hi]. */
export interface LogScale {
  lo: number;
  hi: number;
}

/** A contour line in data coordinates (x, y) of the slice's axes: open polylines. */
export interface ContourLine {
  level: number;
  paths: [number, number][][];
}

/** Colour of the region f < f(θ*) (under the vector hatch). */
export const BELOW_MINIMUM_RGB: readonly [number, number, number] = [236, 218, 236];
/** Colour where f is not a finite number. */
export const UNDEFINED_RGB: readonly [number, number, number] = [128, 128, 128];

export function sampleLandscape(value: (point: number[]) => number, slice: SliceSpec, fStar: number): LandscapeField {
  const { width, height } = slice;
  const gap = new Float64Array(width * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const v = value(pixelStart(slice, r, c));
      gap[r * width + c] = Number.isFinite(v) ? v - fStar : NaN;
    }
  }
  return { width, height, gap, fStar };
}

/**
 * The colour range: hi = the largest gap; lo = the smallest positive gap, but at most 5 decades
 * below hi (the colours resolve the window, not the last pixel next to θ*).
 */
export function logScaleOf(field: LandscapeField): LogScale {
  let hi = 0;
  let lo = Infinity;
  for (const v of field.gap) {
    if (v > hi) hi = v;
    if (v > 0 && v < lo) lo = v;
  }
  if (!(hi > 0)) return { lo: 1e-6, hi: 1 };
  lo = Math.max(lo, hi * 1e-5);
  if (!(lo < hi)) lo = hi / 10;
  return { lo, hi };
}

/** Position of a gap on the scale, 0..1 (clamped). */
export function scalePosition(scale: LogScale, gap: number): number {
  const t = (Math.log10(gap) - Math.log10(scale.lo)) / (Math.log10(scale.hi) - Math.log10(scale.lo));
  return Math.min(1, Math.max(0, t));
}

/** CSS colour of a position 0..1 on the landscape colour map. */
export function landscapeColor(t: number): string {
  return interpolateViridis(t);
}

function parseRgb(css: string): [number, number, number] {
  // d3 returns '#rrggbb' for viridis
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (m) return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
  const n = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css);
  if (n) return [Number(n[1]), Number(n[2]), Number(n[3])];
  throw new Error(`unexpected colour '${css}'`);
}

/** RGBA pixels: viridis on log(f − f*), BELOW_MINIMUM_RGB where f < f*, UNDEFINED_RGB where NaN. */
export function landscapeRgba(field: LandscapeField, scale: LogScale): Uint8Array {
  const lut: [number, number, number][] = [];
  for (let k = 0; k < 256; k++) lut.push(parseRgb(landscapeColor(k / 255)));
  const out = new Uint8Array(field.width * field.height * 4);
  for (let i = 0; i < field.gap.length; i++) {
    const v = field.gap[i];
    const rgb = Number.isNaN(v) ? UNDEFINED_RGB : v < 0 ? BELOW_MINIMUM_RGB : lut[Math.round(scalePosition(scale, Math.max(v, scale.lo)) * 255)];
    out.set(rgb, i * 4);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Contour levels: 1, 2, 5 × 10^k inside (lo, hi), thinned to at most `max` (log-spaced). */
export function contourLevels(scale: LogScale, max = 9): number[] {
  const levels: number[] = [];
  for (let k = Math.floor(Math.log10(scale.lo)) - 1; k <= Math.ceil(Math.log10(scale.hi)); k++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** k;
      if (v > scale.lo && v < scale.hi) levels.push(Number(v.toPrecision(3)));
    }
  }
  if (levels.length <= max) return levels;
  const step = Math.ceil(levels.length / max);
  return levels.filter((_, i) => i % step === 0);
}

/** Grid → data coordinates (d3-contour's grid corners span [0, width] × [0, height]). */
function toData(slice: SliceSpec, gx: number, gy: number): [number, number] {
  const x = slice.xRange[0] + (gx / slice.width) * (slice.xRange[1] - slice.xRange[0]);
  const y = slice.yRange[1] - (gy / slice.height) * (slice.yRange[1] - slice.yRange[0]);
  return [x, y];
}

/** Closed outlines of {values ≥ threshold} per threshold, in grid coordinates (d3-contour). */
function isoRings(values: number[], slice: SliceSpec, thresholds: number[]): { level: number; rings: [number, number][][] }[] {
  const gen = contours().size([slice.width, slice.height]).thresholds(thresholds);
  return gen(values).map((mp) => ({ level: mp.value, rings: mp.coordinates.flatMap((polygon) => polygon.map((ring) => ring.map(([gx, gy]): [number, number] => [gx, gy]))) }));
}

/**
 * The iso-lines proper: the outlines cut where they run along the window's edge (d3-contour
 * closes every region there), as open polylines in data coordinates.
 */
function isoLines(values: number[], slice: SliceSpec, thresholds: number[]): ContourLine[] {
  const onEdge = ([gx, gy]: [number, number]) => gx <= 0 || gy <= 0 || gx >= slice.width || gy >= slice.height;
  return isoRings(values, slice, thresholds).map(({ level, rings }) => {
    const paths: [number, number][][] = [];
    for (const ring of rings) {
      let run: [number, number][] = [];
      for (const p of ring) {
        if (onEdge(p)) {
          if (run.length > 1) paths.push(run);
          run = [];
        } else run.push(toData(slice, p[0], p[1]));
      }
      if (run.length > 1) paths.push(run);
    }
    return { level, paths };
  });
}

/**
 * Contour lines of f − f(θ*) at `levels` (computed on log10 of the gap, so rings are smooth
 * near the minimum). Pixels where f < f* or f is undefined are treated as below every level.
 */
export function contourLines(field: LandscapeField, slice: SliceSpec, levels: number[]): ContourLine[] {
  const logs = Array.from(field.gap, (v) => (v > 0 ? Math.log10(v) : -400));
  return isoLines(logs, slice, levels.map(Math.log10)).map((line, i) => ({ ...line, level: levels[i] }));
}

/** Outline of the region f < f(θ*) (empty when there is none). */
export function belowMinimumOutline(field: LandscapeField, slice: SliceSpec): [number, number][][] {
  if (!field.gap.some((v) => v < 0)) return [];
  // 1 where f < f*, 0 elsewhere; the 0.5 iso-line is the boundary f = f*.
  const mask = Array.from(field.gap, (v) => (v < 0 ? 1 : 0));
  return isoRings(mask, slice, [0.5]).flatMap((l) => l.rings.map((ring) => ring.map(([gx, gy]) => toData(slice, gx, gy))));
}

/**
 * Whether f falls without bound along the ray from θ* through the lowest sampled point: f at
 * 2^k times that distance (k ≤ 40) drops below f* − 10^12 · (1 + |f*|), or becomes −∞.
 * A heuristic for the legend ("f → −∞"), never used for classification.
 */
export function looksUnboundedBelow(value: (point: number[]) => number, center: number[], lowest: number[], fStar: number): boolean {
  const d = lowest.map((v, i) => v - center[i]);
  if (d.every((v) => v === 0)) return false;
  for (let k = 0; k <= 40; k++) {
    const s = 2 ** k;
    const f = value(center.map((c, i) => c + s * d[i]));
    if (f === -Infinity || f < fStar - 1e12 * (1 + Math.abs(fStar))) return true;
    if (Number.isNaN(f)) return false;
  }
  return false;
}

/** The point (full-length) of the smallest gap in the field, or null. */
export function lowestPoint(field: LandscapeField, slice: SliceSpec): number[] | null {
  let best = -1;
  for (let i = 0; i < field.gap.length; i++) if (!Number.isNaN(field.gap[i]) && (best < 0 || field.gap[i] < field.gap[best])) best = i;
  return best < 0 ? null : pixelStart(slice, Math.floor(best / field.width), best % field.width);
}
