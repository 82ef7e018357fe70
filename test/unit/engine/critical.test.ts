/**
 * Oracles for the critical-point search: DESIGN.md §1 (the paper's table), closed forms for
 * f1's saddles/maximum, Rosenbrock, Himmelblau and a quadratic with a known spectrum.
 * Expected numbers are computed here independently (closed forms), never from the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileObjective } from '../../../src/engine/compile';
import { parseExpression } from '../../../src/engine/expression';
import { CRITICAL_TOLERANCES, findCriticalPoints } from '../../../src/engine/critical';
import type { Box, CompiledObjective, CriticalKind, CriticalPoint } from '../../../src/engine/types';

const compile = (text: string): CompiledObjective => compileObjective(parseExpression(text));
const box = (n: number, lo: number, hi: number): Box => Array.from({ length: n }, () => [lo, hi] as [number, number]);
const kinds = (cps: CriticalPoint[], kind: CriticalKind): CriticalPoint[] => cps.filter((c) => c.kind === kind);

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);
}
function nearPoint(actual: number[], expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => near(v, expected[i], tol, `${what}[${i}]`));
}
/** The one critical point of `cps` near `p` (fails if none or several). */
function at(cps: CriticalPoint[], p: number[], tol = 1e-7): CriticalPoint {
  const hits = cps.filter((c) => c.point.every((v, i) => Math.abs(v - p[i]) <= tol));
  assert.equal(hits.length, 1, `expected exactly one critical point at (${p.join(', ')}), found ${hits.length}`);
  return hits[0];
}

const F1 = 'x^2 + y^2 + x^2*y + x^3 + y^3';
const F2 = 'x^2 + y^2 + x^2*y + x^4 + y^4';
const F3 = 'x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1';
const F4 = '(1 - x*y)^2 + (x^2 + y^2)/20';

test('paper table: f1 and f2 have the minimum (0,0) with λ_max 2 and η_max 1', () => {
  for (const text of [F1, F2]) {
    const cps = findCriticalPoints(compile(text), box(2, -3, 3));
    const minima = kinds(cps, 'minimum');
    assert.equal(minima.length, 1, text);
    nearPoint(minima[0].point, [0, 0], 1e-12, text);
    nearPoint(minima[0].eigenvalues, [2, 2], 1e-12, `${text} eigenvalues`);
    near(minima[0].lambdaMax, 2, 1e-12, text);
    near(minima[0].etaMax as number, 1, 1e-12, text);
    near(minima[0].value, 0, 1e-15, text);
  }
  // f2 has no other critical point at all (x=0 ⇒ y(2+4y²)=0; x≠0 ⇒ y ≤ −1 and 4y³+1.5y−0.5=0, impossible).
  assert.equal(findCriticalPoints(compile(F2), box(2, -3, 3)).length, 1);
});

test('f1 in [-2,2]²: exactly one minimum, two saddles, one maximum, at their closed-form positions', () => {
  const cps = findCriticalPoints(compile(F1), box(2, -2, 2));
  assert.equal(cps.length, 4);
  assert.deepEqual(cps.map((c) => c.kind), ['minimum', 'saddle', 'saddle', 'maximum']);
  const f = (x: number, y: number): number => x * x + y * y + x * x * y + x ** 3 + y ** 3;
  // saddle (0, −2/3), f = 4/27, Hessian diag(2 + 2y, 2 + 6y) = diag(2/3, −2)
  const s = at(cps, [0, -2 / 3]);
  assert.equal(s.kind, 'saddle');
  near(s.value, 4 / 27, 1e-14, 'f(0,-2/3)');
  nearPoint(s.eigenvalues, [-2, 2 / 3], 1e-12, 'saddle eigenvalues');
  assert.equal(s.etaMax, null);
  // x ≠ 0: x = −(2+2y)/3 and 31y² + 26y + 4 = 0
  const disc = Math.sqrt(26 * 26 - 4 * 31 * 4);
  for (const y of [(-26 + disc) / 62, (-26 - disc) / 62]) {
    const x = -(2 + 2 * y) / 3;
    const c = at(cps, [x, y]);
    near(c.value, f(x, y), 1e-14, 'f');
    // Hessian [[2 + 2y + 6x, 2x], [2x, 2 + 6y]] — its determinant decides saddle vs. extremum
    const det = (2 + 2 * y + 6 * x) * (2 + 6 * y) - 4 * x * x;
    assert.equal(c.kind, det < 0 ? 'saddle' : 'maximum');
    near(c.eigenvalues[0] * c.eigenvalues[1], det, 1e-10, 'λ1·λ2 = det H');
    near(c.eigenvalues[0] + c.eigenvalues[1], 2 + 2 * y + 6 * x + 2 + 6 * y, 1e-10, 'λ1+λ2 = tr H');
    assert.ok(c.gradientNorm < 1e-12);
  }
});

test('paper table: f3 has the four minima (±1,±1), λ_max 12, η_max 1/6; its critical axes are merged', () => {
  const cps = findCriticalPoints(compile(F3), box(2, -3, 3));
  const minima = kinds(cps, 'minimum');
  assert.equal(minima.length, 4);
  for (const sx of [-1, 1])
    for (const sy of [-1, 1]) {
      const m = at(minima, [sx, sy], 1e-10);
      // Hessian at (±1,±1): [[8, 4sxsy],[4sxsy, 8]] → eigenvalues 4, 12
      nearPoint(m.eigenvalues, [4, 12], 1e-10, 'f3 eigenvalues');
      near(m.etaMax as number, 1 / 6, 1e-12, 'f3 η_max');
      near(m.value, 0, 1e-14, 'f3 value');
    }
  // No saddle or maximum exists: off the axes ∇f = 0 forces x² = y² = 1.
  assert.equal(kinds(cps, 'saddle').length + kinds(cps, 'maximum').length, 0);
  // The axes are lines of degenerate critical points crossing at the origin: one connected
  // set, reported once by its point nearest the box centre, the origin (Hessian = 0, f = 1).
  const degenerate = kinds(cps, 'degenerate');
  assert.equal(degenerate.length, 1, `degenerate entries: ${JSON.stringify(degenerate.map((d) => d.point))}`);
  assert.deepEqual(degenerate[0].point, [0, 0]);
  assert.deepEqual(degenerate[0].eigenvalues, [0, 0]);
  assert.equal(degenerate[0].value, 1);
  assert.equal(cps.length, 5);
  // In a box that excludes the origin, the two half-axes are separate sets: one entry each.
  const offset = findCriticalPoints(compile(F3), [[0.5, 3], [-3, 3]]);
  assert.equal(kinds(offset, 'minimum').length, 2);
  const halfAxis = kinds(offset, 'degenerate');
  assert.equal(halfAxis.length, 1);
  near(halfAxis[0].point[1], 0, 1e-9, 'on the x axis');
});

test('paper table: f4 has exactly two minima ±(√19/(2√5))(1,1), λ_max 19/5, η_max 10/19, and a saddle at 0', () => {
  const cps = findCriticalPoints(compile(F4), box(2, -3, 3));
  const minima = kinds(cps, 'minimum');
  assert.equal(minima.length, 2);
  const r = Math.sqrt(19) / (2 * Math.sqrt(5));
  nearPoint(minima[0].point, [-r, -r], 1e-12, 'f4 minimum 0');
  nearPoint(minima[1].point, [r, r], 1e-12, 'f4 minimum 1');
  for (const m of minima) {
    // Hessian [[2y²+0.1, 4xy−2],[4xy−2, 2x²+0.1]] at x=y=r: 1.9+0.1 ± 1.8 → 0.2, 3.8
    nearPoint(m.eigenvalues, [1 / 5, 19 / 5], 1e-12, 'f4 eigenvalues');
    near(m.lambdaMin, 0.2, 1e-12, 'λ_min');
    near(m.etaMax as number, 10 / 19, 1e-12, 'f4 η_max');
    near(m.value, (1 - 0.95) ** 2 + 1.9 / 20, 1e-14, 'f4 value');
  }
  const saddles = kinds(cps, 'saddle');
  assert.equal(saddles.length, 1);
  nearPoint(saddles[0].point, [0, 0], 1e-12, 'f4 saddle');
  nearPoint(saddles[0].eigenvalues, [-1.9, 2.1], 1e-12, 'f4 saddle eigenvalues');
  assert.equal(cps.length, 3);
});

test('Rosenbrock: minimum (1,1), eigenvalues of [[802,-400],[-400,200]] (λ_max ≈ 1001.6)', () => {
  const cps = findCriticalPoints(compile('(1 - x)^2 + 100*(y - x^2)^2'), box(2, -3, 3));
  assert.equal(cps.length, 1);
  const m = cps[0];
  assert.equal(m.kind, 'minimum');
  nearPoint(m.point, [1, 1], 1e-10, 'rosenbrock');
  const rad = Math.sqrt(301 * 301 + 400 * 400);
  nearPoint(m.eigenvalues, [501 - rad, 501 + rad], 1e-9, 'rosenbrock eigenvalues');
  near(m.lambdaMax, 1001.6, 0.01, 'λ_max ≈ 1001.6');
  near(m.etaMax as number, 2 / (501 + rad), 1e-15, 'η_max');
});

test('Himmelblau in [-5,5]²: four minima (f = 0), four saddles, one maximum', () => {
  const cps = findCriticalPoints(compile('(x^2 + y - 11)^2 + (x + y^2 - 7)^2'), box(2, -5, 5));
  const minima = kinds(cps, 'minimum');
  assert.equal(minima.length, 4);
  // Known minima: (3,2) exactly; the others to 6 decimals (roots of the quartic system).
  at(minima, [3, 2], 1e-10);
  at(minima, [-2.805118, 3.131312], 1e-6);
  at(minima, [-3.77931, -3.283186], 1e-6);
  at(minima, [3.584428, -1.848126], 1e-6);
  for (const m of minima) near(m.value, 0, 1e-20, 'Himmelblau minimum value');
  // Hessian at (3,2): [[12x²+4y−42, 4(x+y)],[4(x+y), 4x+12y²−26]] = [[74, 20],[20, 34]] → 54 ± √(400+400)
  const m32 = at(minima, [3, 2], 1e-10);
  nearPoint(m32.eigenvalues, [54 - Math.sqrt(800), 54 + Math.sqrt(800)], 1e-9, 'Hessian at (3,2)');
  assert.equal(kinds(cps, 'saddle').length, 4);
  const max = kinds(cps, 'maximum');
  assert.equal(max.length, 1);
  nearPoint(max[0].point, [-0.270845, -0.923039], 1e-6, 'Himmelblau maximum');
  near(max[0].value, 181.617, 1e-3, 'Himmelblau maximum value');
});

test('3-variable quadratic ½(x−c)ᵀQDQᵀ(x−c) with D = diag(1,4,9): minimum c, eigenvalues 1, 4, 9', () => {
  // Q = P/3 with P = [[1,2,2],[2,1,-2],[2,-2,1]] (orthogonal, symmetric) → A = P D Pᵀ / 9
  const P = [[1, 2, 2], [2, 1, -2], [2, -2, 1]];
  const quadratic = (D: number[]): string => {
    const M = P.map((row, i) => P.map((_, j) => row.reduce((s, _v, k) => s + P[i][k] * D[k] * P[j][k], 0)));
    const vars = ['(x - 1)', '(y + 2)', '(z - 0.5)'];
    const terms: string[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) terms.push(`${M[i][j]}*${vars[i]}*${vars[j]}`);
    return `(${terms.join(' + ')})/18 + 0.25`;
  };
  const text = quadratic([1, 4, 9]);
  const cps = findCriticalPoints(compile(text), box(3, -3, 3));
  assert.equal(cps.length, 1, text);
  assert.equal(cps[0].kind, 'minimum');
  nearPoint(cps[0].point, [1, -2, 0.5], 1e-12, 'quadratic minimum');
  nearPoint(cps[0].eigenvalues, [1, 4, 9], 1e-12, 'quadratic spectrum');
  near(cps[0].etaMax as number, 2 / 9, 1e-14, 'η_max');
  near(cps[0].value, 0.25, 1e-14, 'value');
  // The same quadratic negated is a maximum; with D = diag(1,−4,9) a saddle.
  assert.equal(findCriticalPoints(compile(`-(${text})`), box(3, -3, 3))[0].kind, 'maximum');
  const saddle = findCriticalPoints(compile(quadratic([1, -4, 9])), box(3, -3, 3));
  assert.equal(saddle.length, 1);
  assert.equal(saddle[0].kind, 'saddle');
  nearPoint(saddle[0].eigenvalues, [-4, 1, 9], 1e-12, 'saddle spectrum');
});

test('4 variables (Halton seeds): Σ(x_i² − 1)² has its 16 minima (±1,…,±1) with λ = 8', () => {
  const cps = findCriticalPoints(compile('(a^2-1)^2 + (b^2-1)^2 + (c^2-1)^2 + (d^2-1)^2'), box(4, -2, 2));
  const minima = kinds(cps, 'minimum');
  assert.equal(minima.length, 16);
  for (const m of minima) {
    assert.ok(m.point.every((v) => Math.abs(Math.abs(v) - 1) < 1e-12));
    nearPoint(m.eigenvalues, [8, 8, 8, 8], 1e-10, 'eigenvalues');
  }
  // every critical point has coordinates in {−1, 0, 1}; the origin is the only maximum
  for (const c of cps) assert.ok(c.point.every((v) => Math.min(Math.abs(v), Math.abs(Math.abs(v) - 1)) < 1e-12));
  assert.ok(kinds(cps, 'maximum').length <= 1);
});

test('1 variable: x⁴/4 − x²/2 has minima ±1 (λ = 2) and a maximum at 0; x⁴ alone is degenerate', () => {
  const cps = findCriticalPoints(compile('x^4/4 - x^2/2'), box(1, -3, 3));
  assert.deepEqual(cps.map((c) => c.kind), ['minimum', 'minimum', 'maximum']);
  nearPoint(cps[0].point, [-1], 1e-14, 'left');
  nearPoint(cps[1].point, [1], 1e-14, 'right');
  near(cps[0].lambdaMax, 2, 1e-12, 'λ');
  near(cps[2].lambdaMax, -1, 1e-12, 'λ at 0');
  const quartic = findCriticalPoints(compile('x^4 + 1'), box(1, -3, 3));
  assert.equal(quartic.length, 1);
  assert.equal(quartic[0].kind, 'degenerate');
  assert.ok(Math.abs(quartic[0].point[0]) < 1e-6);
  assert.equal(quartic[0].etaMax, null);
});

test('the domain filters: nothing outside it, edge points kept; no critical point → empty', () => {
  assert.equal(findCriticalPoints(compile('x^2 + y^2'), [[1, 2], [1, 2]]).length, 0);
  const edge = findCriticalPoints(compile('x^2 + y^2'), [[0, 1], [-1, 1]]);
  assert.equal(edge.length, 1);
  nearPoint(edge[0].point, [0, 0], 1e-12, 'edge');
  assert.equal(findCriticalPoints(compile('x + 2*y'), box(2, -3, 3)).length, 0);
  // f1 in [-0.4, 0.4]²: only the minimum, not the saddles/maximum outside
  const small = findCriticalPoints(compile(F1), box(2, -0.4, 0.4));
  assert.deepEqual(small.map((c) => c.kind), ['minimum']);
});

test('undefined regions are skipped (log, sqrt): log(x) + 1/x has its minimum at x = 1', () => {
  const cps = findCriticalPoints(compile('log(x) + 1/x'), [[-3, 3]]);
  assert.equal(cps.length, 1);
  nearPoint(cps[0].point, [1], 1e-12, 'argmin');
  near(cps[0].lambdaMax, 1, 1e-12, 'f″(1) = −1 + 2 = 1');
});

test('a circle of minima (x²+y²−1)² is one degenerate entry; the maximum at 0 is found', () => {
  const cps = findCriticalPoints(compile('(x^2 + y^2 - 1)^2'), box(2, -3, 3));
  const degenerate = kinds(cps, 'degenerate');
  assert.ok(degenerate.length >= 1 && degenerate.length <= 2, `${degenerate.length} entries`);
  for (const d of degenerate) near(Math.hypot(d.point[0], d.point[1]), 1, 1e-8, 'on the circle');
  assert.equal(kinds(cps, 'maximum').length, 1);
  assert.ok(cps.length <= CRITICAL_TOLERANCES.maxDegenerate + 1);
});

test('deterministic: same seed → identical output; another seed → the same minima', () => {
  const obj = compile(F4);
  const a = findCriticalPoints(obj, box(2, -3, 3), { seed: 7 });
  const b = findCriticalPoints(obj, box(2, -3, 3), { seed: 7 });
  assert.deepEqual(a, b);
  const c = findCriticalPoints(compile(F3), box(2, -3, 3));
  const d = findCriticalPoints(compile(F3), box(2, -3, 3));
  assert.deepEqual(c, d);
  const other = findCriticalPoints(obj, box(2, -3, 3), { seed: 12345, starts: 50 });
  assert.equal(kinds(other, 'minimum').length, 2);
  other.forEach((p, i) => nearPoint(p.point, a[i].point, 1e-10, 'other seed'));
});

test('a hand-written objective (no compiler): f4 with its exact derivatives', () => {
  const zero = { k: 'num', v: 0 } as const;
  const obj: CompiledObjective = {
    n: 2,
    variables: ['x', 'y'],
    ir: { f: zero, grad: [zero, zero], hess: [[zero, zero], [zero, zero]] },
    value: (p) => (1 - p[0] * p[1]) ** 2 + (p[0] ** 2 + p[1] ** 2) / 20,
    valueAndGradient(p, out) {
      const [x, y] = [p[0], p[1]];
      const r = 1 - x * y;
      out[0] = -2 * y * r + x / 10;
      out[1] = -2 * x * r + y / 10;
      return r * r + (x * x + y * y) / 20;
    },
    hessian(p, out) {
      const [x, y] = [p[0], p[1]];
      out[0] = 2 * y * y + 0.1;
      out[1] = out[2] = 4 * x * y - 2;
      out[3] = 2 * x * x + 0.1;
    },
  };
  const cps = findCriticalPoints(obj, box(2, -3, 3));
  assert.deepEqual(cps.map((c) => c.kind), ['minimum', 'minimum', 'saddle']);
  near(cps[1].etaMax as number, 10 / 19, 1e-12, 'η_max');
});

test('bad domains throw, naming the variable', () => {
  const obj = compile(F4);
  assert.throws(() => findCriticalPoints(obj, [[-1, 1]]), /1 ranges but the objective has 2 variables/);
  assert.throws(() => findCriticalPoints(obj, [[-1, 1], [2, 2]]), /domain of y is empty/);
  assert.throws(() => findCriticalPoints(obj, [[1, -1], [0, 1]]), /domain of x is inverted/);
  assert.throws(() => findCriticalPoints(obj, [[-1, Infinity], [0, 1]]), /domain of x must be two finite numbers/);
  assert.throws(() => findCriticalPoints(obj, [[-1, 1], [NaN, 1]]), /domain of y must be two finite numbers/);
});

test('scale robustness: tiny, huge and exponentially growing objectives classify correctly', () => {
  // 1e-8(x²+y²): a strict minimum with eigenvalues 2e-8 (not "degenerate" because small)
  const tiny = findCriticalPoints(compile('1e-8*(x^2 + y^2)'), box(2, -3, 3));
  assert.deepEqual(tiny.map((c) => c.kind), ['minimum']);
  nearPoint(tiny[0].eigenvalues, [2e-8, 2e-8], 1e-20, 'tiny eigenvalues');
  near(tiny[0].etaMax as number, 1e8, 1e-4, 'tiny η_max');
  // exp(10x²) + y²: ∇f is ~1e41 at the box edge, yet the only critical point is the minimum
  // (0,0) with Hessian diag(20, 2); unfinished starts on the steep walls must not be reported.
  const steep = findCriticalPoints(compile('exp(10*x^2) + y^2'), box(2, -3, 3));
  assert.deepEqual(steep.map((c) => c.kind), ['minimum']);
  nearPoint(steep[0].point, [0, 0], 1e-12, 'steep argmin');
  nearPoint(steep[0].eigenvalues, [2, 20], 1e-10, 'steep eigenvalues');
  // 1e8·Rosenbrock: same minimum, eigenvalues scaled by 1e8
  const big = findCriticalPoints(compile('1e8*((1 - x)^2 + 100*(y - x^2)^2)'), box(2, -3, 3));
  assert.deepEqual(big.map((c) => c.kind), ['minimum']);
  const rad = Math.sqrt(301 * 301 + 400 * 400);
  nearPoint(big[0].eigenvalues.map((v) => v / 1e8), [501 - rad, 501 + rad], 1e-6, 'scaled Rosenbrock');
});

test('degenerate sets: x²y² (two crossing critical lines) and a circle in 3-D are one entry each', () => {
  const cross = findCriticalPoints(compile('x^2*y^2'), box(2, -3, 3));
  assert.equal(cross.length, 1);
  assert.equal(cross[0].kind, 'degenerate');
  assert.ok(Math.min(Math.abs(cross[0].point[0]), Math.abs(cross[0].point[1])) < 1e-6);
  const ring = findCriticalPoints(compile('(x^2 + y^2 - 1)^2 + z^2'), box(3, -3, 3));
  assert.deepEqual(ring.map((c) => c.kind), ['saddle', 'degenerate']);
  nearPoint(ring[0].point, [0, 0, 0], 1e-12, 'saddle at the origin');
  nearPoint(ring[0].eigenvalues, [-4, -4, 2], 1e-12, 'origin eigenvalues');
  near(Math.hypot(ring[1].point[0], ring[1].point[1]), 1, 1e-8, 'on the ring');
  near(ring[1].point[2], 0, 1e-8, 'on the ring (z)');
  // two isolated degenerate points are NOT merged: x⁴ + (y² − 1)⁴ has them at (0, ±1)
  const two = findCriticalPoints(compile('x^4 + (y^2 - 1)^4'), box(2, -3, 3));
  const degenerate = kinds(two, 'degenerate').filter((c) => Math.abs(Math.abs(c.point[1]) - 1) < 1e-3);
  assert.equal(degenerate.length, 2, JSON.stringify(two.map((c) => c.point)));
});
