import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyzedProblem } from '../../../src/engine/analyze';
import { createBasinKernel, defaultSlice, pixelStart } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY, isIncrease, termMagnitude } from '../../../src/engine/classify';
import { evaluateExpr } from '../../../src/engine/expr';
import { PAPER_FUNCTIONS } from '../../../src/engine/paper';
import { trajectory } from '../../../src/engine/trajectory';
import { PixelClass } from '../../../src/engine/types';
import { paperProblem } from '../support/paper';

const paper = (id: string): AnalyzedProblem => paperProblem(id);

/** f1 by hand (independent of the compiler). */
const f1 = (x: number, y: number): number => x * x + y * y + x * x * y + x ** 3 + y ** 3;

test('f1 at η = 0.95: (−0.3, 0.1) stable; (0.2, 0.2) unstable, first increase at step 1; (0.1, −0.4) unstable, first at step 3; (0.5, 0.5) diverges', () => {
  const p = paper('f1');
  const a = trajectory(p, 0.95, [-0.3, 0.1]);
  assert.deepEqual(a.outcome, { kind: 'stable', minimum: 0 });
  assert.equal(a.increases, 0);
  assert.equal(a.K, 0);
  assert.equal(a.firstIncreaseAt, null);

  const b = trajectory(p, 0.95, [0.2, 0.2]);
  assert.deepEqual(b.outcome, { kind: 'unstable', minimum: 0 });
  assert.equal(b.firstIncreaseAt, 1);
  // independent: f(θ₁) > f(θ₀) with θ₁ computed by hand
  const g = [2 * 0.2 + 2 * 0.2 * 0.2 + 3 * 0.04, 2 * 0.2 + 0.04 + 3 * 0.04];
  assert.ok(f1(0.2 - 0.95 * g[0], 0.2 - 0.95 * g[1]) > f1(0.2, 0.2));

  const c = trajectory(p, 0.95, [0.1, -0.4]);
  assert.deepEqual(c.outcome, { kind: 'unstable', minimum: 0 });
  assert.equal(c.firstIncreaseAt, 3);
  assert.ok(c.loss[3] > c.loss[2] && c.loss[1] < c.loss[0] && c.loss[2] < c.loss[1]);

  const d = trajectory(p, 0.95, [0.5, 0.5]);
  assert.deepEqual(d.outcome, { kind: 'diverged' });
});

test('f4 (Figure 3) at η = 0.25: (0.1, 2.5) converges unstably, (1.5, 2) stably, both into a certified region', () => {
  const p = paper('f4');
  const u = trajectory(p, 0.25, [0.1, 2.5]);
  assert.equal(u.outcome.kind, 'unstable');
  assert.ok(u.K >= 2 && u.increases >= 1);
  assert.notEqual(u.enteredCertifiedAt, null);
  const s = trajectory(p, 0.25, [1.5, 2]);
  assert.equal(s.outcome.kind, 'stable');
  assert.notEqual(s.enteredCertifiedAt, null);
  // the reported minimum is the one the iterate is at (its first step jumps to (−0.54, 0.45),
  // and it ends at −(√19/(2√5))(1, 1))
  const m = p.minima[s.outcome.kind === 'stable' ? s.outcome.minimum : -1];
  const r = Math.sqrt(19) / (2 * Math.sqrt(5));
  assert.ok(Math.abs(m.point[0] + r) < 1e-9 && Math.abs(m.point[1] + r) < 1e-9);
  assert.ok(Math.hypot(s.theta[2 * s.steps] + r, s.theta[2 * s.steps + 1] + r) < 0.03);
  for (let k = 1; k <= s.steps; k++) assert.ok(s.loss[k] < s.loss[k - 1], 'stable: the loss falls at every step');
});

test('recorded quantities agree with independent computations (interpreter, finite differences, closed form)', () => {
  const p = paper('f1');
  const t = trajectory(p, 0.5, [0.3, -0.2], { tailSteps: 5 });
  const h = 1e-6;
  for (let k = 0; k <= Math.min(t.steps, 10); k++) {
    const x = t.theta[2 * k];
    const y = t.theta[2 * k + 1];
    assert.ok(Math.abs(t.loss[k] - evaluateExpr(p.parsed.expr, [x, y])) < 1e-15);
    const gx = (f1(x + h, y) - f1(x - h, y)) / (2 * h);
    const gy = (f1(x, y + h) - f1(x, y - h)) / (2 * h);
    assert.ok(Math.abs(t.gradNorm[k] - Math.hypot(gx, gy)) < 1e-7);
    // Hessian of f1: [[2 + 2y + 6x, 2x], [2x, 2 + 6y]]
    const a = 2 + 2 * y + 6 * x;
    const b = 2 * x;
    const d = 2 + 6 * y;
    const lmax = (a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b);
    assert.ok(Math.abs(t.sharpness[k] - lmax) < 1e-12);
    if (k > 0) {
      // GD step
      assert.ok(Math.abs(t.theta[2 * k] - (t.theta[2 * k - 2] - 0.5 * (2 * t.theta[2 * k - 2] + 2 * t.theta[2 * k - 2] * t.theta[2 * k - 1] + 3 * t.theta[2 * k - 2] ** 2))) < 1e-15);
    }
  }
  assert.equal(t.tail, 5, 'tail iterates recorded after the decision');
  assert.equal(t.theta.length, (t.steps + t.tail + 1) * 2);
});

test('increased flags, K and the number of increases are consistent with the loss column', () => {
  const p = paper('f4');
  const t = trajectory(p, 0.3, [0.1, 2.5]);
  assert.equal(t.outcome.kind, 'unstable');
  assert.ok(t.increases >= 2, 'several increases (independently: see the loss column below)');
  let count = 0;
  let last = 0;
  for (let k = 1; k <= t.steps; k++) {
    const rose = t.loss[k] - t.loss[k - 1] > 1e-12 * (Math.abs(t.loss[k - 1]) + 1);
    assert.equal(t.increased[k] === 1, rose, `step ${k}`);
    if (rose) {
      count++;
      last = k;
    }
  }
  assert.equal(t.increases, count);
  assert.equal(t.K, last, 'K = the index of the last increase');
  assert.ok(t.K <= t.steps);
  for (let k = t.K + 1; k <= t.steps; k++) assert.ok(t.loss[k] < t.loss[k - 1], 'from θ_K on the loss falls at every step');
  assert.equal(t.increased[0], 0);
});

test('the loss-increase guard is relative to |f| and to the size of the terms', () => {
  // f3 at (1, 1): 1 + 1 − 3 + 1 = 0, terms of total size 6
  const p = paper('f3');
  assert.ok(Math.abs(termMagnitude(p.compiled.ir.f, [1, 1]) - 6) < 1e-12);
  assert.equal(isIncrease(0, 1e-13, 1e-12, 6), false, 'a rise far below round-off of the terms is not counted');
  assert.equal(isIncrease(0, 1e-9, 1e-12, 6), true);
  assert.equal(isIncrease(1, 1 + 1e-13, 1e-12, 0), false);
  assert.equal(isIncrease(1, 1 + 1e-11, 1e-12, 0), true);
});

test('a trajectory and the basin-map pixel of the same start agree (class, minimum, steps, K)', () => {
  for (const id of ['f1', 'f3', 'f4']) {
    const p = paper(id);
    const f = PAPER_FUNCTIONS.find((g) => g.id === id);
    const eta = 0.95 * (f?.etaMax as number);
    const certificates = certifyAll(p, eta);
    const slice = defaultSlice(p, 24);
    const rows = createBasinKernel(p, slice, eta, DEFAULT_CLASSIFY, certificates).runRows(0, 24);
    assert.ok(rows);
    for (let r = 0; r < 24; r += 3) {
      for (let c = 0; c < 24; c += 2) {
        const i = r * 24 + c;
        const t = trajectory(p, eta, pixelStart(slice, r, c), { certificates });
        const cls = {
          stable: PixelClass.Stable, unstable: PixelClass.Unstable, diverged: PixelClass.Diverged, other: PixelClass.Other,
          not_converged: PixelClass.NotConverged, cycle: PixelClass.Cycle, aperiodic: PixelClass.BoundedAperiodic, descending: PixelClass.StillDescending,
        }[t.outcome.kind];
        assert.equal(rows.classes[i], cls, `${id} pixel (${r}, ${c})`);
        assert.equal(rows.steps[i], t.steps);
        assert.equal(rows.unstableSteps[i], t.K);
        assert.equal(rows.minimum[i], t.outcome.kind === 'stable' || t.outcome.kind === 'unstable' ? t.outcome.minimum : -1);
        assert.ok(Object.is(rows.limitSharpness[i], Math.fround(t.limitSharpness)));
        assert.equal(rows.period[i], t.outcome.kind === 'cycle' ? t.outcome.period : 0);
      }
    }
  }
});

test('bad input: wrong number of coordinates, non-finite start, bad η', () => {
  const p = paper('f1');
  assert.throws(() => trajectory(p, 0.5, [0.1]), /1 coordinates; the objective has 2 variables/);
  assert.throws(() => trajectory(p, 0.5, [0.1, NaN]), /not a finite number/);
  assert.throws(() => trajectory(p, 0, [0.1, 0.1]), /positive/);
  assert.throws(() => trajectory(p, 0.5, [0.1, 0.1], { maxSteps: -1 }), /maxSteps/);
});

test('maxSteps reached while drifting away → not converged (f1 just past η_max, start near the minimum)', () => {
  const p = paper('f1');
  // just past η_max = 1 the minimum repels along its stiff direction, by |1 − 2η| = 1.001 per step:
  // an oscillation of slowly growing amplitude, neither periodic, nor descending, nor bounded
  const t = trajectory(p, 1.0005, [1e-3, 1e-3], { maxSteps: 50 });
  assert.equal(t.outcome.kind, 'not_converged');
  assert.equal(t.steps, 50);
  assert.ok(Math.abs(t.theta[2 * 50] / t.theta[2 * 48] - 1.001 ** 2) < 1e-3, 'amplitude grows by 1.001 per step');
  // the Lyapunov estimate sees the repulsion: log(1.001) per step along the stiff direction
  assert.ok(t.lyapunov !== null && Math.abs(t.lyapunov - Math.log(1.001)) < 5e-4, `Λ = ${t.lyapunov}`);
});
