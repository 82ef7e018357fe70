/**
 * Figures (src/figures FigureSpecs, the same chart configurations as the CLI's) turned into files
 * inside the webview: SVG through the pure SvgContext (the extension host cannot load a canvas
 * library, and no style attribute is ever set, so the strict CSP holds), PNG through an offscreen
 * canvas. Text is measured by a real canvas so the layout matches what the CLI draws.
 */
import { drawFigure } from '../../src/figures/draw';
import type { Ctx2D, FigureSpec, ImageResolver, MapImage } from '../../src/figures/spec';
import { figureToSvg } from '../../src/figures/svg';
import { approximateMeasure } from '../../src/figures/svg';
import type { TextMeasure } from '../../src/figures/svgContext';
import type { WebviewToHost } from '../../src/shared/protocol';

let measurer: CanvasRenderingContext2D | null = null;

/** Text metrics from an offscreen canvas (the approximation when a 2-D context is unavailable). */
export const canvasMeasure: TextMeasure = (text, font) => {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return approximateMeasure(text, font);
  measurer.font = font;
  const m = measurer.measureText(text);
  const size = approximateMeasure('M', font);
  return {
    width: m.width,
    ascent: Number.isFinite(m.fontBoundingBoxAscent) ? m.fontBoundingBoxAscent : size.ascent,
    descent: Number.isFinite(m.fontBoundingBoxDescent) ? m.fontBoundingBoxDescent : size.descent,
  };
};

export function figureSvg(spec: FigureSpec): string {
  return figureToSvg(spec, canvasMeasure);
}

function canvasImages(): ImageResolver {
  const cache = new Map<MapImage, HTMLCanvasElement>();
  return (image) => {
    let c = cache.get(image);
    if (!c) {
      c = document.createElement('canvas');
      c.width = image.width;
      c.height = image.height;
      const ctx = c.getContext('2d');
      if (ctx) ctx.putImageData(new ImageData(Uint8ClampedArray.from(image.rgba), image.width, image.height), 0, 0);
      cache.set(image, c);
    }
    return c;
  };
}

/** PNG (base64, no data: prefix) of the figure at `ratio` device pixels per figure unit. */
export function figurePngBase64(spec: FigureSpec, ratio = 2): string {
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(spec.width * ratio);
  canvas.height = Math.round(spec.height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas to draw the PNG on');
  drawFigure(ctx as unknown as Ctx2D, spec, ratio, canvasImages());
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/** A file name from a title: letters, digits, . - _ only. */
export function fileBase(title: string): string {
  return title.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'gdlab';
}

/** Asks the host to save the figure (SVG or PNG) through its save dialog. */
export function saveFigure(post: (m: WebviewToHost) => void, spec: FigureSpec, name: string, format: 'svg' | 'png'): void {
  const content = format === 'svg' ? figureSvg(spec) : figurePngBase64(spec);
  post({ type: 'saveFile', fileName: `${fileBase(name)}.${format}`, format, content });
}
