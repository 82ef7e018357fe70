/**
 * The basin map canvas widget: the class map (ImageData, filled as rows stream in) scaled into a
 * plot with axes and ticks, certified regions, minima, trajectories, the hovered iterate, a
 * keyboard cursor and the zoom rectangle. Knows nothing of the store: the map part feeds it
 * (setView / setStyle / setOverlay / mapChanged) and listens to its events. Drawing is in
 * mapDraw.ts, mouse and keyboard in mapInput.ts.
 */
import type { CertificateResult } from '../../src/engine/types';
import type { TrajectoryView } from '../../src/shared/protocol';
import type { ColorScheme, MapLayer } from '../lib/colors';
import { renderMap } from '../lib/colors';
import type { PlotRect } from '../lib/geometry';
import type { ThemeColors } from '../lib/theme';
import { drawAxes, drawCertificates, drawCursor, drawMinima, drawMomentumRegions, drawSegments, drawTrajectories, wrapText } from './mapDraw';
import type { RegionOutline } from '../lib/optimizerMap';
import type { MapView, Painter } from './mapDraw';
import { bindMapInput } from './mapInput';
import type { BasinCanvasEvents, InputState } from './mapInput';

export type { MapView } from './mapDraw';
export type { BasinCanvasEvents } from './mapInput';

const MARGIN = { left: 46, right: 10, top: 8, bottom: 36 };

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
  /** the charted start under the side-by-side optimizer (dashed, square start), or null */
  comparison: TrajectoryView | null;
  /** another optimizer's certified regions in the slice (the momentum certificate at zero velocity) */
  momentumRegions: RegionOutline[];
  /** iterate of the selected trajectory highlighted from a chart hover */
  highlight: number | null;
  message: string | null;
}

export class BasinCanvas {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly image: HTMLCanvasElement = document.createElement('canvas');
  private imageData: ImageData | null = null;
  private view: MapView | null = null;
  private overlay: Overlay = {
    certificates: [], minima: [], showCertified: true, showMinima: true, showContours: false, contours: [], certifiedOutlines: null,
    trajectories: [], comparison: null, momentumRegions: [], highlight: null, message: null,
  };
  private layer: MapLayer = 'class';
  private scheme: ColorScheme = 'paper';
  private theme: ThemeColors;
  private cssSize = 300;
  private plot: PlotRect = { left: MARGIN.left, top: MARGIN.top, width: 100, height: 100 };
  private readonly input: InputState = { drag: null, cursor: null };
  private frame = 0;
  private mapDirty = true;

  constructor(private readonly canvas: HTMLCanvasElement, events: BasinCanvasEvents, theme: ThemeColors) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this webview cannot draw on a 2D canvas');
    this.ctx = ctx;
    this.theme = theme;
    bindMapInput(canvas, {
      view: () => this.view,
      plot: () => this.plot,
      localPoint: (e) => this.localPoint(e),
      schedule: () => this.schedule(),
      state: this.input,
      events,
    });
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
    this.input.cursor = null;
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

  private renderImage(view: MapView): void {
    const { width, height } = view.map;
    if (!this.imageData || this.imageData.width !== width || this.imageData.height !== height) {
      this.image.width = width;
      this.image.height = height;
      this.imageData = new ImageData(width, height);
    }
    renderMap(view.map, this.layer, this.scheme, this.imageData.data);
    this.image.getContext('2d')?.putImageData(this.imageData, 0, 0);
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
    // plot background (rows not computed yet show it)
    ctx.fillStyle = t.grid;
    ctx.fillRect(p.left, p.top, p.width, p.height);
    const view = this.view;
    if (view) this.drawView({ ctx, plot: p, view });
    ctx.strokeStyle = t.muted;
    ctx.lineWidth = 1;
    ctx.strokeRect(p.left + 0.5, p.top + 0.5, p.width - 1, p.height - 1);
    const d = this.input.drag;
    if (d?.moved) {
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
      wrapText(ctx, this.overlay.message, p.left + p.width / 2, p.top + p.height / 2 - 8, p.width - 16, 16);
    }
  }

  private drawView(painter: Painter): void {
    const { ctx, plot: p, view } = painter;
    const o = this.overlay;
    if (this.mapDirty) this.renderImage(view);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.image, p.left, p.top, p.width, p.height);
    // when the first computed rows reached the screen (epoch ms): the e2e suite's cold-start figure
    if (!this.canvas.dataset.firstRowsAt && view.map.rowFilled.includes(1)) this.canvas.dataset.firstRowsAt = String(Date.now());
    drawAxes(painter, this.theme);
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.left, p.top, p.width, p.height);
    ctx.clip();
    if (o.showContours) drawSegments(painter, o.contours, 'rgba(0, 0, 0, 0.45)', 0.8, []);
    if (o.showCertified) {
      if (o.certifiedOutlines) drawSegments(painter, o.certifiedOutlines, '#000000', 1.6, [3, 2]);
      else drawCertificates(painter, o.certificates);
      drawMomentumRegions(painter, o.momentumRegions);
    }
    if (o.comparison) drawTrajectories(painter, [{ data: o.comparison, selected: true }], null, { dash: [5, 3], square: true });
    drawTrajectories(painter, o.trajectories, o.highlight);
    if (o.showMinima) drawMinima(painter, o.minima);
    const cur = this.input.cursor;
    if (cur && document.activeElement === this.canvas) drawCursor(painter, cur[0], cur[1]);
    ctx.restore();
  }

  private localPoint(e: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * this.cssSize, ((e.clientY - r.top) / r.height) * (this.canvas.height / (this.canvas.width / this.cssSize))];
  }
}
