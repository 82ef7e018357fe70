/**
 * One list of functions: the schema's and the README's lists are what scripts/functions.ts
 * generates from FUNCTIONS (src/engine/types.ts), and every name they list is one the parser
 * accepts (the schema once listed `cbrt`, which the parser rejects).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExpression } from '../../../src/engine/expression';
import { FUNCTIONS } from '../../../src/engine/types';
import { CONSTANTS, EXTRA_FORMS, PREFIXES, TARGETS } from '../../../scripts/functions';

const root = join(__dirname, '..', '..', '..');

test('the checked-in schema and README equal what npm run gen:functions generates', () => {
  for (const t of TARGETS) {
    const text = readFileSync(join(root, t.file), 'utf8');
    assert.equal(t.generate(text), text, `${t.file} is out of date: run npm run gen:functions`);
  }
});

/** Names in "… and the functions a b c, pow(a, b), …. Prefixes" of the schema's objective description. */
function schemaFunctionNames(): string[] {
  const schema = JSON.parse(readFileSync(join(root, 'schemas/gdlab.schema.json'), 'utf8')) as { properties: { objective: { description: string; markdownDescription: string } } };
  const names: string[] = [];
  for (const d of [schema.properties.objective.description, schema.properties.objective.markdownDescription]) {
    const list = /and the functions (.*?)\. Prefixes/.exec(d)?.[1];
    assert.ok(list, d);
    for (const m of list.matchAll(/[A-Za-z][A-Za-z0-9]*(?=[\s`,(]|$)/g)) names.push(m[0]);
  }
  return [...new Set(names)];
}

test('every function the schema and README list is accepted by the parser', () => {
  const named = schemaFunctionNames();
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const row = /^\| functions \| (.*) \|$/m.exec(readme)?.[1] ?? '';
  const readmeNames = [...row.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
  assert.deepEqual(readmeNames, [...FUNCTIONS]);
  assert.ok(!named.includes('cbrt'));
  for (const f of FUNCTIONS) {
    assert.ok(named.includes(f), `${f} missing from the schema`);
    // inside every function's domain: x in (0.1, 0.2)
    const p = parseExpression(`${f}(x/10 + 0.15) + y^2`);
    assert.deepEqual(p.variables, ['x', 'y'], f);
  }
  for (const name of named) {
    if ((FUNCTIONS as readonly string[]).includes(name)) continue;
    // the rest belong to the extra forms (pow, ln, log(x, b), arcsin … arctanh) and their arguments
    assert.ok(EXTRA_FORMS.some((form) => form.text.includes(name)), `${name} is listed but is neither a function nor an extra form`);
  }
  for (const form of EXTRA_FORMS) assert.deepEqual(parseExpression(form.probe).variables, ['x', 'y'], form.text);
  for (const c of CONSTANTS) assert.deepEqual(parseExpression(`${c}*x^2 + y^2`).variables, ['x', 'y'], c);
  for (const prefix of PREFIXES) assert.deepEqual(parseExpression(`${prefix}sin(x) + y^2`).variables, ['x', 'y'], prefix);
});

test('the parser rejects a function that is not on the list, naming the list', () => {
  assert.throws(() => parseExpression('cbrt(x) + y^2'), (e: unknown) => e instanceof Error && /unknown function 'cbrt'/.test(e.message));
});
