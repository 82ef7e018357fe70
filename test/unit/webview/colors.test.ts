import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PixelClass } from '../../../src/engine/types';
import {
  classColor, createMapData, insertRows, liveFractions, logScale, luminance, parseCssColor, renderMap, viridis,
} from '../../../webview/lib/colors';

test('paper scheme: cyan stable, blue unstable, white diverged (Figure 2); the other classes in their own colours', () => {
  assert.deepEqual(classColor('paper', PixelClass.Stable, 0), [0, 255, 255]);
  assert.deepEqual(classColor('paper', PixelClass.Unstable, 0), [0, 0, 255]);
  assert.deepEqual(classColor('paper', PixelClass.Diverged, -1), [255, 255, 255]);
  assert.notDeepEqual(classColor('paper', PixelClass.Other, -1), [255, 255, 255]);
});

test('per-minimum scheme: different minima differ, stable is lighter than unstable', () => {
  const u0 = classColor('per-minimum', PixelClass.Unstable, 0);
  const u1 = classColor('per-minimum', PixelClass.Unstable, 1);
  const s0 = classColor('per-minimum', PixelClass.Stable, 0);
  const s1 = classColor('per-minimum', PixelClass.Stable, 1);
  assert.notDeepEqual(u0, u1);
  assert.notDeepEqual(s0, s1);
  assert.ok(luminance(s0) > luminance(u0) && luminance(s1) > luminance(u1));
  assert.deepEqual(classColor('per-minimum', PixelClass.Diverged, -1), [255, 255, 255]);
});

/** Machado et al. (2009) dichromacy simulation at severity 1, applied in linear RGB. */
function simulate(rgb: readonly number[], m: number[][]): number[] {
  const lin = rgb.map((c) => { const s = c / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
  const out = m.map((row) => Math.min(1, Math.max(0, row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2])));
  return out.map((v) => 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055));
}
const DEUTERANOPIA = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]];
const PROTANOPIA = [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]];

test('colour-blind scheme: stable, unstable and diverged stay apart under simulated deuteranopia and protanopia', () => {
  const classes = [PixelClass.Stable, PixelClass.Unstable, PixelClass.Diverged];
  for (const m of [DEUTERANOPIA, PROTANOPIA]) {
    const sim = classes.map((c) => simulate(classColor('colorblind', c, 0), m));
    for (let i = 0; i < sim.length; i++) for (let j = i + 1; j < sim.length; j++) {
      const d = Math.hypot(sim[i][0] - sim[j][0], sim[i][1] - sim[j][1], sim[i][2] - sim[j][2]);
      assert.ok(d > 60, `classes ${classes[i]} and ${classes[j]} only ${d.toFixed(0)} apart`);
    }
  }
});

test('viridis endpoints and clamping; log scale', () => {
  assert.deepEqual(viridis(0), [68, 1, 84]);
  assert.deepEqual(viridis(1), [253, 231, 37]);
  assert.deepEqual(viridis(-5), viridis(0));
  assert.deepEqual(viridis(7), viridis(1));
  assert.equal(logScale(0, 100), 0);
  assert.ok(Math.abs(logScale(100, 100) - 1) < 1e-15);
  assert.ok(Math.abs(logScale(9, 99) - Math.log(10) / Math.log(100)) < 1e-15);
  assert.equal(logScale(5, 0), 0);
});

test('renderMap: streamed rows are coloured, missing rows stay transparent', () => {
  const map = createMapData(3, 2);
  insertRows(map, 1, 2, Uint8Array.of(PixelClass.Stable, PixelClass.Unstable, PixelClass.Diverged), Int8Array.of(0, 0, -1),
    Uint32Array.of(5, 9, 3), Uint32Array.of(0, 4, 0));
  const out = new Uint8Array(3 * 2 * 4);
  renderMap(map, 'class', 'paper', out);
  assert.deepEqual([...out.subarray(0, 12)], new Array(12).fill(0), 'row 0 not computed');
  assert.deepEqual([...out.subarray(12, 16)], [0, 255, 255, 255]);
  assert.deepEqual([...out.subarray(16, 20)], [0, 0, 255, 255]);
  assert.deepEqual([...out.subarray(20, 24)], [255, 255, 255, 255]);
  // K layer: the largest K among converged pixels maps to the top of viridis, K = 0 to the bottom
  renderMap(map, 'K', 'paper', out);
  assert.deepEqual([...out.subarray(12, 15)], [...viridis(0)]);
  assert.deepEqual([...out.subarray(16, 19)], [...viridis(1)]);
  assert.deepEqual([...out.subarray(20, 23)], [255, 255, 255], 'diverged keeps its class colour');
});

test('insertRows rejects rows that do not fit', () => {
  const map = createMapData(2, 2);
  assert.throws(() => insertRows(map, 1, 3, new Uint8Array(4), new Int8Array(4), new Uint32Array(4), new Uint32Array(4)), /do not fit/);
  assert.throws(() => insertRows(map, 0, 1, new Uint8Array(3), new Int8Array(3), new Uint32Array(3), new Uint32Array(3)), /do not fit/);
});

test('liveFractions counts only received rows', () => {
  const map = createMapData(2, 2);
  insertRows(map, 0, 1, Uint8Array.of(PixelClass.Stable, PixelClass.Unstable), Int8Array.of(1, 0), new Uint32Array(2), new Uint32Array(2));
  const f = liveFractions(map, 2);
  assert.equal(f.counted, 2);
  assert.equal(f.computed, 0.5);
  assert.equal(f.byClass[PixelClass.Stable], 0.5);
  assert.equal(f.byClass[PixelClass.Unstable], 0.5);
  assert.deepEqual(f.perMinimum, [{ stable: 0, unstable: 0.5 }, { stable: 0.5, unstable: 0 }]);
});

test('parseCssColor reads theme colours', () => {
  assert.deepEqual(parseCssColor('#1e1e1e'), [30, 30, 30]);
  assert.deepEqual(parseCssColor(' #fff '), [255, 255, 255]);
  assert.deepEqual(parseCssColor('#ff000080'), [255, 0, 0]);
  assert.deepEqual(parseCssColor('rgba(10, 20, 30, 0.5)'), [10, 20, 30]);
  assert.equal(parseCssColor('var(--x)'), null);
});
