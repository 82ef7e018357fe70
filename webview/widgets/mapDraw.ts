/**
 * Drawing on the basin map's canvas: axes with ticks, line segments (contours, certified
 * outlines), certified balls, minima, trajectories (red unstable phase, dark stable phase) and the
 * keyboard cursor. Plain functions of a 2D context, the plot rectangle and the map's view.
 */
import type { CertificateResult } from '../../src/engine/types';
import type { TrajectoryView } from '../../src/shared/protocol';
import type { MapData } from '../lib/colors';
import type { PlotRect, Range } from '../lib/geometry';
import { ballInSlice, coordToCanvas, formatTick, niceTicks, projectIterates } from '../lib/geometry';
import type { ThemeColors } from '../lib/theme';
import { splitAtK } from '../lib/trajectory';
import type { RegionOutline } from '../lib/optimizerMap';

/** What the map shows: its pixels and where they lie in problem coordinates. */
export interface MapView {
  map: MapData;
  xRange: Range;
  yRange: Range;
  axes: [number, number];
  base: number[];
  axisNames: [string, string];
}

/** A canvas context with the plot rectangle and view it draws for. */
export interface Painter {
  ctx: CanvasRenderingContext2D;
  plot: PlotRect;
  view: MapView;
}

const at = (p: Painter, x: number, y: number): [number, number] => coordToCanvas(x, y, p.plot, p.view.xRange, p.view.yRange);

/** Centred text wrapped into at most three lines below y. */
export function wrapText(ctx: CanvasRenderingContext2D, text: string, cx: number, y: number, maxWidth: number, lineHeight: number): void {
  const words = text.split(/\s+/);
  let line = '';
  let lines = 0;
  for (const w of words) {
    const test = line ? `${line} ${w}` : w;
    if (ctx.measureText(test).width > maxWidth && line) {
      ctx.fillText(line, cx, y + lines * lineHeight);
      lines++;
      line = w;
      if (lines >= 3) return;
    } else line = test;
  }
  if (line) ctx.fillText(line, cx, y + lines * lineHeight);
}

export function drawAxes(p: Painter, theme: ThemeColors): void {
  const { ctx, plot, view } = p;
  ctx.fillStyle = theme.muted;
  ctx.strokeStyle = theme.muted;
  ctx.font = '11px sans-serif';
  ctx.lineWidth = 1;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of niceTicks(view.xRange[0], view.xRange[1], Math.max(3, Math.floor(plot.width / 70)))) {
    const [px] = at(p, v, view.yRange[0]);
    ctx.beginPath();
    ctx.moveTo(px, plot.top + plot.height);
    ctx.lineTo(px, plot.top + plot.height + 4);
    ctx.stroke();
    ctx.fillText(formatTick(v), px, plot.top + plot.height + 6);
  }
  ctx.fillText(view.axisNames[0], plot.left + plot.width / 2, plot.top + plot.height + 20);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of niceTicks(view.yRange[0], view.yRange[1], Math.max(3, Math.floor(plot.height / 60)))) {
    const [, py] = at(p, view.xRange[0], v);
    ctx.beginPath();
    ctx.moveTo(plot.left - 4, py);
    ctx.lineTo(plot.left, py);
    ctx.stroke();
    ctx.fillText(formatTick(v), plot.left - 6, py);
  }
  ctx.save();
  ctx.translate(12, plot.top + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(view.axisNames[1], 0, 0);
  ctx.restore();
  ctx.textBaseline = 'alphabetic';
}

/** Segments [x0, y0, x1, y1, …] in map coordinates, one array per set. */
export function drawSegments(p: Painter, sets: Float64Array[], color: string, width: number, dash: number[]): void {
  const ctx = p.ctx;
  ctx.beginPath();
  for (const seg of sets) {
    for (let k = 0; k + 3 < seg.length; k += 4) {
      const [x0, y0] = at(p, seg[k], seg[k + 1]);
      const [x1, y1] = at(p, seg[k + 2], seg[k + 3]);
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
export function drawCertificates(p: Painter, certificates: CertificateResult[]): void {
  const { ctx, plot, view } = p;
  const sx = plot.width / (view.xRange[1] - view.xRange[0]);
  const sy = plot.height / (view.yRange[1] - view.yRange[0]);
  for (const cert of certificates) {
    if (!cert.ok) continue;
    const circle = ballInSlice(cert.certificate.center, cert.certificate.tPrime, view.base, view.axes);
    if (!circle) continue;
    const [cx, cy] = at(p, circle.cx, circle.cy);
    ctx.beginPath();
    ctx.ellipse(cx, cy, Math.max(1.5, circle.r * sx), Math.max(1.5, circle.r * sy), 0, 0, 2 * Math.PI);
    ctx.setLineDash([3, 2]);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#000000';
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

/**
 * The momentum certificate's regions (ellipses at zero velocity), dashed, each labelled; one
 * smaller than a few pixels is marked by a ring of 5 px so it stays visible.
 */
export function drawMomentumRegions(p: Painter, outlines: RegionOutline[]): void {
  const { ctx } = p;
  for (const o of outlines) {
    const pts: [number, number][] = [];
    for (let k = 0; k + 1 < o.points.length; k += 2) pts.push(at(p, o.points[k], o.points[k + 1]));
    const [cx, cy] = at(p, o.cx, o.cy);
    const extent = Math.max(...pts.map(([x, y]) => Math.hypot(x - cx, y - cy)));
    ctx.beginPath();
    if (extent < 5) ctx.arc(cx, cy, 5, 0, 2 * Math.PI);
    else pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    ctx.closePath();
    ctx.setLineDash([3, 2]);
    ctx.lineWidth = 3;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#000000';
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = '10px sans-serif';
    ctx.textAlign = 'left';
    ctx.lineWidth = 3;
    ctx.strokeStyle = '#ffffff';
    const label = 'momentum certificate';
    // right of the ring, or left of it when the plot's edge is nearer than the label is long
    const room = p.plot.left + p.plot.width - (cx + Math.max(extent, 5) + 3);
    const right = room >= ctx.measureText(label).width;
    ctx.textAlign = right ? 'left' : 'right';
    const lx = right ? cx + Math.max(extent, 5) + 3 : cx - Math.max(extent, 5) - 3;
    ctx.strokeText(label, lx, cy + 12);
    ctx.fillStyle = '#000000';
    ctx.fillText(label, lx, cy + 12);
  }
}

function cross(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
  ctx.stroke();
}

export function drawMinima(p: Painter, minima: { point: number[] }[]): void {
  const { ctx, view } = p;
  minima.forEach((m, j) => {
    const [px, py] = at(p, m.point[view.axes[0]], m.point[view.axes[1]]);
    ctx.lineWidth = 3;
    ctx.strokeStyle = '#ffffff';
    cross(ctx, px, py, 5);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#000000';
    cross(ctx, px, py, 5);
    ctx.font = '10px sans-serif';
    ctx.fillStyle = '#000000';
    ctx.textAlign = 'left';
    ctx.fillText(String(j), px + 6, py - 5);
  });
}

/** How a trajectory is drawn: solid with a round start (the panel's optimizer), or dashed with a square start (the side-by-side one). */
export interface TrajectoryStyle {
  dash: number[];
  square: boolean;
}

const SOLID: TrajectoryStyle = { dash: [], square: false };

/** Trajectories (the selected one last, thicker) and the chart-hovered iterate of the selected one. */
export function drawTrajectories(p: Painter, trajectories: { data: TrajectoryView; selected: boolean }[], highlight: number | null, style: TrajectoryStyle = SOLID): void {
  const { ctx, view } = p;
  const ordered = [...trajectories].sort((a, b) => Number(a.selected) - Number(b.selected));
  for (const { data, selected } of ordered) {
    const xy = projectIterates(data.theta, data.n, view.axes);
    const count = xy.length / 2;
    const iterate = (k: number): [number, number] => at(p, xy[2 * k], xy[2 * k + 1]);
    for (const seg of splitAtK(count, data.K)) {
      ctx.beginPath();
      let started = false;
      for (let k = seg.from; k <= seg.to; k++) {
        const [px, py] = iterate(k);
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
      ctx.setLineDash(style.dash);
      ctx.lineWidth = selected ? 1.8 : 1;
      ctx.globalAlpha = selected ? 1 : 0.6;
      ctx.strokeStyle = seg.phase === 'unstable' ? '#e00000' : '#000000';
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    }
    const [sx, sy] = iterate(0);
    ctx.beginPath();
    if (style.square) ctx.rect(sx - 4, sy - 4, 8, 8);
    else ctx.arc(sx, sy, selected ? 4 : 3, 0, 2 * Math.PI);
    ctx.fillStyle = data.K > 0 ? '#e00000' : '#000000';
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    if (selected && highlight !== null && highlight < count) {
      const [hx, hy] = iterate(highlight);
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

/** The keyboard cursor's pixel outline. */
export function drawCursor(p: Painter, col: number, row: number): void {
  const { ctx, plot, view } = p;
  const w = plot.width / view.map.width;
  const h = plot.height / view.map.height;
  const x = plot.left + col * w;
  const y = plot.top + row * h;
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#ff00ff';
  ctx.strokeRect(x - 2, y - 2, w + 4, h + 4);
}
