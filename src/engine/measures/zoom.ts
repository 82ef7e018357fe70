/**
 * Zoom sequences into a basin boundary (pure): the slices of successive zoom levels and the
 * choice of a boundary point. Frame k shows the window of the base slice shrunk by factor^k
 * around a centre, at the same pixel count, so each frame is a recomputed map (not an upscale).
 *
 * Automatic centre: the pixel whose (2r+1)² neighbourhood has the largest class entropy (the
 * most mixed spot of the boundary; ties go to the pixel nearest the middle of the search
 * region). When following the boundary, each next centre is searched in the middle third of the
 * current frame, so the boundary stays in view however deep the zoom goes.
 */
import { pixelCenter } from '../basin';
import type { SliceSpec } from '../types';

/** The base slice's window shrunk by `zoom` around `center` (same axes, base point and pixel count). */
export function zoomSlice(base: SliceSpec, center: readonly [number, number], zoom: number): SliceSpec {
  if (!(zoom >= 1 && Number.isFinite(zoom))) throw new RangeError(`the zoom must be a finite number ≥ 1, got ${zoom}`);
  if (!center.every((c) => Number.isFinite(c))) throw new RangeError('the zoom centre must be two finite numbers');
  const hx = (base.xRange[1] - base.xRange[0]) / (2 * zoom);
  const hy = (base.yRange[1] - base.yRange[0]) / (2 * zoom);
  const pixel = Math.min((2 * hx) / base.width, (2 * hy) / base.height);
  const size = Math.max(1, Math.abs(center[0]), Math.abs(center[1]));
  // below ~1e-13 relative the pixel centres are no longer distinct doubles
  if (!(pixel > 1e-13 * size)) {
    throw new RangeError(`a zoom of ${zoom.toPrecision(3)}× makes pixels ${pixel.toPrecision(2)} wide at (${center[0]}, ${center[1]}), below double precision (about ${(1e-13 * size).toPrecision(2)}); use fewer frames or a smaller factor`);
  }
  return {
    ...base,
    base: [...base.base],
    axes: [base.axes[0], base.axes[1]],
    xRange: [center[0] - hx, center[0] + hx],
    yRange: [center[1] - hy, center[1] + hy],
  };
}

/** Zoom of frame k: factor^k. */
export function frameZoom(factor: number, k: number): number {
  return factor ** k;
}

/** Checks the frame count and factor of a zoom sequence (RangeError naming the bad one). */
export function checkZoomPlan(frames: number, factor: number): void {
  if (!Number.isInteger(frames) || frames < 1 || frames > 1000) throw new RangeError(`the number of frames must be a whole number from 1 to 1000, got ${frames}`);
  if (!(factor > 1 && Number.isFinite(factor))) throw new RangeError(`the zoom factor per frame must be a number > 1, got ${factor}`);
}

/** The slices of a zoom into a fixed centre: frame k has zoom factor^k. */
export function zoomFrames(base: SliceSpec, center: readonly [number, number], factor: number, frames: number): { zoom: number; slice: SliceSpec }[] {
  checkZoomPlan(frames, factor);
  return Array.from({ length: frames }, (_, k) => {
    const zoom = frameZoom(factor, k);
    return { zoom, slice: zoomSlice(base, center, zoom) };
  });
}

export interface MixedPixel {
  row: number;
  col: number;
  /** class entropy (natural log) of the neighbourhood */
  entropy: number;
  /** the pixel centre in map coordinates */
  point: [number, number];
}

/**
 * The most mixed pixel of a class map within `region` (rows / columns, end exclusive; default the
 * whole map): the largest entropy of the class codes in its (2·radius+1)² neighbourhood (clipped
 * at the map's edge). Null when every neighbourhood holds one class (no boundary in the region).
 */
export function mostMixedPixel(
  classes: Uint8Array,
  slice: SliceSpec,
  options: { radius?: number; region?: { row0: number; row1: number; col0: number; col1: number } } = {},
): MixedPixel | null {
  const { width, height } = slice;
  if (classes.length !== width * height) throw new RangeError(`the class map has ${classes.length} pixels; ${width}×${height} needs ${width * height}`);
  const radius = options.radius ?? 2;
  if (!Number.isInteger(radius) || radius < 1) throw new RangeError(`the neighbourhood radius must be a whole number ≥ 1, got ${radius}`);
  const region = options.region ?? { row0: 0, row1: height, col0: 0, col1: width };
  const midR = (region.row0 + region.row1 - 1) / 2;
  const midC = (region.col0 + region.col1 - 1) / 2;
  const counts = new Float64Array(256);
  let best: MixedPixel | null = null;
  let bestDistance = Infinity;
  for (let r = Math.max(0, region.row0); r < Math.min(height, region.row1); r++) {
    for (let c = Math.max(0, region.col0); c < Math.min(width, region.col1); c++) {
      const r0 = Math.max(0, r - radius);
      const r1 = Math.min(height - 1, r + radius);
      const c0 = Math.max(0, c - radius);
      const c1 = Math.min(width - 1, c + radius);
      const first = classes[r0 * width + c0];
      let mixed = false; // windows of one class have entropy 0: skip them without counting
      for (let rr = r0; rr <= r1 && !mixed; rr++) for (let cc = c0; cc <= c1; cc++) if (classes[rr * width + cc] !== first) { mixed = true; break; }
      if (!mixed) continue;
      counts.fill(0);
      for (let rr = r0; rr <= r1; rr++) for (let cc = c0; cc <= c1; cc++) counts[classes[rr * width + cc]]++;
      const n = (r1 - r0 + 1) * (c1 - c0 + 1);
      let h = 0;
      for (let k = 0; k < 256; k++) if (counts[k] > 0) h -= (counts[k] / n) * Math.log(counts[k] / n);
      const distance = (r - midR) ** 2 + (c - midC) ** 2;
      if (best === null || h > best.entropy + 1e-12 || (Math.abs(h - best.entropy) <= 1e-12 && distance < bestDistance)) {
        best = { row: r, col: c, entropy: h, point: pixelCenter(slice, r, c) };
        bestDistance = distance;
      }
    }
  }
  return best;
}

/** The middle third of a frame (where the next centre is searched when following a boundary). */
export function middleThird(slice: SliceSpec): { row0: number; row1: number; col0: number; col1: number } {
  return {
    row0: Math.floor(slice.height / 3),
    row1: Math.ceil((2 * slice.height) / 3),
    col0: Math.floor(slice.width / 3),
    col1: Math.ceil((2 * slice.width) / 3),
  };
}

/** File-name form of a zoom factor: 1x, 2x, 1.5x, 1024x, 1.2e6x. */
export function zoomLabel(zoom: number): string {
  if (zoom >= 1e5) return `${Number(zoom.toPrecision(3)).toExponential().replace('+', '')}x`;
  return `${Number(zoom.toPrecision(4))}x`;
}
