/**
 * Classes 5–7 and the Lyapunov estimate against closed forms and plain loops written here:
 * a period-2 orbit of GD on the 1-D objective x²/2 − x⁴/4 solved by hand, chaos on a double well
 * (a positive Lyapunov exponent recomputed from the orbit), Rosenbrock's slow creep, and the tail
 * classifier on synthetic sequences.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../src/engine/analyze';
import { computeBasinMap } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { classifyTail, CYCLE_TOLERANCE, TAIL_WINDOW } from '../../../src/engine/orbits';
import { trajectory } from '../../../src/engine/trajectory';
import { PixelClass, type SliceSpec } from '../../../src/engine/types';

test('period-2 cycle on f = x²/2 − x⁴/4 at η = 2.4: the orbit ±√(1 − 2/η) found in closed form', () => {
  // GD: x ← x − η(x − x³). A symmetric 2-cycle x → −x needs x − η(x − x³) = −x, i.e.
  // x² = 1 − 2/η = 1/6; its multiplier (1 − ηf″(x))² with f″ = 1 − 3x² is (2η − 5)² = 0.04 < 1: attracting.
  const eta = 2.4;
  const star = Math.sqrt(1 - 2 / eta);
  const p = analyzeProblem({ expression: 'x^2/2 - x^4/4', domain: [[-0.9, 0.9]] });
  const t = trajectory(p, eta, [0.3]);
  assert.deepEqual(t.outcome, { kind: 'cycle', period: 2 });
  assert.equal(t.steps, DEFAULT_CLASSIFY.maxSteps);
  const last = t.theta[t.steps];
  assert.ok(Math.abs(Math.abs(last) - star) < 1e-12, `|x| = ${last} vs ${star}`);
  assert.ok(Math.abs(t.theta[t.steps - 1] + last) < 1e-12, 'alternates sign');
  // a plain loop reaches the same orbit
  let x = 0.3;
  for (let k = 0; k < t.steps; k++) x -= eta * (x - x ** 3);
  assert.equal(x, last, 'bit-identical to the recorded iterate');
  // Lyapunov: (1/2)·log((2η − 5)²) = log|2η − 5| per step on the cycle
  assert.ok(t.lyapunov !== null && Math.abs(t.lyapunov - Math.log(Math.abs(2 * eta - 5))) < 1e-6, `Λ = ${t.lyapunov}`);
});

test('a map of period-2 cycles: x²/2 − x⁴/4 + 0.3y² at η = 2.4 stores class 5 and period 2', () => {
  const p = analyzeProblem({ expression: 'x^2/2 - x^4/4 + 0.3*y^2', domain: [[-0.9, 0.9], [-0.9, 0.9]] });
  const slice: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: [-0.6, 0.6], yRange: [-0.6, 0.6], width: 8, height: 8 };
  const m = computeBasinMap(p, slice, 2.4, DEFAULT_CLASSIFY, certifyAll(p, 2.4));
  assert.ok(m);
  for (let i = 0; i < 64; i++) {
    assert.equal(m.classes[i], PixelClass.Cycle, `pixel ${i}`);
    assert.equal(m.period[i], 2);
    assert.ok(Number.isNaN(m.limitSharpness[i]));
    assert.equal(m.steps[i], DEFAULT_CLASSIFY.maxSteps);
  }
});

test('chaos on the double well (x² − 1)²/4 at η = 1.8: bounded aperiodic, Lyapunov exponent > 0 (recomputed by hand)', () => {
  const eta = 1.8;
  const p = analyzeProblem({ expression: '(x^2 - 1)^2/4', domain: [[-2, 2]] });
  const t = trajectory(p, eta, [0.3]);
  assert.equal(t.outcome.kind, 'aperiodic');
  // the recorded orbit is GD's (each step x ← x − η(x³ − x), checked by hand), and its tangent
  // map 1 − η(3x² − 1) gives the Lyapunov exponent over the second half
  const xs = Array.from(t.theta);
  const half = Math.floor(t.steps / 2);
  let sum = 0;
  for (let k = 0; k < t.steps; k++) {
    assert.ok(Math.abs(xs[k + 1] - (xs[k] - eta * (xs[k] ** 3 - xs[k]))) < 1e-12, `step ${k}`);
    if (k >= half) sum += Math.log(Math.abs(1 - eta * (3 * xs[k] * xs[k] - 1)));
  }
  const lyap = sum / (t.steps - half);
  assert.ok(t.lyapunov !== null && Math.abs(t.lyapunov - lyap) < 1e-9, `${t.lyapunov} vs ${lyap}`);
  assert.ok(lyap > 0.3, `chaotic: Λ = ${lyap}`);
  assert.ok(xs.slice(half).every((v) => Math.abs(v) < 2), 'bounded');
  // an independent plain loop (its own rounding, so a different orbit) is chaotic too
  let x = 0.3;
  let own = 0;
  for (let k = 0; k < 2000; k++) {
    if (k >= 1000) own += Math.log(Math.abs(1 - eta * (3 * x * x - 1)));
    x -= eta * (x ** 3 - x);
  }
  assert.ok(own / 1000 > 0.3, `plain loop: Λ = ${own / 1000}`);
  // and at η = 1.2 the same start settles on a period-2 orbit instead
  assert.deepEqual(trajectory(p, 1.2, [0.3]).outcome, { kind: 'cycle', period: 2 });
});

test('Rosenbrock at 0.5·η_max: the slow creep along the valley is "still descending"; more steps decide it', () => {
  const p = analyzeProblem({ expression: '(1 - x)^2 + 100*(y - x^2)^2' });
  const eta = 0.5 * (p.minima[0].etaMax as number);
  const t = trajectory(p, eta, [-1.2, 1]);
  assert.equal(t.outcome.kind, 'descending');
  // plain loop: the loss at step 2000 is below the loss 256 steps earlier, and it keeps falling
  const grad = (x: number, y: number): [number, number] => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
  const f = (x: number, y: number): number => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
  let [x, y] = [-1.2, 1];
  const loss: number[] = [];
  for (let k = 0; k <= 2000; k++) {
    loss.push(f(x, y));
    const [gx, gy] = grad(x, y);
    x -= eta * gx;
    y -= eta * gy;
  }
  assert.ok(loss[2000] < loss[1744] && loss[1744] < loss[1488]);
  assert.ok(loss[2000] > 1e-3, 'far from the minimum value 0');
  const longer = trajectory(p, eta, [-1.2, 1], { maxSteps: 100_000 });
  assert.ok(longer.outcome.kind === 'stable' || longer.outcome.kind === 'descending', longer.outcome.kind);
  assert.ok(longer.loss[longer.steps] < loss[2000]);
});

test('classifyTail on synthetic tails: cycle period, tolerance edge, descending, drifting, aperiodic, quasi-stationary', () => {
  const out = new Float64Array(1);
  const n = 1;
  const m = TAIL_WINDOW;
  const run = (x: (k: number) => number, f: (k: number) => number): number => {
    const tb = Float64Array.from({ length: m }, (_, k) => x(k));
    const tf = Float64Array.from({ length: m }, (_, k) => f(k));
    return classifyTail(tb, tf, m, n, out);
  };
  const period3 = [0.5, -0.2, 0.9];
  assert.equal(run((k) => period3[k % 3], (k) => period3[k % 3] ** 2), PixelClass.Cycle);
  assert.equal(out[0], 3);
  // a return distance just above the tolerance is not a cycle
  assert.notEqual(run((k) => period3[k % 3] + (k % 3 === 0 ? (k / 3) * 2 * CYCLE_TOLERANCE : 0), (k) => 1 + (k % 3)), PixelClass.Cycle);
  assert.equal(run((k) => 1 + 1e-3 * Math.sin(k), (k) => 10 - k * 1e-3 + 1e-5 * Math.sin(k)), PixelClass.StillDescending);
  assert.equal(run((k) => (k % 2 ? -1 : 1) * (1 + k / 100), () => 1), PixelClass.NotConverged, 'drifting away');
  assert.equal(run((k) => 1 + 1e-9 * k, () => 5), PixelClass.NotConverged, 'barely moving, no descent');
  // a sequence from the logistic map at r = 4 (chaotic)
  const logistic: number[] = [0.123];
  for (let k = 1; k < m; k++) logistic.push(4 * logistic[k - 1] * (1 - logistic[k - 1]));
  assert.equal(run((k) => logistic[k], (k) => logistic[k]), PixelClass.BoundedAperiodic);
});
