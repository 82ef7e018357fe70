import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../src/engine/analyze';
import { basinStats, computeBasinMap, defaultSlice } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { PAPER_FUNCTIONS, paperSpec } from '../../../src/engine/paper';
import { defaultSweepEtas, runSweep, smallestEtaMax, sweepEtas } from '../../../src/engine/sweep';

test('defaultSweepEtas: 20 values from 0.05 to 0.99 of the smallest η_max (f3: 1/6)', () => {
  const f3 = PAPER_FUNCTIONS.find((f) => f.id === 'f3');
  assert.ok(f3);
  const p = analyzeProblem(paperSpec(f3));
  const etaMax = smallestEtaMax(p);
  assert.ok(etaMax !== null && Math.abs(etaMax - 1 / 6) < 1e-12);
  const etas = defaultSweepEtas(p);
  assert.equal(etas.length, 20);
  assert.ok(Math.abs(etas[0] - 0.05 / 6) < 1e-15 && Math.abs(etas[19] - 0.99 / 6) < 1e-15);
  for (let i = 1; i < 20; i++) assert.ok(Math.abs(etas[i] - etas[i - 1] - 0.94 / 19 / 6) < 1e-14, 'evenly spaced');
  assert.deepEqual(sweepEtas(p, 1), [0.05 / 6]);
  assert.throws(() => sweepEtas(p, 0), /positive whole number/);
});

test('no minimum → no default sweep, with a message', () => {
  const p = analyzeProblem({ expression: 'x + y', domain: [[-1, 1], [-1, 1]] });
  assert.equal(smallestEtaMax(p), null);
  assert.throws(() => defaultSweepEtas(p), /no strict minimum/);
});

test('runSweep: one point per η in order, fractions sum to 1, equal to the map computed directly', () => {
  const f4 = PAPER_FUNCTIONS.find((f) => f.id === 'f4');
  assert.ok(f4);
  const p = analyzeProblem(paperSpec(f4));
  const slice = defaultSlice(p, 32);
  const etas = [0.1, 0.3, 0.5];
  const seen: number[] = [];
  const points = runSweep(p, slice, etas, DEFAULT_CLASSIFY, (pt, done, total) => {
    seen.push(pt.eta);
    assert.equal(total, 3);
    assert.equal(done, seen.length);
  });
  assert.ok(points);
  assert.deepEqual(points.map((q) => q.eta), etas);
  assert.deepEqual(seen, etas);
  for (const q of points) {
    const s = q.stats;
    assert.ok(Math.abs(s.stable + s.unstable + s.diverged + s.notConverged + s.other - 1) < 1e-12);
    const perMin = s.perMinimum.reduce((a, m) => a + m.stable + m.unstable, 0);
    assert.ok(Math.abs(perMin - (s.stable + s.unstable)) < 1e-12);
    assert.ok(Math.abs(q.etaFraction - q.eta / (10 / 19)) < 1e-9);
    const m = computeBasinMap(p, slice, q.eta, DEFAULT_CLASSIFY, certifyAll(p, q.eta));
    assert.ok(m);
    assert.deepEqual(basinStats(m.classes, m.minimum, 2, m.increases), s);
  }
  // f4 is symmetric under θ → −θ: both minima get the same share
  const last = points[2].stats.perMinimum;
  assert.ok(Math.abs(last[0].stable - last[1].stable) < 1e-12 && Math.abs(last[0].unstable - last[1].unstable) < 1e-12);
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  Atomics.store(cancel, 0, 1);
  assert.equal(runSweep(p, slice, [0.5], { ...DEFAULT_CLASSIFY, maxSteps: 100_000 }, undefined, cancel), null);
});
