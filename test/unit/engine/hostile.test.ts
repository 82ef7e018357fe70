/**
 * Hostile and odd expressions at the engine's door (parseExpression → IR → derivatives →
 * generated code): names that exist on every JavaScript object, constants that fold to NaN or
 * ±Infinity, NaN that folding must not hide, long flat sums and products (no stack overflow
 * anywhere), deep nesting, many variables, and the limits with their messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../src/engine/analyze';
import { createBasinKernel, defaultSlice } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { compileObjective } from '../../../src/engine/compile';
import { evaluateExpr, toMathText } from '../../../src/engine/expr';
import { EXPRESSION_LIMITS, parseExpression } from '../../../src/engine/expression';
import { ExpressionError } from '../../../src/engine/types';

function refused(text: string, pattern: RegExp, at?: { start: number; end?: number }, variables?: string[]): ExpressionError {
  let caught: unknown = null;
  try {
    parseExpression(text, variables ? { variables } : {});
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ExpressionError, `expected an ExpressionError for ${JSON.stringify(text.slice(0, 60))}, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  assert.ok(caught.range.start >= 0 && caught.range.end > caught.range.start && caught.range.start <= text.length, `range ${JSON.stringify(caught.range)}`);
  if (at) {
    assert.equal(caught.range.start, at.start, `start of ${caught.message}`);
    if (at.end !== undefined) assert.equal(caught.range.end, at.end, `end of ${caught.message}`);
  }
  assert.ok(!/\n/.test(caught.message), 'one line');
  return caught;
}

test('names that exist on every JavaScript object are ordinary variable names', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype']) {
    const p = parseExpression(`x^2 + ${name}^2`);
    assert.deepEqual([...p.variables].sort(), [name, 'x'].sort());
    const obj = compileObjective(p);
    const at = p.variables.map((v) => (v === 'x' ? 3 : 4));
    assert.equal(obj.value(at), 25, name);
  }
  // a listed variable called "constructor"
  const listed = parseExpression('constructor^2 + y^2', { variables: ['constructor', 'y'] });
  assert.equal(compileObjective(listed).value([1, 2]), 5);
  // constructor used as a function is an unknown function, not Object
  refused('constructor(x)', /unknown function 'constructor'/, { start: 0, end: 11 });
  refused('x + toString(y)', /unknown function 'toString'/, { start: 4 });
});

test('a variable list is checked: names, reserved words, functions, duplicates, count', () => {
  refused('x + y', /not a valid variable name/, undefined, ['x', 'y z']);
  refused('x + y', /'sin', which is a function name/, undefined, ['x', 'y', 'sin']);
  refused('x + y', /'pi', which is a constant or reserved name/, undefined, ['pi', 'x', 'y']);
  refused('x + y', /listed twice/, undefined, ['x', 'y', 'x']);
  const many = Array.from({ length: EXPRESSION_LIMITS.variables + 1 }, (_, k) => `w${k}`);
  refused('w0', /too many variables: 201 are listed, at most 200/, undefined, many);
});

test('constants that are NaN or infinite are refused with their position', () => {
  refused('x^2 + y*(1e308*10 - 1e308*10)', /'1e308\*10' evaluates to Infinity/, { start: 9, end: 17 });
  refused('x^2 + y^2 + 0*(1e308*10)', /'1e308\*10' evaluates to Infinity/, { start: 15, end: 23 });
  refused('x^(10^400) + y^2', /the exponent '10\^400' overflows/, { start: 3, end: 9 });
  refused('x + sqrt(-1)*y', /'sqrt\(-1\)' is not a real number \(NaN\)/, { start: 4, end: 12 });
  refused('x + log(0)', /'log\(0\)' evaluates to -Infinity/, { start: 4, end: 10 });
  refused('x*(0/0)', /'0\/0' is not a real number/, { start: 3, end: 6 });
  refused('x + 1e400', /the number 1e400 is outside the range of double-precision numbers/, { start: 4, end: 9 });
  refused('np.exp(x) + 2**2000', /'2\*\*2000' evaluates to Infinity/, { start: 12, end: 19 });
  // large but finite constants are fine; the derivatives are what they are (here an infinite Hessian)
  const big = compileObjective(parseExpression('1e308*x^2 + y^2'));
  const h = new Float64Array(4);
  big.hessian([0.1, 0.1], h);
  assert.equal(h[0], Infinity);
  assert.equal(big.value([1e-160, 1]), 1 + 1e308 * 1e-320);
});

test('folding never hides a NaN: 0·log(x) stays NaN where log(x) is', () => {
  const p = parseExpression('x^2 + y^2 + 0*log(x)');
  const obj = compileObjective(p);
  assert.ok(Number.isNaN(obj.value([-1, 0.5])), 'f(−1, 0.5) is NaN as written');
  assert.equal(obj.value([2, 1]), 5);
  assert.ok(Number.isNaN(evaluateExpr(p.expr, [-1, 0.5])));
  for (const [text, at] of [['x - x + y^2', [Infinity, 1]], ['0/x + y^2', [0, 1]], ['1^(log(x)) + y', [-1, 1]], ['x*0 + y', [Infinity, 1]]] as const) {
    const f = compileObjective(parseExpression(text));
    const direct = text === 'x - x + y^2' ? at[0] - at[0] + at[1] ** 2 : text === '0/x + y^2' ? 0 / at[0] + at[1] ** 2 : text === 'x*0 + y' ? at[0] * 0 + at[1] : Math.pow(1, Math.log(at[0])) + at[1];
    assert.ok(Number.isNaN(direct), `${text} is NaN at ${at} when evaluated as written`);
    assert.ok(Number.isNaN(f.value(at)), `${text} compiled keeps the NaN`);
  }
});

test('long flat sums and products: no recursion proportional to the input anywhere', () => {
  const product = 'x*'.repeat(150) + 'y';
  const p = parseExpression(product);
  const obj = compileObjective(p);
  assert.equal(obj.value([1, 2]), 2);
  const g = new Float64Array(2);
  obj.valueAndGradient([1, 1], g);
  assert.deepEqual([...g], [150, 1]);
  // 2500 terms (as long as the limit allows): parse, IR, derivatives, code, interpreter, printer
  const sum = Array.from({ length: 2500 }, (_, k) => `${(k % 7) + 1}*x*y`).join(' + ');
  const ps = parseExpression(sum);
  const big = compileObjective(ps);
  const total = Array.from({ length: 2500 }, (_, k) => (k % 7) + 1).reduce((a, b) => a + b, 0);
  assert.equal(big.value([1, 1]), total);
  assert.equal(evaluateExpr(ps.expr, [1, 1]), total);
  assert.ok(toMathText(ps.expr, (i) => 'xy'[i]).length > 20_000);
  // the whole pipeline on a long chain: critical points, certificate, basin kernel
  const chain = Array.from({ length: 400 }, () => '(x^2 + y^2)/400').join(' + ');
  const problem = analyzeProblem({ expression: chain });
  assert.equal(problem.minima.length, 1);
  assert.ok(Math.abs((problem.minima[0].etaMax as number) - 1) < 1e-12);
  const certs = certifyAll(problem, 0.5);
  assert.ok(certs[0].ok);
  const kernel = createBasinKernel(problem, defaultSlice(problem, 8), 0.5, DEFAULT_CLASSIFY, certs);
  const rows = kernel.runRows(0, 8);
  assert.ok(rows && rows.classes.every((c) => c === 3), 'every start converges stably at η = η_max/2');
});

test('deep nesting is refused before the parser, quickly, with a position', () => {
  const tower = 'x^'.repeat(200) + 'x + y^2';
  const started = performance.now();
  const err = refused(tower, /nested too deeply \(more than 100 levels/);
  assert.ok(err.range.start > 100 && err.range.start < 210, `at ${err.range.start}`);
  refused('('.repeat(150) + 'x' + ')'.repeat(150), /nested too deeply/, { start: 100 });
  refused('sin('.repeat(120) + 'x' + ')'.repeat(120), /nested too deeply/);
  refused('-'.repeat(500) + 'x', /nested too deeply/);
  // within the limit everything works
  const ok = parseExpression('('.repeat(90) + 'x' + ')'.repeat(90) + ' + y');
  assert.equal(compileObjective(ok).value([1, 2]), 3);
  const t = 'x^'.repeat(60) + '1.0001 + y^2';
  assert.ok(compileObjective(parseExpression(t)).value([1.5, 0]) > 1);
  assert.ok(performance.now() - started >= 0); // (no timing assertion: see the fuzz suite's hang guard)
});

test('too many variables, too long: clear refusals; 150 variables compile (reverse mode)', () => {
  const names = Array.from({ length: 201 }, (_, k) => `w${k}`);
  const text = names.map((w) => `${w}^2`).join(' + ');
  const err = refused(text, /too many variables: the objective has 201, at most 200/);
  assert.equal(text.slice(err.range.start, err.range.end), 'w200', 'points at the first variable beyond the limit');
  refused('x + '.repeat(6000) + 'y', /too long \(24001 characters; at most 20000\)/, { start: 20000 });
  const sum150 = Array.from({ length: 150 }, (_, k) => `w${k}^2`).join(' + ');
  const obj = compileObjective(parseExpression(sum150));
  assert.deepEqual(obj.mode, { gradient: 'reverse', hessian: 'hvp' });
  const x = Float64Array.from({ length: 150 }, (_, k) => k / 10);
  const g = new Float64Array(150);
  const f = obj.valueAndGradient(x, g);
  assert.ok(Math.abs(f - x.reduce((s, v) => s + v * v, 0)) < 1e-9);
  g.forEach((gi, k) => assert.equal(gi, 2 * x[k]));
  const h = new Float64Array(150 * 150);
  obj.hessian(x, h);
  for (let i = 0; i < 150; i++) for (let j = 0; j < 150; j++) assert.equal(h[i * 150 + j], i === j ? 2 : 0);
});

test('parse errors keep their mathjs message and position', () => {
  refused('x^^2', /value expected at character 3/, { start: 2 });
  refused('x + (y', /parenthesis \) expected/);
  refused('x $ y', /./);
  refused('x +', /unexpected end of expression at character 4/, { start: 2, end: 3 });
});
