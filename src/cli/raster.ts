/**
 * A tiny RGBA raster for the CLI's figures (no canvas on Node): fills, anti-aliasing-free lines
 * with a width, discs, circles, blits and a perceptual colour map. PNG encoding is in
 * src/shared/encode.ts.
 */

export type Rgb = readonly [number, number, number];

export class Raster {
  readonly data: Uint8Array;

  /** A raster filled with `background`, or wrapping existing RGBA pixels `data` (not copied). */
  constructor(readonly width: number, readonly height: number, background: Rgb = [255, 255, 255], data?: Uint8Array) {
    if (data && data.length !== width * height * 4) throw new Error(`RGBA data has ${data.length} bytes, expected ${width * height * 4}`);
    this.data = data ?? new Uint8Array(width * height * 4);
    if (!data) this.fillRect(0, 0, width, height, background);
  }

  set(x: number, y: number, c: Rgb, alpha = 1): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const o = (yi * this.width + xi) * 4;
    const d = this.data;
    if (alpha >= 1) {
      d[o] = c[0]; d[o + 1] = c[1]; d[o + 2] = c[2]; d[o + 3] = 255;
    } else {
      d[o] = Math.round(d[o] * (1 - alpha) + c[0] * alpha);
      d[o + 1] = Math.round(d[o + 1] * (1 - alpha) + c[1] * alpha);
      d[o + 2] = Math.round(d[o + 2] * (1 - alpha) + c[2] * alpha);
      d[o + 3] = 255;
    }
  }

  fillRect(x0: number, y0: number, w: number, h: number, c: Rgb): void {
    for (let y = Math.max(0, y0); y < Math.min(this.height, y0 + h); y++) {
      for (let x = Math.max(0, x0); x < Math.min(this.width, x0 + w); x++) this.set(x, y, c);
    }
  }

  strokeRect(x0: number, y0: number, w: number, h: number, c: Rgb): void {
    this.line(x0, y0, x0 + w - 1, y0, c);
    this.line(x0, y0 + h - 1, x0 + w - 1, y0 + h - 1, c);
    this.line(x0, y0, x0, y0 + h - 1, c);
    this.line(x0 + w - 1, y0, x0 + w - 1, y0 + h - 1, c);
  }

  disc(cx: number, cy: number, r: number, c: Rgb): void {
    for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
      for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) this.set(x, y, c);
      }
    }
  }

  circle(cx: number, cy: number, r: number, c: Rgb, width = 1): void {
    const steps = Math.max(16, Math.ceil(2 * Math.PI * r));
    for (let k = 0; k < steps; k++) {
      const a0 = (2 * Math.PI * k) / steps;
      const a1 = (2 * Math.PI * (k + 1)) / steps;
      this.line(cx + r * Math.cos(a0), cy + r * Math.sin(a0), cx + r * Math.cos(a1), cy + r * Math.sin(a1), c, width);
    }
  }

  /** A line of the given width (square pen), clipped to the raster. */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, width = 1): void {
    if (![x0, y0, x1, y1].every(Number.isFinite)) return;
    const len = Math.hypot(x1 - x0, y1 - y0);
    // Guard against absurd lengths (e.g. a diverging trajectory): clip to a generous box first.
    if (len > 4 * (this.width + this.height)) return;
    const steps = Math.max(1, Math.ceil(len * 2));
    const half = (width - 1) / 2;
    for (let k = 0; k <= steps; k++) {
      const x = x0 + ((x1 - x0) * k) / steps;
      const y = y0 + ((y1 - y0) * k) / steps;
      if (width <= 1) this.set(x, y, c);
      else for (let dy = -half; dy <= half; dy++) for (let dx = -half; dx <= half; dx++) this.set(x + dx, y + dy, c);
    }
  }

  /** Copies another raster in at (dx, dy). */
  blit(src: Raster, dx: number, dy: number): void {
    for (let y = 0; y < src.height; y++) {
      const ty = y + dy;
      if (ty < 0 || ty >= this.height) continue;
      for (let x = 0; x < src.width; x++) {
        const tx = x + dx;
        if (tx < 0 || tx >= this.width) continue;
        const s = (y * src.width + x) * 4;
        const t = (ty * this.width + tx) * 4;
        this.data[t] = src.data[s];
        this.data[t + 1] = src.data[s + 1];
        this.data[t + 2] = src.data[s + 2];
        this.data[t + 3] = 255;
      }
    }
  }

  /** Nearest-neighbour rescale (for thumbnails in the composed figure). */
  scaled(width: number, height: number): Raster {
    const out = new Raster(width, height);
    for (let y = 0; y < height; y++) {
      const sy = Math.min(this.height - 1, Math.floor((y * this.height) / height));
      for (let x = 0; x < width; x++) {
        const sx = Math.min(this.width - 1, Math.floor((x * this.width) / width));
        const s = (sy * this.width + sx) * 4;
        const t = (y * width + x) * 4;
        out.data[t] = this.data[s];
        out.data[t + 1] = this.data[s + 1];
        out.data[t + 2] = this.data[s + 2];
        out.data[t + 3] = 255;
      }
    }
    return out;
  }
}

/** Viridis-like perceptual colour map, t in [0, 1]. */
export function viridis(t: number): Rgb {
  const stops: Rgb[] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 1)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x));
  const u = x - k;
  const a = stops[k];
  const b = stops[k + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * u), Math.round(a[1] + (b[1] - a[1]) * u), Math.round(a[2] + (b[2] - a[2]) * u)];
}
