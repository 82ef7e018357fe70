/**
 * The network part of a config: every problem of the `model` block and the training keys lands on
 * the exact characters it is about (JSON and YAML), CSV problems on the `csv` value naming
 * file:line:column, and the session carries each optimizer's threshold line. Oracles: offsets
 * found in the text by hand (indexOf), thresholds written out (2/η, 38/η for Adam at β₁ = 0.9).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvIssues, networkConfig, networkLrAt, networkLrHoverMarkdown, networkSession } from '../../../src/config/network';
import { parseCsv } from '../../../src/engine/nn/csv';

/** The range of the n-th occurrence of `needle` in `text`. */
function at(text: string, needle: string, nth = 0): { start: number; end: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`"${needle}" not in the text`);
  return { start: i, end: i + needle.length };
}

const BAD = `{
  "model": {
    "kind": "mlp",
    "hidden": [16, 0],
    "activation": "relu",
    "loss": "mse",
    "dropout": 0.5,
    "data": { "csv": "pts.csv", "inputs": ["x"], "targets": ["y"] }
  },
  "learningRates": [0.1, -2],
  "lrFractions": [0.5]
}`;

test('JSON: each model and training problem is on its own value (or key)', () => {
  const c = networkConfig(BAD, 'json');
  assert.ok(c);
  const byText = new Map(c.issues.map((i) => [BAD.slice(i.range.start, i.range.end), i.message]));
  assert.match(byText.get('0') ?? '', /layer width must be a whole number from 1 to 4096, got 0/);
  assert.match(byText.get('"relu"') ?? '', /not twice differentiable.*softplus/);
  assert.match(byText.get('"dropout"') ?? '', /unknown key "dropout"/);
  assert.match(byText.get('-2') ?? '', /learning rate must be a positive number/);
  assert.match(byText.get('[0.5]') ?? '', /lrFractions.*are for expressions/);
  const zero = BAD.indexOf('[16, 0]') + 5;
  assert.deepEqual(c.issues.find((i) => i.message.includes('got 0'))?.range, { start: zero, end: zero + 1 });
  assert.equal(c.model, null);
  assert.equal(networkSession(c, { title: 't' }), null, 'no session while there are errors');
  assert.deepEqual(c.csv, { file: 'pts.csv', range: at(BAD, '"pts.csv"') });
});

test('a missing key is reported at the key of the object that lacks it', () => {
  const text = '{ "model": { "kind": "mlp", "hidden": [4] }, "lr": 0.1 }';
  const c = networkConfig(text, 'json');
  assert.ok(c);
  assert.equal(c.issues.length, 1);
  assert.match(c.issues[0].message, /missing "data"/);
  assert.deepEqual(c.issues[0].range, at(text, '"model"'));
  const none = networkConfig('{ "model": { "kind": "mlp", "hidden": [4], "data": { "generate": "chebyshev" } } }', 'json');
  assert.match(none?.issues[0]?.message ?? '', /no learning rate/);
});

test('YAML: the same problems on the YAML values', () => {
  const text = [
    'model:',
    '  kind: mlp',
    '  hidden: [8, 8]',
    '  activation: {name: softplus, beta: -1}',
    '  data: {generate: two-moons, n: 0}',
    'lr: 0.1',
    'maxSteps: 1.5',
    '',
  ].join('\n');
  const c = networkConfig(text, 'yaml');
  assert.ok(c);
  const texts = c.issues.map((i) => text.slice(i.range.start, i.range.end));
  assert.ok(texts.includes('-1'), `issues at ${JSON.stringify(texts)}`);
  assert.ok(texts.includes('0'));
  assert.ok(texts.includes('1.5'));
  const zero = text.indexOf('n: 0') + 3;
  assert.match(c.issues.find((i) => i.range.start === zero && i.range.end === zero + 1)?.message ?? '', /data\.n.*at least 1/);
});

test('CSV errors go on the csv value with file:line:column', () => {
  const text = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'moons.gdlab.json'), 'utf8');
  const c = networkConfig(text, 'json');
  assert.ok(c && c.csv);
  const parsed = parseCsv('moons.csv', 'x1,x2,label\n1,2,0\n3,abc,1\n4,5\n', [{ name: 'x1', kind: 'real' }, { name: 'x2', kind: 'real' }, { name: 'label', kind: 'binary' }]);
  assert.ok(parsed.errors);
  const issues = csvIssues(c, parsed.errors);
  assert.deepEqual(issues.map((i) => i.message), [
    'moons.csv:3:3: column "x2": "abc" is not a number',
    'moons.csv:4:4: this row has 2 fields but the header has 3',
  ]);
  for (const i of issues) assert.deepEqual(i.range, at(text, '"moons.csv"'));
});

test('a valid config gives the session: learning rates in order, each optimizer’s threshold line', () => {
  const base = '"model": { "kind": "mlp", "hidden": [4], "data": { "generate": "chebyshev", "n": 8 } }, "learningRates": [0.1, 0.2], "maxSteps": 50';
  const gd = networkSession(networkConfig(`{ ${base} }`, 'json') ?? assert.fail('no config'), { title: 'x.gdlab.json', sourceUri: 'file:///x.gdlab.json' });
  assert.ok(gd);
  assert.deepEqual(gd.learningRates, [0.1, 0.2]);
  assert.deepEqual(gd.thresholds, [20, 10]);
  assert.equal(gd.steps, 50);
  assert.equal(gd.preconditioned, false);
  assert.equal(gd.title, 'x.gdlab.json');
  const adam = networkSession(networkConfig(`{ ${base}, "optimizer": "adam", "name": "with Adam" }`, 'json') ?? assert.fail('no config'), { title: 'x' });
  assert.ok(adam);
  assert.equal(adam.title, 'with Adam');
  assert.equal(adam.preconditioned, true);
  adam.thresholds.forEach((t, i) => assert.ok(Math.abs(t - 38 / adam.learningRates[i]) < 1e-9 * t));
  assert.equal(networkConfig('{ "objective": "x^2" }', 'json'), null, 'an expression config has no network part');
});

test('hover on a learning rate: found by offset; sharpness at θ_0 and at the end of a run against the line', () => {
  const text = '{ "model": { "kind": "mlp", "hidden": [4], "data": { "generate": "chebyshev", "n": 8 } }, "lr": 0.1, "learningRates": [0.2, 0.25] }';
  const c = networkConfig(text, 'json');
  assert.ok(c);
  assert.equal(networkLrAt(c, text.indexOf('0.25') + 2)?.eta, 0.25);
  assert.equal(networkLrAt(c, text.indexOf('0.1') + 1)?.eta, 0.1);
  assert.equal(networkLrAt(c, text.indexOf('"hidden"')), undefined);
  const md = networkLrHoverMarkdown({
    eta: 0.1, threshold: 20, thresholdName: '2/η', optimizerLabel: 'GD', preconditioned: false, initial: 8,
    run: { steps: 1500, status: 'completed', sharpness: 21, sharpnessStep: 1500, firstAtThreshold: 890, K: 1500, at: new Date(2026, 0, 1, 9, 5) },
  });
  assert.match(md, /\*\*Learning rate η = 0\.1\*\* · GD · threshold 2\/η = \*\*20\*\*/);
  assert.match(md, /At initialisation θ_0, the sharpness λ_max\(∇²L\) = 8 = 0\.4 × 2\/η — below the threshold/);
  assert.match(md, /After the last run \(09:05, completed after 1500 steps\): .* at step 1500 = 21 = 1\.05 × 2\/η — at the threshold: the edge of stability; it first reached 2\/η at step 890; unstable phase k < K = 1500/);
  const above = networkLrHoverMarkdown({ eta: 0.5, threshold: 4, thresholdName: '2/η', optimizerLabel: 'GD', preconditioned: false, initial: 8 });
  assert.match(above, /= 8 = 2 × 2\/η — above the threshold/);
  assert.match(above, /Run ▶ Analyze to train it/);
  assert.match(networkLrHoverMarkdown({ eta: 0.5, threshold: 4, thresholdName: '2/η', optimizerLabel: 'GD', preconditioned: false, initial: 'pending' }), /computing…/);
});

test('runs remembered per config: the last measured (compared) sharpness and its step of each η', async () => {
  const { recordRuns, runAt, runsKey } = await import('../../../src/extension/networkRuns');
  const { prepareModel } = await import('../../../src/engine/nn/model');
  const { train } = await import('../../../src/engine/nn/train');
  const c = networkConfig('{ "model": { "kind": "mlp", "hidden": [4], "data": { "generate": "chebyshev", "n": 8 }, "sharpnessEvery": 7 }, "learningRates": [0.1, 0.3], "maxSteps": 30 }', 'json');
  assert.ok(c?.model && c.train);
  const built = prepareModel(c.model);
  assert.ok(built.model);
  const result = train(built.model, { learningRates: c.train.learningRates, steps: 30, sharpnessEvery: 7 });
  const key = runsKey('file:///a.gdlab.json', c.model, c.train.optimizer, 30);
  recordRuns(key, result, new Date(0));
  const r = runAt(key, 0.3);
  assert.ok(r);
  const run = result.runs[1];
  assert.equal(r.run.sharpnessStep, 30, 'measured at 0, 7, 14, 21, 28 and the last step');
  assert.equal(r.run.sharpness, run.sharpness[run.sharpness.length - 1]);
  assert.equal(r.run.threshold, 2 / 0.3);
  assert.equal(runAt(key, 0.2), undefined);
  assert.equal(runAt(runsKey('file:///b.gdlab.json', c.model, c.train.optimizer, 30), 0.3), undefined, 'another config has no runs');
});
