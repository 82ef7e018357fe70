import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractExpression, parseSelection } from '../../../src/config/selection';
import { ExpressionError } from '../../../src/engine/types';

test('Python forms: **, np. prefixes, assignments, lambda, def, comments, continuations', () => {
  const cases: [string, string, string[]][] = [
    ['x**2 + y**2 + x**2*y', 'x^2 + y^2 + x^2*y', ['x', 'y']],
    ['x^2+y^2', 'x^2+y^2', ['x', 'y']],
    ['loss = np.sin(x)**2 + y**2  # the loss', 'sin(x)^2 + y^2', ['x', 'y']],
    ['lambda y, x: x**2 + 2*y**2', 'x^2 + 2*y^2', ['y', 'x']],
    ['f = lambda w1, w2: (1 - w1*w2)**2', '(1 - w1*w2)^2', ['w1', 'w2']],
    ['return torch.exp(x) - x + y**2;', 'exp(x) - x + y^2', ['x', 'y']],
    ['f(x, y) = x^2 + y^4', 'x^2 + y^4', ['x', 'y']],
    ['rosen = lambda w: (1 - w[0])**2 + 100*(w[1] - w[0]**2)**2', '(1 - w_0)^2 + 100*(w_1 - w_0^2)^2', ['w_0', 'w_1']],
    ['(theta[ 1 ] - 2)**2 + theta[0]**2', '(theta_1 - 2)^2 + theta_0^2', ['theta_0', 'theta_1']],
  ];
  for (const [text, normalized, variables] of cases) {
    const { parsed } = parseSelection(text);
    assert.equal(parsed.normalized.replace(/\s+/g, ' '), normalized, text);
    assert.deepEqual([...parsed.variables], variables, text);
  }
  const multi = 'def f(x, y):\n    # f4 of the paper\n    return (1 - x*y)**2 \\\n        + (x**2 + y**2) / 20\n';
  const { parsed, extracted } = parseSelection(multi);
  assert.equal(extracted.name, 'f');
  assert.deepEqual([...parsed.variables], ['x', 'y']);
  assert.ok(!parsed.normalized.includes('#'));
  assert.ok(parsed.normalized.includes('/ 20'));
});

test('errors point into the selection text', () => {
  const text = 'loss = x**2 +\n    foo(y)  # bad';
  try {
    parseSelection(text);
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof ExpressionError);
    assert.equal(text.slice(e.range.start, e.range.end), 'foo');
  }
  assert.throws(() => extractExpression('  # only a comment\n'), ExpressionError);
  const indexed = 'lambda w: w[0]**2 + sinn(w[1])';
  try {
    parseSelection(indexed);
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof ExpressionError);
    assert.equal(indexed.slice(e.range.start, e.range.end), 'sinn');
  }
});

test('offsets map every kept character to the same character of the selection', () => {
  const text = 'z = (x - 1)**2 \\\n  + y**2  # c';
  const ex = extractExpression(text);
  for (let i = 0; i < ex.expression.length; i++) {
    const ch = ex.expression[i];
    if (ch !== ' ') assert.equal(text[ex.offsets[i] as number], ch);
  }
});
