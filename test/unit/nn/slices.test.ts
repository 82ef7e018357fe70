/**
 * 2-D slices around a trained point: the planes (top Hessian eigenvectors; filter-normalised
 * random directions), and the per-start classification against an independent GD loop that
 * applies the documented rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigen } from '../../../src/engine/linalg';
import { classCounts, filterNormalizedDirection, SliceMap, slicePixel, sliceMap, sliceSetup } from '../../../src/engine/nn/slices';
import { train } from '../../../src/engine/nn/train';
import { PixelClass } from '../../../src/engine/types';
import { denseHessian, model } from './helpers';

const m = model({ kind: 'mlp', hidden: [5, 5], activation: 'tanh', data: { generate: 'chebyshev', n: 12, degree: 2 }, init: { seed: 1 } });
const trainedEta = 0.25;
const trained = train(m, { learningRates: [trainedEta], steps: 1500, sharpnessEvery: 0 }).runs[0].finalParams;
const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, x, i) => s + x * b[i], 0);

test('hessian plane: the top two eigenvectors of the dense Hessian, scaled to ‖θ*‖', () => {
  const map = new SliceMap(m.network, trained, { plane: 'hessian', eta: 0.1, width: 3, height: 3 });
  const { d1, d2, eigenvalues } = map.setup;
  const n = m.network.nParams;
  const dense = symmetricEigen(denseHessian(m.network, trained), n);
  assert.ok(Math.abs(eigenvalues[0] - dense.values[n - 1]) < 1e-9 * dense.values[n - 1]);
  assert.ok(Math.abs(eigenvalues[1] - dense.values[n - 2]) < 1e-9 * dense.values[n - 1]);
  const scale = Math.sqrt(dot(trained, trained));
  assert.ok(Math.abs(Math.sqrt(dot(d1, d1)) - scale) < 1e-9 * scale);
  assert.ok(Math.abs(dot(d1, d2)) < 1e-8 * scale * scale);
  const top = new Float64Array(n).map((_, i) => dense.vectors[i * n + n - 1]);
  assert.ok(Math.abs(Math.abs(dot(d1, top)) - scale) < 1e-6 * scale, 'd1 ∥ the top eigenvector');
});

test('filter-normalised direction: each weight row has the norm of that row of θ*, biases 0', () => {
  const d = filterNormalizedDirection(m.network, trained, 3);
  for (const b of m.network.layout) {
    for (let r = 0; r < b.rows; r++) {
      const row = (v: Float64Array): Float64Array => v.subarray(b.offset + r * b.cols, b.offset + (r + 1) * b.cols);
      if (b.kind === 'bias') assert.ok(row(d).every((x) => x === 0));
      else assert.ok(Math.abs(Math.sqrt(dot(row(d), row(d))) - Math.sqrt(dot(row(trained), row(trained)))) < 1e-12);
    }
  }
  assert.notDeepEqual(d, filterNormalizedDirection(m.network, trained, 4));
});

/** The documented rule, written out: GD from θ* + α d1 + β d2, band L ≤ L*(1 + tol) + 1e-12 for `settle` steps. */
function reference(map: SliceMap, row: number, col: number): { cls: number; K: number } {
  const s = map.setup;
  const net = m.network;
  const [a, b] = slicePixel(s, row, col);
  const theta = s.center.map((c, i) => c + a * s.d1[i] + b * s.d2[i]);
  const g = new Float64Array(theta.length);
  const band = s.centerLoss * (1 + s.lossTolerance) + 1e-12;
  const losses: number[] = [];
  let entry = -1;
  for (let k = 0; k <= s.maxSteps; k++) {
    const L = net.lossAndGradient(theta, g);
    if (!Number.isFinite(L) || L > 1e6 * Math.max(losses[0] ?? L, s.centerLoss)) return { cls: PixelClass.Diverged, K: 0 };
    losses.push(L);
    if (L <= band) {
      if (entry < 0) entry = k;
      if (k - entry + 1 >= s.settleSteps) {
        const inc = losses.slice(0, entry + 1).map((x, j) => (j > 0 && x - losses[j - 1] > 1e-12 * Math.abs(losses[j - 1]) ? 1 : 0));
        return { cls: inc.includes(1) ? PixelClass.Unstable : PixelClass.Stable, K: Math.max(0, inc.lastIndexOf(1)) };
      }
    } else {
      entry = -1;
    }
    for (let i = 0; i < theta.length; i++) theta[i] -= s.eta * g[i];
  }
  return { cls: PixelClass.NotConverged, K: 0 };
}

test('slice rows classify like the documented rule; stable near θ* below 2/λ_max, unstable starts beyond', () => {
  const options = { eta: 0.19, width: 9, height: 9, range: [-0.3, 0.3] as [number, number], maxSteps: 3000, lossTolerance: 0.1 };
  for (const plane of ['hessian', 'filter-normalized'] as const) {
    const map = new SliceMap(m.network, trained, { ...options, plane });
    assert.ok(map.setup.eigenvalues.length === 0 || map.setup.eigenvalues[0] < 2 / options.eta, 'the trained point is below the edge');
    for (const row of [0, 4, 8]) {
      const r = map.runRow(row);
      assert.ok(r);
      for (let col = 0; col < 9; col++) {
        const ref = reference(map, row, col);
        assert.equal(r.classes[col], ref.cls, `${plane} (${row}, ${col})`);
        if (ref.cls === PixelClass.Stable || ref.cls === PixelClass.Unstable) assert.equal(r.K[col], ref.K);
      }
      if (row === 4) assert.equal(r.classes[4], PixelClass.Stable, 'θ* itself: GD below the threshold stays in the band');
    }
  }
  const full = sliceMap(m.network, trained, { ...options, plane: 'filter-normalized' });
  const counts = classCounts(full.classes);
  assert.equal(counts.reduce((a, b) => a + b, 0), 81);
  assert.equal(counts.length, Math.max(...Object.values(PixelClass)) + 1);
  assert.ok(counts[PixelClass.Unstable] > 0, `some starts converge unstably: ${counts}`);
  assert.ok(counts[PixelClass.Stable] > 0);
});

test('a setup is plain data: a map rebuilt from its structured clone (as a worker would) gives the same rows', () => {
  const setup = sliceSetup(m.network, trained, { plane: 'hessian', eta: 0.19, width: 5, height: 5, range: [-0.3, 0.3], maxSteps: 2000 });
  const clone = structuredClone(setup);
  assert.deepEqual(clone, setup);
  const a = new SliceMap(m.network, setup).runRow(1);
  const b = new SliceMap(m.network, clone).runRow(1);
  assert.deepEqual(a, b);
});

test('a slice is cancellable and rejects bad options', () => {
  const map = new SliceMap(m.network, trained, { plane: 'filter-normalized', eta: 0.1, width: 4, height: 4, maxSteps: 5000, lossTolerance: 1e-9 });
  let calls = 0;
  assert.equal(map.runRow(0, () => ++calls > 2), null);
  assert.throws(() => new SliceMap(m.network, trained, { plane: 'hessian', eta: 0.1, width: 0, height: 4 }), /width/);
  assert.throws(() => new SliceMap(m.network, trained, { plane: 'hessian', eta: 0.1, width: 4, height: 4, range: [1, -1] }), /inverted/);
  assert.throws(() => new SliceMap(m.network, trained.subarray(1), { plane: 'hessian', eta: 0.1, width: 4, height: 4 }), /entries/);
});
