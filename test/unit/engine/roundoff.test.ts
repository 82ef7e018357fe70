/**
 * Running error bounds (src/engine/roundoff.ts) against exact arithmetic: doubles are dyadic
 * rationals m·2^e, so sums, differences and products of them are computed exactly here with
 * BigInt, and the double-precision result must lie within the bound of the exact value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileProblemText } from '../../../src/engine/analyze';
import { boundedEval, BoundedProgram } from '../../../src/engine/roundoff';
import { mulberry32 } from '../../../src/engine/random';
import type { Expr } from '../../../src/engine/types';

/** An exact dyadic rational n · 2^e. */
interface Dyadic {
  n: bigint;
  e: number;
}

function toDyadic(v: number): Dyadic {
  if (v === 0) return { n: 0n, e: 0 };
  let e = 0;
  let m = v;
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  return { n: BigInt(m), e };
}
function align(a: Dyadic, b: Dyadic): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.n << BigInt(a.e - e), b.n << BigInt(b.e - e), e];
}
const add = (a: Dyadic, b: Dyadic): Dyadic => {
  const [x, y, e] = align(a, b);
  return { n: x + y, e };
};
const sub = (a: Dyadic, b: Dyadic): Dyadic => {
  const [x, y, e] = align(a, b);
  return { n: x - y, e };
};
const mul = (a: Dyadic, b: Dyadic): Dyadic => ({ n: a.n * b.n, e: a.e + b.e });
/** |a − v| as a double (rounded; the difference is far above the rounding of this conversion) */
function distance(a: Dyadic, v: number): number {
  const d = sub(a, toDyadic(v));
  const neg = d.n < 0n;
  let n = neg ? -d.n : d.n;
  let e = d.e;
  while (n > 2n ** 60n) {
    n >>= 1n;
    e++;
  }
  return Number(n) * 2 ** e;
}

/** Exact value of a polynomial IR (num, var, neg, add, sub, mul, integer pow) at x. */
function exact(e: Expr, x: number[]): Dyadic {
  switch (e.k) {
    case 'num':
      return toDyadic(e.v);
    case 'var':
      return toDyadic(x[e.i]);
    case 'neg': {
      const a = exact(e.a, x);
      return { n: -a.n, e: a.e };
    }
    case 'add':
      return add(exact(e.a, x), exact(e.b, x));
    case 'sub':
      return sub(exact(e.a, x), exact(e.b, x));
    case 'mul':
      return mul(exact(e.a, x), exact(e.b, x));
    case 'pow': {
      if (e.b.k !== 'num' || !Number.isInteger(e.b.v) || e.b.v < 0) throw new Error('not a polynomial');
      let r: Dyadic = { n: 1n, e: 0 };
      const a = exact(e.a, x);
      for (let i = 0; i < e.b.v; i++) r = mul(r, a);
      return r;
    }
    default:
      throw new Error(`not a polynomial node ${e.k}`);
  }
}

const POLYNOMIALS = [
  '(1 - x*y)^2 + (x^2 + y^2)/20',
  'x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1',
  '(x^2 + y - 11)^2 + (x + y^2 - 7)^2',
  '(1 - x)^2 + 100*(y - x^2)^2',
];

test('f, ∇f and ∇²f of polynomials: the double result is within its running error bound of the exact value', () => {
  const rand = mulberry32(11);
  for (const text of POLYNOMIALS) {
    const obj = compileProblemText(text);
    const exprs = [obj.ir.f, ...obj.ir.grad, obj.ir.hess[0][0], obj.ir.hess[0][1], obj.ir.hess[1][1]];
    // division by 20 is not exact in binary: check it only through f's gradient-free parts
    const exactOk = (e: Expr): boolean => {
      const walk = (n: Expr): boolean => n.k === 'num' || n.k === 'var' || (n.k === 'neg' ? walk(n.a) : n.k === 'div' ? false : n.k === 'call' ? false : walk(n.a) && walk(n.b));
      return walk(e);
    };
    let checked = 0;
    for (let trial = 0; trial < 200; trial++) {
      const x = [6 * rand() - 3, 6 * rand() - 3];
      // points near cancellation too: on xy = 1 and at the minima of f3
      if (trial % 4 === 0) x[1] = 1 / x[0];
      if (trial % 4 === 1) x.splice(0, 2, 1 + 1e-9 * (rand() - 0.5), 1 + 1e-9 * (rand() - 0.5));
      const bounded = boundedEval(exprs, x);
      exprs.forEach((e, k) => {
        if (!exactOk(e)) return;
        const err = distance(exact(e, x), bounded[k].value);
        assert.ok(err <= bounded[k].error, `${text} output ${k} at (${x.join(', ')}): error ${err} > bound ${bounded[k].error}`);
        checked++;
      });
    }
    assert.ok(checked > 200, `${text}: ${checked} checks`);
  }
});

test('the bound is not vacuous: at the cancellation point of f3 it is about the round-off of the terms (~6 ulps of 1)', () => {
  const obj = compileProblemText('x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1');
  const [f] = boundedEval([obj.ir.f], [1, 1]);
  assert.equal(f.value, 0);
  assert.ok(f.error > 0 && f.error < 1e-14, `bound ${f.error}`);
});

test('BoundedProgram (allocation-free) gives the interpreter\'s values and bounds, functions included', () => {
  for (const text of [...POLYNOMIALS, 'log(1 + x^2) + sqrt(2 + y^2) + exp(-x*y) + sin(x)*cos(y) + atan(x/3)', 'x^0.5 + y^2', '2^x + y^3']) {
    const obj = compileProblemText(text);
    const exprs = [obj.ir.f, ...obj.ir.grad];
    const program = new BoundedProgram(exprs);
    const values = new Float64Array(exprs.length);
    const errors = new Float64Array(exprs.length);
    for (const x of [[0.5, -1.25], [2, 0.1], [1e-3, 3]]) {
      program.run(x, values, errors);
      const ref = boundedEval(exprs, x);
      ref.forEach((r, k) => {
        assert.ok(Object.is(values[k], r.value), `${text} value ${k}`);
        assert.ok(Object.is(errors[k], r.error), `${text} bound ${k}`);
      });
    }
  }
});

test('functions: the bound covers the exact change of a monotone function over the input error', () => {
  // log(x·x) at x = 3: x·x = 9 is exact, so only the library's rounding remains
  const obj = compileProblemText('log(x*x) + y');
  const [v] = boundedEval([obj.ir.f], [3, 0]);
  assert.ok(Math.abs(v.value - Math.log(9)) <= v.error);
  const [w] = boundedEval([compileProblemText('sqrt(x - 1) + y').ir.f], [0.5, 0]);
  assert.ok(Number.isNaN(w.value) && w.error === Infinity, 'undefined → no bound');
});
