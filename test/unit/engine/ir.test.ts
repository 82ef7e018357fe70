/**
 * The problem as data (ir.ts): round trips through structured clone and JSON, validation of
 * forged or damaged data (what a worker refuses), and the parser-only mathjs instance against a
 * full one (same trees, same error messages).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileObjective } from '../../../src/engine/compile';
import { evaluateExpr } from '../../../src/engine/expr';
import { parseExpression } from '../../../src/engine/expression';
import { deserializeExpr, InvalidIRError, parsedFromIR, problemSpec, serializeExpr } from '../../../src/engine/ir';
import { parse } from '../../../src/engine/mathjs';
import { analyzeProblemData } from '../../../src/engine/problem';
import type { ProblemSpec } from '../../../src/engine/types';
import { math } from '../support/mathjsOracle';

test('an objective survives structured clone and JSON as data, shared nodes once', () => {
  const parsed = parseExpression('sin(x*y) + cos(x*y) + (x*y)^2 + np.exp(-x**2)');
  const spec = problemSpec(parsed, [[-1, 1], [-2, 2]]);
  const nodes = spec.ir?.nodes ?? [];
  assert.equal(nodes.filter((n) => n[0] === 'mul').length, 1, 'x*y serialised once');
  for (const copy of [structuredClone(spec), JSON.parse(JSON.stringify(spec)) as ProblemSpec]) {
    const again = parsedFromIR(copy);
    assert.deepEqual(again.variables, ['x', 'y']);
    for (const x of [[0.3, -0.7], [1.2, 0.4]]) assert.equal(evaluateExpr(again.expr, x), evaluateExpr(parsed.expr, x));
    assert.equal(compileObjective(again).value([0.5, 0.5]), compileObjective(parsed).value([0.5, 0.5]));
  }
  const problem = analyzeProblemData(problemSpec(parseExpression('(1 - x*y)^2 + (x^2 + y^2)/20')));
  assert.equal(problem.minima.length, 2);
  assert.ok(Math.abs((problem.minima[0].etaMax as number) - 10 / 19) < 1e-12);
});

test('forged or damaged data is refused, naming the node', () => {
  const bad: Array<[unknown, RegExp]> = [
    [[['var', 0], ['call', 'constructor', 0]], /'constructor' is not a whitelisted function/],
    [[['var', 0], ['call', 'eval', 0]], /'eval' is not a whitelisted function/],
    [[['num', 1], ['add', 0, 1]], /node 1 refers to 1, not an earlier node/],
    [[['num', 1], ['add', 0, 5]], /refers to 5/],
    [[['num', NaN]], /finite number/],
    [[['num', '1; process.exit()']], /finite number/],
    [[['var', 7]], /variable 7 of 2/],
    [[['var', -1]], /variable -1/],
    [[['var', 0], ['__proto__', 0, 0]], /unknown kind '__proto__'/],
    [[['var', 0], ['neg', 0, 0]], /neg takes one operand/],
    [[], /non-empty list/],
    ['x^2', /non-empty list/],
    [[42], /not \[kind/],
  ];
  for (const [nodes, pattern] of bad) {
    assert.throws(() => deserializeExpr(nodes, 2), (err: unknown) => err instanceof InvalidIRError && pattern.test(err.message), JSON.stringify(nodes));
  }
  const spec = problemSpec(parseExpression('x + y'));
  assert.throws(() => parsedFromIR({ ...spec, ir: undefined }), /no parsed objective/);
  assert.throws(() => parsedFromIR({ ...spec, variables: ['y', 'x'] }), /differ/);
  assert.throws(() => parsedFromIR({ ...spec, ir: { ...(spec.ir as NonNullable<ProblemSpec['ir']>), variables: ['x', 'x'] } }), /duplicate/);
  assert.throws(() => deserializeExpr(Array.from({ length: 40_001 }, () => ['num', 1]), 1), /more than 40000 nodes/);
});

test('serialisation is a faithful round trip of the DAG', () => {
  const parsed = parseExpression('(x + y)^3 / (1 + (x + y)^2) - log1p(x^2) * expm1(y)');
  const nodes = serializeExpr(parsed.expr);
  const back = deserializeExpr(nodes, 2);
  assert.deepEqual(serializeExpr(back), nodes);
});

/** Inputs for the parser comparison: valid, invalid and odd. */
const PARSER_CORPUS = [
  'x^2 + y^2', '2x + 3y', '2 x y', '(1 - x*y)^2 + (x^2 + y^2)/20', '1/2x', '3 / 4 x', 'x^-2', '-x^2', '2^-x^2', 'x!', "x'",
  'sin x', 'e^x', 'pi*x', '0x1F * x', '0b101 + y', '1e-3x', '.5x + 1.', 'x # comment', 'x; y', 'x = 2', 'f(x) = x^2',
  'x.y', 'x[1]', '[x, y]', '{a: x}', 'x ? y : 1', 'x:y', 'x < y < 2', 'x == y', 'not x', 'x and y', 'x mod y', '"str"',
  'x^^2', 'x +', '(x', 'x)', '', ' ', 'sin(', 'x $ y', '5 cm', 'x to y', 'NaN * x', 'Infinity + x', 'true + x', 'x(2)',
];

test('the parser-only mathjs instance builds the same trees and errors as a full instance', () => {
  for (const text of PARSER_CORPUS) {
    let full: string;
    try {
      full = math.parse(text).toString();
    } catch (err) {
      full = `error: ${(err as Error).message}`;
    }
    let lean: string;
    try {
      lean = parse(text).toString();
    } catch (err) {
      lean = `error: ${(err as Error).message}`;
    }
    assert.equal(lean, full, JSON.stringify(text));
  }
});

test('an analysed problem travels with its critical points; a worker takes them (validated) instead of searching', async () => {
  const { analyzeProblem } = await import('../../../src/engine/analyze');
  const problem = analyzeProblem({ expression: 'x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1', domain: [[-2, 2], [-2, 2]] });
  assert.equal(problem.minima.length, 4);
  assert.deepEqual(problem.spec.criticalPoints, problem.criticalPoints);
  const copy = structuredClone(problem.spec);
  const again = analyzeProblemData(copy);
  assert.deepEqual(again.criticalPoints, problem.criticalPoints);
  // the points are taken as given: a (made-up) list is used as is, not re-searched
  const one = [{ ...problem.minima[0] }];
  assert.deepEqual(analyzeProblemData({ ...copy, criticalPoints: one }).minima, one);
  const broken: unknown[] = [
    [{ ...problem.minima[0], point: [0] }],
    [{ ...problem.minima[0], value: NaN }],
    [{ ...problem.minima[0], kind: 'valley' }],
    [{ ...problem.minima[0], etaMax: null }],
    'minima',
  ];
  for (const criticalPoints of broken) {
    assert.throws(() => analyzeProblemData({ ...copy, criticalPoints: criticalPoints as never }), /invalid problem data: criticalPoints/);
  }
});
