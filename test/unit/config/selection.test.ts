import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
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

test('a 1 MB line and other huge selections answer at once (hang detector, through the bundled dist/text.js the extension host loads)', () => {
  // Each input runs in a child process that is killed after a generous bound: a hang (the old
  // quadratic w[0] regex took 13–15 s on 80,000 characters and never finished on 1 MB) fails
  // the test instead of freezing the suite. Not a timing assertion: the bound is 100× the need.
  const script = `
    const { selection } = require(${JSON.stringify(join(__dirname, '..', '..', '..', 'dist', 'text.js'))});
    const n = selection.MAX_SELECTION_LENGTH - 1; // just under the selection limit: every scan runs to the end
    const inputs = {
      '1 MB of x': 'x'.repeat(1_000_000),
      '1 MB of w[0]': 'w[0]+'.repeat(200_000),
      'long identifier': 'x'.repeat(n),
      'identifier then [': 'x'.repeat(n - 1) + '[',
      'indexed run': 'w[ '.repeat(Math.floor(n / 3)),
      'backslashes': '\\\\'.repeat(n),
      'blanks': ' '.repeat(n - 1) + 'x',
      'def without colon': 'def f(' + 'x, '.repeat(Math.floor(n / 3) - 3),
      'lambda args': 'lambda ' + 'x '.repeat(Math.floor(n / 2) - 5) + ': x',
      'comment lines': '#\\n'.repeat(Math.floor(n / 2)),
      'def arrow and blanks': 'def f(x) ->' + ' '.repeat(n - 20),
      'lambda and blanks': 'lambda' + ' '.repeat(n - 10),
      'annotation and blanks': 'loss' + ' '.repeat(n - 20) + ': int',
    };
    const out = {};
    for (const [name, text] of Object.entries(inputs)) {
      try { selection.parseSelection(text); out[name] = 'parsed'; }
      catch (e) { out[name] = e.name + ': ' + e.message.slice(0, 80); }
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.signal, null, 'parseSelection did not answer within 60 s: a hang');
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout) as Record<string, string>;
  assert.match(out['1 MB of x'] ?? '', /^ExpressionError: the selection is too long \(1000000 characters; at most \d+\)/);
  assert.match(out['1 MB of w[0]'] ?? '', /^ExpressionError: the selection is too long/);
  assert.match(out['long identifier'] ?? '', /^ExpressionError: the expression is too long/);
  for (const [name, result] of Object.entries(out)) assert.match(result, /^(parsed|ExpressionError: )/, `${name}: ${result}`);
});
