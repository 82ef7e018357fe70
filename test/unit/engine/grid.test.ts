/**
 * Grid conventions of a map: pixel centres (default) and endpoint-inclusive 'edges' (the points
 * of np.linspace(lo, hi, N)), top row = largest y in both — checked against the points computed
 * here and against trajectories started at them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../src/engine/analyze';
import { computeBasinMap, pixelCenter } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { trajectory } from '../../../src/engine/trajectory';
import { PixelClass, type SliceSpec } from '../../../src/engine/types';

/** np.linspace(lo, hi, n) as NumPy computes it: lo + i·step, the last point exactly hi. */
function linspace(lo: number, hi: number, n: number): number[] {
  const step = (hi - lo) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + i * step));
}

test('centers: x_c = lo + (c + ½)·Δ, y_r = hi − (r + ½)·Δ; edges: exactly np.linspace in x, reversed in y', () => {
  const base: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: [-1, 2], yRange: [-3, 1], width: 7, height: 5 };
  for (let c = 0; c < 7; c++) assert.ok(Math.abs(pixelCenter(base, 0, c)[0] - (-1 + ((c + 0.5) * 3) / 7)) <= 1e-15);
  for (let r = 0; r < 5; r++) assert.ok(Math.abs(pixelCenter(base, r, 0)[1] - (1 - ((r + 0.5) * 4) / 5)) <= 1e-15);
  const edges: SliceSpec = { ...base, gridMode: 'edges' };
  const xs = linspace(-1, 2, 7);
  const ys = linspace(-3, 1, 5).reverse();
  for (let c = 0; c < 7; c++) assert.equal(pixelCenter(edges, 0, c)[0], xs[c], `x of column ${c}: bit for bit`);
  for (let r = 0; r < 5; r++) assert.equal(pixelCenter(edges, r, 0)[1], ys[r], `y of row ${r}: bit for bit`);
  assert.deepEqual(pixelCenter(edges, 0, 0), [-1, 1], 'top-left corner is (lo_x, hi_y)');
  assert.deepEqual(pixelCenter(edges, 4, 6), [2, -3], 'bottom-right corner is (hi_x, lo_y)');
});

test('an edges map classifies exactly the linspace starts (each pixel = the trajectory from its grid point)', () => {
  // (x² − 1)² + y² at 0.9·η_max: the column x = 0 (the saddle's stable manifold) lies on an odd linspace grid
  const p = analyzeProblem({ expression: '(x^2 - 1)^2 + y^2', domain: [[-2, 2], [-2, 2]] });
  const eta = 0.9 * 0.25;
  const slice: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: [-2, 2], yRange: [-2, 2], width: 9, height: 9, gridMode: 'edges' };
  const certificates = certifyAll(p, eta);
  const map = computeBasinMap(p, slice, eta, DEFAULT_CLASSIFY, certificates);
  assert.ok(map);
  const xs = linspace(-2, 2, 9);
  const ys = linspace(-2, 2, 9).reverse();
  for (let r = 0; r < 9; r++) {
    for (let c = 0; c < 9; c++) {
      const t = trajectory(p, eta, [xs[c], ys[r]], { certificates });
      const cls: number = map.classes[r * 9 + c];
      const expected = { stable: PixelClass.Stable, unstable: PixelClass.Unstable, diverged: PixelClass.Diverged, other: PixelClass.Other }[t.outcome.kind as 'stable'];
      assert.equal(cls, expected, `(${xs[c]}, ${ys[r]}): ${t.outcome.kind}`);
      assert.equal(map.steps[r * 9 + c], t.steps, `(${xs[c]}, ${ys[r]})`);
      if (xs[c] === 0) assert.equal(cls, PixelClass.Other, 'x = 0 goes to the saddle');
    }
  }
});
