/**
 * Mouse and keyboard on the basin map: click (or Enter) picks a pixel, a dragged rectangle zooms,
 * arrows move a keyboard cursor, + / − zoom around it, Backspace goes back, 0 resets. Reported
 * through BasinCanvasEvents; the mapping maths is lib/geometry.ts.
 */
import type { PlotRect, Range } from '../lib/geometry';
import { canvasToCoord, canvasToPixel, dragToWindow, pixelToCoord } from '../lib/geometry';
import type { MapView } from './mapDraw';

export interface BasinCanvasEvents {
  /** click / Enter on a pixel: its centre in map coordinates */
  pick(x: number, y: number, col: number, row: number): void;
  zoom(xRange: Range, yRange: Range): void;
  hover(info: { x: number; y: number; col: number; row: number } | null): void;
  back(): void;
  reset(): void;
}

/** Interaction state the canvas draws (the drag rectangle, the keyboard cursor). */
export interface InputState {
  drag: { x0: number; y0: number; x1: number; y1: number; moved: boolean } | null;
  cursor: [number, number] | null;
}

export interface MapInputHost {
  view(): MapView | null;
  plot(): PlotRect;
  /** canvas-local CSS coordinates of a pointer event */
  localPoint(e: MouseEvent): [number, number];
  schedule(): void;
  state: InputState;
  events: BasinCanvasEvents;
}

const centre = (view: MapView): [number, number] => [Math.floor(view.map.width / 2), Math.floor(view.map.height / 2)];

export function bindMapInput(c: HTMLCanvasElement, host: MapInputHost): void {
  const { state, events } = host;
  const pickAt = (view: MapView, col: number, row: number): void => {
    const [x, y] = pixelToCoord(col, row, view.map.width, view.map.height, view.xRange, view.yRange);
    events.pick(x, y, col, row);
  };
  c.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !host.view()) return;
    const [x, y] = host.localPoint(e);
    state.drag = { x0: x, y0: y, x1: x, y1: y, moved: false };
    c.setPointerCapture(e.pointerId);
  });
  c.addEventListener('pointermove', (e) => {
    const [x, y] = host.localPoint(e);
    const d = state.drag;
    if (d) {
      d.x1 = x;
      d.y1 = y;
      if (Math.abs(x - d.x0) > 4 || Math.abs(y - d.y0) > 4) d.moved = true;
      host.schedule();
    }
    const view = host.view();
    if (!view) return;
    const plot = host.plot();
    const pix = canvasToPixel(x, y, plot, view.map.width, view.map.height);
    if (!pix) return events.hover(null);
    const [cx, cy] = canvasToCoord(x, y, plot, view.xRange, view.yRange);
    events.hover({ x: cx, y: cy, col: pix[0], row: pix[1] });
  });
  c.addEventListener('pointerleave', () => events.hover(null));
  c.addEventListener('pointerup', (e) => {
    const d = state.drag;
    state.drag = null;
    const view = host.view();
    if (!d || !view) return;
    if (d.moved) {
      const w = dragToWindow(d.x0, d.y0, d.x1, d.y1, host.plot(), view.xRange, view.yRange);
      host.schedule();
      if (w) events.zoom(w.xRange, w.yRange);
      return;
    }
    const [x, y] = host.localPoint(e);
    const pix = canvasToPixel(x, y, host.plot(), view.map.width, view.map.height);
    if (pix) {
      state.cursor = pix;
      pickAt(view, pix[0], pix[1]);
    }
  });
  c.addEventListener('focus', () => {
    const view = host.view();
    if (!state.cursor && view) state.cursor = centre(view);
    host.schedule();
  });
  c.addEventListener('blur', () => host.schedule());
  c.addEventListener('keydown', (e) => {
    const view = host.view();
    if (!view) return;
    const step = e.shiftKey ? 10 : 1;
    let [col, row] = state.cursor ?? centre(view);
    let handled = true;
    switch (e.key) {
      case 'ArrowLeft': col -= step; break;
      case 'ArrowRight': col += step; break;
      case 'ArrowUp': row -= step; break;
      case 'ArrowDown': row += step; break;
      case 'Enter': case ' ': pickAt(view, col, row); break;
      case '+': case '=': case '-': {
        const [x, y] = pixelToCoord(col, row, view.map.width, view.map.height, view.xRange, view.yRange);
        const f = e.key === '-' ? 2 : 0.5;
        const hx = ((view.xRange[1] - view.xRange[0]) * f) / 2;
        const hy = ((view.yRange[1] - view.yRange[0]) * f) / 2;
        events.zoom([x - hx, x + hx], [y - hy, y + hy]);
        break;
      }
      case 'Backspace': events.back(); break;
      case '0': events.reset(); break;
      default: handled = false;
    }
    if (!handled) return;
    e.preventDefault();
    col = Math.max(0, Math.min(view.map.width - 1, col));
    row = Math.max(0, Math.min(view.map.height - 1, row));
    state.cursor = [col, row];
    const [x, y] = pixelToCoord(col, row, view.map.width, view.map.height, view.xRange, view.yRange);
    events.hover({ x, y, col, row });
    host.schedule();
  });
}
