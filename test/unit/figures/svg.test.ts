/**
 * The pure SVG backend of the figures (src/figures/svgContext.ts, svg.ts) and the figures built on
 * it: the orbit diagram (against the 2-cycle of GD on x⁴/4 − x²/2 solved by hand), the single-map
 * figure, and the GIF encoder (decoded independently with omggif). SVG text is parsed with
 * htmlparser2; text is measured by @napi-rs/canvas as a real canvas would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCanvas } from '@napi-rs/canvas';
import { parseDocument } from 'htmlparser2';
import { elements, textOf } from '../support/svgDom';
import type { Element } from 'domhandler';
import { decode } from 'fast-png';
import { GifReader } from 'omggif';
import { analyzeProblem } from '../../../src/engine/analyze';
import { computeBasinMap, defaultSlice } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { linearEtas, orbitDiagram } from '../../../src/engine/measures/orbit';
import { classFractions, figureClasses, figureMapRgba } from '../../../src/figures/classes';
import { classLegendEntries, mapFigureSpec } from '../../../src/figures/mapFigure';
import { niceRange, orbitDots, orbitFigureSpec, orbitMarkers } from '../../../src/figures/orbit';
import { figureToSvg } from '../../../src/figures/svg';
import { SvgContext, type TextMeasure } from '../../../src/figures/svgContext';
import { parseFont, svgPaint } from '../../../src/figures/svgValues';
import { encodeGif } from '../../../src/cli/gif';

const measureCtx = createCanvas(8, 8).getContext('2d');
const measure: TextMeasure = (text, font) => {
  measureCtx.font = font;
  const m = measureCtx.measureText(text);
  return { width: m.width, ascent: m.fontBoundingBoxAscent, descent: m.fontBoundingBoxDescent };
};

function parseSvg(svg: string): { all: Element[]; texts: string[] } {
  const all = elements(parseDocument(svg, { xmlMode: true }).children);
  return { all, texts: all.filter((e) => e.name === 'text').map(textOf) };
}

/** Every url(#id) in the document names an element that exists. */
function assertReferencesResolve(all: Element[]): void {
  const ids = new Set(all.map((e) => e.attribs.id).filter((id) => id !== undefined));
  for (const e of all) {
    for (const v of Object.values(e.attribs)) {
      for (const m of v.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.has(m[1]), `url(#${m[1]}) on <${e.name}> has no target`);
    }
  }
}

/** Points of a path's d attribute (M, L and the end points of C). */
function pathPoints(d: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of d.matchAll(/([MLC])([^MLCZ]+)/g)) {
    const nums = m[2].trim().split(/\s+/).map(Number);
    out.push([nums[nums.length - 2], nums[nums.length - 1]]);
  }
  return out;
}

test('SvgContext: arcs are Béziers on the circle under a transform; widths scale; clips nest and restore', () => {
  const ctx = new SvgContext(100, 100, measure);
  ctx.setTransform(2, 0, 0, 2, 10, 20);
  ctx.beginPath();
  ctx.arc(5, 5, 3, 0, 2 * Math.PI);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = 'rgba(255, 0, 0, 0.5)';
  ctx.stroke();
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, 10, 10);
  ctx.clip();
  ctx.fillStyle = '#00ff0080';
  ctx.fillRect(1, 1, 2, 2);
  ctx.restore();
  ctx.fillRect(0, 0, 1, 1);
  const { all } = parseSvg(ctx.toSvg('t'));
  const paths = all.filter((e) => e.name === 'path' && !all.some((c) => c.name === 'clipPath' && c.children.includes(e)));
  const circle = paths[0];
  // device centre (20, 30), radius 6; a full turn is 4 quarter Béziers ending on the circle
  const pts = pathPoints(circle.attribs.d);
  assert.equal(pts.length, 5);
  for (const [x, y] of pts) assert.ok(Math.abs(Math.hypot(x - 20, y - 30) - 6) < 1e-3, `(${x}, ${y}) on the circle`);
  assert.equal(circle.attribs['stroke-width'], '3', 'line width 1.5 × scale 2');
  assert.equal(circle.attribs.stroke, 'rgb(255,0,0)');
  assert.equal(circle.attribs['stroke-opacity'], '0.5');
  const clipped = paths[1];
  assert.match(clipped.attribs['clip-path'] ?? '', /^url\(#c\d+\)$/);
  assert.equal(clipped.attribs['fill-opacity'], String(Math.round((128 / 255) * 1000) / 1000));
  assert.equal(paths[2].attribs['clip-path'], undefined, 'restore() ends the clip');
  assertReferencesResolve(all);
});

test('SvgContext: text keeps font, anchor and a baseline placed from the font metrics', () => {
  const ctx = new SvgContext(200, 100, measure);
  ctx.font = 'italic bold 20px serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText('A & <B>', 50, 10);
  ctx.textBaseline = 'alphabetic';
  ctx.translate(30, 40);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('y', 0, 0);
  const { all, texts } = parseSvg(ctx.toSvg('t'));
  assert.deepEqual(texts, ['A & <B>', 'y']);
  const [a, y] = all.filter((e) => e.name === 'text');
  assert.equal(a.attribs['font-size'], '20');
  assert.equal(a.attribs['font-weight'], 'bold');
  assert.equal(a.attribs['font-style'], 'italic');
  assert.equal(a.attribs['text-anchor'], 'middle');
  const ascent = measure('A & <B>', 'italic bold 20px serif').ascent;
  assert.ok(Math.abs(Number(a.attribs.y) - (10 + ascent)) < 1e-3, 'top baseline = y + ascent');
  assert.match(y.attribs.transform, /^matrix\(0 -1 1 0 30 40\)$/);
  assert.deepEqual(parseFont("bold 12.5px 'DejaVu Sans', sans-serif"), { style: 'normal', weight: 'bold', size: 12.5, family: "'DejaVu Sans', sans-serif" });
  assert.deepEqual(svgPaint('rgba(1, 2, 3, 0.25)'), { paint: 'rgb(1,2,3)', opacity: 0.25 });
});

test('orbit figure of x⁴/4 − x²/2: dots at the hand-solved 2-cycle, markers at η_max = 1, both panels, legend; SVG parses', () => {
  const problem = analyzeProblem({ expression: 'x^4/4 - x^2/2', domain: [[-2, 2]] });
  const etas = linearEtas(0.8, 1.2, 41);
  const d = orbitDiagram(problem, [[0.5]], etas, { transient: 3000, keep: 64 });
  assert.ok(d);
  const dots = orbitDots(d, 1, 600, 260, true);
  const cycle = dots.byStatus.get('cycle') ?? [];
  for (const eta of [1.05, 1.1, 1.15, 1.2]) {
    // a + b = √(1 + 3/η), ab = 1/η (the 2-cycle around the minimum +1)
    const s = Math.sqrt(1 + 3 / eta);
    const disc = Math.sqrt(s * s - 4 / eta);
    const expected = [(s - disc) / 2, (s + disc) / 2];
    const at = cycle.filter((p) => Math.abs(p.x - eta) < 1e-9).map((p) => p.y).sort((u, v) => u - v);
    assert.equal(at.length, 2, `two visited values at η = ${eta}: ${at.join(', ')}`);
    at.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `η = ${eta}: ${v} vs ${expected[i]}`));
  }
  assert.ok((dots.byStatus.get('converged') ?? []).every((p) => p.x < 1 && Math.abs(p.y - 1) < 1e-6), 'below η = 1 the start sits on the minimum x = 1');
  const markers = orbitMarkers(d, 1);
  assert.equal(markers.filter((m) => m.label.startsWith('η_max')).length, 1, 'both minima share η_max = 1: one line');
  assert.equal(markers[0].x, 1);
  const stop = markers.find((m) => m.label.includes('stops converging'));
  assert.ok(stop && stop.x >= 1 && stop.x <= 1.01, `first non-convergent η ${stop?.x}`);

  const spec = orbitFigureSpec(d, { channel: 0, title: 'Orbit diagram of GD on f = x⁴/4 − x²/2, from θ₀ = (0.5)', etaReference: 1 });
  const { all, texts } = parseSvg(figureToSvg(spec, measure));
  assert.equal(textOf(all.find((e) => e.name === 'title') as Element), spec.title);
  for (const t of [spec.title, 'learning rate η   (η_max = 1)', 'Lyapunov exponent λ', 'f(θ_k) − f*', 'cycle of period p', 'η_max = 1 (minima #0, #1)']) {
    assert.ok(texts.includes(t), `text "${t}" in ${texts.filter((x) => x.length > 3).slice(0, 30).join(' | ')}`);
  }
  assert.ok(texts.some((t) => t.startsWith('stops converging: η = 1')), 'the first non-convergent η is labelled');
  assert.ok(texts.includes('0'), 'the Lyapunov axis has a 0 tick');
  assertReferencesResolve(all);
  assert.deepEqual(niceRange(-4.31, 1.41), [-5, 2], 'span 5.72: step 1');
  assert.deepEqual(niceRange(0.12, 0.91), [0.1, 1], 'span 0.79: step 0.1');
});

test('map figure: title, notes, axes, every class in the legend with its fraction, the map embedded at grid resolution', () => {
  const problem = analyzeProblem({ expression: '(1 - x*y)^2 + (x^2 + y^2)/20', domain: [[-3, 3], [-3, 3]] });
  const slice = defaultSlice(problem, 32);
  const rows = computeBasinMap(problem, slice, 0.5, DEFAULT_CLASSIFY, certifyAll(problem, 0.5));
  assert.ok(rows);
  const classes = figureClasses();
  const fractions = classFractions(rows.classes, classes);
  const spec = mapFigureSpec({
    title: 'Basin map of f4 at η = 0.5', notes: ['zoom 1x'], xRange: slice.xRange, yRange: slice.yRange, xLabel: 'x', yLabel: 'y',
    image: { width: 32, height: 32, rgba: figureMapRgba(rows.classes, 32, 32, classes) }, minima: problem.minima.map((m) => [m.point[0], m.point[1]] as [number, number]),
    legend: classLegendEntries(classes, fractions),
  }, { pixelRatio: 1 });
  const { all, texts } = parseSvg(figureToSvg(spec, measure));
  for (const t of ['Basin map of f4 at η = 0.5', 'zoom 1x', 'x', 'y', 'minimum θ*', ...classes.map((c) => c.label)]) assert.ok(texts.includes(t), `text "${t}"`);
  for (const c of classes) assert.ok(texts.includes(`${(100 * (fractions[c.code] ?? 0)).toFixed(1)} %`), `fraction of ${c.label}`);
  const images = all.filter((e) => e.name === 'image');
  assert.equal(images.length, 1);
  const png = decode(Buffer.from(images[0].attribs.href.replace(/^data:image\/png;base64,/, ''), 'base64'));
  assert.deepEqual([png.width, png.height], [32, 32], 'the map at its grid resolution');
  assert.equal(images[0].attribs['image-rendering'], 'optimizeSpeed', 'drawn unsmoothed');
  assertReferencesResolve(all);
});

test('GIF: frames decoded independently (omggif) have the size, count, delay and pixels given', () => {
  const frame = (color: [number, number, number]) => {
    const rgba = new Uint8Array(20 * 10 * 4);
    for (let i = 0; i < 200; i++) rgba.set([...color, 255], i * 4);
    rgba.set([0, 0, 0, 255], 0);
    return { width: 20, height: 10, rgba };
  };
  const gif = encodeGif([frame([0, 255, 255]), frame([0, 0, 255]), frame([255, 255, 255])], 250);
  const reader = new GifReader(Buffer.from(gif));
  assert.equal(reader.numFrames(), 3);
  assert.deepEqual([reader.width, reader.height], [20, 10]);
  assert.equal(reader.loopCount(), 0, 'loops forever');
  const pixels = new Uint8Array(20 * 10 * 4);
  for (const [k, color] of [[0, [0, 255, 255]], [1, [0, 0, 255]], [2, [255, 255, 255]]] as const) {
    assert.equal(reader.frameInfo(k).delay, 25, 'hundredths of a second');
    reader.decodeAndBlitFrameRGBA(k, pixels);
    assert.deepEqual([...pixels.subarray(4, 7)], [...color], `frame ${k} colour`);
    assert.deepEqual([...pixels.subarray(0, 3)], [0, 0, 0], `frame ${k} corner`);
  }
  assert.throws(() => encodeGif([frame([0, 0, 0]), { width: 10, height: 10, rgba: new Uint8Array(400) }]), /frame 2 is 10×10; frame 1 is 20×10/);
});
