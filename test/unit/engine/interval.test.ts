import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../../src/engine/expression';
import { evaluateExpr } from '../../../src/engine/expr';
import { mulberry32 } from '../../../src/engine/random';
import { ENTIRE, iCall, iDiv, iMul, interval, iPowInt, iSub, roundDown, roundUp, type Interval } from '../../../src/engine/interval';
import { evalInterval, IntervalProgram } from '../../../src/engine/intervalEval';

const rng = mulberry32;

const contains = (i: Interval, v: number): boolean => i.lo <= v && v <= i.hi;

test('roundUp / roundDown move at least one ulp outwards, keep infinities', () => {
  for (const x of [1, -1, 0, 1e-300, -1e300, Math.PI, 2 ** 52, Number.MIN_VALUE, 0.1]) {
    assert.ok(roundUp(x) > x, `up(${x})`);
    assert.ok(roundDown(x) < x, `down(${x})`);
  }
  assert.equal(roundUp(Infinity), Infinity);
  assert.equal(roundDown(-Infinity), -Infinity);
  // 0.1 + 0.2 rounds to nearest; the enclosure of the exact sum must contain 0.3's neighbourhood
  const s = { lo: roundDown(0.1 + 0.2), hi: roundUp(0.1 + 0.2) };
  assert.ok(s.lo < 0.30000000000000004 && s.hi > 0.30000000000000004);
});

test('basic operations: exact small cases are enclosed tightly', () => {
  const p = iMul(interval(1, 2), interval(-3, 4));
  assert.ok(p.lo <= -6 && p.lo > -6.000001 && p.hi >= 8 && p.hi < 8.000001);
  const d = iSub(interval(1, 2), interval(1, 2));
  assert.ok(d.lo <= -1 && d.hi >= 1, 'x − x over [1,2] is [−1,1] (dependency, not 0)');
  assert.deepEqual(iDiv(interval(1), interval(-1, 1)), ENTIRE, 'division by an interval containing 0');
  const sq = iPowInt(interval(-2, 3), 2);
  assert.equal(sq.lo, 0, 'an even power of an interval containing 0 starts at 0');
  assert.ok(sq.hi >= 9 && sq.hi < 9.00001);
  const cube = iPowInt(interval(-2, 3), 3);
  assert.ok(cube.lo <= -8 && cube.hi >= 27);
  const inv = iPowInt(interval(2, 4), -2);
  assert.ok(inv.lo <= 1 / 16 && inv.hi >= 1 / 4 && inv.hi < 0.2500001);
});

test('functions: ranges with interior extrema, and domain violations give the whole line', () => {
  const c = iCall('cos', interval(-0.5, 3.5)); // contains 0 (max 1) and π (min −1)
  assert.equal(c.hi, 1);
  assert.equal(c.lo, -1);
  const s = iCall('sin', interval(0.1, 0.2)); // monotone piece
  assert.ok(s.lo <= Math.sin(0.1) && s.hi >= Math.sin(0.2) && s.hi < 0.2);
  const s2 = iCall('sin', interval(1, 2)); // contains π/2
  assert.equal(s2.hi, 1);
  assert.deepEqual(iCall('log', interval(-1, 2)), ENTIRE);
  assert.deepEqual(iCall('sqrt', interval(-1, 2)), ENTIRE);
  assert.deepEqual(iCall('tan', interval(1, 2)), ENTIRE, 'pole at π/2');
  const ch = iCall('cosh', interval(-1, 2));
  assert.ok(ch.lo <= 1 && ch.lo >= 1 - 1e-15 && ch.hi >= Math.cosh(2));
  const e = iCall('exp', interval(0, 1));
  assert.ok(e.lo <= 1 && e.hi >= Math.E);
});

test('evalInterval encloses the expression at random points of random boxes (independent interpreter)', () => {
  const texts = [
    'x^2 + y^2 + x^2*y + x^3 + y^3',
    'x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1',
    '(1 - x*y)^2 + (x^2 + y^2)/20',
    'sin(x)*cos(y) + exp(x - y) / (2 + tanh(x*y))',
    'log(1 + x^2 + y^2) + sqrt(4 + x*y) - atan(x - y) + cosh(y/3)',
    'x^(-2) + 1/(3 + sin(y))',
    'sinh(x)*asinh(y) + x^2.5*0 + log1p(x^2) + expm1(y/4)',
  ];
  const random = rng(7);
  for (const text of texts) {
    const parsed = parseExpression(text);
    for (let trial = 0; trial < 150; trial++) {
      const box: Interval[] = parsed.variables.map(() => {
        const a = -1.5 + 3 * random();
        const w = random() * (trial % 3 === 0 ? 1e-6 : 1);
        return { lo: a, hi: a + w };
      });
      const enclosure = evalInterval(parsed.expr, box);
      for (let s = 0; s < 8; s++) {
        const x = box.map((b) => b.lo + (b.hi - b.lo) * random());
        const v = evaluateExpr(parsed.expr, x);
        if (!Number.isFinite(v)) continue;
        assert.ok(contains(enclosure, v), `${text} at (${x.join(', ')}) = ${v} not in [${enclosure.lo}, ${enclosure.hi}]`);
      }
      // corners too (where monotone ranges attain their ends)
      const corner = box.map((b) => b.lo);
      const vc = evaluateExpr(parsed.expr, corner);
      if (Number.isFinite(vc)) assert.ok(contains(enclosure, vc), `${text} at corner`);
    }
  }
});

test('evalInterval at a point box is a few ulps wide', () => {
  const parsed = parseExpression('x^2 + y^2 + x^2*y + x^3 + y^3');
  const x = [0.3, -0.7];
  const r = evalInterval(parsed.expr, x.map((v) => interval(v)));
  const v = evaluateExpr(parsed.expr, x);
  assert.ok(contains(r, v));
  assert.ok(r.hi - r.lo < 1e-14, `width ${r.hi - r.lo}`);
});

test('IntervalProgram (the flattened evaluator the certificate runs) gives the same enclosures as evalInterval', () => {
  const texts = ['(1 - x*y)^2 + (x^2 + y^2)/20', 'x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1', 'exp(x)*sin(y)/(2 + x^2) + y^(-3) + sqrt(1 + x^2)^3'];
  const random = rng(99);
  for (const text of texts) {
    const parsed = parseExpression(text);
    const program = new IntervalProgram([parsed.expr]);
    for (let trial = 0; trial < 200; trial++) {
      const lo = parsed.variables.map(() => -2 + 4 * random());
      const hi = lo.map((l) => l + random() * (trial % 2 ? 0.01 : 1.5));
      program.run(lo, hi);
      const slot = program.outputs[0];
      const ref = evalInterval(parsed.expr, lo.map((l, i) => ({ lo: l, hi: hi[i] })));
      assert.equal(program.lo[slot], ref.lo, `${text} lo`);
      assert.equal(program.hi[slot], ref.hi, `${text} hi`);
    }
  }
});
