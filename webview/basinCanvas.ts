/**
 * The basin map canvas: the class map (ImageData, filled as rows stream in) scaled into a plot
 * with axes and ticks, certified regions, minima, trajectories (red unstable phase, dark stable
 * phase), the hovered iterate, a keyboard cursor and the zoom rectangle. Mouse and keyboard
 * interaction is reported through callbacks; all mapping maths lives in lib/geometry.ts.
 */
import type { CertificateResult } from '../src/engine/types';
import type { TrajectoryView } from '../src/shared/protocol';
import type { ColorScheme, MapData, MapLayer } from './lib/colors';
import { renderMap } from './lib/colors';
import type { PlotRect, Range } from './lib/geometry';
import {
  ballInSlice, canvasToCoord, canvasToPixel, coordToCanvas, dragToWindow, formatTick, niceTicks, pixelToCoord, projectIterates,
} from './lib/geometry';
import { splitAtK } from './lib/trajectory';
import type { ThemeColors } from './charts';

const MARGIN = { left: 46, right: 10, top: 8, bottom: 36 };

export interface MapView {
  map: MapData;
  xRange: Range;
  yRange: Range;
  axes: [number, number];
  base: number[];
  axisNames: [string, string];
}

export interface Overlay {
  certificates: CertificateResult[];
  minima: { point: number[] }[];
  showCertified: boolean;
  showMinima: boolean;
  showContours: boolean;
  /** contour segments [x0, y0, x1, y1, …] in map coordinates, one array per level */
  contours: Float64Array[];
  /** exact outlines of the certified sets (ball ∩ {f < c}); null → draw the balls' circles */
  certifiedOutlines: Float64Array[] | null;
  trajectories: { data: TrajectoryView; selected: boolean }[];
  /** iterate of the selected trajectory highlighted from a chart hover */
  highlight: number | null;
  message: string | null;
}

export interface BasinCanvasEvents {
  /** click / Enter on a pixel: its centre in map coordinates */
  pick(x: number, y: number, col: number, row: number): void;
  zoom(xRange: Range, yRange: Range): void;
  hover(info: { x: number; y: number; col: number; row: number } | null): void;
  back(): void;
  reset(): void;
}

export class BasinCanvas {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly image: HTMLCanvasElement = document.createElement('canvas');
  private imageData: ImageData | null = null;
  private view: MapView | null = null;
  private overlay: Overlay = {
    certificates: [], minima: [], showCertified: true, showMinima: true, showContours: false, contours: [], certifiedOutlines: null,
    trajectories: [], highlight: null, message: null,
  };
  private layer: MapLayer = 'class';
  private scheme: ColorScheme = 'paper';
  private theme: ThemeColors;
  private cssSize = 300;
  private plot: PlotRect = { left: MARGIN.left, top: MARGIN.top, width: 100, height: 100 };
  private drag: { x0: number; y0: number; x1: number; y1: number; moved: boolean } | null = null;
  private cursor: [number, number] | null = null;
  private frame = 0;
  private mapDirty = true;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly events: BasinCanvasEvents, theme: ThemeColors) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this webview cannot draw on a 2D canvas');
    this.ctx = ctx;
    this.theme = theme;
    this.bindEvents();
    const wrap = canvas.parentElement ?? canvas;
    new ResizeObserver(() => this.resize(wrap.clientWidth)).observe(wrap);
    this.resize(wrap.clientWidth);
  }

  setTheme(theme: ThemeColors): void {
    this.theme = theme;
    this.schedule();
  }

  setView(view: MapView | null): void {
    this.view = view;
    this.cursor = null;
    this.mapDirty = true;
    this.schedule();
  }

  get currentView(): MapView | null {
    return this.view;
  }

  setStyle(layer: MapLayer, scheme: ColorScheme): void {
    this.layer = layer;
    this.scheme = scheme;
    this.mapDirty = true;
    this.schedule();
  }

  setOverlay(patch: Partial<Overlay>): void {
    this.overlay = { ...this.overlay, ...patch };
    this.schedule();
  }

  /** New rows arrived: re-render the map image on the next frame. */
  mapChanged(): void {
    this.mapDirty = true;
    this.schedule();
  }

  /** PNG of the canvas as shown (axes and overlays included), base64 without the data: prefix. */
  pngBase64(): string {
    this.draw();
    return this.canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  }

  private resize(width: number): void {
    const size = Math.max(160, Math.min(640, Math.floor(width || 300)));
    this.cssSize = size;
    const plotSide = size - MARGIN.left - MARGIN.right;
    this.plot = { left: MARGIN.left, top: MARGIN.top, width: plotSide, height: plotSide };
    const cssHeight = MARGIN.top + plotSide + MARGIN.bottom;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.style.height = `${cssHeight}px`;
    this.canvas.width = Math.round(size * dpr);
    this.canvas.height = Math.round(cssHeight * dpr);
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private renderImage(): void {
    const view = this.view;
    if (!view) return;
    const { width, height } = view.map;
    if (!this.imageData || this.imageData.width !== width || this.imageData.height !== height) {
      this.image.width = width;
      this.image.height = height;
      this.imageData = new ImageData(width, height);
    }
    renderMap(view.map, this.layer, this.scheme, this.imageData.data);
    const ictx = this.image.getContext('2d');
    ictx?.putImageData(this.imageData, 0, 0);
    this.mapDirty = false;
  }

  draw(): void {
    const ctx = this.ctx;
    const dpr = this.canvas.width / this.cssSize;
    const t = this.theme;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // opaque background: the PNG export and pixel readers see what the user sees
    ctx.fillStyle = t.background;
    ctx.fillRect(0, 0, this.cssSize, this.canvas.height / dpr);
    const p = this.plot;
    // plot background (rows not computed yet show it, hatched lightly)
    ctx.fillStyle = t.grid;
    ctx.fillRect(p.left, p.top, p.width, p.height);
    const view = this.view;
    if (view) {
      if (this.mapDirty) this.renderImage();
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(this.image, p.left, p.top, p.width, p.height);
      this.drawAxes(view);
      ctx.save();
      ctx.beginPath();
      ctx.rect(p.left, p.top, p.width, p.height);
      ctx.clip();
      if (this.overlay.showContours) this.drawSegments(view, this.overlay.contours, 'rgba(0, 0, 0, 0.45)', 0.8, []);
      if (this.overlay.showCertified) {
        if (this.overlay.certifiedOutlines) this.drawSegments(view, this.overlay.certifiedOutlines, '#000000', 1.6, [3, 2]);
        else this.drawCertificates(view);
      }
      this.drawTrajectories(view);
      if (this.overlay.showMinima) this.drawMinima(view);
      this.drawCursor(view);
      ctx.restore();
    }
    ctx.strokeStyle = t.muted;
    ctx.lineWidth = 1;
    ctx.strokeRect(p.left + 0.5, p.top + 0.5, p.width - 1, p.height - 1);
    if (this.drag?.moved) {
      const d = this.drag;
      ctx.setLineDash([4, 3]);
      ctx.strokeStyle = t.foreground;
      ctx.strokeRect(Math.min(d.x0, d.x1), Math.min(d.y0, d.y1), Math.abs(d.x1 - d.x0), Math.abs(d.y1 - d.y0));
      ctx.setLineDash([]);
    }
    if (this.overlay.message) {
      ctx.fillStyle = t.background;
      ctx.globalAlpha = 0.85;
      ctx.fillRect(p.left, p.top + p.height / 2 - 30, p.width, 60);
      ctx.globalAlpha = 1;
      ctx.fillStyle = t.foreground;
      ctx.font = '13px sans-serif';
      ctx.textAlign = 'center';
      this.wrapText(this.overlay.message, p.left + p.width / 2, p.top + p.height / 2 - 8, p.width - 16, 16);
    }
  }

  private wrapText(text: string, cx: number, y: number, maxWidth: number, lineHeight: number): void {
    const words = text.split(/\s+/);
    let line = '';
    let lines = 0;
    for (const w of words) {
      const test = line ? `${line} ${w}` : w;
      if (this.ctx.measureText(test).width > maxWidth && line) {
        this.ctx.fillText(line, cx, y + lines * lineHeight);
        lines++;
        line = w;
        if (lines >= 3) return;
      } else line = test;
    }
    if (line) this.ctx.fillText(line, cx, y + lines * lineHeight);
  }

  private drawAxes(view: MapView): void {
    const ctx = this.ctx;
    const p = this.plot;
    ctx.fillStyle = this.theme.muted;
    ctx.strokeStyle = this.theme.muted;
    ctx.font = '11px sans-serif';
    ctx.lineWidth = 1;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of niceTicks(view.xRange[0], view.xRange[1], Math.max(3, Math.floor(p.width / 70)))) {
      const [px] = coordToCanvas(v, view.yRange[0], p, view.xRange, view.yRange);
      ctx.beginPath();
      ctx.moveTo(px, p.top + p.height);
      ctx.lineTo(px, p.top + p.height + 4);
      ctx.stroke();
      ctx.fillText(formatTick(v), px, p.top + p.height + 6);
    }
    ctx.fillText(view.axisNames[0], p.left + p.width / 2, p.top + p.height + 20);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of niceTicks(view.yRange[0], view.yRange[1], Math.max(3, Math.floor(p.height / 60)))) {
      const [, py] = coordToCanvas(view.xRange[0], v, p, view.xRange, view.yRange);
      ctx.beginPath();
      ctx.moveTo(p.left - 4, py);
      ctx.lineTo(p.left, py);
      ctx.stroke();
      ctx.fillText(formatTick(v), p.left - 6, py);
    }
    ctx.save();
    ctx.translate(12, p.top + p.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(view.axisNames[1], 0, 0);
    ctx.restore();
    ctx.textBaseline = 'alphabetic';
  }

  private drawSegments(view: MapView, sets: Float64Array[], color: string, width: number, dash: number[]): void {
    const ctx = this.ctx;
    ctx.beginPath();
    for (const seg of sets) {
      for (let k = 0; k + 3 < seg.length; k += 4) {
        const [x0, y0] = coordToCanvas(seg[k], seg[k + 1], this.plot, view.xRange, view.yRange);
        const [x1, y1] = coordToCanvas(seg[k + 2], seg[k + 3], this.plot, view.xRange, view.yRange);
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
      }
    }
    ctx.setLineDash(dash);
    ctx.lineWidth = width;
    ctx.strokeStyle = color;
    ctx.stroke();
    ctx.setLineDash([]);
  }

  /** Certified set of Theorem 2 without f on the webview side: drawn as the ball ‖θ−θ*‖ < t′ cut by the slice (not intersected with f < c). */
  private drawCertificates(view: MapView): void {
    const ctx = this.ctx;
    const p = this.plot;
    const sx = p.width / (view.xRange[1] - view.xRange[0]);
    const sy = p.height / (view.yRange[1] - view.yRange[0]);
    for (const cert of this.overlay.certificates) {
      if (!cert.ok) continue;
      const circle = ballInSlice(cert.certificate.center, cert.certificate.tPrime, view.base, view.axes);
      if (!circle) continue;
      const [cx, cy] = coordToCanvas(circle.cx, circle.cy, p, view.xRange, view.yRange);
      ctx.beginPath();
      ctx.ellipse(cx, cy, Math.max(1.5, circle.r * sx), Math.max(1.5, circle.r * sy), 0, 0, 2 * Math.PI);
      ctx.setLineDash([3, 2]);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#000000';
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  private drawMinima(view: MapView): void {
    const ctx = this.ctx;
    this.overlay.minima.forEach((m, j) => {
      const [px, py] = coordToCanvas(m.point[view.axes[0]], m.point[view.axes[1]], this.plot, view.xRange, view.yRange);
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#ffffff';
      this.cross(px, py, 5);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#000000';
      this.cross(px, py, 5);
      ctx.font = '10px sans-serif';
      ctx.fillStyle = '#000000';
      ctx.textAlign = 'left';
      ctx.fillText(String(j), px + 6, py - 5);
    });
  }

  private cross(x: number, y: number, r: number): void {
    const ctx = this.ctx;
    ctx.beginPath();
    ctx.moveTo(x - r, y - r);
    ctx.lineTo(x + r, y + r);
    ctx.moveTo(x + r, y - r);
    ctx.lineTo(x - r, y + r);
    ctx.stroke();
  }

  private drawTrajectories(view: MapView): void {
    const ctx = this.ctx;
    const ordered = [...this.overlay.trajectories].sort((a, b) => Number(a.selected) - Number(b.selected));
    for (const { data, selected } of ordered) {
      const xy = projectIterates(data.theta, data.n, view.axes);
      const count = xy.length / 2;
      const at = (k: number): [number, number] => coordToCanvas(xy[2 * k], xy[2 * k + 1], this.plot, view.xRange, view.yRange);
      for (const seg of splitAtK(count, data.K)) {
        ctx.beginPath();
        let started = false;
        for (let k = seg.from; k <= seg.to; k++) {
          const [px, py] = at(k);
          if (!Number.isFinite(px) || !Number.isFinite(py) || Math.abs(px) > 1e6 || Math.abs(py) > 1e6) {
            started = false;
            continue;
          }
          if (started) ctx.lineTo(px, py);
          else ctx.moveTo(px, py);
          started = true;
        }
        // a light halo keeps the red/black path visible on dark heat-map colours
        ctx.lineWidth = (selected ? 1.8 : 1) + 2;
        ctx.globalAlpha = selected ? 0.55 : 0.3;
        ctx.strokeStyle = '#ffffff';
        ctx.stroke();
        ctx.lineWidth = selected ? 1.8 : 1;
        ctx.globalAlpha = selected ? 1 : 0.6;
        ctx.strokeStyle = seg.phase === 'unstable' ? '#e00000' : '#000000';
        ctx.stroke();
        ctx.globalAlpha = 1;
      }
      const [sx, sy] = at(0);
      ctx.beginPath();
      ctx.arc(sx, sy, selected ? 4 : 3, 0, 2 * Math.PI);
      ctx.fillStyle = data.K > 0 ? '#e00000' : '#000000';
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
      if (selected && this.overlay.highlight !== null && this.overlay.highlight < count) {
        const [hx, hy] = at(this.overlay.highlight);
        ctx.beginPath();
        ctx.arc(hx, hy, 6, 0, 2 * Math.PI);
        ctx.lineWidth = 2.5;
        ctx.strokeStyle = '#ffffff';
        ctx.stroke();
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = '#ff00ff';
        ctx.stroke();
      }
    }
  }

  private drawCursor(view: MapView): void {
    if (!this.cursor || document.activeElement !== this.canvas) return;
    const [col, row] = this.cursor;
    const p = this.plot;
    const w = p.width / view.map.width;
    const h = p.height / view.map.height;
    const x = p.left + col * w;
    const y = p.top + row * h;
    this.ctx.lineWidth = 1.5;
    this.ctx.strokeStyle = '#ff00ff';
    this.ctx.strokeRect(x - 2, y - 2, w + 4, h + 4);
  }

  /* ------------------------------------------------------------------ interaction */

  private localPoint(e: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * this.cssSize, ((e.clientY - r.top) / r.height) * (this.canvas.height / (this.canvas.width / this.cssSize))];
  }

  private pickAt(col: number, row: number): void {
    const view = this.view;
    if (!view) return;
    const [x, y] = pixelToCoord(col, row, view.map.width, view.map.height, view.xRange, view.yRange);
    this.events.pick(x, y, col, row);
  }

  private bindEvents(): void {
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || !this.view) return;
      const [x, y] = this.localPoint(e);
      this.drag = { x0: x, y0: y, x1: x, y1: y, moved: false };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      const [x, y] = this.localPoint(e);
      if (this.drag) {
        this.drag.x1 = x;
        this.drag.y1 = y;
        if (Math.abs(x - this.drag.x0) > 4 || Math.abs(y - this.drag.y0) > 4) this.drag.moved = true;
        this.schedule();
      }
      const view = this.view;
      if (!view) return;
      const pix = canvasToPixel(x, y, this.plot, view.map.width, view.map.height);
      if (!pix) return this.events.hover(null);
      const [cx, cy] = canvasToCoord(x, y, this.plot, view.xRange, view.yRange);
      this.events.hover({ x: cx, y: cy, col: pix[0], row: pix[1] });
    });
    c.addEventListener('pointerleave', () => this.events.hover(null));
    c.addEventListener('pointerup', (e) => {
      const d = this.drag;
      this.drag = null;
      if (!d || !this.view) return;
      const view = this.view;
      if (d.moved) {
        const w = dragToWindow(d.x0, d.y0, d.x1, d.y1, this.plot, view.xRange, view.yRange);
        this.schedule();
        if (w) this.events.zoom(w.xRange, w.yRange);
        return;
      }
      const [x, y] = this.localPoint(e);
      const pix = canvasToPixel(x, y, this.plot, view.map.width, view.map.height);
      if (pix) {
        this.cursor = pix;
        this.pickAt(pix[0], pix[1]);
      }
    });
    c.addEventListener('focus', () => {
      if (!this.cursor && this.view) this.cursor = [Math.floor(this.view.map.width / 2), Math.floor(this.view.map.height / 2)];
      this.schedule();
    });
    c.addEventListener('blur', () => this.schedule());
    c.addEventListener('keydown', (e) => {
      const view = this.view;
      if (!view) return;
      const step = e.shiftKey ? 10 : 1;
      const cur = this.cursor ?? [Math.floor(view.map.width / 2), Math.floor(view.map.height / 2)];
      let [col, row] = cur;
      let handled = true;
      switch (e.key) {
        case 'ArrowLeft': col -= step; break;
        case 'ArrowRight': col += step; break;
        case 'ArrowUp': row -= step; break;
        case 'ArrowDown': row += step; break;
        case 'Enter': case ' ': this.pickAt(col, row); break;
        case '+': case '=': case '-': {
          const [x, y] = pixelToCoord(col, row, view.map.width, view.map.height, view.xRange, view.yRange);
          const f = e.key === '-' ? 2 : 0.5;
          const hx = ((view.xRange[1] - view.xRange[0]) * f) / 2;
          const hy = ((view.yRange[1] - view.yRange[0]) * f) / 2;
          this.events.zoom([x - hx, x + hx], [y - hy, y + hy]);
          break;
        }
        case 'Backspace': this.events.back(); break;
        case '0': this.events.reset(); break;
        default: handled = false;
      }
      if (!handled) return;
      e.preventDefault();
      col = Math.max(0, Math.min(view.map.width - 1, col));
      row = Math.max(0, Math.min(view.map.height - 1, row));
      this.cursor = [col, row];
      const [x, y] = pixelToCoord(col, row, view.map.width, view.map.height, view.xRange, view.yRange);
      this.events.hover({ x, y, col, row });
      this.schedule();
    });
  }
}
