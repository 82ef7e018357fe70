import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile as mathCompile } from 'mathjs';
import { compileObjective } from '../../../src/engine/compile';
import { compileProblemText } from '../../../src/engine/analyze';
import { parseExpression } from '../../../src/engine/expression';
import { emitStraightLine } from '../../../src/engine/codegen';
import { evaluateExpr, ExprBuilder } from '../../../src/engine/expr';
import { mulberry32 } from '../../../src/engine/random';

const rng = mulberry32;

/** [expression, sampling box half-width, offset] — points are offset + U(−w, w) per variable. */
const CORPUS: Array<[string, number, number]> = [
  ['x^2 + y^2 + x^2*y + x^3 + y^3', 1.5, 0],
  ['x^2 + y^2 + x^2*y + x^4 + y^4', 1.5, 0],
  ['x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1', 1.5, 0],
  ['(1 - x*y)^2 + (x^2 + y^2)/20', 2, 0],
  ['(1 - x)^2 + 100*(y - x^2)^2', 1.5, 0],
  ['(x^2 + y - 11)^2 + (x + y^2 - 7)^2', 4, 0],
  ['x^2', 3, 0],
  ['x^6 - 3*x^5 + x^3 - 7', 1.5, 0],
  ['x^7*y - y^5 + 2*x*y^3', 1.2, 0],
  ['1/(1 + x^2 + y^2)', 2, 0],
  ['(x - y)/(2 + x^2)', 2, 0],
  ['x/(y^2 + 1) + y/(x^2 + 4)', 2, 0],
  ['sin(x)*cos(y)', 3, 0],
  ['tan(x/3) + sec(y/3)', 1, 0],
  ['sinh(x/2)*cosh(y/3) - tanh(x*y)', 1.5, 0],
  ['exp(-x^2 - y^2)', 1.5, 0],
  ['log(1 + x^2 + y^2)', 2, 0],
  ['exp(x/3)*log(2 + sin(y))', 2, 0],
  ['sqrt(1 + x^2 + y^4)', 2, 0],
  ['x^2.5 + y^1.5', 1, 2],
  ['(x^2 + 1)^0.3 * (y^2 + 2)^(-0.7)', 2, 0],
  ['x^y', 0.5, 1.5],
  ['atan(x*y) + asinh(x - y)', 2, 0],
  ['asin(x/2) + acos(y/2)', 0.9, 0],
  ['atanh(x/2) + acosh(2 + y^2)', 0.9, 0],
  ['log10(1 + x^2) + log2(2 + y^2)', 2, 0],
  ['expm1(x/4) + log1p(y^2)', 2, 0],
  ['cot(x) + csc(y) + coth(x+y)', 0.4, 1.2],
  ['sech(x) + csch(y)', 0.5, 1.5],
  ['pi*x^2 + e^y', 1, 0],
  ['w1^2 + 2*w2^2 + 3*w3^2 + w1*w2*w3', 1, 0],
  ['(a - 1)^2 + (b - a^2)^2 + (c - b^2)^2 + (d - c^2)^2', 1, 0],
  ['x1^2 + x2^2 + x3^2 + x4^2 + x5^2 + x6^2 + sin(x1*x2) + cos(x3*x4) + exp(x5*x6/4)', 1, 0],
  ['np.exp(-x**2) * math.cos(torch.sqrt(1 + y**2))', 2, 0],
  ['theta_1^2 * theta_2 - theta_2^3/3', 1.5, 0],
];

const REL = 1e-12;
function close(actual: number, expected: number, rel: number, abs: number): boolean {
  return Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-300) + abs;
}

test('corpus has at least 30 expressions across 1–6 variables', () => {
  assert.ok(CORPUS.length >= 30, `corpus has ${CORPUS.length}`);
  const counts = new Set(CORPUS.map(([e]) => parseExpression(e).variables.length));
  for (const n of [1, 2, 3, 4, 6]) assert.ok(counts.has(n), `no ${n}-variable expression`);
});

for (const [text, width, offset] of CORPUS) {
  test(`compiled f agrees with mathjs evaluate and derivatives with finite differences: ${text}`, () => {
    const parsed = parseExpression(text);
    const obj = compileObjective(parsed);
    const reference = mathCompile(parsed.normalized);
    const n = obj.n;
    const random = rng(text.length * 7919 + 17);
    const g = new Float64Array(n);
    const hess = new Float64Array(n * n);
    const gp = new Float64Array(n);
    const gm = new Float64Array(n);
    for (let trial = 0; trial < 12; trial++) {
      const x = Array.from({ length: n }, () => offset + (2 * random() - 1) * width);
      const scope: Record<string, number> = {};
      parsed.variables.forEach((v, i) => (scope[v] = x[i]));
      const expected = reference.evaluate(scope) as number;
      const value = obj.value(x);
      assert.ok(close(value, expected, REL, 1e-15), `f(${x}) = ${value}, mathjs ${expected}`);
      const fused = obj.valueAndGradient(x, g);
      assert.ok(close(fused, expected, REL, 1e-15), `fused value ${fused} vs ${expected}`);
      // Central differences of f → gradient; of the gradient → Hessian.
      obj.hessian(x, hess);
      for (let i = 0; i < n; i++) {
        const h = 1e-5 * Math.max(1, Math.abs(x[i]));
        const xp = [...x]; xp[i] += h;
        const xm = [...x]; xm[i] -= h;
        const fd = (obj.value(xp) - obj.value(xm)) / (2 * h);
        const scale = Math.max(1, Math.abs(g[i]), Math.abs(value));
        assert.ok(Math.abs(fd - g[i]) <= 1e-6 * scale, `∂f/∂${parsed.variables[i]} at ${x}: ${g[i]} vs FD ${fd}`);
        obj.valueAndGradient(xp, gp);
        obj.valueAndGradient(xm, gm);
        for (let j = 0; j < n; j++) {
          const fdh = (gp[j] - gm[j]) / (2 * h);
          const hs = Math.max(1, Math.abs(hess[i * n + j]), Math.abs(g[j]));
          assert.ok(Math.abs(fdh - hess[i * n + j]) <= 1e-5 * hs, `H[${i}][${j}] at ${x}: ${hess[i * n + j]} vs FD ${fdh}`);
          assert.equal(hess[i * n + j], hess[j * n + i], 'Hessian is symmetric');
        }
      }
    }
  });
}

test('closed-form derivatives of f4 at its minimum (paper: λ_max = 19/5)', () => {
  const obj = compileProblemText('(1 - x*y)^2 + (x^2 + y^2)/20');
  const s = Math.sqrt(19) / (2 * Math.sqrt(5));
  const g = new Float64Array(2);
  const h = new Float64Array(4);
  obj.valueAndGradient([s, s], g);
  obj.hessian([s, s], h);
  assert.ok(Math.abs(g[0]) < 1e-14 && Math.abs(g[1]) < 1e-14);
  // ∂²f/∂x² = 2y² + 1/10, ∂²f/∂x∂y = 4xy − 2 at x = y = s (s² = 19/20).
  assert.ok(Math.abs(h[0] - (2 * (19 / 20) + 0.1)) < 1e-14);
  assert.ok(Math.abs(h[1] - (4 * (19 / 20) - 2)) < 1e-14);
  assert.ok(Math.abs(h[0] + h[1] - 19 / 5) < 1e-14, 'λ_max = h11 + h12 = 19/5 for this symmetric matrix');
});

test('generated code contains no user text: variable names and function spellings never appear', () => {
  const obj = compileProblemText('np.exp(constructor_x**2) + process_y');
  assert.deepEqual(obj.variables, ['constructor_x', 'process_y']);
  const line = emitStraightLine([obj.ir.f, ...obj.ir.grad], ['p0', 'p1']);
  assert.ok(!/constructor|process|np\./.test(line.code), line.code);
  assert.ok(/^(const t\d+ = [-\w.() *+/,]+;\n?)*$/.test(line.code), `unexpected tokens in:\n${line.code}`);
});

test('shared subexpressions are computed once', () => {
  const parsed = parseExpression('sin(x*y) + cos(x*y) + (x*y)^2');
  const line = emitStraightLine([parsed.expr], ['a', 'b']);
  const products = line.code.split('\n').filter((l) => /= a \* b;$/.test(l));
  assert.equal(products.length, 1, line.code);
});

test('ExprBuilder folding keeps values (interpreter check)', () => {
  const b = new ExprBuilder();
  const x = b.variable(0);
  const e = b.add(b.mul(b.num(1), x), b.sub(b.mul(b.num(0), x), b.pow(x, b.num(1))));
  assert.equal(evaluateExpr(e, [3.5]), 0);
  assert.equal(b.mul(b.num(2), x), b.mul(x, b.num(2)), 'interned');
});
