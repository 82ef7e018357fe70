/**
 * Test sets with known dimension, rasterised here independently of the code under test:
 * a Koch snowflake (boundary dimension ln 4 / ln 3), the middle-thirds Cantor dust C×C
 * (dimension 2·ln 2 / ln 3) and the Cantor stripes C×[0,1] (dimension 1 + ln 2 / ln 3).
 */

/** Vertices of the Koch snowflake of `level` iterations inscribed in a circle (pixels). */
export function kochSnowflake(level: number, cx: number, cy: number, radius: number): [number, number][] {
  let pts: [number, number][] = [0, 1, 2].map((k) => {
    const a = Math.PI / 2 + (2 * Math.PI * k) / 3;
    return [cx + radius * Math.cos(a), cy - radius * Math.sin(a)];
  });
  for (let l = 0; l < level; l++) {
    const next: [number, number][] = [];
    for (let i = 0; i < pts.length; i++) {
      const [x0, y0] = pts[i];
      const [x1, y1] = pts[(i + 1) % pts.length];
      const dx = (x1 - x0) / 3;
      const dy = (y1 - y0) / 3;
      const a: [number, number] = [x0 + dx, y0 + dy];
      const b: [number, number] = [x0 + 2 * dx, y0 + 2 * dy];
      // the outward bump: rotate (dx, dy) by −60° (vertices go counter-clockwise on screen coords)
      const c60 = 0.5;
      const s60 = Math.sqrt(3) / 2;
      const peak: [number, number] = [a[0] + dx * c60 + dy * s60, a[1] - dx * s60 + dy * c60];
      next.push([x0, y0], a, peak, b);
    }
    pts = next;
  }
  return pts;
}

/** Even-odd scanline fill of a polygon at pixel centres: 1 inside, 0 outside. */
export function fillPolygon(poly: [number, number][], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const xs: number[] = [];
  for (let r = 0; r < height; r++) {
    const y = r + 0.5;
    xs.length = 0;
    for (let i = 0; i < poly.length; i++) {
      const [x0, y0] = poly[i];
      const [x1, y1] = poly[(i + 1) % poly.length];
      if ((y0 <= y && y < y1) || (y1 <= y && y < y0)) xs.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(0, Math.ceil(xs[k] - 0.5));
      const c1 = Math.min(width - 1, Math.floor(xs[k + 1] - 0.5));
      for (let c = c0; c <= c1; c++) out[r * width + c] = 1;
    }
  }
  return out;
}

/** Is integer i (0 ≤ i < 3^level) in the level-`level` middle-thirds Cantor set (no ternary digit 1)? */
export function inCantor(i: number, level: number): boolean {
  for (let l = 0; l < level; l++) {
    if (i % 3 === 1) return false;
    i = Math.floor(i / 3);
  }
  return true;
}

/** The ternary level at which x ∈ [0,1) falls into a removed middle third (∞ if never, up to 40). */
export function cantorRemovalLevel(x: number): number {
  for (let l = 0; l < 40; l++) {
    if (x > 1 / 3 && x < 2 / 3) return l;
    x = x < 0.5 ? 3 * x : 3 * x - 2;
  }
  return Infinity;
}
