/**
 * A composed figure as plain data: a page of text, legend swatches, markers and chart.js panels
 * placed in figure units (CSS-pixel-like; a PNG multiplies them by its scale, SVG and PDF keep
 * them as points). Builders (figure2.ts, figure3.ts) produce it; draw.ts draws it on any 2-D
 * canvas context; the CLI's Node backend picks PNG, SVG or PDF.
 */
import type { ChartConfiguration } from 'chart.js';

/** Text in the figures: DejaVu Sans first (Greek, sub/superscripts, ′ and −), then common fallbacks. */
export const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

/** An RGBA raster (e.g. a basin map at full grid resolution), top row first. */
export interface MapImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Turns a MapImage into whatever the context's drawImage accepts (a canvas, an ImageBitmap…). */
export type ImageResolver = (image: MapImage) => unknown;

export type MarkerShape = 'cross' | 'plus' | 'circle' | 'square';

export type FigureItem =
  | { kind: 'text'; x: number; y: number; text: string; size: number; weight?: 'normal' | 'bold'; italic?: boolean; align?: 'left' | 'center' | 'right'; baseline?: 'top' | 'middle' | 'alphabetic' | 'bottom'; color?: string; rotate?: number }
  | { kind: 'swatch'; x: number; y: number; width: number; height: number; fill: string; stroke?: string; hatch?: string }
  | { kind: 'line'; points: [number, number][]; color: string; width: number; dash?: number[] }
  | { kind: 'marker'; x: number; y: number; shape: MarkerShape; size: number; color: string; fill?: string }
  | { kind: 'chart'; x: number; y: number; width: number; height: number; config: (images: ImageResolver) => ChartConfiguration };

export interface FigureSpec {
  /** document title (SVG <title>, PDF metadata) */
  title: string;
  width: number;
  height: number;
  background: string;
  items: FigureItem[];
}

/**
 * The part of CanvasRenderingContext2D the figures use (browser contexts and @napi-rs/canvas's
 * SKRSContext2D both have it). Declared here because the Node build has no DOM typings.
 */
export interface Ctx2D {
  canvas: unknown;
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  imageSmoothingEnabled: boolean;
  globalAlpha: number;
  save(): void;
  restore(): void;
  translate(x: number, y: number): void;
  rotate(angle: number): void;
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  transform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  closePath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  rect(x: number, y: number, w: number, h: number): void;
  arc(x: number, y: number, r: number, a0: number, a1: number): void;
  ellipse(x: number, y: number, rx: number, ry: number, rotation: number, a0: number, a1: number): void;
  fill(rule?: 'nonzero' | 'evenodd'): void;
  stroke(): void;
  clip(rule?: 'nonzero' | 'evenodd'): void;
  setLineDash(segments: number[]): void;
  fillText(text: string, x: number, y: number): void;
  drawImage(image: unknown, dx: number, dy: number, dw: number, dh: number): void;
  createLinearGradient(x0: number, y0: number, x1: number, y1: number): { addColorStop(offset: number, color: string): void };
}
