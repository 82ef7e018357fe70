/**
 * Silent wrong answers of the critical-point search: every reported minimum must be stationary
 * (its residual within the round-off of ∇f, checked here against a Newton step computed by hand)
 * and have a finite threshold; wide windows, points without any critical point, underflowing
 * curvature and jumps of f must not produce minima.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../src/engine/analyze';
import { findCriticalPoints, searchCriticalPoints } from '../../../src/engine/critical';
import { compileProblemText } from '../../../src/engine/analyze';

const F4 = '(1 - x*y)^2 + (x^2 + y^2)/20';
const R = Math.sqrt(19) / (2 * Math.sqrt(5));

/** f4's gradient and Hessian by hand; the Newton step from p to the root. */
function f4NewtonStep(p: number[]): number {
  const [x, y] = p;
  const gx = -2 * y * (1 - x * y) + x / 10;
  const gy = -2 * x * (1 - x * y) + y / 10;
  const a = 2 * y * y + 0.1;
  const b = 4 * x * y - 2;
  const d = 2 * x * x + 0.1;
  const det = a * d - b * b;
  return Math.hypot((d * gx - b * gy) / det, (a * gy - b * gx) / det);
}

for (const width of [1e5, 1e6]) {
  test(`f4 on [−${width}, ${width}]²: exactly the two minima ±(√19/(2√5))(1, 1) and the saddle (0, 0), nothing spurious`, () => {
    const p = analyzeProblem({ expression: F4, domain: [[-width, width], [-width, width]] });
    assert.deepEqual(p.criticalPoints.map((c) => c.kind), ['minimum', 'minimum', 'saddle']);
    for (const m of p.minima) {
      assert.ok(Math.abs(Math.abs(m.point[0]) - R) < 1e-14 && Math.abs(m.point[1] - m.point[0]) < 1e-14, `${m.point}`);
      assert.ok(Math.abs((m.etaMax as number) - 10 / 19) < 1e-14, `η_max ${m.etaMax}`);
      assert.ok(m.gradientNorm <= (m.gradientBound as number), 'verified stationary');
      assert.ok(f4NewtonStep(m.point) < 1e-15, 'a Newton step by hand barely moves it');
    }
    // the saddle at the origin, eigenvalues 0.1 ± 2 — not "degenerate" however wide the window
    assert.deepEqual(p.criticalPoints[2].point, [0, 0]);
    assert.ok(Math.abs(p.criticalPoints[2].eigenvalues[0] + 1.9) < 1e-14 && Math.abs(p.criticalPoints[2].eigenvalues[1] - 2.1) < 1e-14);
  });
}

test('a residual round-off cannot explain is rejected: the old spurious f4 "minimum" (0.7906, 1.1852) is not stationary', () => {
  // its gradient by hand is far from zero, so no search may report it
  const [x, y] = [0.7906, 1.1852];
  const g = Math.hypot(-2 * y * (1 - x * y) + x / 10, -2 * x * (1 - x * y) + y / 10);
  assert.ok(g > 0.05);
  const p = analyzeProblem({ expression: F4, domain: [[-1e5, 1e5], [-1e5, 1e5]] });
  assert.ok(p.criticalPoints.every((c) => Math.hypot(c.point[0] - x, c.point[1] - y) > 0.1));
});

test('no critical point → no minimum: exp(−300y) and 1e300^(−y) (underflowing curvature is not a threshold)', () => {
  for (const text of ['exp(-300*y) + 0*x', '1e300 ** -(y)']) {
    const p = analyzeProblem({ expression: text });
    assert.equal(p.minima.length, 0, text);
    for (const c of p.criticalPoints) {
      assert.equal(c.kind, 'degenerate', `${text}: only flat (underflowed) points, never a strict minimum`);
      assert.equal(c.etaMax, null);
    }
  }
});

test('a jump of f is not a minimum: coth(1e-8 − asinh(coth(x)))', () => {
  const p = analyzeProblem({ expression: 'coth(1e-8 - asinh(coth(x)))' });
  assert.equal(p.minima.length, 0);
});

test('every reported minimum of assorted functions is a root of ∇f by central finite differences, with finite 2/λ_max', () => {
  const cases = ['x^2 + y^2 + x^2*y + x^3 + y^3', 'x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1', '(x^2 + y - 11)^2 + (x + y^2 - 7)^2', 'sin(x) + cos(y) + x^2/10', 'log(1 + x^2) + (y - 1)^2'];
  for (const text of cases) {
    const obj = compileProblemText(text);
    const { points } = searchCriticalPoints(obj, [[-5, 5], [-5, 5]]);
    for (const m of points.filter((c) => c.kind === 'minimum')) {
      assert.ok(Number.isFinite(m.etaMax as number) && (m.etaMax as number) > 0);
      const h = 1e-6;
      const fd = [0, 1].map((i) => {
        const plus = m.point.slice();
        const minus = m.point.slice();
        plus[i] += h;
        minus[i] -= h;
        return (obj.value(plus) - obj.value(minus)) / (2 * h);
      });
      assert.ok(Math.hypot(fd[0], fd[1]) < 1e-7 * (1 + m.lambdaMax), `${text} at ${m.point}: FD gradient ${fd}`);
    }
  }
});

test('deduplication is scale-free: the same minimum from many starts is reported once on tiny and huge windows', () => {
  for (const w of [1e-300, 1e-20, 1, 1e20]) {
    const cps = findCriticalPoints(compileProblemText('(x - 0.25*W)^2 + 3*(y + 0.5*W)^2'.replace(/W/g, String(w))), [[-w, w], [-w, w]]);
    assert.equal(cps.length, 1, `width ${w}: ${cps.length} points`);
    assert.ok(Math.abs(cps[0].point[0] - 0.25 * w) <= 1e-15 * w && Math.abs(cps[0].point[1] + 0.5 * w) <= 1e-15 * w);
  }
});
