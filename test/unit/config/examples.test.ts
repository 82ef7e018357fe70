import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS, parseConfig, resolvedLearningRates } from '../../../src/config/config';
import { formatOfFileName } from '../../../src/config/tree';

const root = join(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'gdlab.schema.json'), 'utf8')) as {
  properties: Record<string, unknown>; required: string[];
};

test('schema and parser share one vocabulary', () => {
  assert.deepEqual(Object.keys(schema.properties).sort(), [...CONFIG_KEYS].sort());
  // an expression needs its objective, a network its model block
  assert.deepEqual((schema as unknown as { anyOf: { required: string[] }[] }).anyOf.map((a) => a.required), [['objective'], ['model']]);
});

test('every example parses without issues', () => {
  const files = readdirSync(join(root, 'examples')).filter((f) => /\.gdlab\.(json|ya?ml)$/.test(f));
  assert.ok(files.length >= 6, files.join(', '));
  assert.ok(files.some((f) => f.endsWith('.yaml')));
  for (const f of files) {
    const c = parseConfig(readFileSync(join(root, 'examples', f), 'utf8'), formatOfFileName(f));
    assert.deepEqual(c.issues, [], f);
    // an expression config gives a problem to analyse; a network config its network
    assert.equal(c.network ? c.network.model !== null && c.network.train !== null : !c.fatal, true, f);
  }
});

test('Figure 2 examples: five learning rates rising to the threshold η_max of the paper', () => {
  const etaMax: Record<string, number> = { f1: 1, f2: 1, f3: 1 / 6, f4: 10 / 19 };
  for (const [id, max] of Object.entries(etaMax)) {
    const c = parseConfig(readFileSync(join(root, 'examples', `figure2-${id}.gdlab.json`), 'utf8'), 'json');
    const list = c.learningRates.filter((e) => e.key !== 'lr');
    assert.equal(list.length, 5, id);
    const etas = list.map((e) => (e.fraction ? e.value * max : e.value));
    for (let k = 1; k < 5; k++) assert.ok((etas[k] as number) > (etas[k - 1] as number), id);
    assert.ok((etas[4] as number) < max && (etas[4] as number) >= 0.95 * max, id);
    // the first-shown lr is below the threshold
    const lr = c.learningRates.find((e) => e.key === 'lr');
    assert.ok(lr && lr.value < max, id);
    assert.ok(resolvedLearningRates(c, max).length >= 5);
  }
});

test('Figure 3 example: f4, η = 0.25, the paper\'s two starts', () => {
  const c = parseConfig(readFileSync(join(root, 'examples', 'figure3-f4.gdlab.json'), 'utf8'), 'json');
  assert.equal(c.spec?.expression, '(1 - x*y)^2 + (x^2 + y^2)/20');
  assert.deepEqual(c.spec?.domain, [[-3, 3], [-3, 3]]);
  assert.deepEqual(c.learningRates.map((e) => e.value), [0.25]);
  assert.deepEqual(c.starts, [[0.1, 2.5], [1.5, 2]]);
  assert.equal(c.grid, 256);
  assert.equal(c.maxSteps, 2000);
});
