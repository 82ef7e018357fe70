/**
 * The update rules against independent step-by-step loops (test/unit/support/optimizerReference.ts),
 * GD equivalence at β = 0 bit for bit, the generated code's vocabulary, and spec validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileProblemText } from '../../../../src/engine/analyze';
import { compileStep, runOptimizer } from '../../../../src/engine/optimizers/stepper';
import {
  describeOptimizer, nearestOptimizerName, optimizerRule, OptimizerError, preconditioner, resolveOptimizer, type OptimizerSpec,
} from '../../../../src/engine/optimizers';
import { maxRelativeGap, referenceIterates, type ReferenceOptimizer } from '../../support/optimizerReference';

/** f4 = (1 − xy)² + (x² + y²)/20 and its gradient by hand (independent of the compiler). */
const f4 = compileProblemText('(1 - x*y)^2 + (x^2 + y^2)/20');
const f4grad = ([x, y]: number[]): number[] => [-2 * y * (1 - x * y) + x / 10, -2 * x * (1 - x * y) + y / 10];
/** Rosenbrock and its gradient by hand. */
const rosen = compileProblemText('(1 - x)^2 + 100*(y - x^2)^2');
const rosenGrad = ([x, y]: number[]): number[] => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];

const SPECS: OptimizerSpec[] = [
  resolveOptimizer({ name: 'gd' }),
  resolveOptimizer({ name: 'momentum', beta: 0.9 }),
  resolveOptimizer({ name: 'nesterov', beta: 0.9 }),
  resolveOptimizer({ name: 'rmsprop' }),
  resolveOptimizer({ name: 'rmsprop', biasCorrection: true, beta2: 0.9 }),
  resolveOptimizer({ name: 'adam' }),
  resolveOptimizer({ name: 'adam', biasCorrection: false }),
  resolveOptimizer({ name: 'adam', beta1: 0.5, beta2: 0.99, epsilon: 1e-3 }),
];

test('every rule follows its independent textbook loop to 1e-12 (f4 and Rosenbrock, 400 steps, several starts)', () => {
  const problems = [
    { objective: f4, grad: f4grad, eta: 0.05, starts: [[0.1, 2.5], [1.5, 2], [-2, 0.3]] },
    { objective: rosen, grad: rosenGrad, eta: 0.001, starts: [[-1.2, 1], [0.5, 0.5]] },
  ];
  for (const spec of SPECS) {
    for (const { objective, grad, eta, starts } of problems) {
      for (const start of starts) {
        const run = runOptimizer(objective, optimizerRule(spec, eta), start, 400);
        assert.equal(run.count, 401, `${describeOptimizer(spec)} from ${start}: stopped early`);
        const ref = referenceIterates(spec as ReferenceOptimizer, eta, grad, start, 400);
        const gap = maxRelativeGap(run.theta, ref);
        assert.ok(gap <= 1e-12, `${describeOptimizer(spec)} from ${start} at η = ${eta}: gap ${gap}`);
      }
    }
  }
});

test('β = 0: momentum and Nesterov take exactly the GD steps (bit for bit), and so does Adam with β₁ = 0 vs RMSProp', () => {
  const starts = [[0.1, 2.5], [1.5, 2], [-2.9, 0.03], [2.2, -2.7]];
  for (const start of starts) {
    const gd = runOptimizer(f4, optimizerRule(resolveOptimizer({ name: 'gd' }), 0.5), start, 300);
    for (const name of ['momentum', 'nesterov'] as const) {
      const other = runOptimizer(f4, optimizerRule(resolveOptimizer({ name, beta: 0 }), 0.5), start, 300);
      assert.deepEqual(Array.from(other.theta), Array.from(gd.theta), `${name} β = 0 from ${start}`);
    }
    const rms = runOptimizer(f4, optimizerRule(resolveOptimizer({ name: 'rmsprop', beta2: 0.9, epsilon: 1e-6 }), 0.01), start, 300);
    const adam0 = runOptimizer(f4, optimizerRule(resolveOptimizer({ name: 'adam', beta1: 0, beta2: 0.9, epsilon: 1e-6, biasCorrection: false }), 0.01), start, 300);
    assert.deepEqual(Array.from(adam0.theta), Array.from(rms.theta), `Adam β₁ = 0 vs RMSProp from ${start}`);
  }
});

test('the first Adam step with bias correction is η·sign(g) per coordinate (to 1e-7 relative for ε = 1e-8), 3.16× that without', () => {
  const eta = 0.01;
  const start = [0.7, -1.3];
  const g = f4grad(start);
  const on = runOptimizer(f4, optimizerRule(resolveOptimizer({ name: 'adam' }), eta), start, 1);
  const off = runOptimizer(f4, optimizerRule(resolveOptimizer({ name: 'adam', biasCorrection: false }), eta), start, 1);
  for (let i = 0; i < 2; i++) {
    const stepOn = start[i] - on.theta[2 + i];
    const stepOff = start[i] - off.theta[2 + i];
    assert.ok(Math.abs(stepOn - eta * Math.sign(g[i])) < 1e-7 * eta);
    assert.ok(Math.abs(stepOff - (0.1 / Math.sqrt(0.001)) * eta * Math.sign(g[i])) < 1e-6 * eta);
  }
});

test('generated update code: only literals, fixed identifiers, arithmetic and Math.sqrt / Math.pow', () => {
  for (const spec of SPECS) {
    const rule = optimizerRule(spec, 0.123);
    const text = [rule.init(3), rule.step(3), rule.stall(3, '1e-24 * (1 + n2)') ?? ''].join('\n');
    const stripped = text
      .replace(/Math\.(sqrt|pow)\(/g, '(')
      .replace(/\b(const|let|k|n2|bc1|bc2|rd|(p|g|vel|mo|sq|nh)\d+)\b/g, '')
      .replace(/\d+(\.\d+)?(e[+-]?\d+)?/g, '');
    assert.match(stripped, /^[\s{}()=+\-*/;,<?:.[\]]*$/, `${describeOptimizer(spec)} emitted something unexpected: ${stripped}`);
  }
});

test('compileStep: state round-trips through the array (two half-runs equal one run)', () => {
  const rule = optimizerRule(resolveOptimizer({ name: 'adam' }), 0.02);
  const whole = runOptimizer(f4, rule, [0.3, 1.9], 50);
  const stepper = compileStep(rule, 2);
  const p = Float64Array.from([0.3, 1.9]);
  const g = new Float64Array(2);
  const state = new Float64Array(stepper.stateSize);
  for (let k = 0; k < 50; k++) {
    f4.valueAndGradient(p, g);
    stepper.step(p, g, state, k);
  }
  assert.deepEqual(Array.from(p), Array.from(whole.theta.slice(100, 102)));
  assert.equal(stepper.stateSize, 4);
});

test('preconditioner P of the next step: RMSProp √v̂ + ε, Adam (1 − β₁ᵗ)(√v̂ + ε); none for GD', () => {
  const g = [0.3, -2];
  const out = new Float64Array(2);
  const rms = resolveOptimizer({ name: 'rmsprop', beta2: 0.9, epsilon: 1e-3 });
  assert.equal(preconditioner(rms, [0.5, 0], g, 0, out), true);
  assert.ok(Math.abs(out[0] - (Math.sqrt(0.9 * 0.5 + 0.1 * 0.09) + 1e-3)) < 1e-15);
  assert.ok(Math.abs(out[1] - (Math.sqrt(0.1 * 4) + 1e-3)) < 1e-15);
  const adam = resolveOptimizer({ name: 'adam' });
  // state = [m0, m1, v0, v1]; step k = 1 → t = 2
  assert.equal(preconditioner(adam, [9, 9, 0.5, 0], g, 1, out), true);
  const d2 = 1 - 0.999 ** 2;
  assert.ok(Math.abs(out[0] - (1 - 0.81) * (Math.sqrt((0.999 * 0.5 + 0.001 * 0.09) / d2) + 1e-8)) < 1e-14);
  assert.equal(preconditioner(resolveOptimizer({ name: 'gd' }), [], g, 0, out), false);
});

test('resolveOptimizer: defaults, aliases, and errors that name the parameter, its range and the nearest name', () => {
  assert.deepEqual(resolveOptimizer({ name: 'adam' }), { name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection: true });
  assert.deepEqual(resolveOptimizer({ name: 'RMSProp' }), { name: 'rmsprop', beta2: 0.99, epsilon: 1e-8, biasCorrection: false });
  assert.deepEqual(resolveOptimizer({ name: 'heavy-ball', beta: 0.5 }), { name: 'momentum', beta: 0.5 });
  assert.deepEqual(resolveOptimizer({ name: 'gd' }), { name: 'gd' });
  const fails = (input: Parameters<typeof resolveOptimizer>[0], parameter: string, text: RegExp): void => {
    assert.throws(() => resolveOptimizer(input), (e: unknown) => e instanceof OptimizerError && e.parameter === parameter && text.test(e.message));
  };
  fails({ name: 'momentum', beta: 1 }, 'beta', /beta \(β\) must be in \[0, 1\), got 1/);
  fails({ name: 'momentum', beta: -0.1 }, 'beta', /\[0, 1\)/);
  fails({ name: 'adam', beta2: Number.NaN }, 'beta2', /\[0, 1\)/);
  fails({ name: 'adam', epsilon: 0 }, 'epsilon', /positive/);
  fails({ name: 'rmsprop', epsilon: -1e-8 }, 'epsilon', /positive/);
  fails({ name: 'adamw' }, 'name', /unknown optimizer 'adamw' \(did you mean 'adam'\?\)/);
  fails({ name: 'nesterv' }, 'name', /did you mean 'nesterov'/);
  fails({ name: 'lbfgs' }, 'name', /use one of gd, momentum, nesterov, rmsprop, adam/);
  fails({ name: 'gd', beta: 0.9 }, 'beta', /gradient descent has no parameter 'beta' \(it takes no parameters\)/);
  fails({ name: 'rmsprop', beta1: 0.9 }, 'beta1', /takes beta2, epsilon, biasCorrection/);
  assert.equal(nearestOptimizerName('xyzzy-qq'), null);
  // every suggestion resolves
  for (const bad of ['adamw', 'nesterv', 'rmsprp', 'momentun', 'heavybal']) {
    const near = nearestOptimizerName(bad);
    assert.ok(near !== null, bad);
    assert.doesNotThrow(() => resolveOptimizer({ name: near }));
  }
  assert.equal(describeOptimizer(resolveOptimizer({ name: 'adam' })), 'Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, bias correction on)');
});
