import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/config';

const OBJ = '"objective": "x^2 + y^2"';

/** The text an issue's range covers. */
const at = (text: string, issue: { range: { start: number; end: number } }): string => text.slice(issue.range.start, issue.range.end);

function errors(text: string, format: 'json' | 'yaml' = 'json') {
  return parseConfig(text, format).issues.filter((i) => i.severity === 'error');
}

test('optimizer: a name or an object, with the documented defaults', () => {
  assert.deepEqual(parseConfig(`{${OBJ}, "optimizer": "adam"}`, 'json').optimizer, { name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection: true });
  assert.deepEqual(parseConfig(`{${OBJ}, "optimizer": {"name": "momentum", "beta": 0.5}}`, 'json').optimizer, { name: 'momentum', beta: 0.5 });
  assert.deepEqual(parseConfig(`{${OBJ}, "optimizer": {"name": "rmsprop", "biasCorrection": true, "epsilon": 1e-6}}`, 'json').optimizer, {
    name: 'rmsprop', beta2: 0.99, epsilon: 1e-6, biasCorrection: true,
  });
  const yaml = `objective: x^2 + y^2\noptimizer:\n  name: nesterov\n  beta: 0.8\n`;
  const c = parseConfig(yaml, 'yaml');
  assert.deepEqual(c.issues, []);
  assert.deepEqual(c.optimizer, { name: 'nesterov', beta: 0.8 });
  assert.equal(yaml.slice(c.optimizerRanges?.params.beta?.value.start, c.optimizerRanges?.params.beta?.value.end), '0.8');
  assert.equal(parseConfig(`{${OBJ}}`, 'json').optimizer, undefined, 'absent: gradient descent');
});

test('optimizer: each bad value is an error on exactly its characters, with the range or the nearest name', () => {
  const cases: { text: string; covers: string; message: RegExp }[] = [
    { text: `{${OBJ}, "optimizer": {"name": "momentum", "beta": 1}}`, covers: '1', message: /"beta" \(β\) must be in \[0, 1\) \(found the number 1\)/ },
    { text: `{${OBJ}, "optimizer": {"name": "momentum", "beta": -0.5}}`, covers: '-0.5', message: /in \[0, 1\)/ },
    { text: `{${OBJ}, "optimizer": {"name": "adam", "epsilon": 0}}`, covers: '0', message: /"epsilon" \(ε\) must be positive and finite/ },
    { text: `{${OBJ}, "optimizer": {"name": "adam", "beta2": "0.9"}}`, covers: '"0.9"', message: /must be in \[0, 1\) \(found the text "0.9"\)/ },
    { text: `{${OBJ}, "optimizer": {"name": "adam", "biasCorrection": 1}}`, covers: '1', message: /true or false/ },
    { text: `{${OBJ}, "optimizer": "adamw"}`, covers: '"adamw"', message: /unknown optimizer "adamw" \(did you mean "adam"\?\)/ },
    { text: `{${OBJ}, "optimizer": {"name": "Nesterow"}}`, covers: '"Nesterow"', message: /did you mean "nesterov"/ },
    { text: `{${OBJ}, "optimizer": {"name": "adam", "eps": 1e-6}}`, covers: '"eps"', message: /unknown optimizer setting "eps"; did you mean "epsilon"\?/ },
    { text: `{${OBJ}, "optimizer": {"name": "rmsprop", "alpha": 0.9}}`, covers: '"alpha"', message: /did you mean "beta2"/ },
    { text: `{${OBJ}, "optimizer": {"name": "gd", "beta": 0.9}}`, covers: '"beta"', message: /gradient descent has no parameter "beta" \(it takes none; "beta" is for heavy-ball momentum and Nesterov momentum\)/ },
    { text: `{${OBJ}, "optimizer": {"name": "rmsprop", "beta1": 0.9}}`, covers: '"beta1"', message: /RMSProp has no parameter "beta1"/ },
    { text: `{${OBJ}, "optimizer": {"beta": 0.9}}`, covers: '{"beta": 0.9}', message: /needs a "name"/ },
    { text: `{${OBJ}, "optimizer": 3}`, covers: '3', message: /must be a name \("adam"\) or an object/ },
  ];
  for (const { text, covers, message } of cases) {
    const e = errors(text);
    assert.equal(e.length, 1, `${text}: ${JSON.stringify(e)}`);
    assert.equal(at(text, e[0]), covers, text);
    assert.match(e[0].message, message, text);
    assert.equal(parseConfig(text, 'json').optimizer, undefined, `${text}: no optimizer from a bad setting`);
  }
  // YAML: the value's own characters
  const yaml = 'objective: x^2\noptimizer:\n  name: adam\n  beta1: 1.5\n';
  const e = errors(yaml, 'yaml');
  assert.equal(e.length, 1);
  assert.equal(at(yaml, e[0]), '1.5');
});

test('"optim" and "method" at the top level suggest "optimizer"', () => {
  for (const key of ['optim', 'Optimiser', 'method']) {
    const w = parseConfig(`{${OBJ}, "${key}": "adam"}`, 'json').issues.find((i) => i.severity === 'warning');
    assert.ok(w && /did you mean "optimizer"/.test(w.message), `${key}: ${w?.message}`);
  }
});

test('examples: the paper\'s f4 under GD, heavy-ball 0.9 and Adam', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const read = (f: string) => parseConfig(readFileSync(join(__dirname, '..', '..', '..', 'examples', f), 'utf8'), 'json');
  const expected = { 'f4-gd.gdlab.json': { name: 'gd' }, 'f4-momentum.gdlab.json': { name: 'momentum', beta: 0.9 }, 'f4-adam.gdlab.json': { name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection: true } };
  for (const [file, optimizer] of Object.entries(expected)) {
    const c = read(file);
    assert.deepEqual(c.issues, [], file);
    assert.deepEqual(c.optimizer, optimizer, file);
    assert.equal(c.spec?.expression, '(1 - x*y)^2 + (x^2 + y^2)/20', file);
  }
});
