/**
 * Draws a FigureSpec onto any 2-D canvas context: a browser canvas, or @napi-rs/canvas's PNG,
 * SVG and PDF surfaces on Node. Panels are chart.js charts; each is drawn into its own rectangle
 * of the one shared context through a thin proxy that offsets chart.js's transforms (chart.js
 * assumes it owns the whole canvas). Nothing here touches Node or the DOM.
 */
import {
  BasicPlatform, Chart, Filler, Legend, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, ScatterController, Title,
  type ChartConfiguration, type ChartItem,
} from 'chart.js';
import type { Ctx2D, FigureItem, FigureSpec, ImageResolver, MarkerShape } from './spec';
import { FONT_FAMILY } from './spec';

Chart.register(ScatterController, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Title, Legend, Filler);

/**
 * A view of `real` whose origin is (x, y) in figure units, scaled by `ratio` device pixels per
 * unit: chart.js's setTransform/resetTransform compose with that base, clearRect is a no-op
 * (the figure is drawn once, panels never overlap), and `.canvas` is the panel's own size.
 */
function panelContext(real: Ctx2D, x: number, y: number, ratio: number, canvas: object): Ctx2D {
  const base: [number, number, number, number, number, number] = [ratio, 0, 0, ratio, x * ratio, y * ratio];
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'canvas') return canvas;
      if (prop === 'clearRect') return () => undefined;
      if (prop === 'resetTransform') return () => target.setTransform(...base);
      if (prop === 'setTransform') {
        return (...m: number[]) => {
          target.setTransform(...base);
          if (m.length === 6) target.transform(m[0], m[1], m[2], m[3], m[4], m[5]);
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
    set(target, prop, value) {
      return Reflect.set(target, prop, value, target);
    },
  });
}

/** Draws one chart.js configuration into the rectangle (x, y, width, height), in figure units. */
export function drawChart(ctx: Ctx2D, x: number, y: number, width: number, height: number, ratio: number, config: ChartConfiguration): void {
  const canvas: { width: number; height: number; getContext?: () => Ctx2D } = { width, height };
  const proxied = panelContext(ctx, x, y, ratio, canvas);
  canvas.getContext = () => proxied;
  const options = { ...(config.options ?? {}), responsive: false, animation: false as const, devicePixelRatio: 1 };
  ctx.save();
  // BasicPlatform: no DOM events or CSS sizing, also inside a browser (the panel's SVG export)
  const chart = new Chart(canvas as unknown as ChartItem, { ...config, options, platform: BasicPlatform } as ChartConfiguration);
  chart.destroy();
  ctx.restore();
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
}

/** A marker shape centred at (x, y), `size` = half its extent (figure units). */
export function drawMarker(ctx: Ctx2D, shape: MarkerShape, x: number, y: number, size: number, color: string, fill?: string, lineWidth = 2): void {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.setLineDash([]);
  ctx.beginPath();
  switch (shape) {
    case 'cross':
      ctx.moveTo(x - size, y - size);
      ctx.lineTo(x + size, y + size);
      ctx.moveTo(x - size, y + size);
      ctx.lineTo(x + size, y - size);
      break;
    case 'plus':
      ctx.moveTo(x - size, y);
      ctx.lineTo(x + size, y);
      ctx.moveTo(x, y - size);
      ctx.lineTo(x, y + size);
      break;
    case 'circle':
      ctx.arc(x, y, size, 0, 2 * Math.PI);
      break;
    case 'square':
      ctx.rect(x - size, y - size, 2 * size, 2 * size);
      break;
  }
  if (fill && shape !== 'cross' && shape !== 'plus') {
    ctx.fillStyle = fill;
    ctx.fill();
  }
  ctx.stroke();
  ctx.restore();
}

/** Diagonal hatch lines over the rectangle (already clipped by the caller). */
export function hatchRect(ctx: Ctx2D, x: number, y: number, w: number, h: number, color: string, spacing = 5): void {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 0.8;
  ctx.beginPath();
  for (let d = -h; d < w; d += spacing) {
    ctx.moveTo(x + d, y + h);
    ctx.lineTo(x + d + h, y);
  }
  ctx.stroke();
  ctx.restore();
}

function font(size: number, weight: 'normal' | 'bold' = 'normal', italic = false): string {
  return `${italic ? 'italic ' : ''}${weight === 'bold' ? 'bold ' : ''}${size}px ${FONT_FAMILY}`;
}

function drawItem(ctx: Ctx2D, item: FigureItem, ratio: number, images: ImageResolver): void {
  switch (item.kind) {
    case 'text': {
      ctx.save();
      ctx.font = font(item.size, item.weight, item.italic);
      ctx.fillStyle = item.color ?? '#000';
      ctx.textAlign = item.align ?? 'left';
      ctx.textBaseline = item.baseline ?? 'alphabetic';
      ctx.translate(item.x, item.y);
      if (item.rotate) ctx.rotate(item.rotate);
      ctx.fillText(item.text, 0, 0);
      ctx.restore();
      break;
    }
    case 'swatch': {
      ctx.save();
      ctx.fillStyle = item.fill;
      ctx.fillRect(item.x, item.y, item.width, item.height);
      if (item.hatch) {
        ctx.beginPath();
        ctx.rect(item.x, item.y, item.width, item.height);
        ctx.clip();
        hatchRect(ctx, item.x, item.y, item.width, item.height, item.hatch, 4);
      }
      ctx.restore();
      ctx.save();
      ctx.strokeStyle = item.stroke ?? '#000';
      ctx.lineWidth = 1;
      ctx.strokeRect(item.x, item.y, item.width, item.height);
      ctx.restore();
      break;
    }
    case 'line': {
      ctx.save();
      ctx.strokeStyle = item.color;
      ctx.lineWidth = item.width;
      ctx.setLineDash(item.dash ?? []);
      ctx.beginPath();
      item.points.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(px, py) : ctx.lineTo(px, py)));
      ctx.stroke();
      ctx.restore();
      break;
    }
    case 'marker':
      drawMarker(ctx, item.shape, item.x, item.y, item.size, item.color, item.fill);
      break;
    case 'chart':
      drawChart(ctx, item.x, item.y, item.width, item.height, ratio, item.config(images));
      break;
  }
}

/**
 * Draws the whole figure. `ratio` = device pixels per figure unit (the PNG's scale; 1 for SVG and
 * PDF, which are vector). `images` turns the figure's RGBA maps into something drawImage takes.
 */
export function drawFigure(ctx: Ctx2D, spec: FigureSpec, ratio: number, images: ImageResolver): void {
  // the figure's font and text colour, restored afterwards (the panel's own charts share Chart.defaults)
  const saved = { family: Chart.defaults.font.family, color: Chart.defaults.color };
  Chart.defaults.font.family = FONT_FAMILY;
  Chart.defaults.color = '#222';
  try {
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = spec.background;
    ctx.fillRect(0, 0, spec.width, spec.height);
    for (const item of spec.items) drawItem(ctx, item, ratio, images);
  } finally {
    Chart.defaults.font.family = saved.family;
    Chart.defaults.color = saved.color;
  }
}
