import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../../src/engine/expression';
import { evaluateExpr } from '../../../src/engine/expr';
import { ExpressionError } from '../../../src/engine/types';

function rejects(text: string, pattern: RegExp, start: number): void {
  assert.throws(
    () => parseExpression(text),
    (err: unknown) => {
      assert.ok(err instanceof ExpressionError, `expected ExpressionError for ${text}`);
      assert.match(err.message, pattern);
      assert.equal(err.range.start, start, `position of the problem in ${JSON.stringify(text)}: ${err.message}`);
      assert.ok(err.range.end > err.range.start);
      return true;
    },
  );
}

test('accepts ^ and **, code prefixes, constants, implicit variables in natural order', () => {
  const p = parseExpression('np.exp(-x**2) + math.pi*theta_2^2 + jnp.sin(w10) + torch.cos(w2) + numpy.log(1 + e)');
  assert.deepEqual(p.variables, ['theta_2', 'w2', 'w10', 'x']);
  const x = [0.5, 0.25, 1.5, 0.3];
  const scope = { theta_2: x[0], w2: x[1], w10: x[2], x: x[3] };
  const direct = Math.exp(-(scope.x ** 2)) + Math.PI * scope.theta_2 ** 2 + Math.sin(scope.w10) + Math.cos(scope.w2) + Math.log(1 + Math.E);
  assert.ok(Math.abs(evaluateExpr(p.expr, x) - direct) < 1e-14);
});

test('explicit variable order is respected and checked', () => {
  const p = parseExpression('y - 2*x', { variables: ['y', 'x'] });
  assert.equal(evaluateExpr(p.expr, [5, 1]), 3);
  assert.throws(() => parseExpression('y - 2*z', { variables: ['y', 'x'] }), /unknown variable 'z'/);
});

test('rejects bad input with the problem and its position in the original text', () => {
  rejects('x^^2', /value expected/, 2);
  rejects('x +', /unexpected end/, 2); // the range underlines the last character
  rejects('foo(x)', /unknown function 'foo'/, 0);
  rejects('x = 3', /assignments are not allowed/, 2);
  rejects('"a"', /strings are not allowed/, 0);
  rejects('x.constructor', /property access/, 1);
  rejects('f(x) = x^2', /function definitions/, 5);
  rejects('[x, y]', /matrices/, 0);
  rejects('x ? 1 : 2', /conditionals/, 2);
  rejects('x > 2', /operator '>'/, 2);
  rejects('abs(x) + y', /not twice differentiable/, 0);
  rejects('x**2 + bar(y)', /unknown function 'bar'/, 7);
  rejects('np.x**^2', /value expected/, 6);
  rejects('', /empty/, 0);
  rejects('3 + 4', /no variables/, 0);
  rejects('i*x', /'i' is not a real variable/, 0);
  rejects('sin + x', /used without arguments/, 0);
  rejects('x; y', /single expression/, 1);
  rejects('x + $a', /not a valid variable name/, 4);
});

test('log with a base and pow are rewritten exactly', () => {
  const p = parseExpression('log(x, 2) + pow(y, 3) + ln(x)');
  assert.ok(Math.abs(evaluateExpr(p.expr, [8, 2]) - (3 + 8 + Math.log(8))) < 1e-14);
});

test('natural variable order agrees with Intl.Collator (en, numeric) on random ASCII names', async () => {
  const { naturalCompare } = await import('../../../src/engine/expression');
  const { mulberry32 } = await import('../../../src/engine/random');
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
  const random = mulberry32(5);
  const alphabet = 'aAbBxXyYzZ_0123456789';
  const name = (): string => Array.from({ length: 1 + Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  for (let k = 0; k < 20000; k++) {
    const a = name();
    const b = name();
    assert.equal(Math.sign(naturalCompare(a, b)), Math.sign(collator.compare(a, b)), `${a} vs ${b}`);
  }
  assert.deepEqual(['w10', 'x', 'W2', 'theta_2', 'w2', 'θ', 'theta_10', '_a'].sort(naturalCompare), ['_a', 'theta_2', 'theta_10', 'w2', 'W2', 'w10', 'x', 'θ']);
});
