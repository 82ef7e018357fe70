import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../src/engine/analyze';
import { analysisIssues, fmt, learningRateAt, parseConfig, resolvedLearningRates, smallestEtaMax } from '../../../src/config/config';
import { sessionFromConfig, sliceForSession, BUILTIN_DEFAULTS } from '../../../src/config/session';

const F4 = '(1 - x*y)^2 + (x^2 + y^2)/20';
// f4's minima from the paper: ±(√19/(2√5)) on both axes, λ_max = 19/5, η_max = 10/19
const a = Math.sqrt(19) / (2 * Math.sqrt(5));
const F4_MINIMA = [
  { point: [-a, -a], value: 0.0975, lambdaMax: 19 / 5, etaMax: 10 / 19 },
  { point: [a, a], value: 0.0975, lambdaMax: 19 / 5, etaMax: 10 / 19 },
];

/** range of the n-th occurrence of `needle` in `text` */
function rangeOf(text: string, needle: string, nth = 0): { start: number; end: number } {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in text`);
  return { start: at, end: at + needle.length };
}

test('Figure 3 JSON config → spec, session and ranges', () => {
  const text = `{
  "$schema": "../schemas/gdlab.schema.json",
  "name": "Figure 3: f4",
  "objective": "${F4}",
  "domain": { "x": [-3, 3], "y": [-3, 3] },
  "lr": 0.25,
  "starts": [[0.1, 2.5], [1.5, 2]],
  "grid": 256, "maxSteps": 2000
}`;
  const c = parseConfig(text, 'json');
  assert.deepEqual(c.issues, []);
  assert.equal(c.fatal, false);
  const { ir, ...plain } = c.spec ?? { expression: '' };
  assert.deepEqual(plain, { expression: F4, variables: ['x', 'y'], domain: [[-3, 3], [-3, 3]] });
  assert.deepEqual(ir?.variables, ['x', 'y'], 'the spec carries the parsed objective (ir) for the workers');
  assert.deepEqual(c.learningRates.map((e) => e.value), [0.25]);
  assert.deepEqual(c.learningRates[0]?.range, rangeOf(text, '0.25'));
  assert.deepEqual(c.keyRanges.objective, rangeOf(text, '"objective"'));
  assert.deepEqual(c.starts, [[0.1, 2.5], [1.5, 2]]);
  const s = sessionFromConfig(c, F4_MINIMA, BUILTIN_DEFAULTS, { sourceUri: 'file:///f4.gdlab.json' });
  assert.ok(s);
  assert.equal(s.title, 'Figure 3: f4');
  assert.equal(s.eta, 0.25);
  assert.deepEqual(s.learningRates, []); // only `lr`: no further rates
  assert.equal(s.grid, 256);
  assert.equal(s.maxSteps, 2000);
  assert.deepEqual(s.axes, ['x', 'y']);
  assert.equal(s.fixed, undefined);
  assert.equal(s.sourceUri, 'file:///f4.gdlab.json');
  // hover lookup: the value and the key both find the lr
  assert.equal(learningRateAt(c, rangeOf(text, '0.25').start + 1)?.value, 0.25);
  assert.equal(learningRateAt(c, rangeOf(text, '"lr"').start + 1)?.value, 0.25);
  assert.equal(learningRateAt(c, rangeOf(text, '"grid"').start), undefined);
});

test('a bad expression is underlined at the exact character, also after escapes', () => {
  const text = '{ "objective": "\\u0078^2 + \\t y^2 + ) * 3" }';
  const c = parseConfig(text, 'json');
  assert.equal(c.fatal, true);
  const e = c.issues.find((i) => i.code === 'expression');
  assert.ok(e, JSON.stringify(c.issues));
  assert.equal(e.severity, 'error');
  assert.equal(text.slice(e.range.start, e.range.end), ')');
});

test('YAML: unknown function underlined; positions kept', () => {
  const text = 'name: test\nobjective: x^2 + foo(y)\nlr: 0.1\n';
  const c = parseConfig(text, 'yaml');
  const e = c.issues.find((i) => i.code === 'expression');
  assert.ok(e, JSON.stringify(c.issues));
  assert.equal(text.slice(e.range.start, e.range.end), 'foo');
  assert.deepEqual(c.learningRates[0]?.range, rangeOf(text, '0.1'));
});

test('YAML: quoted and folded objectives map back to the source', () => {
  const text = "objective: >-\n  (1 - x*y)^2\n  + (x^2 + y^2)/20 + )\n";
  const c = parseConfig(text, 'yaml');
  const e = c.issues.find((i) => i.code === 'expression');
  assert.ok(e, JSON.stringify(c.issues));
  assert.equal(text.slice(e.range.start, e.range.end), ')', JSON.stringify(e));
  const ok = parseConfig(`objective: '${F4}'\ndomain: [-2, 2]\nlrFractions: [0.5, 0.95]\n`, 'yaml');
  assert.deepEqual(ok.issues, []);
  assert.deepEqual(ok.spec?.domain, [[-2, 2], [-2, 2]]);
  // fractions are of the smallest η_max = 10/19
  assert.deepEqual(resolvedLearningRates(ok, 10 / 19).map((x) => x.toFixed(6)), [(0.5 * 10 / 19).toFixed(6), (0.95 * 10 / 19).toFixed(6)]);
  const withLr = parseConfig(`objective: '${F4}'\nlr: 0.3\nlrFractions: [0.5, 0.95]\n`, 'yaml');
  const session = sessionFromConfig(withLr, F4_MINIMA, BUILTIN_DEFAULTS);
  assert.equal(session?.eta, 0.3);
  assert.deepEqual(session?.learningRates.map((x) => x.toFixed(6)), [(0.5 * 10 / 19).toFixed(6), (0.95 * 10 / 19).toFixed(6)]);
});

test('lr at or beyond 2/λ_max: a warning on that value with the threshold', () => {
  const text = `{ "objective": "${F4}", "learningRates": [0.25, 0.6], "lr": 0.5263 }`;
  const c = parseConfig(text, 'json');
  assert.deepEqual(c.issues, []);
  const issues = analysisIssues(c, F4_MINIMA);
  assert.equal(issues.length, 1);
  assert.equal(issues[0]?.severity, 'warning');
  assert.deepEqual(issues[0]?.range, rangeOf(text, '0.6'));
  assert.match(issues[0]?.message ?? '', /diverges from every start near .*2\/λ_max = 0\.5263/);
  // 0.5263 < 10/19 = 0.526315…: below the threshold, no warning
  const justAbove = analysisIssues(parseConfig(`{ "objective": "${F4}", "lr": 0.5264 }`, 'json'), F4_MINIMA);
  assert.equal(justAbove.length, 1);
  // f1: η_max = 1, the exact message of the design
  const f1 = parseConfig('{ "objective": "x^2+y^2+x^2*y+x^3+y^3", "lr": 1.2 }', 'json');
  const w = analysisIssues(f1, [{ point: [0, 0], value: 0, lambdaMax: 2, etaMax: 1 }]);
  assert.equal(w[0]?.message, 'η = 1.2 diverges from every start near the minimum: 2/λ_max = 1');
});

test('no minimum in the domain → error on the domain key', () => {
  const text = '{ "objective": "x^3 + y", "domain": [[-1, 1], [-1, 1]], "lr": 0.1 }';
  const c = parseConfig(text, 'json');
  const issues = analysisIssues(c, []);
  assert.equal(issues.length, 1);
  assert.equal(issues[0]?.severity, 'error');
  assert.deepEqual(issues[0]?.range, rangeOf(text, '"domain"'));
  assert.match(issues[0]?.message ?? '', /no strict local minimum.*\[-1, 1\] × \[-1, 1\]/);
});

test('no strict minimum but a set of minima ((1 − xy)²: the curve xy = 1): information, not an error', () => {
  const text = '{ "objective": "(1 - x*y)^2", "domain": [[-3, 3], [-3, 3]], "lr": 0.4 }';
  const c = parseConfig(text, 'json');
  if (!c.spec) throw new Error('no spec');
  // the analysis' critical points: the saddle at the origin and the curve, listed once as degenerate with H ≥ 0
  const points = analyzeProblem(c.spec).criticalPoints;
  assert.ok(points.some((p) => p.kind === 'degenerate' && p.semidefinite));
  const issues = analysisIssues(c, [], points);
  assert.equal(issues.length, 1);
  assert.equal(issues[0]?.severity, 'information');
  assert.deepEqual(issues[0]?.range, rangeOf(text, '"domain"'));
  assert.match(issues[0]?.message ?? '', /but a set of minima .*count as converged/);
  // x³ + y has no critical point at all: still the error
  const none = parseConfig('{ "objective": "x^3 + y", "lr": 0.1 }', 'json');
  if (!none.spec) throw new Error('no spec');
  assert.equal(analysisIssues(none, [], analyzeProblem(none.spec).criticalPoints)[0]?.severity, 'error');
});

test('empty, inverted and malformed domains, too large grid, bad η: errors on their values', () => {
  const text = `{
  "objective": "x^2 + y^2",
  "domain": { "x": [1, 1], "y": [2, -2] },
  "grid": 100000,
  "lr": -0.1,
  "maxSteps": 2.5,
  "tolerance": 0.5,
  "colour": "red"
}`;
  const c = parseConfig(text, 'json');
  const byCode = (code: string) => c.issues.filter((i) => i.code === code);
  const empty = byCode('empty-domain');
  assert.equal(empty.length, 2);
  // errors on their keys: the key and its interval
  assert.deepEqual(empty[0]?.range, rangeOf(text, '"x": [1, 1]'));
  assert.match(empty[0]?.message ?? '', /empty/);
  assert.deepEqual(empty[1]?.range, rangeOf(text, '"y": [2, -2]'));
  assert.match(empty[1]?.message ?? '', /inverted.*\[-2, 2\]/);
  const grid = byCode('grid-too-large');
  assert.equal(grid.length, 1);
  // a warning that says what happens: the map is computed at the maximum (editor and CLI alike)
  assert.equal(grid[0]?.severity, 'warning');
  assert.match(grid[0]?.message ?? '', /computed at 1024 × 1024/);
  assert.deepEqual(grid[0]?.range, rangeOf(text, '"grid": 100000'));
  assert.equal(c.grid, 1024); // capped
  assert.deepEqual(byCode('lr')[0]?.range, rangeOf(text, '-0.1'));
  assert.deepEqual(byCode('maxSteps')[0]?.range, rangeOf(text, '2.5'));
  assert.deepEqual(byCode('tolerance')[0]?.range, rangeOf(text, '0.5'));
  const unknown = byCode('unknown-key');
  assert.equal(unknown[0]?.severity, 'warning');
  assert.deepEqual(unknown[0]?.range, rangeOf(text, '"colour"'));
  assert.equal(c.fatal, true); // the domain is unusable
  assert.equal(c.spec, null);
});

test('domain keys must be variables; lists of pairs in variable order; one pair for all', () => {
  const text = '{ "objective": "x^2 + y^2", "domain": { "x": [-1, 1], "z": [0, 1] } }';
  const c = parseConfig(text, 'json');
  const e = c.issues.find((i) => i.code === 'domain');
  assert.deepEqual(e?.range, rangeOf(text, '"z"'));
  const list = parseConfig('{ "objective": "y^2 + x^2", "domain": [[-1, 1], [-2, 2]] }', 'json');
  assert.deepEqual(list.spec?.domain, [[-1, 1], [-2, 2]]); // x, y in natural order
  const wrong = parseConfig('{ "objective": "x^2 + y^2", "domain": [[-1, 1], [-2, 2], [0, 1]] }', 'json');
  assert.equal(wrong.fatal, true);
  assert.match(wrong.issues[0]?.message ?? '', /3 intervals but the objective has 2 variables/);
});

test('three variables: axes, fixed values (default: the first minimum), slice', () => {
  const text = 'objective: (x-1)^2 + 2*(y+1)^2 + 3*(z-0.5)^2\naxes: [x, z]\nlr: 0.1\n';
  const c = parseConfig(text, 'yaml');
  assert.deepEqual(c.issues, []);
  const minima = [{ point: [1, -1, 0.5], value: 0, lambdaMax: 6, etaMax: 1 / 3 }];
  const s = sessionFromConfig(c, minima, BUILTIN_DEFAULTS);
  assert.ok(s);
  assert.deepEqual(s.axes, ['x', 'z']);
  assert.deepEqual(s.fixed, { y: -1 });
  const slice = sliceForSession(s, ['x', 'y', 'z'], [[-3, 3], [-2, 2], [0, 1]], minima, 64);
  assert.deepEqual(slice.axes, [0, 2]);
  assert.deepEqual(slice.base, [1, -1, 0.5]);
  assert.deepEqual(slice.yRange, [0, 1]);
  assert.equal(slice.width, 64);
  const bad = parseConfig('objective: x^2 + y^2 + z^2\naxes: [x, w]\nfixed: { x: 1, q: 2 }\n', 'yaml');
  const axes = bad.issues.find((i) => i.code === 'axes');
  assert.match(axes?.message ?? '', /"w" is not a variable/);
  assert.ok(bad.issues.some((i) => i.code === 'fixed' && /"q"/.test(i.message)));
  assert.ok(bad.issues.some((i) => i.code === 'fixed-axis'));
});

test('no learning rate → 0.8·η_max; fractions ≥ 1 warned without the analysis', () => {
  const c = parseConfig(`{ "objective": "${F4}", "lrFractions": [0.5, 1.2] }`, 'json');
  assert.equal(c.issues.length, 1);
  assert.equal(c.issues[0]?.code, 'lr-threshold');
  const s = sessionFromConfig(parseConfig(`{ "objective": "${F4}" }`, 'json'), F4_MINIMA, BUILTIN_DEFAULTS);
  assert.ok(s);
  assert.ok(Math.abs(s.eta - 0.8 * 10 / 19) < 1e-12);
  assert.equal(smallestEtaMax([{ point: [0], value: 0, lambdaMax: 2, etaMax: 1 }, { point: [1], value: 0, lambdaMax: 12, etaMax: 1 / 6 }]), 1 / 6);
});

test('syntax errors and non-object roots are reported, never thrown', () => {
  const broken = parseConfig('{ "objective": "x^2", "lr": }', 'json');
  assert.ok(broken.issues.some((i) => i.code === 'syntax'));
  const yaml = parseConfig('objective: [x^2\nlr: 0.1', 'yaml');
  assert.ok(yaml.issues.some((i) => i.code === 'syntax'));
  const list = parseConfig('[1, 2]', 'json');
  assert.equal(list.fatal, true);
  assert.equal(list.issues[0]?.code, 'not-object');
  assert.equal(parseConfig('', 'yaml').fatal, true);
  const missing = parseConfig('{ "lr": 0.1 }', 'json');
  assert.equal(missing.issues[0]?.code, 'missing-objective');
});

test('fmt gives 4 significant digits', () => {
  assert.equal(fmt(10 / 19), '0.5263');
  assert.equal(fmt(1 / 6), '0.1667');
  assert.equal(fmt(1), '1');
  assert.equal(fmt(19 / 5), '3.8');
  assert.equal(fmt(1e-12), '1e-12');
});
