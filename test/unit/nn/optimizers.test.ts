/**
 * Optimizer steps against independent step-by-step references written here (plain number
 * arrays, textbook formulas), to 1e-12; thresholds against the linear recurrences they come
 * from; the Adam/RMSProp preconditioner against the step actually taken; spec validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createOptimizer, nesterov, nesterovTheta, optimizerThreshold, validateOptimizerSpec, type OptimizerSpec,
} from '../../../src/engine/nn/optimizers';
import { randomNetwork } from './helpers';

const STEPS = 60;

/** The loss gradient the references and the modules share: a small tanh network. */
function problem(): { n: number; init: Float64Array; grad: (x: ArrayLike<number>) => number[] } {
  const { net, params } = randomNetwork('tanh', 'mse', [2, 6, 1], 12, 3);
  const g = new Float64Array(net.nParams);
  return {
    n: net.nParams,
    init: params,
    grad: (x) => {
      net.lossAndGradient(Float64Array.from(x), g);
      return Array.from(g);
    },
  };
}

function assertClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-12 * Math.max(1, Math.abs(expected[i]));
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}: entry ${i} ${actual[i]} vs ${expected[i]}`);
  }
}

test('GD and heavy-ball follow θ_{k+1} = θ_k − η∇f(θ_k) + β(θ_k − θ_{k−1}) to 1e-12', () => {
  const { init, grad } = problem();
  for (const beta of [0, 0.5, 0.9]) {
    const eta = 0.3;
    const spec: OptimizerSpec = beta === 0 ? { name: 'gd' } : { name: 'momentum', beta };
    const opt = createOptimizer(spec, init.length, eta);
    const params = init.slice();
    let prev = Array.from(init);
    let cur = Array.from(init);
    for (let k = 0; k < STEPS; k++) {
      opt.step(params, Float64Array.from(grad(params)));
      const g = grad(cur);
      const next = cur.map((x, i) => x - eta * g[i] + beta * (x - prev[i]));
      prev = cur;
      cur = next;
      assertClose(params, cur, `${spec.name} β=${beta} step ${k + 1}`);
    }
    assert.equal(opt.steps, STEPS);
  }
});

test('Nesterov: the stepped vector is y_k = θ_k + β(θ_k − θ_{k−1}) with θ_{k+1} = y_k − η∇f(y_k)', () => {
  const { init, grad } = problem();
  const eta = 0.2, beta = 0.8;
  const state = nesterov.create(init.length, eta, { name: 'nesterov', beta });
  const y = init.slice();
  let thetaPrev = Array.from(init);
  let theta = Array.from(init);
  const thetaOut = new Float64Array(init.length);
  for (let k = 0; k < STEPS; k++) {
    nesterov.step(y, Float64Array.from(grad(y)), state);
    // reference: y_k from θ_k, θ_{k−1}; θ_{k+1} = y_k − η∇f(y_k); then y_{k+1}
    const yk = theta.map((t, i) => t + beta * (t - thetaPrev[i]));
    const g = grad(yk);
    const next = yk.map((v, i) => v - eta * g[i]);
    thetaPrev = theta;
    theta = next;
    const yNext = theta.map((t, i) => t + beta * (t - thetaPrev[i]));
    assertClose(y, yNext, `Nesterov y step ${k + 1}`);
    nesterovTheta(y, state, thetaOut);
    assertClose(thetaOut, theta, `Nesterov θ step ${k + 1}`);
  }
});

test('Adam and RMSProp (bias correction on and off) match the textbook loop to 1e-12', () => {
  const { init, grad } = problem();
  const eta = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, rho = 0.99;
  for (const bc of [true, false]) {
    const adam = createOptimizer({ name: 'adam', beta1: b1, beta2: b2, epsilon: eps, biasCorrection: bc }, init.length, eta);
    const rms = createOptimizer({ name: 'rmsprop', beta2: rho, epsilon: eps, biasCorrection: bc }, init.length, eta);
    const pa = init.slice();
    const pr = init.slice();
    const ra = Array.from(init), m = ra.map(() => 0), v = ra.map(() => 0);
    const rr = Array.from(init), w = rr.map(() => 0);
    for (let t = 1; t <= STEPS; t++) {
      adam.step(pa, Float64Array.from(grad(pa)));
      rms.step(pr, Float64Array.from(grad(pr)));
      const g = grad(ra);
      for (let i = 0; i < ra.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        const mh = bc ? m[i] / (1 - b1 ** t) : m[i];
        const vh = bc ? v[i] / (1 - b2 ** t) : v[i];
        ra[i] -= (eta * mh) / (Math.sqrt(vh) + eps);
      }
      const h = grad(rr);
      for (let i = 0; i < rr.length; i++) {
        w[i] = rho * w[i] + (1 - rho) * h[i] * h[i];
        const wh = bc ? w[i] / (1 - rho ** t) : w[i];
        rr[i] -= (eta * h[i]) / (Math.sqrt(wh) + eps);
      }
      assertClose(pa, ra, `Adam bc=${bc} step ${t}`);
      assertClose(pr, rr, `RMSProp bc=${bc} step ${t}`);
    }
  }
});

test('Adam preconditioner: the step taken is exactly −η P⁻¹ m with P = (1−β₁ᵗ)(√v̂ + ε)', () => {
  const { init, grad } = problem();
  const eta = 0.05;
  const opt = createOptimizer({ name: 'adam', beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection: true }, init.length, eta);
  const params = init.slice();
  const m = new Array<number>(init.length).fill(0);
  const P = new Float64Array(init.length);
  for (let t = 1; t <= 20; t++) {
    const g = Float64Array.from(grad(params));
    assert.equal(opt.preconditioner(g, P), true);
    const before = params.slice();
    opt.step(params, g);
    for (let i = 0; i < m.length; i++) {
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      const expected = before[i] - (eta * m[i]) / P[i];
      assert.ok(Math.abs(params[i] - expected) <= 1e-13 * Math.max(1, Math.abs(expected)), `t=${t} i=${i}`);
    }
  }
  assert.equal(createOptimizer({ name: 'gd' }, 3, 0.1).preconditioner(new Float64Array(3), new Float64Array(3)), false);
});

/** Largest |x| over the last steps of a 1-D run (grows iff unstable; overflow counts as growth). */
function tail(run: (a: number) => number, a: number): number {
  const v = run(a);
  return Number.isFinite(v) ? v : Infinity;
}

test('thresholds equal the stability boundary of each linearisation (within 1e-3 relative)', () => {
  const eta = 0.1;
  const quadratic = (spec: OptimizerSpec) => (lambda: number): number => {
    // f = λx²/2 in one variable, through the optimizer module itself
    const opt = createOptimizer(spec, 1, eta);
    const x = Float64Array.of(1);
    const g = new Float64Array(1);
    let worst = 0;
    for (let k = 0; k < 40000; k++) {
      g[0] = lambda * x[0];
      opt.step(x, g);
      if (k > 39000 || !Number.isFinite(x[0])) worst = Math.max(worst, Math.abs(x[0]));
      if (!Number.isFinite(x[0])) return Infinity;
    }
    return worst;
  };
  const cases: Array<[OptimizerSpec, number]> = [
    [{ name: 'gd' }, 2 / eta],
    [{ name: 'momentum', beta: 0.9 }, (2 * 1.9) / eta],
    [{ name: 'nesterov', beta: 0.9 }, (2 + 1.8) / ((1 + 1.8) * eta)],
  ];
  for (const [spec, closed] of cases) {
    assert.ok(Math.abs(optimizerThreshold(spec, eta) - closed) < 1e-12 * closed);
    const run = quadratic(spec);
    assert.ok(tail(run, closed * (1 - 1e-3)) < 1, `${spec.name} below the threshold should not grow`);
    assert.ok(tail(run, closed * (1 + 1e-3)) > 1, `${spec.name} above the threshold should grow`);
  }
  // Adam with P frozen is heavy-ball on P⁻¹H with rate η(1−β₁) and momentum β₁:
  // m ← β₁m + (1−β₁)·a·x, x ← x − η m, stable iff a < (2+2β₁)/((1−β₁)η) = 38/η at β₁ = 0.9
  const spec: OptimizerSpec = { name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection: true };
  const thr = optimizerThreshold(spec, eta);
  assert.ok(Math.abs(thr - 38 / eta) < 1e-9);
  const frozen = (a: number): number => {
    let x = 1, m = 0, worst = 0;
    for (let k = 0; k < 40000; k++) {
      m = 0.9 * m + 0.1 * a * x;
      x -= eta * m;
      if (!Number.isFinite(x)) return Infinity;
      if (k > 39000) worst = Math.max(worst, Math.abs(x));
    }
    return worst;
  };
  assert.ok(tail(frozen, thr * (1 - 1e-3)) < 1 && tail(frozen, thr * (1 + 1e-3)) > 1);
  assert.equal(optimizerThreshold({ name: 'rmsprop', beta2: 0.99, epsilon: 1e-8, biasCorrection: false }, eta), 2 / eta);
});

test('optimizer specs: defaults, shorthand, and errors with paths', () => {
  assert.deepEqual(validateOptimizerSpec('adam').spec, { name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection: true });
  assert.deepEqual(validateOptimizerSpec({ name: 'rmsprop' }).spec, { name: 'rmsprop', beta2: 0.99, epsilon: 1e-8, biasCorrection: false });
  assert.deepEqual(validateOptimizerSpec({ name: 'momentum', beta: 0.5 }).spec, { name: 'momentum', beta: 0.5 });
  const bad = validateOptimizerSpec({ name: 'momentum', beta: 1 }, ['optimizer']);
  assert.deepEqual(bad.errors?.map((e) => e.path), [['optimizer', 'beta']]);
  assert.match(bad.errors?.[0].message ?? '', /\[0, 1\)/);
  const typo = validateOptimizerSpec({ name: 'adma' });
  assert.match(typo.errors?.[0].message ?? '', /did you mean "adam"/);
  const eps = validateOptimizerSpec({ name: 'adam', epsilon: 0, betas: [0.9] });
  assert.deepEqual(eps.errors?.map((e) => e.path).sort(), [['betas'], ['epsilon']]);
  assert.throws(() => createOptimizer({ name: 'gd' }, 2, 0), /positive/);
});
