/**
 * A 2-D canvas context that writes SVG text instead of pixels: the part of the canvas API that
 * chart.js and src/figures/draw.ts use (the Ctx2D interface plus measureText and a few extras),
 * with no DOM, Node or vscode API. The panel uses it to export the same FigureSpec as the CLI
 * as SVG from inside the webview (whose extension host cannot load @napi-rs/canvas), under the
 * webview's strict CSP: it only builds text — no DOM style is set and no code is evaluated (the
 * SVG it writes may carry style="image-rendering:pixelated" on a map, which applies where the
 * file is opened, not in the webview).
 *
 * Semantics follow the canvas: path points are transformed by the current matrix when they are
 * added; arcs and ellipses become cubic Béziers (exact under any affine map); line widths and
 * dashes are scaled by the matrix's scale; clip regions intersect and are undone by restore().
 * Text is measured by the caller's `measure` (a real canvas in the webview, @napi-rs/canvas in
 * tests), which also gives the ascent/descent that place 'top' / 'middle' / 'bottom' baselines.
 */
import { escapeXml, parseFont, svgNumber as num, svgPaint } from './svgValues';

export interface TextMetricsLite {
  width: number;
  /** font ascent and descent above / below the alphabetic baseline (positive numbers) */
  ascent: number;
  descent: number;
}

export type TextMeasure = (text: string, font: string) => TextMetricsLite;

/** An image the SVG context can embed: what the figure's ImageResolver returns for SVG output. */
export interface SvgImage {
  svgHref: string;
  width: number;
  height: number;
}

type Matrix = [number, number, number, number, number, number];

export class SvgGradient {
  readonly stops: { offset: number; color: string }[] = [];
  constructor(readonly x0: number, readonly y0: number, readonly x1: number, readonly y1: number) {}
  addColorStop(offset: number, color: string): void {
    this.stops.push({ offset, color });
  }
}

interface State {
  matrix: Matrix;
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  lineCap: string;
  lineJoin: string;
  miterLimit: number;
  dash: number[];
  lineDashOffset: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  globalAlpha: number;
  imageSmoothingEnabled: boolean;
  clip: string | null;
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export class SvgContext {
  /** chart.js reads `canvas.width/height` (draw.ts gives each panel its own through a proxy) */
  canvas: { width: number; height: number };
  private state: State;
  private readonly stack: State[] = [];
  private readonly defs: string[] = [];
  private readonly body: string[] = [];
  private path: string[] = [];
  private current: [number, number] | null = null;
  private subpathStart: [number, number] | null = null;
  private ids = 0;

  constructor(readonly width: number, readonly height: number, private readonly measure: TextMeasure) {
    this.canvas = { width, height };
    this.state = {
      matrix: [...IDENTITY], fillStyle: '#000', strokeStyle: '#000', lineWidth: 1, lineCap: 'butt', lineJoin: 'miter', miterLimit: 10,
      dash: [], lineDashOffset: 0, font: '10px sans-serif', textAlign: 'start', textBaseline: 'alphabetic', globalAlpha: 1,
      imageSmoothingEnabled: true, clip: null,
    };
  }

  /* ---------------------------------------------------------------- style properties */
  get fillStyle(): unknown { return this.state.fillStyle; }
  set fillStyle(v: unknown) { this.state.fillStyle = v; }
  get strokeStyle(): unknown { return this.state.strokeStyle; }
  set strokeStyle(v: unknown) { this.state.strokeStyle = v; }
  get lineWidth(): number { return this.state.lineWidth; }
  set lineWidth(v: number) { if (v > 0 && Number.isFinite(v)) this.state.lineWidth = v; }
  get lineCap(): string { return this.state.lineCap; }
  set lineCap(v: string) { this.state.lineCap = v; }
  get lineJoin(): string { return this.state.lineJoin; }
  set lineJoin(v: string) { this.state.lineJoin = v; }
  get miterLimit(): number { return this.state.miterLimit; }
  set miterLimit(v: number) { this.state.miterLimit = v; }
  get lineDashOffset(): number { return this.state.lineDashOffset; }
  set lineDashOffset(v: number) { this.state.lineDashOffset = v; }
  get font(): string { return this.state.font; }
  set font(v: string) { this.state.font = v; }
  get textAlign(): string { return this.state.textAlign; }
  set textAlign(v: string) { this.state.textAlign = v; }
  get textBaseline(): string { return this.state.textBaseline; }
  set textBaseline(v: string) { this.state.textBaseline = v; }
  get globalAlpha(): number { return this.state.globalAlpha; }
  set globalAlpha(v: number) { if (v >= 0 && v <= 1) this.state.globalAlpha = v; }
  get imageSmoothingEnabled(): boolean { return this.state.imageSmoothingEnabled; }
  set imageSmoothingEnabled(v: boolean) { this.state.imageSmoothingEnabled = v; }

  save(): void {
    this.stack.push({ ...this.state, matrix: [...this.state.matrix], dash: [...this.state.dash] });
  }

  restore(): void {
    const s = this.stack.pop();
    if (s) this.state = s;
  }

  /* ---------------------------------------------------------------- transforms */
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void {
    this.state.matrix = [a, b, c, d, e, f];
  }
  resetTransform(): void {
    this.state.matrix = [...IDENTITY];
  }
  transform(a: number, b: number, c: number, d: number, e: number, f: number): void {
    this.state.matrix = multiply(this.state.matrix, [a, b, c, d, e, f]);
  }
  translate(x: number, y: number): void {
    this.transform(1, 0, 0, 1, x, y);
  }
  scale(x: number, y: number): void {
    this.transform(x, 0, 0, y, 0, 0);
  }
  rotate(angle: number): void {
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    this.transform(c, s, -s, c, 0, 0);
  }
  getTransform(): { a: number; b: number; c: number; d: number; e: number; f: number } {
    const [a, b, c, d, e, f] = this.state.matrix;
    return { a, b, c, d, e, f };
  }

  private apply(x: number, y: number): [number, number] {
    const m = this.state.matrix;
    return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
  }

  /** Length scale of the current matrix (for line widths and dashes). */
  private scaleFactor(): number {
    const m = this.state.matrix;
    return Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2])) || 1;
  }

  /* ---------------------------------------------------------------- paths */
  beginPath(): void {
    this.path = [];
    this.current = null;
    this.subpathStart = null;
  }
  moveTo(x: number, y: number): void {
    const p = this.apply(x, y);
    this.path.push(`M${num(p[0])} ${num(p[1])}`);
    this.current = p;
    this.subpathStart = p;
  }
  lineTo(x: number, y: number): void {
    if (!this.current) return this.moveTo(x, y);
    const p = this.apply(x, y);
    this.path.push(`L${num(p[0])} ${num(p[1])}`);
    this.current = p;
  }
  closePath(): void {
    if (!this.current) return;
    this.path.push('Z');
    this.current = this.subpathStart;
  }
  bezierCurveTo(x1: number, y1: number, x2: number, y2: number, x: number, y: number): void {
    if (!this.current) this.moveTo(x1, y1);
    const [a, b, c] = [this.apply(x1, y1), this.apply(x2, y2), this.apply(x, y)];
    this.path.push(`C${num(a[0])} ${num(a[1])} ${num(b[0])} ${num(b[1])} ${num(c[0])} ${num(c[1])}`);
    this.current = c;
  }
  quadraticCurveTo(x1: number, y1: number, x: number, y: number): void {
    if (!this.current) this.moveTo(x1, y1);
    const [a, c] = [this.apply(x1, y1), this.apply(x, y)];
    this.path.push(`Q${num(a[0])} ${num(a[1])} ${num(c[0])} ${num(c[1])}`);
    this.current = c;
  }
  /** Rounded corners are not drawn by the figures; arcTo draws the corner as a straight line. */
  arcTo(x1: number, y1: number): void {
    this.lineTo(x1, y1);
  }
  rect(x: number, y: number, w: number, h: number): void {
    this.moveTo(x, y);
    this.lineTo(x + w, y);
    this.lineTo(x + w, y + h);
    this.lineTo(x, y + h);
    this.closePath();
  }
  arc(x: number, y: number, r: number, a0: number, a1: number, anticlockwise = false): void {
    this.ellipse(x, y, r, r, 0, a0, a1, anticlockwise);
  }
  ellipse(x: number, y: number, rx: number, ry: number, rotation: number, a0: number, a1: number, anticlockwise = false): void {
    if (!(rx >= 0 && ry >= 0)) return;
    const full = 2 * Math.PI;
    let sweep = a1 - a0;
    if (!anticlockwise) sweep = sweep >= full ? full : ((sweep % full) + full) % full;
    else sweep = -sweep >= full ? -full : -((((-sweep) % full) + full) % full);
    const cr = Math.cos(rotation);
    const sr = Math.sin(rotation);
    const point = (t: number): [number, number] => [x + cr * rx * Math.cos(t) - sr * ry * Math.sin(t), y + sr * rx * Math.cos(t) + cr * ry * Math.sin(t)];
    const tangent = (t: number): [number, number] => [-cr * rx * Math.sin(t) - sr * ry * Math.cos(t), -sr * rx * Math.sin(t) + cr * ry * Math.cos(t)];
    const start = point(a0);
    if (this.current) this.lineTo(start[0], start[1]);
    else this.moveTo(start[0], start[1]);
    const n = Math.max(1, Math.ceil(Math.abs(sweep) / (Math.PI / 2) - 1e-9));
    const delta = sweep / n;
    const k = (4 / 3) * Math.tan(delta / 4);
    for (let i = 0; i < n; i++) {
      const t0 = a0 + i * delta;
      const t1 = t0 + delta;
      const p0 = point(t0);
      const p1 = point(t1);
      const d0 = tangent(t0);
      const d1 = tangent(t1);
      this.bezierCurveTo(p0[0] + k * d0[0], p0[1] + k * d0[1], p1[0] - k * d1[0], p1[1] - k * d1[1], p1[0], p1[1]);
    }
  }

  /* ---------------------------------------------------------------- drawing */
  private paint(style: unknown, kind: 'fill' | 'stroke'): string {
    if (style instanceof SvgGradient) {
      const id = `g${++this.ids}`;
      const [x0, y0] = this.apply(style.x0, style.y0);
      const [x1, y1] = this.apply(style.x1, style.y1);
      const stops = style.stops.map((s) => {
        const p = svgPaint(s.color);
        return `<stop offset="${num(s.offset)}" stop-color="${escapeXml(p.paint)}"${p.opacity < 1 ? ` stop-opacity="${num(p.opacity)}"` : ''}/>`;
      }).join('');
      this.defs.push(`<linearGradient id="${id}" gradientUnits="userSpaceOnUse" x1="${num(x0)}" y1="${num(y0)}" x2="${num(x1)}" y2="${num(y1)}">${stops}</linearGradient>`);
      return ` ${kind}="url(#${id})"${this.state.globalAlpha < 1 ? ` ${kind}-opacity="${num(this.state.globalAlpha)}"` : ''}`;
    }
    const p = svgPaint(typeof style === 'string' ? style : '#000');
    const opacity = p.opacity * this.state.globalAlpha;
    return ` ${kind}="${escapeXml(p.paint)}"${opacity < 1 ? ` ${kind}-opacity="${num(opacity)}"` : ''}`;
  }

  private clipAttr(): string {
    return this.state.clip ? ` clip-path="url(#${this.state.clip})"` : '';
  }

  /**
   * An element with a transform of its own, clipped: the clip path is in device coordinates, and
   * on the element itself it would be read in the element's transformed user space, so a group
   * without a transform carries it.
   */
  private pushTransformed(element: string): void {
    this.body.push(this.state.clip ? `<g${this.clipAttr()}>${element}</g>` : element);
  }

  private strokeAttrs(): string {
    const s = this.scaleFactor();
    const st = this.state;
    let a = ` stroke-width="${num(st.lineWidth * s)}"`;
    if (st.lineCap !== 'butt') a += ` stroke-linecap="${escapeXml(st.lineCap)}"`;
    if (st.lineJoin !== 'miter') a += ` stroke-linejoin="${escapeXml(st.lineJoin)}"`;
    if (st.dash.length > 0) a += ` stroke-dasharray="${st.dash.map((d) => num(d * s)).join(' ')}"${st.lineDashOffset ? ` stroke-dashoffset="${num(st.lineDashOffset * s)}"` : ''}`;
    return a;
  }

  fill(rule?: 'nonzero' | 'evenodd'): void {
    if (this.path.length === 0) return;
    this.body.push(`<path d="${this.path.join('')}"${this.paint(this.state.fillStyle, 'fill')}${rule === 'evenodd' ? ' fill-rule="evenodd"' : ''}${this.clipAttr()}/>`);
  }
  stroke(): void {
    if (this.path.length === 0) return;
    this.body.push(`<path d="${this.path.join('')}" fill="none"${this.paint(this.state.strokeStyle, 'stroke')}${this.strokeAttrs()}${this.clipAttr()}/>`);
  }
  fillRect(x: number, y: number, w: number, h: number): void {
    const saved = [this.path, this.current, this.subpathStart] as const;
    this.beginPath();
    this.rect(x, y, w, h);
    this.fill();
    [this.path, this.current, this.subpathStart] = [saved[0], saved[1], saved[2]];
  }
  strokeRect(x: number, y: number, w: number, h: number): void {
    const saved = [this.path, this.current, this.subpathStart] as const;
    this.beginPath();
    this.rect(x, y, w, h);
    this.stroke();
    [this.path, this.current, this.subpathStart] = [saved[0], saved[1], saved[2]];
  }
  /** The figures draw each region once on a background they painted: nothing to clear. */
  clearRect(): void {}
  clip(rule?: 'nonzero' | 'evenodd'): void {
    const id = `c${++this.ids}`;
    const parent = this.state.clip ? ` clip-path="url(#${this.state.clip})"` : '';
    this.defs.push(`<clipPath id="${id}"${parent}><path d="${this.path.join('') || 'M0 0'}"${rule === 'evenodd' ? ' clip-rule="evenodd"' : ''}/></clipPath>`);
    this.state.clip = id;
  }
  setLineDash(segments: number[]): void {
    this.state.dash = segments.filter((d) => Number.isFinite(d) && d >= 0);
    if (this.state.dash.length % 2 === 1) this.state.dash = [...this.state.dash, ...this.state.dash];
  }
  getLineDash(): number[] {
    return [...this.state.dash];
  }
  createLinearGradient(x0: number, y0: number, x1: number, y1: number): SvgGradient {
    return new SvgGradient(x0, y0, x1, y1);
  }

  measureText(text: string): TextMetricsLite & { actualBoundingBoxAscent: number; actualBoundingBoxDescent: number; actualBoundingBoxLeft: number; actualBoundingBoxRight: number } {
    const m = this.measure(text, this.state.font);
    return { ...m, actualBoundingBoxAscent: m.ascent, actualBoundingBoxDescent: m.descent, actualBoundingBoxLeft: 0, actualBoundingBoxRight: m.width };
  }

  fillText(text: string, x: number, y: number, maxWidth?: number): void {
    this.text(text, x, y, maxWidth, 'fill');
  }
  strokeText(text: string, x: number, y: number, maxWidth?: number): void {
    this.text(text, x, y, maxWidth, 'stroke');
  }

  private text(text: string, x: number, y: number, maxWidth: number | undefined, mode: 'fill' | 'stroke'): void {
    if (text === '') return;
    const f = parseFont(this.state.font);
    const m = this.measure(text, this.state.font);
    const base = this.state.textBaseline;
    const dy = base === 'top' || base === 'hanging' ? m.ascent : base === 'middle' ? (m.ascent - m.descent) / 2 : base === 'bottom' || base === 'ideographic' ? -m.descent : 0;
    const align = this.state.textAlign;
    const anchor = align === 'center' ? 'middle' : align === 'right' || align === 'end' ? 'end' : 'start';
    const [a, b, c, d, e, ff] = this.state.matrix;
    const plain = a === 1 && b === 0 && c === 0 && d === 1;
    const px = plain ? x + e : x;
    const py = plain ? y + dy + ff : y + dy;
    const fit = maxWidth !== undefined && m.width > maxWidth ? ` textLength="${num(maxWidth)}" lengthAdjust="spacingAndGlyphs"` : '';
    const paint = mode === 'fill' ? this.paint(this.state.fillStyle, 'fill') : ` fill="none"${this.paint(this.state.strokeStyle, 'stroke')}${this.strokeAttrs()}`;
    const font = ` font-family="${escapeXml(f.family)}" font-size="${num(f.size)}"${f.weight !== 'normal' ? ` font-weight="${escapeXml(f.weight)}"` : ''}${f.style !== 'normal' ? ` font-style="${escapeXml(f.style)}"` : ''}`;
    const transform = plain ? '' : ` transform="matrix(${[a, b, c, d, e, ff].map(num).join(' ')})"`;
    const anchorAttr = anchor !== 'start' ? ` text-anchor="${anchor}"` : '';
    const element = `<text x="${num(px)}" y="${num(py)}"${font}${anchorAttr}${paint}${fit}${transform}>${escapeXml(text)}</text>`;
    this.pushTransformed(element);
  }

  drawImage(image: unknown, dx: number, dy: number, dw: number, dh: number): void {
    const img = image as Partial<SvgImage> | null;
    if (!img || typeof img.svgHref !== 'string') throw new TypeError('the SVG context embeds only images made by svgImageResolver');
    const [a, b, c, d, e, f] = this.state.matrix;
    const crisp = this.state.imageSmoothingEnabled ? '' : ' image-rendering="optimizeSpeed" style="image-rendering:pixelated"';
    const opacity = this.state.globalAlpha < 1 ? ` opacity="${num(this.state.globalAlpha)}"` : '';
    this.pushTransformed(
      `<image x="${num(dx)}" y="${num(dy)}" width="${num(dw)}" height="${num(dh)}" preserveAspectRatio="none"${crisp}${opacity} transform="matrix(${[a, b, c, d, e, f].map(num).join(' ')})" href="${escapeXml(img.svgHref)}" xlink:href="${escapeXml(img.svgHref)}"/>`,
    );
  }

  /** The whole document. */
  toSvg(title: string): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="${num(this.width)}" height="${num(this.height)}" viewBox="0 0 ${num(this.width)} ${num(this.height)}"><title>${escapeXml(title)}</title><defs>${this.defs.join('')}</defs>${this.body.join('')}</svg>\n`;
  }
}
