/**
 * Functions that are not the paper's, with known answers: every minimum found with its threshold
 * 2/λ_max (λ_max from Hessians written here by hand), nothing else reported as a minimum, and on
 * a map no start left "other" unless a plain GD loop written here takes it to a saddle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../src/engine/analyze';
import { basinStats, computeBasinMap, pixelStart } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { MinimumCode, PixelClass, type Box, type SliceSpec } from '../../../src/engine/types';

type Vec = [number, number];
interface Case {
  name: string;
  expression: string;
  domain: Box;
  grad: (x: number, y: number) => Vec;
  hess: (x: number, y: number) => [number, number, number];
  /** known minima (to the precision given) */
  minima: Vec[];
  tolerance: number;
}

const eig = ([a, b, d]: [number, number, number]): Vec => {
  const m = (a + d) / 2;
  const r = Math.sqrt(((a - d) / 2) ** 2 + b * b);
  return [m - r, m + r];
};

const beale = (x: number, y: number): { g: Vec; h: [number, number, number] } => {
  const c = [1.5, 2.25, 2.625];
  let gx = 0, gy = 0, hxx = 0, hxy = 0, hyy = 0;
  for (let i = 1; i <= 3; i++) {
    const r = c[i - 1] - x + x * y ** i;
    const rx = y ** i - 1;
    const ry = i * x * y ** (i - 1);
    const rxy = i * y ** (i - 1);
    const ryy = i * (i - 1) * x * y ** Math.max(0, i - 2);
    gx += 2 * r * rx;
    gy += 2 * r * ry;
    hxx += 2 * rx * rx;
    hxy += 2 * (rx * ry + r * rxy);
    hyy += 2 * (ry * ry + r * ryy);
  }
  return { g: [gx, gy], h: [hxx, hxy, hyy] };
};

const C = 0.2;
const CASES: Case[] = [
  {
    name: 'Himmelblau on [-5, 5]²', expression: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2', domain: [[-5, 5], [-5, 5]],
    grad: (x, y) => [4 * x * (x * x + y - 11) + 2 * (x + y * y - 7), 2 * (x * x + y - 11) + 4 * y * (x + y * y - 7)],
    hess: (x, y) => [12 * x * x + 4 * y - 42, 4 * (x + y), 12 * y * y + 4 * x - 26],
    minima: [[3, 2], [-2.805118, 3.131312], [-3.77931, -3.283186], [3.584428, -1.848126]], tolerance: 1e-5,
  },
  {
    name: 'six-hump camel on [-2, 2] × [-1, 1]', expression: '(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2', domain: [[-2, 2], [-1, 1]],
    grad: (x, y) => [8 * x - 8.4 * x ** 3 + 2 * x ** 5 + y, x - 8 * y + 16 * y ** 3],
    hess: (x, y) => [8 - 25.2 * x * x + 10 * x ** 4, 1, -8 + 48 * y * y],
    minima: [[0.089842, -0.712656], [-0.089842, 0.712656], [-1.703607, 0.796084], [1.703607, -0.796084], [-1.607105, -0.568651], [1.607105, 0.568651]], tolerance: 1e-5,
  },
  {
    name: 'Beale on [-4.5, 4.5]²', expression: '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2', domain: [[-4.5, 4.5], [-4.5, 4.5]],
    grad: (x, y) => beale(x, y).g, hess: (x, y) => beale(x, y).h, minima: [[3, 0.5]], tolerance: 1e-10,
  },
  {
    name: 'Booth', expression: '(x + 2*y - 7)^2 + (2*x + y - 5)^2', domain: [[-3, 5], [-3, 5]],
    grad: (x, y) => [2 * (x + 2 * y - 7) + 4 * (2 * x + y - 5), 4 * (x + 2 * y - 7) + 2 * (2 * x + y - 5)],
    hess: () => [10, 8, 10], minima: [[1, 3]], tolerance: 1e-12,
  },
  {
    name: 'Rosenbrock', expression: '(1 - x)^2 + 100*(y - x^2)^2', domain: [[-2, 2], [-1, 3]],
    grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    hess: (x, y) => [2 - 400 * (y - x * x) + 800 * x * x, -400 * x, 200], minima: [[1, 1]], tolerance: 1e-12,
  },
  {
    name: `(1 − xy)² + ${C}(x² + y²)`, expression: `(1 - x*y)^2 + ${C}*(x^2 + y^2)`, domain: [[-3, 3], [-3, 3]],
    grad: (x, y) => [-2 * y * (1 - x * y) + 2 * C * x, -2 * x * (1 - x * y) + 2 * C * y],
    hess: (x, y) => [2 * y * y + 2 * C, 4 * x * y - 2, 2 * x * x + 2 * C],
    minima: [[Math.sqrt(1 - C), Math.sqrt(1 - C)], [-Math.sqrt(1 - C), -Math.sqrt(1 - C)]], tolerance: 1e-13,
  },
  {
    name: 'double well (x² − 1)² + y²', expression: '(x^2 - 1)^2 + y^2', domain: [[-2, 2], [-2, 2]],
    grad: (x, y) => [4 * x * (x * x - 1), 2 * y], hess: (x) => [12 * x * x - 4, 0, 2], minima: [[-1, 0], [1, 0]], tolerance: 1e-14,
  },
  {
    name: 'quadratic with condition number 1e8', expression: 'x^2 + 1e8*y^2', domain: [[-3, 3], [-3, 3]],
    grad: (x, y) => [2 * x, 2e8 * y], hess: () => [2, 0, 2e8], minima: [[0, 0]], tolerance: 0,
  },
];

for (const c of CASES) {
  test(`${c.name}: every minimum with its threshold 2/λ_max, nothing else; no "other" start that a plain loop takes to a minimum`, () => {
    const p = analyzeProblem({ expression: c.expression, domain: c.domain });
    for (const [x, y] of c.minima) {
      const found = p.minima.filter((m) => Math.abs(m.point[0] - x) <= c.tolerance && Math.abs(m.point[1] - y) <= c.tolerance);
      assert.equal(found.length, 1, `${c.name}: minimum near (${x}, ${y})`);
      const m = found[0];
      const [lmin, lmax] = eig(c.hess(m.point[0], m.point[1]));
      assert.ok(lmin > 0, 'positive definite by hand');
      assert.ok(Math.abs((m.etaMax as number) - 2 / lmax) <= 1e-9 * (2 / lmax), `${c.name}: η_max ${m.etaMax} vs ${2 / lmax}`);
    }
    // nothing else is called a strict minimum, unless it is one by hand
    for (const m of p.minima) {
      const known = c.minima.some(([x, y]) => Math.abs(m.point[0] - x) <= c.tolerance && Math.abs(m.point[1] - y) <= c.tolerance);
      if (known) continue;
      const g = c.grad(m.point[0], m.point[1]);
      assert.ok(Math.hypot(g[0], g[1]) < 1e-8 * (1 + m.lambdaMax) && eig(c.hess(m.point[0], m.point[1]))[0] > 0, `${c.name}: extra minimum ${m.point} must be one`);
    }

    const eta = 0.5 * Math.min(...p.minima.map((m) => m.etaMax as number));
    const grid = 20;
    const slice: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: c.domain[0], yRange: c.domain[1], width: grid, height: grid };
    const map = computeBasinMap(p, slice, eta, DEFAULT_CLASSIFY, certifyAll(p, eta));
    assert.ok(map);
    assert.equal(basinStats(map.classes, map.minimum, p.minima.length).unlisted.stable, 0, 'every minimum reached is listed');
    for (let r = 0; r < grid; r++) {
      for (let col = 0; col < grid; col++) {
        const i = r * grid + col;
        assert.notEqual(map.minimum[i], MinimumCode.Unlisted);
        if (map.classes[i] !== PixelClass.Other) continue;
        // "other" must be a true stall away from every minimum: a plain loop ends where the hand
        // Hessian has a negative eigenvalue
        let [x, y] = pixelStart(slice, r, col);
        for (let k = 0; k < map.steps[i]; k++) {
          const g = c.grad(x, y);
          [x, y] = [x - eta * g[0], y - eta * g[1]];
        }
        assert.ok(eig(c.hess(x, y))[0] < 0, `${c.name}: pixel (${r}, ${col}) "other" at (${x}, ${y}), not a saddle`);
      }
    }
  });
}

test('(1 − xy)²: no strict minimum, the curve of minima reported as semidefinite degenerate points on xy = 1', () => {
  const p = analyzeProblem({ expression: '(1 - x*y)^2' });
  assert.equal(p.minima.length, 0);
  const sets = p.criticalPoints.filter((c) => c.kind === 'degenerate');
  assert.ok(sets.length >= 1 && sets.length <= 2, `${sets.length} representatives (one per branch of the hyperbola)`);
  for (const s of sets) {
    assert.equal(s.semidefinite, true);
    assert.ok(Math.abs(s.point[0] * s.point[1] - 1) < 1e-12);
  }
  assert.equal(p.criticalPoints.filter((c) => c.kind === 'saddle').length, 1, 'the saddle at the origin');
});
