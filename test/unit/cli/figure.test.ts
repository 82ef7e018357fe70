/**
 * `gdlab figure` end to end on the built CLI (npm test builds first), on functions that are not
 * the paper's: the SVG's structure (title, column headers with the right η, axis labels, one
 * embedded map per panel at grid resolution, the colour bar), the PDF, and the PNG's size
 * following --grid and --scale (read from the PNG header).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'htmlparser2';
import { elements, textOf } from '../support/svgDom';
import type { Element } from 'domhandler';

const root = path.join(__dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
/** Hessian at the minimum (0, 0) is diag(2, 6): λ_max = 6, η_max = 1/3 (closed form). */
const QUADRATIC = 'x^2 + 3*y^2 + x^2*y^2/4';
const ETA_MAX = 1 / 3;

function gdlab(args: string[]) {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` (npm test does)');
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
}

/**
 * The figure's text items: Skia's SVG writer may emit one drawn string as several <text> runs
 * (split at spaces) sharing one transform; consecutive runs with the same transform are joined.
 */
function textItems(all: Element[]): string[] {
  const items: { transform: string; words: string[] }[] = [];
  for (const e of all.filter((x) => x.name === 'text')) {
    const transform = e.attribs.transform ?? '';
    const word = textOf(e);
    const last = items[items.length - 1];
    if (last && last.transform === transform && transform !== '') {
      if (word !== '') last.words.push(word);
    } else items.push({ transform, words: word === '' ? [] : [word] });
  }
  return items.map((i) => i.words.join(' '));
}

function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  assert.equal(b.toString('latin1', 12, 16), 'IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('figure → SVG: title, η per column, axis labels, one full-resolution map per panel, colour bar', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdlab-figure-'));
  try {
    const out = path.join(dir, 'fig.svg');
    const run = gdlab(['figure', QUADRATIC, '--domain', '-2,2', '--grid', '40', '--lrs', '0.2,0.5,0.8', '--out', out, '--workers', '2']);
    assert.equal(run.status, 0, run.stderr);
    const doc = parseDocument(readFileSync(out, 'utf8'), { xmlMode: true });
    const all = elements(doc.children);
    const svg = all.find((e) => e.name === 'svg');
    assert.ok(svg, 'an <svg> root');
    const title = all.find((e) => e.name === 'title');
    assert.ok(title && /landscape and basins of gradient descent/.test(textOf(title)), 'a document title');
    const texts = textItems(all);
    assert.ok(texts.some((t) => t.startsWith('f = x² + 3·y² + x²·y²/4')), `the formula in the figure title; texts: ${texts.slice(0, 5).join(' | ')}`);
    assert.ok(texts.includes('landscape'), 'landscape column header');
    for (const fraction of [0.2, 0.5, 0.8]) {
      assert.ok(texts.includes(`η/η_max = ${fraction}`), `column header for ${fraction}`);
      const eta = Number((fraction * ETA_MAX).toPrecision(4));
      assert.ok(texts.includes(`η = ${eta}`), `panel title η = ${eta} (η_max = 1/3); have ${texts.filter((t) => t.startsWith('η =')).join(', ')}`);
    }
    assert.equal(texts.filter((t) => t.startsWith('η/η_max')).length, 3, 'one column per learning rate');
    // Axis titles: the variable names under / beside each of the 4 map panels.
    assert.equal(texts.filter((t) => t === 'x').length, 4, 'x axis title per panel');
    assert.equal(texts.filter((t) => t === 'y').length, 4, 'y axis title per panel');
    assert.ok(texts.includes('−2') && texts.includes('2'), 'tick labels of the window');
    // Maps embedded as images at the grid's resolution, kept crisp.
    const images = all.filter((e) => e.name === 'image');
    assert.equal(images.length, 4, 'landscape + 3 maps');
    for (const img of images) {
      assert.equal(img.attribs.width, '40');
      assert.equal(img.attribs.height, '40');
      assert.match(img.attribs.style ?? '', /pixelated/);
      assert.match(img.attribs['xlink:href'] ?? img.attribs.href ?? '', /^data:image\/png;base64,/);
    }
    // Colour bar: a linear gradient with viridis stops, and log ticks beside it.
    const gradient = all.find((e) => e.name === 'linearGradient');
    assert.ok(gradient, 'the colour bar gradient');
    assert.ok(elements(gradient.children).filter((e) => e.name === 'stop').length >= 10, 'gradient stops');
    for (const label of ['stable convergence', 'unstable convergence', 'diverged', 'not converged', 'other stationary point', 'minimum θ*']) {
      assert.ok(texts.includes(label), `legend entry '${label}'`);
    }
    assert.ok(!readdirSync(dir).some((f) => f.includes('.tmp-')), 'no temporary files');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('figure of (1 − xy)² (no strict minimum, so absolute --etas): each η named once, in its panel title, no fraction header', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdlab-figure-'));
  try {
    const out = path.join(dir, 'abs.svg');
    const run = gdlab(['figure', '(1-x*y)^2', '--grid', '16', '--etas', '0.1,0.25', '--out', out, '--workers', '1']);
    assert.equal(run.status, 0, run.stderr);
    const texts = textItems(elements(parseDocument(readFileSync(out, 'utf8'), { xmlMode: true }).children));
    for (const eta of ['0.1', '0.25']) assert.equal(texts.filter((t) => t === `η = ${eta}`).length, 1, `η = ${eta} once; texts: ${texts.filter((t) => t.startsWith('η')).join(' | ')}`);
    assert.ok(!texts.some((t) => t.startsWith('η/η_max')), 'no η/η_max header without an η_max');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('figure: the region where f < f(θ*) is labelled, not coloured like the minimum (f1 on [-1, 1]²)', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdlab-figure-'));
  try {
    const out = path.join(dir, 'f1.svg');
    const run = gdlab(['figure', 'x^2 + y^2 + x^2*y + x^3 + y^3', '--domain', '-1,1', '--grid', '32', '--lrs', '0.5', '--out', out, '--workers', '1']);
    assert.equal(run.status, 0, run.stderr);
    const texts = textItems(elements(parseDocument(readFileSync(out, 'utf8'), { xmlMode: true }).children));
    // f1(−1, −1) = −1 < f(0, 0) = 0, and f1 → −∞ along x = y → −∞.
    assert.ok(texts.some((t) => t.startsWith('f < f(θ*)') && t.includes('f → −∞')), `legend for the region below the minimum; texts: ${texts.filter((t) => t.startsWith('f')).join(' | ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('figure → PNG: size follows --grid and --scale; PDF embeds the maps at grid resolution', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdlab-figure-'));
  try {
    const make = (name: string, extra: string[]) => {
      const file = path.join(dir, name);
      const run = gdlab(['figure', QUADRATIC, '--domain', '-2,2', '--lrs', '0.5', '--out', file, '--workers', '2', ...extra]);
      assert.equal(run.status, 0, run.stderr);
      return file;
    };
    const base = pngSize(make('a.png', ['--grid', '40']));
    const scaled = pngSize(make('b.png', ['--grid', '40', '--scale', '2']));
    const fine = pngSize(make('c.png', ['--grid', '300']));
    assert.ok(base.width > 300 && base.height > 100, `a readable figure: ${base.width}×${base.height}`);
    // --scale 2 doubles both sides.
    assert.ok(Math.abs(scaled.width - 2 * base.width) <= 1 && Math.abs(scaled.height - 2 * base.height) <= 1, `${scaled.width}×${scaled.height} vs 2 × ${base.width}×${base.height}`);
    // A 300² map needs 300 pixels where a 40² map (upsampled) gets 150: twice the figure's pixels.
    assert.ok(Math.abs(fine.width - 2 * base.width) <= 1 && Math.abs(fine.height - 2 * base.height) <= 1, `${fine.width}×${fine.height} vs 2 × ${base.width}×${base.height}`);

    const pdf = readFileSync(make('fig.pdf', ['--grid', '40'])).toString('latin1');
    assert.ok(pdf.startsWith('%PDF-'), 'a PDF');
    assert.ok((pdf.match(/\/Subtype\s*\/Image/g) ?? []).length >= 2, 'the landscape and the map as image XObjects');
    assert.match(pdf, /\/Width 40\b/, 'embedded at the grid resolution');
    assert.match(pdf, /\/FontFile2|\/FontFile3|\/Type\s*\/Font/, 'text as real PDF fonts (vector), not pixels');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('figure rejects bad options with exit code 2 and one line', () => {
  for (const [args, message] of [
    [['figure', QUADRATIC, '--out', 'fig.gif'], /--out must end in \.png, \.svg, \.pdf/],
    [['figure', QUADRATIC, '--out', 'fig.svg', '--lrs', '0.2,-1'], /--lrs must be 1 to 12 positive numbers/],
    [['figure', QUADRATIC, '--out', 'fig.svg', '--lrs', '0.2', '--etas', '0.1'], /either --lrs .* or --etas/],
    [['figure', QUADRATIC], /missing --out/],
    [['figure', 'x + y', '--out', 'fig.svg'], /--lrs needs a strict minimum .* --etas/],
  ] as const) {
    const run = gdlab([...args]);
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  }
});
