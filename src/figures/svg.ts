/**
 * A FigureSpec as an SVG document without any canvas library: draw.ts draws it (chart.js panels
 * included) onto an SvgContext, and each map is embedded as a PNG at its full resolution, drawn
 * unsmoothed. Pure (no DOM, Node or vscode API): the panel's webview exports its figures with it;
 * the CLI uses @napi-rs/canvas's SVG surface instead (src/cli/figureRender.ts), same FigureSpec.
 */
import { encodePng } from '../shared/encode';
import { bytesToBase64 } from '../shared/base64';
import { drawFigure } from './draw';
import type { Ctx2D, FigureSpec, ImageResolver, MapImage } from './spec';
import { SvgContext, type SvgImage, type TextMeasure } from './svgContext';
import { parseFont } from './svgValues';

/** Embeds each MapImage once, as a PNG data URL. */
export function svgImageResolver(): ImageResolver {
  const cache = new Map<MapImage, SvgImage>();
  return (image) => {
    let out = cache.get(image);
    if (!out) {
      const png = encodePng(image.rgba, image.width, image.height);
      out = { svgHref: `data:image/png;base64,${bytesToBase64(png)}`, width: image.width, height: image.height };
      cache.set(image, out);
    }
    return out;
  };
}

/**
 * Text widths from character counts (0.6 em per character, ascent 0.8 em, descent 0.2 em): only
 * for places with no canvas to measure text; layouts are then approximate.
 */
export const approximateMeasure: TextMeasure = (text, font) => {
  const size = parseFont(font).size;
  return { width: 0.6 * size * [...text].length, ascent: 0.8 * size, descent: 0.2 * size };
};

/** The figure as SVG text (title in <title>, axes, text and overlays as vectors, maps as PNG images). */
export function figureToSvg(spec: FigureSpec, measure: TextMeasure = approximateMeasure): string {
  const ctx = new SvgContext(Math.ceil(spec.width), Math.ceil(spec.height), measure);
  drawFigure(ctx as unknown as Ctx2D, spec, 1, svgImageResolver());
  return ctx.toSvg(spec.title);
}
