/**
 * Training runs against independent loops written here: the recorded losses, loss increases, K,
 * sharpness (dense eigendecomposition at the loop's own iterates) and, for Adam, the
 * preconditioned sharpness with P from a reference Adam; thresholds, cancellation, progress,
 * divergence and structured-clone results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigenvalues } from '../../../src/engine/linalg';
import { train, TrainingSession, type TrainProgress } from '../../../src/engine/nn/train';
import { denseHessian, model } from './helpers';

const SMALL = { kind: 'mlp', hidden: [6, 6], activation: 'tanh', data: { generate: 'chebyshev', n: 16, degree: 3 }, init: { seed: 3 } };

test('GD run: losses, increases, K and sharpness equal an independent GD loop with dense Hessians', () => {
  const m = model(SMALL);
  const net = m.network;
  const eta = 0.6, steps = 200, every = 25;
  const run = train(m, { learningRates: [eta], steps, sharpnessEvery: every, lanczosTol: 1e-10 }).runs[0];
  assert.equal(run.status, 'completed');
  assert.equal(run.threshold, 2 / eta);
  const theta = m.initial.slice();
  const g = new Float64Array(net.nParams);
  const losses: number[] = [];
  const sharp: number[] = [];
  for (let k = 0; k <= steps; k++) {
    losses.push(net.lossAndGradient(theta, g));
    if (k % every === 0) {
      const ev = symmetricEigenvalues(denseHessian(net, theta), net.nParams);
      sharp.push(ev[net.nParams - 1]);
      net.lossAndGradient(theta, g);
    }
    for (let i = 0; i < theta.length; i++) theta[i] -= eta * g[i];
  }
  assert.deepEqual(Array.from(run.loss), losses, 'the same arithmetic: bit-identical losses');
  assert.deepEqual(Array.from(run.sharpnessSteps), Array.from({ length: steps / every + 1 }, (_, i) => i * every));
  for (let i = 0; i < sharp.length; i++) assert.ok(Math.abs(run.sharpness[i] - sharp[i]) < 1e-8 * sharp[i], `step ${i * every}: ${run.sharpness[i]} vs ${sharp[i]}`);
  // bookkeeping from the loss sequence with the documented guard
  const inc = losses.map((L, k): number => (k > 0 && L - losses[k - 1] > 1e-12 * Math.abs(losses[k - 1]) ? 1 : 0));
  assert.deepEqual(Array.from(run.increased), inc);
  assert.equal(run.increases, inc.reduce((a, b) => a + b, 0));
  assert.ok(run.increases > 0, 'this η gives an unstable phase');
  assert.equal(run.K, Math.max(0, inc.lastIndexOf(1)));
  assert.equal(run.firstIncreaseAt, inc.indexOf(1));
  const firstAt = sharp.findIndex((s) => s >= 2 / eta);
  assert.equal(run.firstAtThreshold, firstAt < 0 ? null : firstAt * every);
  // ‖∇L‖ at θ_0
  net.lossAndGradient(m.initial, g);
  assert.equal(run.gradNorm[0], Math.hypot(...g));
});

test('Adam run: preconditioned sharpness λ_max(P⁻¹H) with P from a reference Adam, threshold 38/η', () => {
  const m = model(SMALL);
  const net = m.network;
  const n = net.nParams;
  const eta = 0.05, b1 = 0.9, b2 = 0.99, eps = 1e-8, steps = 60, every = 20;
  const run = train(m, { learningRates: [eta], steps, sharpnessEvery: every, lanczosTol: 1e-10, optimizer: { name: 'adam', beta1: b1, beta2: b2, epsilon: eps, biasCorrection: true } }).runs[0];
  assert.ok(Math.abs(run.threshold - 38 / eta) < 1e-9);
  assert.equal(run.preconditioned, true);
  const theta = m.initial.slice();
  const g = new Float64Array(n);
  const mm = new Float64Array(n), vv = new Float64Array(n);
  const expected: number[] = [];
  for (let t = 0; t <= steps; t++) {
    net.lossAndGradient(theta, g);
    if (t % every === 0) {
      // P of the step about to be taken (step t+1): (1 − β₁^{t+1})(√v̂_{t+1} + ε)
      const H = denseHessian(net, theta);
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = b2 * vv[i] + (1 - b2) * g[i] * g[i];
        d[i] = 1 / Math.sqrt((1 - b1 ** (t + 1)) * (Math.sqrt(v / (1 - b2 ** (t + 1))) + eps));
      }
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i * n + j] *= d[i] * d[j];
      expected.push(symmetricEigenvalues(H, n)[n - 1]);
      net.lossAndGradient(theta, g);
    }
    if (t === steps) break;
    for (let i = 0; i < n; i++) {
      mm[i] = b1 * mm[i] + (1 - b1) * g[i];
      vv[i] = b2 * vv[i] + (1 - b2) * g[i] * g[i];
      theta[i] -= (eta * (mm[i] / (1 - b1 ** (t + 1)))) / (Math.sqrt(vv[i] / (1 - b2 ** (t + 1))) + eps);
    }
  }
  assert.equal(run.preconditionedSharpness.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(run.preconditionedSharpness[i] - expected[i]) < 1e-7 * expected[i], `measurement ${i}: ${run.preconditionedSharpness[i]} vs ${expected[i]}`);
  }
});

test('threshold lines per optimizer; several learning rates start from the same θ_0', () => {
  const m = model(SMALL);
  const momentum = train(m, { learningRates: [0.1, 0.2], steps: 5, sharpnessEvery: 0, optimizer: { name: 'momentum', beta: 0.9 } });
  assert.deepEqual(momentum.runs.map((r) => r.threshold), [2 * 1.9 / 0.1, 2 * 1.9 / 0.2]);
  assert.equal(momentum.runs[0].loss[0], momentum.runs[1].loss[0]);
  assert.equal(momentum.optimizerLabel, 'heavy-ball β = 0.9');
  const nest = train(m, { learningRates: [0.1], steps: 5, sharpnessEvery: 0, optimizer: { name: 'nesterov', beta: 0.5 } });
  assert.ok(Math.abs(nest.runs[0].threshold - 3 / (2 * 0.1)) < 1e-12);
  assert.equal(nest.runs[0].sharpness.length, 0);
});

test('cancellation, progress and divergence; results survive structuredClone', () => {
  const m = model(SMALL);
  const seen: TrainProgress[] = [];
  let asked = 0;
  const r = train(m, {
    learningRates: [0.1, 0.2], steps: 1000, sharpnessEvery: 50, checkEvery: 10, progressEvery: 20,
    onProgress: (p) => seen.push(p), shouldCancel: () => ++asked > 12,
  });
  assert.equal(r.cancelled, true);
  assert.equal(r.runs.length, 1);
  const run = r.runs[0];
  assert.equal(run.status, 'cancelled');
  assert.ok(run.steps > 0 && run.steps < 1000);
  assert.equal(run.loss.length, run.steps + 1);
  assert.ok(run.loss.every(Number.isFinite), 'every recorded iterate was evaluated');
  assert.ok(seen.length > 2 && seen.every((p, i) => p.fraction >= 0 && p.fraction <= 1 && (i === 0 || p.fraction >= seen[i - 1].fraction)));
  // the final parameters are those of the last recorded iterate
  assert.equal(m.network.loss(run.finalParams), run.loss[run.steps]);

  const diverging = train(m, { learningRates: [50], steps: 500, sharpnessEvery: 0 }).runs[0];
  assert.equal(diverging.status, 'diverged');
  assert.ok(diverging.steps < 500);
  const last = diverging.loss[diverging.steps];
  assert.ok(!Number.isFinite(last) || last > 1e10 * diverging.loss[0]);

  const session = new TrainingSession(m, { learningRates: [0.3], steps: 40, sharpnessEvery: 10 });
  while (!session.advance(7));
  const result = session.result();
  assert.deepEqual(structuredClone(result), result);
  assert.throws(() => new TrainingSession(m, { learningRates: [], steps: 10 }), /at least one learning rate/);
  assert.throws(() => new TrainingSession(m, { learningRates: [-1], steps: 10 }), /positive/);
});
