/**
 * The findings of "right answers on the user's own functions" and of the silent wrong answers
 * about critical points, one test each, checked against closed forms, plain loops and finite
 * differences written here (never against the engine's own output).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem, windowSpec } from '../../../src/engine/analyze';
import { basinStats, computeBasinMap, pixelStart } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { partitionLabels } from '../../../src/engine/measures/classes';
import { smallestEtaMax } from '../../../src/engine/sweep';
import { trajectory } from '../../../src/engine/trajectory';
import { MinimumCode, PixelClass, type SliceSpec } from '../../../src/engine/types';

const HIMMELBLAU = '(x^2 + y - 11)^2 + (x + y^2 - 7)^2';
/** Himmelblau's Hessian by hand: f_xx = 12x² + 4y − 42, f_xy = 4(x + y), f_yy = 12y² + 4x − 26. */
function himmelblauLambdaMax(x: number, y: number): number {
  const a = 12 * x * x + 4 * y - 42;
  const b = 4 * (x + y);
  const d = 12 * y * y + 4 * x - 26;
  return (a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b);
}
/** Himmelblau's four minima (f = 0): (3, 2) exactly, the others to 1e-6 (textbook values). */
const HIMMELBLAU_MINIMA = [[3, 2], [-2.805118, 3.131312], [-3.77931, -3.283186], [3.584428, -1.848126]];

test('1. the search covers the map window: Himmelblau drawn on [-5,5]² with the default domain finds all four minima; --eta-frac uses their η_max', () => {
  const spec = { expression: HIMMELBLAU };
  const base = analyzeProblem(spec);
  const slice: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: [-5, 5], yRange: [-5, 5], width: 48, height: 48 };
  const covered = windowSpec(spec, base.domain, slice);
  assert.deepEqual(covered.windows, [[[-5, 5], [-5, 5]]]);
  const p = analyzeProblem(covered);
  assert.deepEqual(p.searched, [[[-3, 3], [-3, 3]], [[-5, 5], [-5, 5]]]);
  assert.equal(p.minima.length, 4);
  for (const [x, y] of HIMMELBLAU_MINIMA) {
    const m = p.minima.find((c) => Math.abs(c.point[0] - x) < 1e-5 && Math.abs(c.point[1] - y) < 1e-5);
    assert.ok(m, `minimum near (${x}, ${y})`);
    assert.ok(Math.abs(m.value) < 1e-20);
    assert.ok(Math.abs((m.etaMax as number) - 2 / himmelblauLambdaMax(m.point[0], m.point[1])) < 1e-9);
  }
  const expected = Math.min(...HIMMELBLAU_MINIMA.map(([x, y]) => 2 / himmelblauLambdaMax(x, y)));
  assert.ok(Math.abs((smallestEtaMax(p) as number) - expected) < 1e-6, 'η_max of the minima the map shows');
  // no start of the window is left "other": every one converges (η = 0.9 of the smallest η_max)
  const eta = 0.9 * expected;
  const map = computeBasinMap(p, slice, eta, DEFAULT_CLASSIFY, certifyAll(p, eta));
  assert.ok(map);
  const stats = basinStats(map.classes, map.minimum, p.minima.length);
  assert.equal(stats.other, 0);
  assert.ok(stats.stable + stats.unstable > 0.99, `converged ${stats.stable + stats.unstable}`);
  // a window inside the domain needs no extra search
  assert.equal(windowSpec(spec, base.domain, { ...slice, xRange: [-1, 1], yRange: [0, 2] }), spec);
});

test('2. a minimum just outside the window is found, polished, flagged and used: (x−5)² + 2(y+4)² + xy/10', () => {
  const p = analyzeProblem({ expression: '(x-5)^2 + 2*(y+4)^2 + x*y/10' });
  // closed form: ∇f = 0 ⇔ [[2, 0.1], [0.1, 4]]·(x, y) = (10, −16)
  const det = 2 * 4 - 0.01;
  const x = (10 * 4 - 0.1 * -16) / det;
  const y = (2 * -16 - 0.1 * 10) / det;
  const lambdaMax = 3 + Math.sqrt(1 + 0.01);
  assert.equal(p.minima.length, 1);
  const m = p.minima[0];
  assert.equal(m.outside, true);
  assert.ok(Math.abs(m.point[0] - x) < 1e-13 && Math.abs(m.point[1] - y) < 1e-13, `${m.point} vs (${x}, ${y})`);
  assert.ok(Math.abs((m.etaMax as number) - 2 / lambdaMax) < 1e-14);
  // every start of the default window converges to it at η = 0.2 (ηλ_max = 0.8 < 1: monotone)
  const slice: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: [-3, 3], yRange: [-3, 3], width: 32, height: 32 };
  const map = computeBasinMap(p, slice, 0.2, DEFAULT_CLASSIFY, certifyAll(p, 0.2));
  assert.ok(map);
  assert.ok(map.classes.every((c) => c === PixelClass.Stable) && map.minimum.every((j) => j === 0));
});

test('3. a set of minima: (1 − xy)² converges to points of xy = 1, stable or unstable, with the sharpness 2(x² + y²) there', () => {
  const p = analyzeProblem({ expression: '(1 - x*y)^2' });
  assert.equal(p.minima.length, 0);
  for (const [eta, init] of [[0.1, [2, 1]], [0.1, [-0.5, -0.3]], [0.4, [1.2, 1.9]]] as const) {
    const t = trajectory(p, eta, init);
    assert.ok(t.outcome.kind === 'stable' || t.outcome.kind === 'unstable', `${init}: ${t.outcome.kind}`);
    assert.equal(t.outcome.minimum, MinimumCode.Set);
    const [x, y] = [t.theta[2 * t.steps], t.theta[2 * t.steps + 1]];
    assert.ok(Math.abs(x * y - 1) < 1e-10, `on the curve: xy = ${x * y}`);
    assert.ok(Math.abs(t.limitSharpness - 2 * (x * x + y * y)) < 1e-8, `λ_max ${t.limitSharpness} vs 2(x² + y²) = ${2 * (x * x + y * y)}`);
    // K: a plain loop's last loss increase
    let [u, v] = init as readonly number[];
    let fPrev = Infinity;
    let last = 0;
    for (let k = 0; k <= t.steps; k++) {
      const f = (1 - u * v) ** 2;
      if (f - fPrev > 1e-12 * (Math.abs(fPrev) + 4)) last = k;
      fPrev = f;
      const r = -2 * (1 - u * v);
      [u, v] = [u - eta * r * v, v - eta * r * u];
    }
    assert.equal(t.K, last);
  }
  // a map: only the starts on the saddle's stable manifold y = −x (the diagonal of an even grid) are "other"
  const slice: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: [-3, 3], yRange: [-3, 3], width: 32, height: 32 };
  const map = computeBasinMap(p, slice, 0.1, DEFAULT_CLASSIFY, certifyAll(p, 0.1));
  assert.ok(map);
  for (let r = 0; r < 32; r++) {
    for (let c = 0; c < 32; c++) {
      const i = r * 32 + c;
      const [x, y] = pixelStart(slice, r, c);
      if (x === -y) assert.equal(map.classes[i], PixelClass.Other, `(${x}, ${y}) → the saddle (0, 0)`);
      else {
        assert.ok(map.classes[i] === PixelClass.Stable || map.classes[i] === PixelClass.Unstable, `(${x}, ${y}): class ${map.classes[i]}`);
        assert.equal(map.minimum[i], MinimumCode.Set);
        assert.ok(map.limitSharpness[i] >= 4 - 1e-5, 'λ_max = 2(x² + y²) ≥ 4 on xy = 1');
      }
    }
  }
  // the basin measures see the curve as one attractor of its own (not the first non-converged class)
  const attractors = partitionLabels('attractor', map.classes, map.minimum, 0);
  const setLabel = attractors.names.indexOf('a set of minima');
  assert.ok(setLabel >= 0);
  for (let i = 0; i < map.classes.length; i++) {
    if (map.minimum[i] === MinimumCode.Set) assert.equal(attractors.labels[i], setLabel);
    else assert.equal(attractors.names[attractors.labels[i]], 'other');
  }
  // larger η selects flatter limit points: the largest limit sharpness stays below 2/η
  const wide = computeBasinMap(p, slice, 0.4, DEFAULT_CLASSIFY, certifyAll(p, 0.4));
  assert.ok(wide);
  let maxSharp = 0;
  wide.limitSharpness.forEach((s) => {
    if (Number.isFinite(s)) maxSharp = Math.max(maxSharp, s);
  });
  assert.ok(maxSharp <= 2 / 0.4 + 1e-6 && maxSharp > 4, `max limit sharpness ${maxSharp} (2/η = 5)`);
});

test('5. a strict minimum with condition number 1e8 is not "degenerate": x² + 1e8·y², eigenvalues 2 and 2e8', () => {
  const p = analyzeProblem({ expression: 'x^2 + 1e8*y^2' });
  assert.equal(p.minima.length, 1);
  assert.deepEqual(p.minima[0].point, [0, 0]);
  assert.deepEqual(p.minima[0].eigenvalues, [2, 2e8]);
  assert.equal(p.minima[0].etaMax, 1e-8);
  // and x² + 1e-8·y²: small curvature is still curvature (eigenvalue 2e-8 ≫ its round-off)
  const flat = analyzeProblem({ expression: 'x^2 + 1e-8*y^2' });
  assert.equal(flat.minima.length, 1);
  assert.ok(Math.abs(flat.minima[0].eigenvalues[0] - 2e-8) < 1e-22);
});

test('6. a subnormal window: x² + y² on [-1e-320, 1e-320]² has one minimum, and its map computes', () => {
  const p = analyzeProblem({ expression: 'x^2 + y^2', domain: [[-1e-320, 1e-320], [-1e-320, 1e-320]] });
  assert.equal(p.criticalPoints.length, 1);
  assert.deepEqual(p.minima[0].point, [0, 0]);
  const slice: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: [-1e-320, 1e-320], yRange: [-1e-320, 1e-320], width: 8, height: 8 };
  const map = computeBasinMap(p, slice, 0.1, DEFAULT_CLASSIFY, certifyAll(p, 0.1));
  assert.ok(map);
  assert.ok(map.classes.every((c) => c === PixelClass.Stable));
});

test('7. undefined regions are measured: log(x) + y² is undefined on x ≤ 0, acos(x) + y² on |x| > 1', () => {
  const log = analyzeProblem({ expression: 'log(x) + y^2' }).definedness;
  // 64×64 cell centres of [-3, 3]²: x ≤ 0 for exactly half the columns
  assert.equal(log.undefinedFraction, 0.5);
  assert.ok(log.example !== null && log.example[0] <= 0);
  assert.deepEqual(log.unproven, ['log']);
  const acos = analyzeProblem({ expression: 'acos(x) + y^2' }).definedness;
  const columns = Array.from({ length: 64 }, (_, c) => -3 + ((c + 0.5) * 6) / 64).filter((x) => Math.abs(x) > 1).length;
  assert.equal(acos.undefinedFraction, columns / 64);
  // defined everywhere, and provably so: f4
  const f4 = analyzeProblem({ expression: '(1 - x*y)^2 + (x^2 + y^2)/20' }).definedness;
  assert.equal(f4.undefinedFraction, 0);
  assert.deepEqual(f4.unproven, []);
  // log(x² + y²) is undefined only at the origin: the samples miss it, interval arithmetic does not
  const origin = analyzeProblem({ expression: 'log(x^2 + y^2)' }).definedness;
  assert.equal(origin.undefinedFraction, 0);
  assert.deepEqual(origin.unproven, ['log']);
  // a start that reaches the undefined region counts as diverged
  const p = analyzeProblem({ expression: 'log(x) + x^2 + y^2', domain: [[0.1, 3], [-3, 3]] });
  assert.equal(trajectory(p, 2, [0.2, 0.5]).outcome.kind, 'diverged');
});

test('8. steps and K have one definition: steps = the decision step, K = the last increase (a plain loop decides both)', () => {
  // f1 from (0.5, 0.5) at η = 0.95 diverges: a plain loop finds the first iterate with ‖θ‖ > 1e6 or f not finite
  const p = analyzeProblem({ expression: 'x^2 + y^2 + x^2*y + x^3 + y^3', domain: [[-1, 1], [-1, 1]] });
  const f = (x: number, y: number): number => x * x + y * y + x * x * y + x ** 3 + y ** 3;
  const g = (x: number, y: number): [number, number] => [2 * x + 2 * x * y + 3 * x * x, 2 * y + x * x + 3 * y * y];
  const t = trajectory(p, 0.95, [0.5, 0.5], { tailSteps: 10 });
  assert.equal(t.outcome.kind, 'diverged');
  let [x, y] = [0.5, 0.5];
  let fPrev = Infinity;
  let last = 0;
  let k = 0;
  for (;; k++) {
    const v = f(x, y);
    if (v - fPrev > 1e-12 * Math.abs(fPrev)) last = k;
    if (!(Math.hypot(x, y) <= 1e6) || !Number.isFinite(v)) break;
    fPrev = v;
    const [gx, gy] = g(x, y);
    [x, y] = [x - 0.95 * gx, y - 0.95 * gy];
  }
  assert.equal(t.steps, k, 'steps = the index of the deciding iterate');
  assert.equal(t.K, last, 'K = the index of the last increase');
  assert.ok(t.K <= t.steps);
  assert.equal(t.tail, 0, 'no drawing tail after divergence');
  // Figure 3's unstable start: the recorded tail does not change steps; the arrays hold steps + tail + 1 iterates
  const f4 = analyzeProblem({ expression: '(1 - x*y)^2 + (x^2 + y^2)/20' });
  const a = trajectory(f4, 0.25, [0.1, 2.5]);
  const b = trajectory(f4, 0.25, [0.1, 2.5], { tailSteps: 60 });
  assert.equal(b.steps, a.steps);
  assert.equal(b.K, a.K);
  assert.equal(b.tail, 60);
  assert.equal(b.loss.length, b.steps + 61);
});
