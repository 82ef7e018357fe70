/** CSV reading (every error with file, line and column), generated data sets, model-spec validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CSV_LIMITS, formatCsvError, parseCsv } from '../../../src/engine/nn/csv';
import { chebyshevT, loadDataset } from '../../../src/engine/nn/data';
import { prepareModel } from '../../../src/engine/nn/model';
import { validateModelSpec } from '../../../src/engine/nn/spec';
import { pathText } from '../../../src/engine/nn/specCheck';
import { validateTrainSettings } from '../../../src/engine/nn/settings';

const real = (...names: string[]) => names.map((name) => ({ name, kind: 'real' as const }));

test('CSV: header, quotes, CRLF, BOM, blank lines and extra text columns', () => {
  const text = '\ufeffid,"x",y,note\r\n1, 0.5 ,-2e-1,"a, b"\r\n\r\n2,.25,3,"say ""hi"""\r\n';
  const r = parseCsv('d.csv', text, real('x', 'y'));
  assert.ok(r.table, JSON.stringify(r.errors));
  assert.equal(r.table.rows, 2);
  assert.deepEqual(r.table.header, ['id', 'x', 'y', 'note']);
  assert.deepEqual(Array.from(r.table.columns[0]), [0.5, 0.25]);
  assert.deepEqual(Array.from(r.table.columns[1]), [-0.2, 3]);
});

test('CSV errors name file, line and column: missing column, non-number, empty, ragged rows, labels', () => {
  const missing = parseCsv('pts.csv', 'x,t\n1,2\n', real('x', 'y'));
  assert.deepEqual(missing.errors, [{ file: 'pts.csv', line: 1, column: 1, message: 'column "y" not found in the header (columns: x, t)' }]);
  const semicolons = parseCsv('pts.csv', 'x;y\n1;2\n', real('x'));
  assert.match(semicolons.errors?.[0].message ?? '', /semicolon-separated; use commas/);

  const text = [
    'x,y,label',   // 1
    '1,2,0',       // 2
    '1,abc,1',     // 3: "abc" at column 3
    '3,4',         // 4: too few fields, column 4 (after the last)
    '',            // 5: blank, skipped
    '5,6,1,9',     // 6: too many: the extra field starts at column 7
    '7,,1',        // 7: empty y at column 3
    '8,1e999,0',   // 8: overflow is not a finite number
    '9,0x10,1',    // 9: hex is not accepted
  ].join('\n');
  const r = parseCsv('pts.csv', text, real('x', 'y'));
  assert.deepEqual(r.errors?.map((e) => [e.line, e.column]), [[3, 3], [4, 4], [6, 7], [7, 3], [8, 3], [9, 3]]);
  assert.equal(formatCsvError(r.errors?.[0] ?? { file: '', line: 0, column: 0, message: '' }), 'pts.csv:3:3: column "y": "abc" is not a number');
  assert.match(r.errors?.[1].message ?? '', /this row has 2 fields but the header has 3/);

  const labels = parseCsv('c.csv', 'x,label\n1,0\n2,1\n3,2\n4,0.5\n', [{ name: 'x', kind: 'real' }, { name: 'label', kind: 'binary' }]);
  assert.deepEqual(labels.errors?.map((e) => `${e.line}:${e.column}`), ['4:3', '5:3']);
  const classes = parseCsv('c.csv', 'x,label\n1,0\n2,3\n3,-1\n', [{ name: 'x', kind: 'real' }, { name: 'label', kind: 'label' }]);
  assert.deepEqual(classes.errors?.map((e) => `${e.line}:${e.column}`), ['4:3']);

  assert.equal(parseCsv('e.csv', '\n\n', real('x')).errors?.[0].message.startsWith('the file is empty'), true);
  assert.equal(parseCsv('h.csv', 'x\n', real('x')).errors?.[0].line, 2);
  const quote = parseCsv('q.csv', 'x,y\n"1,2\n', real('x'));
  assert.deepEqual(quote.errors?.map((e) => [e.line, e.message]), [[2, 'unterminated quote starting at column 1']]);
  const big = parseCsv('big.csv', 'x\n' + '1\n'.repeat(CSV_LIMITS.maxChars / 2), real('x'));
  assert.match(big.errors?.[0].message ?? '', /^the file is too large: 32\.0 MB; the limit is 32 MB$/);
  assert.deepEqual([big.errors?.[0].line, big.errors?.[0].column], [1, 1]);
});

test('generated data: Chebyshev T_k on an even grid of [−1, 1], two moons, a teacher network', () => {
  for (const [k, x, v] of [[0, 0.3, 1], [1, 0.3, 0.3], [4, 0.5, 8 * 0.0625 - 8 * 0.25 + 1], [5, Math.cos(0.7), Math.cos(3.5)]] as const) {
    assert.ok(Math.abs(chebyshevT(k, x) - v) < 1e-14, `T_${k}(${x})`);
  }
  const cheb = loadDataset({ source: 'generate', generator: 'chebyshev', n: 5, degree: 3 }, 'mse').dataset;
  assert.deepEqual(Array.from(cheb?.inputs ?? []), [-1, -0.5, 0, 0.5, 1]);
  assert.deepEqual(Array.from(cheb?.targets ?? [], (v) => v + 0), [-1, 1, 0, -1, 1]); // T3 = 4x³ − 3x
  const moons = loadDataset({ source: 'generate', generator: 'two-moons', n: 101, noise: 0, seed: 1 }, 'cross-entropy').dataset;
  assert.equal(moons?.outputDim, 2);
  assert.equal(moons?.targets.filter((t) => t === 1).length, 50);
  // noise-free points lie on the two unit half circles
  for (let i = 0; i < 101; i++) {
    const x = moons?.inputs[2 * i] ?? NaN, y = moons?.inputs[2 * i + 1] ?? NaN;
    const r = moons?.targets[i] === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
    assert.ok(Math.abs(r - 1) < 1e-12);
  }
  const spec = { source: 'generate' as const, generator: 'teacher' as const, n: 30, inputs: 3, outputs: 2, hidden: [5], activation: { name: 'tanh' as const, beta: 1 }, noise: 0, seed: 9 };
  const a = loadDataset(spec, 'mse').dataset;
  const b = loadDataset(spec, 'mse').dataset;
  assert.deepEqual(a?.targets, b?.targets, 'seeded: the same data twice');
  assert.notDeepEqual(a?.targets, loadDataset({ ...spec, seed: 10 }, 'mse').dataset?.targets);
  const logistic = loadDataset({ ...spec, outputs: 1 }, 'logistic').dataset;
  assert.ok(logistic?.targets.every((t) => t === 0 || t === 1));
  assert.match(String(loadDataset(spec, 'logistic').errors?.[0]), /needs one target column/);
});

test('model spec: defaults filled in, every problem reported with its JSON path', () => {
  const ok = validateModelSpec({ kind: 'mlp', hidden: [8], data: { generate: 'chebyshev' } });
  assert.deepEqual(ok.spec, {
    kind: 'mlp', hidden: [8], activation: { name: 'tanh', beta: 1 }, bias: true, loss: 'mse',
    data: { source: 'generate', generator: 'chebyshev', n: 64, degree: 4 },
    init: { seed: 0, scheme: 'lecun', scale: 1 }, sharpnessEvery: 20, topK: 1,
  });
  const bad = validateModelSpec({
    kind: 'mlp', hidden: [8, 0, 2.5], activation: 'relu', loss: 'hinge', bais: true,
    data: { csv: 'd.csv', inputs: [], targets: ['y'] }, init: { scheme: 'glorot', scale: -1 },
  });
  const byPath = new Map(bad.errors?.map((e) => [pathText(e.path), e.message]));
  assert.deepEqual([...byPath.keys()].sort(), ['activation', 'bais', 'data.inputs', 'hidden[1]', 'hidden[2]', 'init.scale', 'init.scheme', 'loss'].sort());
  assert.match(byPath.get('activation') ?? '', /not twice differentiable.*\{"name": "softplus", "beta": 10\}/);
  assert.match(byPath.get('bais') ?? '', /did you mean "bias"/);
  // the suggested smoothed ReLU is itself valid
  const suggestion = validateModelSpec({ kind: 'mlp', hidden: [8], activation: { name: 'softplus', beta: 10 }, data: { generate: 'two-moons' } });
  assert.deepEqual(suggestion.spec?.kind === 'mlp' && suggestion.spec.activation, { name: 'softplus', beta: 10 });
  assert.deepEqual(validateModelSpec({ hidden: [2] }).errors?.map((e) => pathText(e.path)), ['']);
  assert.match(validateModelSpec({ kind: 'mlp', hidden: [2] }).errors?.[0].message ?? '', /missing "data"/);
  const mf = validateModelSpec({ kind: 'matrix-factorization', rank: 0, target: [[1, 2], [3]] });
  assert.deepEqual(mf.errors?.map((e) => pathText(e.path)).sort(), ['rank', 'target[1]']);
  assert.deepEqual(validateModelSpec({ kind: 'deep-linear', depth: 3, width: 4, data: { generate: 'teacher', activation: 'linear' } }).errors, undefined);
  assert.deepEqual(validateModelSpec('mlp').errors?.[0], { path: [], message: 'model must be an object, got "mlp"' });
});

test('model building: widths from the data, limits, deep-linear and teacher data', () => {
  const dl = validateModelSpec({ kind: 'deep-linear', depth: 3, width: 4, data: { generate: 'teacher', inputs: 3, outputs: 2, activation: 'linear', n: 10 } });
  const built = dl.spec && prepareModel(dl.spec);
  assert.deepEqual(built?.model?.summary.widths, [3, 4, 4, 2]);
  assert.equal(built?.model?.network.nParams, 12 + 16 + 8);
  const wide = validateModelSpec({ kind: 'mlp', hidden: [2000, 2000], data: { generate: 'chebyshev', n: 10000 } });
  const r = wide.spec && prepareModel(wide.spec);
  assert.deepEqual(r?.errors?.map((e) => e.path), [['hidden']]);
  assert.match(r?.errors?.[0].message ?? '', /10000 points × 4002 units is too much to hold/);
  const huge = validateModelSpec({ kind: 'mlp', hidden: [4096, 4096], data: { generate: 'chebyshev', n: 10 } });
  assert.match((huge.spec && prepareModel(huge.spec))?.errors?.[0].message ?? '', /16793601 parameters; the limit is 5000000/);
  const ce = validateModelSpec({ kind: 'mlp', hidden: [4], loss: 'cross-entropy', data: { csv: 'c.csv', inputs: ['x'], targets: ['k'] } });
  const csv = ce.spec && prepareModel(ce.spec, { name: 'c.csv', text: 'x,k\n0,0\n1,2\n2,1\n' });
  assert.equal(csv?.model?.summary.widths.at(-1), 3, 'three classes → three outputs');
  const wrong = ce.spec && prepareModel(ce.spec, { name: 'c.csv', text: 'x,k\n0,0\n1,1.5\n' });
  assert.deepEqual(wrong?.csvErrors?.map((e) => `${e.file}:${e.line}:${e.column}`), ['c.csv:3:3']);
});

test('training settings: learning rates, steps and optimizer from the config root', () => {
  assert.deepEqual(validateTrainSettings({ lr: 0.1, learningRates: [0.05, 0.1], maxSteps: 50, optimizer: { name: 'momentum', beta: 0.5 } }).spec, {
    learningRates: [0.1, 0.05], steps: 50, optimizer: { name: 'momentum', beta: 0.5 },
  });
  const bad = validateTrainSettings({ learningRates: [0.1, -2], maxSteps: 1.5, optimizer: 'adamw', lrFractions: [0.5] });
  assert.deepEqual(bad.errors?.map((e) => pathText(e.path)).sort(), ['learningRates[1]', 'lrFractions', 'maxSteps', 'optimizer'].sort());
  assert.match(bad.errors?.find((e) => pathText(e.path) === 'optimizer')?.message ?? '', /did you mean "adam"/);
  // the names and aliases of the expression configs (src/engine/optimizers/spec.ts): 'sgd' is full-batch GD here too
  assert.deepEqual(validateTrainSettings({ lr: 0.1, optimizer: 'sgd' }).spec?.optimizer, { name: 'gd' });
  assert.deepEqual(validateTrainSettings({ lr: 0.1, optimizer: { name: 'heavy-ball' } }).spec?.optimizer, { name: 'momentum', beta: 0.9 });
});
