/**
 * Property-based fuzzing of the config parser with fast-check (seeded, bounded runs): random
 * configs written as JSON and as YAML, random mutations of the shipped examples, and random text.
 * Properties, for every input: parseConfig returns (never throws); every issue's range lies inside
 * the document; every message is one line without control characters; a config without errors
 * has a problem to analyse.
 */
import { test } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { CONFIG_KEYS, parseConfig } from '../../../src/config/config';
import { formatOfFileName, type ConfigFormat } from '../../../src/config/tree';

const SEED = 20_240_218;
const root = join(__dirname, '..', '..', '..');
/** no C0/C1 control, bidi control, zero-width, line separator or BOM character */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

function check(text: string, format: ConfigFormat): void {
  const c = parseConfig(text, format);
  for (const i of c.issues) {
    if (!(i.range.start >= 0 && i.range.start <= i.range.end && i.range.end <= text.length)) {
      throw new Error(`range ${JSON.stringify(i.range)} outside 0..${text.length} (${i.code}: ${i.message})`);
    }
    if (UNSAFE.test(i.message)) throw new Error(`unsafe character in message: ${JSON.stringify(i.message)}`);
    if (i.message.trim() === '') throw new Error(`empty message (${i.code})`);
  }
  const errors = c.issues.filter((i) => i.severity === 'error');
  // a network config (a "model" block) has its network instead of a problem
  const network = c.network ? c.network.model !== null && c.network.train !== null : false;
  if (errors.length === 0 && c.spec === null && !network) throw new Error(`no error, yet no problem: ${JSON.stringify(c.issues)}`);
  if (c.spec !== null && c.fatal) throw new Error('a problem, yet fatal');
}

/** Characters that stress parsers and messages: controls, bidi, zero-width, quotes, brackets, astral. */
const nasty = fc.constantFrom('\u0000', '\u001b', '\n', '\r', '\t', '\u202e', '\u200b', '\ufeff', '\u2028', '"', "'", '\\', '[', ']', '{', '}', ':', '#', '&', '*', '<<', '-', '𝑥', 'é', '\ud800');
const text = fc.array(fc.oneof(nasty, fc.string({ maxLength: 6 })), { maxLength: 24 }).map((parts) => parts.join(''));

/** Expressions from a small grammar, sometimes broken. */
const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', 'z', 'w_1', 'constructor', '__proto__', 'pi', 'e', '1e308', '0', '2.5', 'NaN', 'Infinity'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^', '**', ' ', '^^', ''), tie('e')).map(([a, op, b]) => `${a as string}${op}${b as string}`),
    fc.tuple(fc.constantFrom('sin', 'exp', 'log', 'sqrt', 'pow', 'abs', 'cbrt', 'np.cos', 'eval', 'import'), tie('e')).map(([f, a]) => `${f}(${a as string})`),
    tie('e').map((a) => `(${a as string})`),
  ),
})).e as fc.Arbitrary<string>;

const num = fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: -5000, max: 5000 }), fc.constantFrom(0, 0.25, 1e-13, 2048, 1e6));
const interval = fc.oneof(fc.tuple(num, num), fc.array(num, { maxLength: 3 }));
const anyJson = fc.jsonValue({ maxDepth: 3 });
const varName = fc.oneof(fc.constantFrom('x', 'y', 'z', 'constructor', '__proto__', 'toString', ''), text);

/** A config object: known keys with plausible or wrong values, plus stray keys. */
const configObject = fc.record(
  {
    objective: fc.oneof(expression, text, anyJson),
    variables: fc.oneof(fc.array(varName, { maxLength: 4 }), anyJson),
    domain: fc.oneof(interval, fc.dictionary(varName, interval, { maxKeys: 3 }), fc.array(interval, { maxLength: 3 }), anyJson),
    lr: fc.oneof(num, anyJson),
    learningRates: fc.oneof(fc.array(num, { maxLength: 4 }), anyJson),
    lrFractions: fc.oneof(fc.array(num, { maxLength: 4 }), anyJson),
    starts: fc.oneof(fc.array(fc.array(num, { maxLength: 3 }), { maxLength: 4 }), anyJson),
    grid: fc.oneof(num, anyJson),
    maxSteps: fc.oneof(num, anyJson),
    tolerance: fc.oneof(num, anyJson),
    axes: fc.oneof(fc.array(varName, { maxLength: 3 }), anyJson),
    fixed: fc.oneof(fc.dictionary(varName, num, { maxKeys: 3 }), anyJson),
    name: fc.oneof(text, anyJson),
    stray: anyJson,
  },
  { requiredKeys: [] },
).chain((obj) => fc.tuple(fc.constant(obj), fc.string({ maxLength: 12 }), fc.constantFrom(...CONFIG_KEYS, 'Grid', 'learning_rate', '<<'))).map(([obj, strayKey, alsoKey]) => {
  const out: Record<string, unknown> = { ...obj };
  if ('stray' in out) {
    out[strayKey] = out.stray;
    delete out.stray;
  }
  if (!(alsoKey in out)) out[alsoKey] = 1;
  return out;
});

/** Mutations of a text: delete, insert, duplicate or replace a span. */
function mutate(base: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(base.length), fc.nat(12), fc.constantFrom('delete', 'insert', 'duplicate', 'replace'), text);
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let s = base;
    for (const [at0, len, kind, ins] of edits) {
      const at = Math.min(at0, s.length);
      const end = Math.min(s.length, at + len);
      if (kind === 'delete') s = s.slice(0, at) + s.slice(end);
      else if (kind === 'insert') s = s.slice(0, at) + ins + s.slice(at);
      else if (kind === 'duplicate') s = s.slice(0, end) + s.slice(at, end) + s.slice(end);
      else s = s.slice(0, at) + ins + s.slice(end);
    }
    return s;
  });
}

test('fuzz: random configs written as JSON', () => {
  fc.assert(
    fc.property(configObject, fc.constantFrom(0, 2, '\t'), (obj, indent) => {
      const json = JSON.stringify(obj, null, indent);
      check(json, 'json');
      // JSON.stringify writes NaN and ±Infinity as null: also try the raw tokens people type
      check(json.replace(/: 0\b/g, ': NaN').replace(/: 1\b/g, ': Infinity'), 'json');
    }),
    { seed: SEED, numRuns: 200 },
  );
});

test('fuzz: random configs written as YAML', () => {
  fc.assert(
    fc.property(configObject, fc.boolean(), (obj, flow) => {
      const yaml = stringify(obj, { collectionStyle: flow ? 'flow' : 'any', lineWidth: 0 });
      check(yaml, 'yaml');
      check(`base: &b\n  lr: 0.1\n${yaml}\n<<: *b\n`, 'yaml');
    }),
    { seed: SEED + 1, numRuns: 150 },
  );
});

test('fuzz: mutations of the shipped examples (JSON and YAML)', () => {
  const files = readdirSync(join(root, 'examples')).filter((f) => /\.gdlab\.(json|ya?ml)$/.test(f));
  for (const [k, f] of files.entries()) {
    const base = readFileSync(join(root, 'examples', f), 'utf8');
    const format = formatOfFileName(f);
    fc.assert(fc.property(mutate(base), (s) => check(s, format)), { seed: SEED + 10 + k, numRuns: 80 });
  }
});

test('fuzz: random text in both formats', () => {
  fc.assert(
    fc.property(fc.oneof(text, fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '-', ' ', '\n', ':', ',', '"', 'a'), maxLength: 200 })), (s) => {
      check(s, 'json');
      check(s, 'yaml');
    }),
    { seed: SEED + 2, numRuns: 300 },
  );
});
