import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignContent, contentRangeToDocument, getEntry, parseJsonTree, parseYamlTree, type PosNode } from '../../../src/config/tree';

/** every character of the string value maps to the same character in the document */
function assertAligned(text: string, node: PosNode | undefined): void {
  assert.ok(node && node.kind === 'string', JSON.stringify(node));
  assert.ok(node.contentOffsets, 'no offsets');
  for (let i = 0; i < node.value.length; i++) {
    const ch = node.value[i] as string;
    const at = node.contentOffsets[i] as number;
    if (ch === ' ' || ch === '\n') continue; // folded line breaks
    if (text[at] === '\\') continue; // an escape stands for this character
    assert.equal(text[at], ch, `char ${i} of ${JSON.stringify(node.value)}`);
  }
}

test('JSON strings with escapes map back to the source', () => {
  const text = '{ "objective": "x\\u005e2 + \\"y\\" \\\\ z" }';
  const doc = parseJsonTree(text);
  const node = getEntry(doc.root, 'objective')?.value;
  assert.ok(node && node.kind === 'string');
  assert.equal(node.value, 'x^2 + "y" \\ z');
  assertAligned(text, node);
  // the '^' came from the 6-character escape \u005e
  assert.equal(text.slice(node.contentOffsets?.[1], (node.contentOffsets?.[1] ?? 0) + 6), '\\u005e');
  const r = contentRangeToDocument(node, { start: 12, end: 13 });
  assert.equal(text.slice(r.start, r.end), 'z');
});

test('YAML plain, single-quoted, double-quoted and block scalars map back to the source', () => {
  const text = [
    'a: x^2 + y^2',
    "b: 'it''s x'",
    'c: "x\\ty"',
    'd: |',
    '  x^2',
    '  + y^2',
    'e: >-',
    '  (1 - x*y)^2',
    '  + z',
    '',
  ].join('\n');
  const doc = parseYamlTree(text);
  assert.deepEqual(doc.syntaxErrors, []);
  for (const key of ['a', 'b', 'c', 'd', 'e']) assertAligned(text, getEntry(doc.root, key)?.value);
  const e = getEntry(doc.root, 'e')?.value;
  assert.ok(e && e.kind === 'string');
  assert.equal(e.value, '(1 - x*y)^2 + z');
  const z = contentRangeToDocument(e, { start: 14, end: 15 });
  assert.equal(text.slice(z.start, z.end), 'z');
});

test('alignContent refuses to guess', () => {
  assert.equal(alignContent('"abc"', 0, 5, 'abd', false), null);
  assert.deepEqual(alignContent('"ab"', 0, 4, 'ab', false), [1, 2, 3]);
});

test('syntax errors carry positions', () => {
  const json = parseJsonTree('{ "a": 1,, }');
  assert.ok(json.syntaxErrors.length > 0);
  assert.ok((json.syntaxErrors[0]?.range.start ?? -1) >= 8);
  const yaml = parseYamlTree('a: [1, 2\nb: 3\n');
  assert.ok(yaml.syntaxErrors.length > 0);
  assert.match(yaml.syntaxErrors[0]?.message ?? '', /^YAML syntax error: /);
});
