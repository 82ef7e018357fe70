import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem, DEFAULT_RANGE, resolveDomain } from '../../../src/engine/analyze';
import { ExpressionError } from '../../../src/engine/types';

test('resolveDomain: default [-3,3] per variable, given domains copied and validated', () => {
  assert.deepEqual(DEFAULT_RANGE, [-3, 3]);
  assert.deepEqual(resolveDomain({ expression: 'x+y' }, ['x', 'y']), [[-3, 3], [-3, 3]]);
  const spec = { expression: 'x+y', domain: [[-1, 2], [0, 5]] as [number, number][] };
  const d = resolveDomain(spec, ['x', 'y']);
  assert.deepEqual(d, [[-1, 2], [0, 5]]);
  d[0][0] = 99;
  assert.equal(spec.domain[0][0], -1, 'a copy, not the spec itself');
});

test('resolveDomain: empty, inverted, non-finite or mis-sized domains throw naming the variable', () => {
  const v = ['x', 'y'];
  assert.throws(() => resolveDomain({ expression: 'x+y', domain: [[0, 1]] }, v), /1 range but the objective has 2 variables \(x, y\)/);
  assert.throws(() => resolveDomain({ expression: 'x+y', domain: [[0, 1], [1, 1]] }, v), /domain of y is empty: \[1, 1\]/);
  assert.throws(() => resolveDomain({ expression: 'x+y', domain: [[2, 1], [0, 1]] }, v), /domain of x is inverted: \[2, 1\]/);
  assert.throws(() => resolveDomain({ expression: 'x+y', domain: [[0, NaN], [0, 1]] }, v), /domain of x must be two finite numbers/);
  assert.throws(() => resolveDomain({ expression: 'x+y', domain: [[0, 1], [-Infinity, 1]] }, v), /domain of y must be two finite numbers/);
  const notPair = JSON.parse('{"expression":"x+y","domain":[[0,1],[3]]}');
  assert.throws(() => resolveDomain(notPair, v), /domain of y must be a pair/);
  const strings = JSON.parse('{"expression":"x+y","domain":[[0,1],["0","1"]]}');
  assert.throws(() => resolveDomain(strings, v), /domain of y must be two finite numbers/);
});

test('analyzeProblem on f4: two minima ±(√19/(2√5))(1,1), η_max 10/19, minima sorted', () => {
  const p = analyzeProblem({ expression: '(1 - x*y)^2 + (x^2 + y^2)/20' });
  assert.deepEqual(p.parsed.variables, ['x', 'y']);
  assert.deepEqual(p.domain, [[-3, 3], [-3, 3]]);
  assert.equal(p.compiled.n, 2);
  assert.equal(p.minima.length, 2);
  const r = Math.sqrt(19) / (2 * Math.sqrt(5));
  assert.ok(Math.abs(p.minima[0].point[0] + r) < 1e-12 && Math.abs(p.minima[1].point[0] - r) < 1e-12);
  for (const m of p.minima) assert.ok(Math.abs((m.etaMax as number) - 10 / 19) < 1e-12);
  assert.equal(p.criticalPoints.length, 3);
  assert.ok(p.minima.every((m) => p.criticalPoints.includes(m)), 'minima are entries of criticalPoints');
});

test('analyzeProblem respects the variable order and the domain', () => {
  // minimum of (x-1)^2 + 2(y+2)^2 is (x,y) = (1,-2): with order [y, x] the point is (-2, 1)
  const p = analyzeProblem({ expression: '(x-1)^2 + 2*(y+2)^2', variables: ['y', 'x'], domain: [[-3, 0], [0, 3]] });
  assert.deepEqual(p.parsed.variables, ['y', 'x']);
  assert.equal(p.minima.length, 1);
  assert.ok(Math.abs(p.minima[0].point[0] + 2) < 1e-12 && Math.abs(p.minima[0].point[1] - 1) < 1e-12);
  // Hessian diag(4, 2) in the order (y, x)
  assert.deepEqual(p.minima[0].eigenvalues.map((v) => Math.round(v * 1e9) / 1e9), [2, 4]);
  // with a domain that excludes the minimum, descent from the domain still leads to it: it is
  // listed, flagged outside, with its threshold 2/λ_max = 2/4
  const q = analyzeProblem({ expression: '(x-1)^2 + 2*(y+2)^2', domain: [[2, 3], [-3, 3]] });
  assert.equal(q.minima.length, 1);
  assert.equal(q.minima[0].outside, true);
  assert.ok(Math.abs(q.minima[0].point[0] - 1) < 1e-12 && Math.abs(q.minima[0].point[1] + 2) < 1e-12);
  assert.ok(Math.abs((q.minima[0].etaMax as number) - 0.5) < 1e-12);
  assert.equal(q.criticalPoints.filter((c) => !c.outside).length, 0, 'nothing inside the domain');
});

test('analyzeProblem: bad expressions throw ExpressionError, bad domains a plain Error', () => {
  assert.throws(() => analyzeProblem({ expression: 'x^^2' }), ExpressionError);
  assert.throws(() => analyzeProblem({ expression: 'foo(x)' }), ExpressionError);
  assert.throws(() => analyzeProblem({ expression: 'x^2', domain: [[1, 0]] }), /domain of x is inverted/);
});
