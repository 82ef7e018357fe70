/**
 * Orbit diagrams against GD on f(x) = x⁴/4 − x²/2, solved by hand here:
 * the GD map is g(x) = x − η(x³ − x); at the minima ±1, g′ = 1 − 2η, so they are stable for η < 1
 * (Lyapunov exponent ln|1 − 2η|). For η > 1 a 2-cycle a ↔ b appears with
 *   a + b = √(1 + 3/η),  a·b = 1/η  (from g(a) = b, g(b) = a, a ≠ b, a ≠ −b),
 * stable while |g′(a)g′(b)| = |9 − 2(1 + η)²| < 1, i.e. up to η = √5 − 1, with exponent
 * ½ ln|9 − 2(1 + η)²|. The symmetric 2-cycle x ↔ −x (x² = 1 + 2/η) is unstable (g′ = −5 − 2η).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyzeProblem } from '../../../../src/engine/analyze';
import { computeOrbits, findPeriod, linearEtas, orbitDiagram, startsNearMinimum } from '../../../../src/engine/measures/orbit';

const QUARTIC = 'x^4/4 - x^2/2';
const problem = analyzeProblem({ expression: QUARTIC, domain: [[-3, 3]] });
const f = (x: number): number => x ** 4 / 4 - x ** 2 / 2;

/** The asymmetric 2-cycle near +1 at η > 1, from the quadratic t² − s t + p = 0. */
function twoCycle(eta: number): [number, number] {
  const s = Math.sqrt(1 + 3 / eta);
  const p = 1 / eta;
  const d = Math.sqrt(s * s - 4 * p);
  return [(s - d) / 2, (s + d) / 2];
}

describe('orbit diagram of x⁴/4 − x²/2', () => {
  it('finds the two minima with η_max = 1', () => {
    assert.equal(problem.minima.length, 2);
    for (const m of problem.minima) assert.ok(Math.abs((m.etaMax as number) - 1) < 1e-9);
  });

  it('converges to +1 below η = 1 with Lyapunov exponent ln|1 − 2η|', () => {
    const etas = [0.3, 0.7, 0.9];
    const d = orbitDiagram(problem, [[0.5]], etas, { transient: 1800, keep: 200 });
    assert.ok(d);
    const plus = problem.minima.findIndex((m) => m.point[0] > 0);
    d.points.forEach((p, i) => {
      assert.equal(p.status, 'converged', `η = ${etas[i]}`);
      assert.equal(p.period, 1);
      assert.equal(p.minimum, plus);
      assert.ok(Math.abs(p.lyapunov - Math.log(Math.abs(1 - 2 * etas[i]))) < 1e-9, `η = ${etas[i]}: λ = ${p.lyapunov}`);
      // every recorded loss is f(1) = −1/4, every recorded x is 1
      for (let k = 0; k < 200; k++) {
        assert.ok(Math.abs(d.values[(i * 200 + k) * 2] + 0.25) < 1e-12);
        assert.ok(Math.abs(d.values[(i * 200 + k) * 2 + 1] - 1) < 1e-9);
      }
    });
    assert.deepEqual(d.channels, ['loss', 'x']);
  });

  it('settles on the 2-cycle a, b = (√(1+3/η) ∓ √(1 − 1/η))/2 just above η = 1', () => {
    for (const eta of [1.02, 1.1, 1.2]) {
      const [a, b] = twoCycle(eta);
      // a check of the hand algebra: g(a) = b and g(b) = a
      assert.ok(Math.abs(a - eta * (a ** 3 - a) - b) < 1e-12 && Math.abs(b - eta * (b ** 3 - b) - a) < 1e-12);
      const d = orbitDiagram(problem, [[0.5]], [eta], { transient: 3000, keep: 100 });
      assert.ok(d);
      const p = d.points[0];
      assert.equal(p.status, 'cycle', `η = ${eta}`);
      assert.equal(p.period, 2);
      const xs = Array.from({ length: 100 }, (_, k) => d.values[k * 2 + 1]);
      const sign = Math.sign(xs[0]);
      const sorted = [...new Set(xs.map((x) => Number((sign * x).toFixed(9))))].sort((u, v) => u - v);
      assert.equal(sorted.length, 2, `η = ${eta}: values ${sorted}`);
      assert.ok(Math.abs(sorted[0] - a) < 1e-8 && Math.abs(sorted[1] - b) < 1e-8, `η = ${eta}: ${sorted} vs ${a}, ${b}`);
      const losses = new Set(Array.from({ length: 100 }, (_, k) => Number(d.values[k * 2].toFixed(9))));
      assert.deepEqual([...losses].sort((u, v) => u - v), [f(a), f(b)].map((v) => Number(v.toFixed(9))).sort((u, v) => u - v));
      const lyap = 0.5 * Math.log(Math.abs(9 - 2 * (1 + eta) ** 2));
      assert.ok(Math.abs(p.lyapunov - lyap) < 1e-6, `η = ${eta}: λ = ${p.lyapunov}, expected ${lyap}`);
    }
  });

  it('agrees with a step-by-step GD loop written here (period 4 just past √5 − 1 ≈ 1.236)', () => {
    const eta = 1.26;
    let x = 0.5;
    const xs: number[] = [];
    for (let k = 0; k < 2000; k++) {
      if (k >= 1900) xs.push(x);
      x = x - eta * (x * x * x - x);
    }
    let period = 0;
    for (let p = 1; p <= 32 && period === 0; p++) if (xs.slice(0, 100 - p).every((v, k) => Math.abs(xs[k + p] - v) < 1e-9)) period = p;
    const d = orbitDiagram(problem, [[0.5]], [eta], { transient: 1900, keep: 100 });
    assert.ok(d);
    assert.equal(period, 4);
    assert.equal(d.points[0].period, period);
    for (let k = 0; k < 100; k++) assert.ok(Math.abs(d.values[k * 2 + 1] - xs[k]) < 1e-9, `k = ${k}`);
  });

  it('marks the first η where the start stops converging at η_max = 1, and chaos (λ > 0) before divergence', () => {
    const etas = linearEtas(0.5, 1.5, 101);
    const d = orbitDiagram(problem, [[0.5]], etas);
    assert.ok(d);
    const first = d.firstNonConvergent[0];
    assert.ok(first !== null && Math.abs(first - 1) < 0.011, `first non-convergent η = ${first}`);
    for (const p of d.points) if (p.eta < 0.99) assert.equal(p.status, 'converged', `η = ${p.eta}`);
    for (const p of d.points) if (p.eta > 1.01 && p.eta < 1.23) assert.equal(p.period, 2, `η = ${p.eta}`);
    // GD on this quartic is conjugate to the Chebyshev map 3u − 4u³ at η = 2 (chaotic, λ = ln 3)
    const chaos = orbitDiagram(problem, [[0.5]], [2], { transient: 500, keep: 20000 });
    assert.ok(chaos && chaos.points[0].status === 'aperiodic');
    assert.ok(Math.abs(chaos.points[0].lyapunov - Math.log(3)) < 0.05, `λ(η = 2) = ${chaos.points[0].lyapunov}`);
  });

  it('tells slow convergence just below η = 1 (|1 − 2η| ≈ 1) from the 2-cycle just above', () => {
    const d = orbitDiagram(problem, [[0.5]], [0.9975, 1.003]);
    assert.ok(d);
    const plus = problem.minima.findIndex((m) => m.point[0] > 0);
    assert.equal(d.points[0].status, 'converging');
    assert.equal(d.points[0].minimum, plus);
    assert.ok(Math.abs(d.points[0].lyapunov - Math.log(Math.abs(1 - 2 * 0.9975))) < 1e-3);
    assert.equal(d.points[1].status, 'cycle');
    assert.equal(d.points[1].period, 2);
    assert.equal(d.firstNonConvergent[0], 1.003);
  });

  it('reports a divergence with its step, NaN values after it and no exponent', () => {
    const d = orbitDiagram(problem, [[2.5]], [1.5], { transient: 10, keep: 50 });
    assert.ok(d);
    const p = d.points[0];
    assert.equal(p.status, 'diverged');
    assert.ok(p.divergedAt >= 0 && p.divergedAt < 60);
    assert.ok(Number.isNaN(p.lyapunov));
    const after = Math.max(0, p.divergedAt - 10);
    for (let k = after; k < 50; k++) assert.ok(Number.isNaN(d.values[k * 2]));
    assert.equal(d.firstNonConvergent[0], 1.5);
  });

  it('calls the maximum at 0 stationary, with exponent ln(1 + η)', () => {
    const d = orbitDiagram(problem, [[0]], [0.4], { transient: 5, keep: 10 });
    assert.ok(d);
    assert.equal(d.points[0].status, 'stationary');
    assert.equal(d.points[0].minimum, -1);
    assert.ok(Math.abs(d.points[0].lyapunov - Math.log(1.4)) < 1e-12);
  });
});

describe('orbit diagram in two variables', () => {
  it('takes the largest exponent over both directions (x on its 2-cycle, y contracting)', () => {
    const p2 = analyzeProblem({ expression: 'x^4/4 - x^2/2 + y^2/2', domain: [[-3, 3], [-3, 3]] });
    const eta = 1.1;
    const d = orbitDiagram(p2, [[0.5, 0.3], [-0.5, 0.3]], [eta], { transient: 2000, keep: 64 });
    assert.ok(d);
    assert.deepEqual(d.channels, ['loss', 'x', 'y']);
    const [a, b] = twoCycle(eta);
    for (const [s, p] of d.points.entries()) {
      assert.equal(p.period, 2);
      const lyap = 0.5 * Math.log(Math.abs(9 - 2 * (1 + eta) ** 2));
      assert.ok(Math.abs(p.lyapunov - lyap) < 1e-6, `start ${s}: λ = ${p.lyapunov}, expected ${lyap} (not ln|1 − η| = ${Math.log(0.1)})`);
      const x0 = Math.abs(d.values[(s * 64) * 3 + 1]);
      assert.ok(Math.abs(x0 - a) < 1e-8 || Math.abs(x0 - b) < 1e-8);
      assert.ok(Math.abs(d.values[(s * 64) * 3 + 2]) < 1e-12, 'y has contracted to 0');
    }
  });

  it('counts convergence to a point of a set of minima (xy = 1) as converged, and slow creep as descending', () => {
    const xy = analyzeProblem({ expression: '(1 - x*y)^2' });
    assert.equal(xy.minima.length, 0, 'no strict minimum: the minima form the hyperbola xy = 1');
    const d = orbitDiagram(xy, [[0.5, 1.5]], [0.1]);
    assert.ok(d);
    assert.equal(d.points[0].status, 'converged');
    assert.equal(d.points[0].minimum, -1);
    assert.ok(Math.abs(d.points[0].final[0] * d.points[0].final[1] - 1) < 1e-9);
    assert.equal(d.firstNonConvergent[0], null);
    // Rosenbrock from (−1.2, 1) at η = 0.001: after 2000 steps GD still creeps along the valley
    const rosen = analyzeProblem({ expression: '(1-x)^2 + 100*(y-x^2)^2', domain: [[-2, 2], [-2, 2]] });
    const r = orbitDiagram(rosen, [[-1.2, 1]], [0.001]);
    assert.ok(r);
    assert.equal(r.points[0].status, 'descending');
    for (let k = 1; k < 200; k++) assert.ok(r.values[k * 3] < r.values[(k - 1) * 3]);
    assert.equal(r.firstNonConvergent[0], null);
  });

  it('starts near a minimum on ±e_i', () => {
    assert.deepEqual(startsNearMinimum([1, 2], 0.1, 3), [[1.1, 2], [0.9, 2], [1, 2.1]]);
    assert.throws(() => startsNearMinimum([1, 2], 0.1, 5), /from 1 to 4/);
  });
});

describe('orbit input checks and the period finder', () => {
  it('names what is wrong', () => {
    assert.throws(() => computeOrbits(problem, [[0.5, 1]], [1]), /start 1 has 2 coordinates; the objective has 1/);
    assert.throws(() => computeOrbits(problem, [[0.5]], [-1]), /positive/);
    assert.throws(() => computeOrbits(problem, [[0.5]], [1], { keep: 0 }), /keep must be a whole number/);
    assert.throws(() => computeOrbits(problem, [[0.5]], [1], { record: [3] }), /recorded coordinate 3/);
    assert.throws(() => linearEtas(1, 0.5, 10), /inverted/);
  });
  it('finds the smallest period', () => {
    const w = Float64Array.from({ length: 24 }, (_, k) => [1, 2, 3][k % 3]);
    assert.equal(findPeriod(w, 24, 1, 10, 1e-9), 3);
    assert.equal(findPeriod(Float64Array.from({ length: 24 }, (_, k) => k), 24, 1, 10, 1e-9), 0);
  });
  it('stops when cancelled', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    flag[0] = 1;
    assert.equal(computeOrbits(problem, [[0.5]], [0.5], {}, flag), null);
  });
});
