/**
 * Pure geometry of the basin map (no DOM): pixel ↔ coordinate mapping (the engine's convention:
 * pixel centres, top row = largest y), plot-rectangle ↔ coordinate mapping, axis ticks, zoom
 * rectangles, projections of trajectories and certified balls onto the slice.
 */

export type Range = [number, number];

/** Where the map is drawn on the canvas (CSS pixels). */
export interface PlotRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Centre of map pixel (col, row) in problem coordinates (DESIGN contract of basin.ts). */
export function pixelToCoord(col: number, row: number, width: number, height: number, xRange: Range, yRange: Range): [number, number] {
  const x = xRange[0] + ((col + 0.5) * (xRange[1] - xRange[0])) / width;
  const y = yRange[1] - ((row + 0.5) * (yRange[1] - yRange[0])) / height;
  return [x, y];
}

/** Map pixel containing the point, or null when it lies outside the window. */
export function coordToPixel(x: number, y: number, width: number, height: number, xRange: Range, yRange: Range): [number, number] | null {
  const col = Math.floor(((x - xRange[0]) / (xRange[1] - xRange[0])) * width);
  const row = Math.floor(((yRange[1] - y) / (yRange[1] - yRange[0])) * height);
  if (!(col >= 0 && col < width && row >= 0 && row < height)) return null;
  return [col, row];
}

/** Problem coordinates → canvas position inside the plot rectangle. */
export function coordToCanvas(x: number, y: number, plot: PlotRect, xRange: Range, yRange: Range): [number, number] {
  return [
    plot.left + ((x - xRange[0]) / (xRange[1] - xRange[0])) * plot.width,
    plot.top + ((yRange[1] - y) / (yRange[1] - yRange[0])) * plot.height,
  ];
}

/** Canvas position → problem coordinates (inverse of coordToCanvas). */
export function canvasToCoord(px: number, py: number, plot: PlotRect, xRange: Range, yRange: Range): [number, number] {
  return [
    xRange[0] + ((px - plot.left) / plot.width) * (xRange[1] - xRange[0]),
    yRange[1] - ((py - plot.top) / plot.height) * (yRange[1] - yRange[0]),
  ];
}

/** Canvas position → map pixel, or null outside the plot. */
export function canvasToPixel(px: number, py: number, plot: PlotRect, width: number, height: number): [number, number] | null {
  const col = Math.floor(((px - plot.left) / plot.width) * width);
  const row = Math.floor(((py - plot.top) / plot.height) * height);
  if (!(col >= 0 && col < width && row >= 0 && row < height)) return null;
  return [col, row];
}

/** "Nice" axis ticks (steps of 1, 2 or 5 × 10^k) inside [lo, hi], about `target` of them. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const raw = (hi - lo) / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const ticks: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9; k++) {
    const v = k * step;
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return ticks;
}

/** Short tick label: at most 4 significant digits, no trailing zeros. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

/**
 * The window selected by dragging from (x0, y0) to (x1, y1) on the canvas, clamped to the plot;
 * null when the rectangle is too small to mean a zoom (under `minPixels` on either side).
 */
export function dragToWindow(
  x0: number, y0: number, x1: number, y1: number, plot: PlotRect, xRange: Range, yRange: Range, minPixels = 4,
): { xRange: Range; yRange: Range } | null {
  const clampX = (v: number): number => Math.min(plot.left + plot.width, Math.max(plot.left, v));
  const clampY = (v: number): number => Math.min(plot.top + plot.height, Math.max(plot.top, v));
  const ax = clampX(Math.min(x0, x1)), bx = clampX(Math.max(x0, x1));
  const ay = clampY(Math.min(y0, y1)), by = clampY(Math.max(y0, y1));
  if (bx - ax < minPixels || by - ay < minPixels) return null;
  const [xa, yTop] = canvasToCoord(ax, ay, plot, xRange, yRange);
  const [xb, yBottom] = canvasToCoord(bx, by, plot, xRange, yRange);
  return { xRange: [xa, xb], yRange: [yBottom, yTop] };
}

/** Window of half the size (factor 0.5) or double (2) around a centre point. */
export function zoomAround(cx: number, cy: number, factor: number, xRange: Range, yRange: Range): { xRange: Range; yRange: Range } {
  const hx = ((xRange[1] - xRange[0]) * factor) / 2;
  const hy = ((yRange[1] - yRange[0]) * factor) / 2;
  return { xRange: [cx - hx, cx + hx], yRange: [cy - hy, cy + hy] };
}

/** Full-length start point for a map pixel: the slice's base with the two axis entries replaced. */
export function sliceStart(base: readonly number[], axes: readonly [number, number], x: number, y: number): number[] {
  const p = base.slice();
  p[axes[0]] = x;
  p[axes[1]] = y;
  return p;
}

/** Projects iterates (row-major, n per row) onto the slice axes: [x0, y0, x1, y1, …]. */
export function projectIterates(theta: ArrayLike<number>, n: number, axes: readonly [number, number]): Float64Array {
  const count = Math.floor(theta.length / n);
  const out = new Float64Array(2 * count);
  for (let k = 0; k < count; k++) {
    out[2 * k] = theta[k * n + axes[0]];
    out[2 * k + 1] = theta[k * n + axes[1]];
  }
  return out;
}

/**
 * The ball ‖θ − centre‖ < radius cut by the slice plane (other variables fixed at `base`): a circle
 * in the axes' coordinates, or null when the plane misses the ball.
 */
export function ballInSlice(
  center: readonly number[], radius: number, base: readonly number[], axes: readonly [number, number],
): { cx: number; cy: number; r: number } | null {
  let off = 0;
  for (let i = 0; i < center.length; i++) {
    if (i === axes[0] || i === axes[1]) continue;
    off += (base[i] - center[i]) ** 2;
  }
  const r2 = radius * radius - off;
  if (!(r2 > 0)) return null;
  return { cx: center[axes[0]], cy: center[axes[1]], r: Math.sqrt(r2) };
}

/** η values of Figure 2's five maps, as fractions of η_max (the paper's increasing LRs). */
export const PAPER_ETA_FRACTIONS: readonly number[] = [0.2, 0.5, 0.8, 0.95, 0.99];
