import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisView, resolveAxes, resolveBase, sliceFor, smallestEtaMax, sweepEtas } from '../../../src/extension/panel/slice';
import type { AnalysisLike } from '../../../src/extension/panel/slice';
import type { CriticalPoint } from '../../../src/engine/types';
import type { AnalysisSession } from '../../../src/shared/session';

const s = Math.sqrt(19) / (2 * Math.sqrt(5));
const minimum = (point: number[], lambdaMax: number): CriticalPoint => ({
  kind: 'minimum', point, value: 0, eigenvalues: [0.1, lambdaMax], lambdaMin: 0.1, lambdaMax, etaMax: 2 / lambdaMax, gradientNorm: 0,
});
// f4 of the paper: λ_max = 19/5 at both minima → η_max = 10/19
const f4: AnalysisLike = { variables: ['x', 'y'], normalized: 'f4', domain: [[-3, 3], [-3, 3]], criticalPoints: [], minima: [minimum([-s, -s], 19 / 5), minimum([s, s], 19 / 5)] };
const session: AnalysisSession = { title: 'f4', problem: { expression: 'f4' }, eta: 0.25, learningRates: [], starts: [], grid: 256, maxSteps: 2000 };

test('axes by name, defaults and errors', () => {
  assert.deepEqual(resolveAxes(['x', 'y', 'z']), [0, 1]);
  assert.deepEqual(resolveAxes(['x', 'y', 'z'], ['z', 'x']), [2, 0]);
  assert.throws(() => resolveAxes(['x', 'y'], ['x', 'w']), /"w" is not a variable/);
  assert.throws(() => resolveAxes(['x', 'y'], ['x', 'x']), /must differ/);
  assert.throws(() => resolveAxes([]), /no variables/);
});

test('base point: fixed values over the first minimum; domain centre without minima', () => {
  assert.deepEqual(resolveBase(f4), [-s, -s]);
  const three: AnalysisLike = { ...f4, variables: ['x', 'y', 'z'], domain: [[-1, 3], [0, 2], [4, 6]], minima: [] };
  assert.deepEqual(resolveBase(three), [1, 1, 5]);
  assert.deepEqual(resolveBase(three, { z: 4.5 }), [1, 1, 4.5]);
  assert.throws(() => resolveBase(three, { w: 1 }), /"w": not a variable/);
});

test('η_max is the smallest 2/λ_max (paper: f4 → 10/19)', () => {
  assert.ok(Math.abs((smallestEtaMax(f4.minima) as number) - 10 / 19) < 1e-15);
  assert.equal(smallestEtaMax([]), null);
  const v = analysisView(f4, session);
  assert.deepEqual(v.axes, [0, 1]);
  assert.ok(Math.abs((v.etaMax as number) - 10 / 19) < 1e-15);
});

test('slice for a window: square, clamped grid', () => {
  const v = analysisView(f4, session);
  const sl = sliceFor(v, [-1, 1], [0, 2], 5000);
  assert.equal(sl.width, 1024);
  assert.equal(sl.height, 1024);
  assert.deepEqual(sl.xRange, [-1, 1]);
  assert.throws(() => sliceFor(v, [1, 1], [0, 2], 10), /empty map window/);
});

test('sweep learning rates: 20 values from 0.05 to 0.99 of η_max', () => {
  const etas = sweepEtas(1);
  assert.equal(etas.length, 20);
  assert.ok(Math.abs(etas[0] - 0.05) < 1e-15);
  assert.ok(Math.abs(etas[19] - 0.99) < 1e-15);
  for (let i = 1; i < etas.length; i++) assert.ok(Math.abs(etas[i] - etas[i - 1] - 0.94 / 19) < 1e-12);
  assert.throws(() => sweepEtas(0), /positive/);
});
