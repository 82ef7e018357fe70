/**
 * The Node backend of the figures: draws a FigureSpec (src/figures) with @napi-rs/canvas (Skia,
 * prebuilt binaries shipped as npm packages) into a PNG (raster, `pixelRatio` device pixels per
 * figure unit), an SVG or a PDF (vector axes, text and overlays; the maps embedded as images at
 * their full grid resolution, drawn without smoothing).
 */
import { createRequire } from 'node:module';
import { drawFigure } from '../figures/draw';
import { PLOT } from '../figures/figure2';
import type { Ctx2D, FigureSpec, ImageResolver, MapImage } from '../figures/spec';

export type FigureFormat = 'png' | 'svg' | 'pdf';
export const FIGURE_FORMATS: readonly FigureFormat[] = ['png', 'svg', 'pdf'];

type Skia = typeof import('@napi-rs/canvas');
let skia: Skia | null = null;

/** Loads @napi-rs/canvas on first use, with a message that says what to do when it is missing. */
function canvasLibrary(): Skia {
  if (skia) return skia;
  try {
    skia = createRequire(__filename)('@napi-rs/canvas') as Skia;
    return skia;
  } catch (err) {
    throw new Error(
      `figures need the @napi-rs/canvas package and its prebuilt binary for ${process.platform}-${process.arch} ` +
        `(run \`npm ci\` in the gd-stability-lab folder): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    );
  }
}

/** Why figures cannot be drawn here (the canvas library is missing), or null when they can. */
export function figureBackendError(): string | null {
  try {
    canvasLibrary();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Device pixels per figure unit of a PNG: at least one pixel per map pixel (a map of `grid`
 * pixels fills PLOT units), times the user's --scale.
 */
export function pixelRatioFor(grid: number, scale: number): number {
  return scale * Math.max(1, grid / PLOT);
}

function imageResolver(lib: Skia): ImageResolver {
  const cache = new Map<MapImage, unknown>();
  return (image) => {
    let canvas = cache.get(image);
    if (!canvas) {
      const c = new lib.Canvas(image.width, image.height);
      const ctx = c.getContext('2d');
      const data = ctx.createImageData(image.width, image.height);
      data.data.set(image.rgba);
      ctx.putImageData(data, 0, 0);
      canvas = c;
      cache.set(image, canvas);
    }
    return canvas;
  };
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

/**
 * Skia's SVG as a document: a <title>, and maps kept crisp (`image-rendering: pixelated`), so a
 * browser shows one block per map pixel instead of blurring it.
 */
function finishSvg(svg: string, title: string): string {
  return svg
    .replace(/<svg([^>]*)>/, (_m, attrs: string) => `<svg${attrs}><title>${escapeXml(title)}</title>`)
    .replace(/<image /g, '<image image-rendering="optimizeSpeed" style="image-rendering:pixelated" ');
}

/** The figure as PNG, SVG or PDF bytes. `pixelRatio` applies to PNG only. */
export function renderFigure(spec: FigureSpec, format: FigureFormat, pixelRatio = 1): Uint8Array {
  const lib = canvasLibrary();
  const images = imageResolver(lib);
  switch (format) {
    case 'png': {
      const canvas = new lib.Canvas(Math.round(spec.width * pixelRatio), Math.round(spec.height * pixelRatio));
      drawFigure(canvas.getContext('2d') as unknown as Ctx2D, spec, pixelRatio, images);
      return canvas.toBuffer('image/png');
    }
    case 'svg': {
      const canvas = lib.createCanvas(Math.ceil(spec.width), Math.ceil(spec.height), lib.SvgExportFlag.NoPrettyXML);
      drawFigure(canvas.getContext('2d') as unknown as Ctx2D, spec, 1, images);
      return Buffer.from(finishSvg(canvas.getContent().toString('utf8'), spec.title), 'utf8');
    }
    case 'pdf': {
      const doc = new lib.PDFDocument({ title: spec.title, creator: 'GD Stability Lab (gdlab)' });
      const ctx = doc.beginPage(spec.width, spec.height);
      drawFigure(ctx as unknown as Ctx2D, spec, 1, images);
      doc.endPage();
      return doc.close();
    }
  }
}
