/**
 * The drawn outputs of `gdlab orbit` and `gdlab zoom` on the built CLI (npm test builds first):
 * the orbit diagram as SVG (title with the function and start, both panels' axis titles, the
 * η_max and first-non-convergent markers) and PNG (size from its header, following --scale), bad
 * --plot names; the zoom movie's labelled frames (size from the header, equal for every frame) and
 * its GIF, decoded independently with omggif (frame count and size).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'htmlparser2';
import { elements } from '../support/svgDom';
import { GifReader } from 'omggif';

const root = path.join(__dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const QUARTIC = 'x^4/4 - x^2/2';
const F4 = '(1 - x*y)^2 + (x^2 + y^2)/20';

function gdlab(args: string[]) {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` (npm test does)');
  return spawnSync(process.execPath, [cli, ...args, '--workers', '2'], { encoding: 'utf8', timeout: 120_000 });
}

/**
 * All text of the document in order, runs joined: Skia's SVG writer splits one drawn string into
 * runs (at spaces and font fallbacks) and writes "fi" as a ligature.
 */
function allText(svg: string): string {
  const all = elements(parseDocument(svg, { xmlMode: true }).children).filter((e) => e.name === 'text');
  const runs = all.map((e) => e.children.map((c) => (c.type === 'text' ? (c as unknown as { data: string }).data : '')).join(''));
  return runs.join(' ').replace(/ﬁ/g, 'fi').replace(/\s+/g, ' ');
}

function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  assert.equal(b.toString('latin1', 12, 16), 'IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('orbit → SVG and PNG: the diagram with its title, both panels, η_max and the first non-convergent η', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdlab-orbit-fig-'));
  try {
    const svg = path.join(dir, 'orbit.svg');
    const r = gdlab(['orbit', QUARTIC, '--domain', '-2,2', '--init', '0.5', '--eta-range', '0.8,1.3', '--etas', '60', '--out', svg]);
    assert.equal(r.status, 0, r.stderr);
    const doc = readFileSync(svg, 'utf8');
    const t = allText(doc).replace(/ ?_ ?/g, '_').replace(/\( /g, '(');
    assert.match(doc, /<title>Orbit diagram of GD on f = x⁴\/4 − x²\/2, from θ₀ = \(0\.5\)<\/title>/);
    for (const want of ['Lyapunov exponent λ', 'f(θ_k) − f*', 'η_max = 1 (minima #0, #1)', 'cycle of period p', 'learning rate η (η_max = 1)', 'first η where the start stops converging']) {
      assert.ok(t.includes(want), `"${want}" in ${t}`);
    }
    assert.match(t, /stops converging: η = 1\.0\d* \(1\.0\d* η_max\)/, 'the first non-convergent η, just above η_max = 1');

    const png = path.join(dir, 'orbit.png');
    const p1 = gdlab(['orbit', QUARTIC, '--domain', '-2,2', '--init', '0.5', '--etas', '40', '--plot', 'x', '--scale', '1', '--out', png]);
    assert.equal(p1.status, 0, p1.stderr);
    const one = pngSize(png);
    const p2 = gdlab(['orbit', QUARTIC, '--domain', '-2,2', '--init', '0.5', '--etas', '40', '--plot', 'x', '--scale', '2', '--out', png]);
    assert.equal(p2.status, 0, p2.stderr);
    const two = pngSize(png);
    assert.ok(one.width >= 700 && one.height >= 450, `a readable diagram at scale 1: ${one.width}×${one.height}`);
    assert.deepEqual(two, { width: 2 * one.width, height: 2 * one.height }, '--scale 2 doubles both sides');

    const bad = gdlab(['orbit', QUARTIC, '--init', '0.5', '--etas', '10', '--plot', 'z', '--out', path.join(dir, 'bad.png')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--plot: 'z' is not a recorded coordinate \(recorded: x\); or --plot loss/);
    assert.ok(!existsSync(path.join(dir, 'bad.png')));
    const csvPlot = gdlab(['orbit', QUARTIC, '--init', '0.5', '--etas', '10', '--plot', 'x', '--out', path.join(dir, 'o.csv')]);
    assert.equal(csvPlot.status, 2);
    assert.match(csvPlot.stderr, /--plot and --scale go with a drawn diagram/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('zoom --gif: labelled frames of one size, their GIF decoded with the same frame count and size', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdlab-zoom-fig-'));
  try {
    const out = path.join(dir, 'z');
    const r = gdlab(['zoom', F4, '--eta', '0.5', '--frames', '3', '--factor', '4', '--grid', '40', '--out', out, '--gif', '--delay', '300']);
    assert.equal(r.status, 0, r.stderr);
    const files = readdirSync(out).sort();
    assert.deepEqual(files.filter((f) => f.startsWith('movie-')), ['movie-000-zoom-1x.png', 'movie-001-zoom-4x.png', 'movie-002-zoom-16x.png']);
    const sizes = files.filter((f) => f.startsWith('movie-')).map((f) => pngSize(path.join(out, f)));
    assert.ok(sizes.every((s) => s.width === sizes[0].width && s.height === sizes[0].height), `one size: ${JSON.stringify(sizes)}`);
    const gif = new GifReader(readFileSync(path.join(out, 'zoom.gif')));
    assert.equal(gif.numFrames(), 3);
    assert.deepEqual([gif.width, gif.height], [sizes[0].width, sizes[0].height]);
    assert.equal(gif.frameInfo(2).delay, 30);
    const manifest = JSON.parse(readFileSync(path.join(out, 'frames.json'), 'utf8')) as { frames: { labelled: string }[] };
    assert.deepEqual(manifest.frames.map((f) => f.labelled), ['movie-000-zoom-1x.png', 'movie-001-zoom-4x.png', 'movie-002-zoom-16x.png']);
    const noGif = gdlab(['zoom', F4, '--eta', '0.5', '--frames', '2', '--grid', '16', '--out', path.join(dir, 'y'), '--delay', '100']);
    assert.equal(noGif.status, 2);
    assert.match(noGif.stderr, /--delay is the time per frame of the GIF: give --gif too/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('basin --stats on one pool: the map and the uncertainty exponent share the workers, the pool stays open for its owner', { timeout: 120_000 }, async () => {
  const { analyzeProblem } = await import('../../../src/engine/analyze');
  const { defaultSlice } = await import('../../../src/engine/basin');
  const { DEFAULT_CLASSIFY } = await import('../../../src/engine/classify');
  const { ComputePool } = await import('../../../src/compute/pool');
  const { computeBasinMap } = await import('../../../src/cli/commands/basin');
  const { fractalStats } = await import('../../../src/cli/measuresStats');
  const problem = analyzeProblem({ expression: F4, domain: [[-3, 3], [-3, 3]] });
  const slice = defaultSlice(problem, 24);
  const pool = new ComputePool({ workers: 2, workerScript: path.join(root, 'dist', 'worker.js') });
  try {
    const map = await computeBasinMap(problem, slice, 0.5, DEFAULT_CLASSIFY, pool);
    const stats = await fractalStats(problem, slice, 0.5, DEFAULT_CLASSIFY, map.rows, pool);
    assert.equal(stats.uncertainty.starts, 24 * 24);
    // the same pool still answers: neither call closed it
    const again = await computeBasinMap(problem, slice, 0.5, DEFAULT_CLASSIFY, pool);
    assert.deepEqual(Array.from(again.rows.classes), Array.from(map.rows.classes));
  } finally {
    pool.dispose();
  }
});
