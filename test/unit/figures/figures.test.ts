/**
 * The figure building blocks (src/figures) against closed forms: the class list follows
 * PixelClass, contour lines of x² + y² are circles, f1 falls without bound and f2 does not,
 * the sub-pixel certificate note, and a chart.js panel drawn through the offset context stays
 * inside its rectangle (real @napi-rs/canvas raster, pixels read back).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Canvas } from '@napi-rs/canvas';
import { PixelClass, type SliceSpec } from '../../../src/engine/types';
import { classFractions, figureClasses, figureMapRgba } from '../../../src/figures/classes';
import { belowMinimumOutline, contourLevels, contourLines, logScaleOf, looksUnboundedBelow, sampleLandscape, scalePosition } from '../../../src/figures/landscape';
import { certificateText, wrap } from '../../../src/figures/figure2';
import { prettyFormula } from '../../../src/figures/formula';
import { drawChart } from '../../../src/figures/draw';
import { mapChartConfig } from '../../../src/figures/charts';
import type { Ctx2D } from '../../../src/figures/spec';

const slice = (grid: number, lo: number, hi: number): SliceSpec => ({ axes: [0, 1], base: [0, 0], xRange: [lo, hi], yRange: [lo, hi], width: grid, height: grid });

test('classes: one entry per PixelClass code, ascending, distinct labels and colours', () => {
  const classes = figureClasses();
  assert.deepEqual(classes.map((c) => c.code), Object.values(PixelClass).sort((a, b) => a - b));
  assert.equal(new Set(classes.map((c) => c.label)).size, classes.length);
  assert.equal(new Set(classes.map((c) => c.color.join())).size, classes.length, 'no two classes share a colour');
  const byKey = new Map(classes.map((c) => [c.key, c]));
  assert.deepEqual(byKey.get('Stable')?.color, [0, 255, 255, 255], 'the paper\'s cyan');
  assert.deepEqual(byKey.get('Unstable')?.color, [0, 0, 255, 255], 'the paper\'s blue');
  assert.deepEqual(byKey.get('Diverged')?.color, [255, 255, 255, 255], 'the paper\'s white (framed in the figures)');
});

test('classFractions counts every code; figureMapRgba paints unknown codes magenta, never white', () => {
  const codes = Uint8Array.from([3, 3, 4, 0, 9, 3, 2, 1]);
  const f = classFractions(codes);
  assert.equal(f[3], 3 / 8);
  assert.equal(f[4], 1 / 8);
  assert.equal(f[9], 1 / 8);
  assert.ok(Math.abs(f.reduce((a, b) => a + b, 0) - 1) < 1e-15);
  const rgba = figureMapRgba(codes, 8, 1);
  assert.deepEqual([...rgba.subarray(4 * 4, 4 * 4 + 4)], [255, 0, 255, 255]);
  assert.deepEqual([...rgba.subarray(0, 4)], [0, 255, 255, 255]);
});

test('landscape: log scale spans at most 5 decades; contour lines of x² + y² are circles of radius √level', () => {
  const s = slice(101, -1, 1);
  const field = sampleLandscape((p) => p[0] ** 2 + p[1] ** 2, s, 0);
  const scale = logScaleOf(field);
  assert.ok(Math.abs(scale.hi - 2 * (1 - 1 / 101) ** 2) < 1e-12, 'the largest gap: the corner pixel centre');
  assert.ok(scale.lo >= scale.hi * 1e-5 - 1e-18);
  assert.equal(scalePosition(scale, scale.hi), 1);
  assert.equal(scalePosition(scale, scale.lo), 0);
  assert.ok(Math.abs(scalePosition(scale, Math.sqrt(scale.lo * scale.hi)) - 0.5) < 1e-12, 'geometric mean in the middle');
  const levels = contourLevels(scale);
  assert.ok(levels.length >= 3 && levels.length <= 9);
  assert.ok(levels.every((v) => v > scale.lo && v < scale.hi));
  const [line] = contourLines(field, s, [0.25]);
  assert.equal(line.level, 0.25);
  const radii = line.paths.flat().map(([x, y]) => Math.hypot(x, y));
  assert.ok(radii.length > 50);
  for (const r of radii) assert.ok(Math.abs(r - 0.5) < 2 / 101, `contour point at radius ${r}`);
});

test('landscape: f1 falls below f(θ*) in [-1, 1]² and without bound; f2 never does', () => {
  const f1 = (p: number[]) => p[0] ** 2 + p[1] ** 2 + p[0] ** 2 * p[1] + p[0] ** 3 + p[1] ** 3;
  const f2 = (p: number[]) => p[0] ** 2 + p[1] ** 2 + p[0] ** 2 * p[1] + p[0] ** 4 + p[1] ** 4;
  const s = slice(64, -1, 1);
  const below = belowMinimumOutline(sampleLandscape(f1, s, 0), s);
  assert.ok(below.length > 0, 'f1(−1, −1) = −1 < 0');
  // every outline point is near f1 = 0 (the boundary f = f(θ*)), in the lower left
  for (const [x, y] of below.flat()) {
    if (Math.abs(x) < 0.99 && Math.abs(y) < 0.99) assert.ok(Math.abs(f1([x, y])) < 0.1, `(${x}, ${y}) f1 = ${f1([x, y])}`);
  }
  assert.equal(looksUnboundedBelow(f1, [0, 0], [-1, -1], 0), true);
  assert.deepEqual(belowMinimumOutline(sampleLandscape(f2, s, 0), s), []);
  assert.equal(looksUnboundedBelow(f2, [0, 0], [-1, -1], 0), false, 'f2 grows like x⁴ + y⁴');
});

test('certificate note: drawn to scale, or "(< 1 px)" when t′ is below one output pixel', () => {
  const panel = (radius: number) => ({ eta: 0.5, fraction: 0.5, image: { width: 1, height: 1, rgba: new Uint8Array(4) }, certified: [{ center: [0, 0] as [number, number], radius }], certificateNote: null });
  // 150 figure units across a window of width 2 → 75 units per unit of x; ratio 2 px per unit
  assert.equal(certificateText(panel(0.05), 75, 2), 't′ = 0.05');
  assert.equal(certificateText(panel(0.005), 75, 2), 't′ = 0.005 (< 1 px)', '0.005 · 75 · 2 = 0.75 px');
  assert.equal(certificateText(panel(0.005), 75, 4), 't′ = 0.005', '1.5 px at a larger scale');
  assert.equal(certificateText({ ...panel(1), certified: [], certificateNote: 'degenerate' }, 75, 1), 'no certified region');
});

test('formula text: superscripts, middle dots, minus signs; wrapping at + and −', () => {
  assert.equal(prettyFormula('(1 - x * y) ^ 2'.replace(/ \^ /g, '^')), '(1 − x·y)²');
  assert.equal(prettyFormula('x^4 * y^2 + x^2 * y^4 - 3 * x^2 * y^2 + 1'), 'x⁴·y² + x²·y⁴ − 3·x²·y² + 1');
  assert.equal(prettyFormula('x^2.5'), 'x^2.5', 'non-integer powers stay as written');
  assert.deepEqual(wrap('x⁴y² + x²y⁴ − 3x²y² + 1', 12), ['x⁴y² + x²y⁴', '− 3x²y² + 1']);
  assert.deepEqual(wrap('(1 − x)² + 100·(y − x²)²', 12), ['(1 − x)²', '+ 100·(y − x²)²'], 'never inside parentheses');
  // typed without spaces (Himmelblau as users write it): still wrapped between the terms
  assert.deepEqual(wrap('(x²+y-11)²+(x+y²-7)²', 18), ['(x²+y-11)²', '+(x+y²-7)²']);
  // unary signs and exponents are not places to break
  assert.deepEqual(wrap('-x²+1e-5·y²-2', 7), ['-x²', '+1e-5·y²', '-2']);
});

test('a chart.js panel drawn through the offset context stays inside its rectangle', () => {
  const canvas = new Canvas(300, 200);
  const ctx = canvas.getContext('2d') as unknown as Ctx2D;
  ctx.fillStyle = '#ff0000';
  ctx.fillRect(0, 0, 300, 200);
  const image = { width: 2, height: 2, rgba: Uint8Array.from([0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255]) };
  const mapCanvas = new Canvas(2, 2);
  const mctx = mapCanvas.getContext('2d');
  const data = mctx.createImageData(2, 2);
  data.data.set(image.rgba);
  mctx.putImageData(data, 0, 0);
  const style = { tick: 10, axisTitle: 11, yAxisWidth: 40, xAxisHeight: 30, padding: { top: 0, right: 0, bottom: 0, left: 0 } };
  // panel rectangle: x 100..250, y 40..170; chart area = (140, 40)–(250, 140)
  drawChart(ctx, 100, 40, 150, 130, 1, mapChartConfig({ xRange: [-1, 1], yRange: [-1, 1], xLabel: 'x', yLabel: 'y', image }, style, () => mapCanvas));
  const px = (x: number, y: number) => [...canvas.getContext('2d').getImageData(x, y, 1, 1).data];
  assert.deepEqual(px(10, 10), [255, 0, 0, 255], 'outside the panel: untouched (chart.js did not clear the page)');
  assert.deepEqual(px(60, 150), [255, 0, 0, 255], 'left of the panel: untouched');
  assert.deepEqual(px(195, 90), [0, 0, 255, 255], 'the map fills the chart area');
  assert.deepEqual(px(120, 90), [255, 0, 0, 255], 'the y axis band keeps the page behind its ticks');
});
