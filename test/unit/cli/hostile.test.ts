/**
 * A corpus of crafted hostile lines through the real CLI (`node dist/cli.js …`, built by
 * `npm test`), each in its own empty temp folder. For every line: exit code 2, nothing on
 * stdout, exactly one error line on stderr (config warnings aside), no control characters, a position where one applies
 * (character N for expressions, file:line:column for configs), nothing executed (a canary file
 * that a successful injection would create stays absent), and nothing left on disk.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const cli = resolve(__dirname, '../../../dist/cli.js');
let root = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'gdlab-hostile-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** no C0/C1 control, bidi control, zero-width or line-separator character */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

interface Case {
  name: string;
  /** the command line; CANARY is replaced by the canary file's absolute path */
  args: string[];
  /** files written into the folder first (name → content) */
  files?: Record<string, string | Buffer>;
  /** what the one line must say */
  expect: RegExp;
  /** the line must carry a position (character N, or file:line:column) */
  position?: boolean;
  /**
   * Input that is odd but valid (a name that exists on every JavaScript object used as a plain
   * variable, a very long flat product): either refused (exit 2, one line) or analysed (exit 0,
   * stdout matching this) — never an internal error.
   */
  orAnalysed?: RegExp;
}

const deep = (open: string, inner: string, close: string, n: number) => open.repeat(n) + inner + close.repeat(n);

const CASES: Case[] = [
  // code execution through constructor / prototype names
  { name: 'constructor.constructor(...)()', args: ['analyze', `constructor.constructor("require('fs').writeFileSync('CANARY','pwned')")()`], expect: /not allowed|expected|unknown|syntax/i, position: true },
  { name: 'x^2 + constructor', args: ['analyze', 'x^2 + constructor'], expect: /constructor/, position: true, orAnalysed: /^f\(.*\bconstructor\b.*\) = / },
  { name: 'x + __proto__', args: ['analyze', 'x + __proto__'], expect: /__proto__/, position: true, orAnalysed: /^f\(.*\b__proto__\b.*\) = / },
  { name: 'x^2 + toString', args: ['analyze', 'x^2 + toString'], expect: /toString/, position: true, orAnalysed: /^f\(.*\btoString\b.*\) = / },
  { name: 'toString()', args: ['analyze', 'toString()'], expect: /toString/, position: true },
  { name: 'x.constructor', args: ['analyze', 'x.constructor'], expect: /property access/, position: true },
  { name: 'x["constructor"]("…")()', args: ['analyze', `x["constructor"]("return process")().mainModule.require("fs").writeFileSync("CANARY","")`], expect: /not allowed|property|syntax|expected/i, position: true },
  { name: 'hasOwnProperty(x)', args: ['analyze', 'hasOwnProperty(x)'], expect: /hasOwnProperty/, position: true },
  { name: 'valueOf as a function', args: ['basin', 'valueOf(x) + y^2', '--eta', '0.1', '--out', 'map.png'], expect: /valueOf/, position: true },
  // import / require / mathjs' own evaluators
  { name: 'import("fs")', args: ['analyze', 'import("fs")'], expect: /import|not allowed|string/i, position: true },
  { name: 'import({...}) (mathjs import)', args: ['analyze', 'import({x: 1}) + x^2'], expect: /import|not allowed|object/i, position: true },
  { name: 'require', args: ['analyze', `require("fs").writeFileSync("CANARY", "")`], expect: /require|property|not allowed/i, position: true },
  { name: 'evaluate', args: ['analyze', 'evaluate("1+1") + x^2'], expect: /evaluate/, position: true },
  { name: 'parse / compile / simplify', args: ['analyze', 'parse("x") + compile("y") + simplify("x")'], expect: /parse|string|not allowed/i, position: true },
  { name: 'createUnit', args: ['analyze', 'createUnit("evil") + x'], expect: /createUnit|string|not allowed/i, position: true },
  { name: 'config({…})', args: ['analyze', 'config({number: "BigNumber"}) + x^2'], expect: /config|object|not allowed/i, position: true },
  { name: 'function definition', args: ['analyze', 'f(x) = x^2'], expect: /function definitions are not allowed/, position: true },
  { name: 'assignment', args: ['analyze', 'x = 3'], expect: /assign/i, position: true },
  { name: 'matrix', args: ['analyze', '[1, 2] * x'], expect: /matri/i, position: true },
  { name: 'object literal', args: ['analyze', '{a: x}.a'], expect: /not allowed|object|property/i, position: true },
  { name: 'ternary', args: ['analyze', 'x > 0 ? x : y'], expect: /not allowed|operator|conditional/i, position: true },
  { name: 'string literal', args: ['analyze', '"rm -rf /"'], expect: /string/i, position: true },
  // sizes and nesting
  { name: '100 KB expression', args: ['analyze', 'x'.repeat(100_000)], expect: /too long \(100000 characters; at most \d+\)/, position: true },
  { name: '100 KB of minus signs', args: ['analyze', '-'.repeat(100_000) + 'x'], expect: /is not an option; an expression that starts with '-' goes after '--'/ },
  { name: 'parentheses 2,000 deep', args: ['analyze', deep('(', 'x', ')', 2000)], expect: /deep|nest|stack/i, position: true },
  { name: 'sin( 1,000 deep', args: ['analyze', deep('sin(', 'x', ')', 1000)], expect: /deep|nest|stack/i, position: true },
  { name: "'x*' × 150 + y", args: ['analyze', 'x*'.repeat(150) + 'y'], expect: /deep|long|limit|large/i, position: true, orAnalysed: /^f\(x, y\) = x\*x\*/ },
  { name: 'x^(10^400)', args: ['analyze', 'x^(10^400) + y^2'], expect: /exponent '10\^400' overflows/, position: true },
  { name: '--fixed with 50,000 blanks and line breaks', args: ['basin', 'x^2 + y^2 + z^2', '--eta', '0.1', '--stats', '--fixed', 'z=' + ' '.repeat(50_000) + '\nb\nc'], expect: /--fixed must be 'name=value' pairs separated by commas, got 'z= {40,}.*… \(\d+ characters\)'/ },
  // unicode lookalikes
  { name: 'Cyrillic е in eval', args: ['analyze', 'еval("1") + x'], expect: /character 1/, position: true },
  { name: 'fullwidth plus', args: ['analyze', 'x^2 ＋ y^2'], expect: /'＋'/, position: true },
  { name: 'minus sign U+2212', args: ['analyze', 'x^2 − y^2'], expect: /'−'/, position: true },
  { name: 'superscript two', args: ['analyze', 'x² + y²'], expect: /'²'/, position: true },
  { name: 'fullwidth parentheses', args: ['analyze', 'sin（x）'], expect: /character/, position: true },
  // control characters
  { name: 'ESC sequence', args: ['analyze', 'x^2 + \u001b[2J y^2'], expect: /\\u001b/, position: true },
  { name: 'NUL (through a config: argv cannot carry one)', args: ['analyze', 'nul.gdlab.json'], files: { 'nul.gdlab.json': '{ "objective": "x^2 \\u0000+ y^2" }' }, expect: /\\u0000/, position: true },
  { name: 'right-to-left override', args: ['analyze', 'x^2 + \u202ey^2'], expect: /\\u202e/, position: true },
  { name: 'zero-width space', args: ['analyze', 'x^2 +\u200b y^2'], expect: /\\u200b/, position: true },
  { name: 'raw newline', args: ['analyze', 'x^2\n+ y^2; evaluate("1")'], expect: /\\n/, position: true },
  { name: 'control characters in an option value', args: ['basin', 'x^2 + y^2', '--eta', '0.1\u001b[31m', '--out', 'map.png'], expect: /--eta must be a number, got '0\.1\\u001b\[31m'/ },
  { name: 'control characters in an unknown option', args: ['analyze', 'x^2', '--\u001b[2Jbad'], expect: /\\u001b\[2Jbad/ },
  { name: 'control characters in a config path', args: ['analyze', 'evil\u001b]0;title\u0007.gdlab.json'], expect: /cannot read config file 'evil\\u001b\]0;title\\u0007\.gdlab\.json': no such file or folder/ },
  // hostile configs
  { name: 'config: constructor payload objective', args: ['basin', 'c.gdlab.json', '--out', 'map.png'], files: { 'c.gdlab.json': JSON.stringify({ objective: `constructor.constructor("require('fs').writeFileSync('CANARY','')")()`, lr: 0.1 }) }, expect: /^gdlab basin: c\.gdlab\.json:1:\d+: objective: /, position: true },
  { name: 'config: "variables": ["constructor", "y"]', args: ['analyze', 'v.gdlab.json'], files: { 'v.gdlab.json': '{ "objective": "x^2 + y^2", "variables": ["constructor", "y"] }' }, expect: /^gdlab analyze: v\.gdlab\.json:1:\d+: objective: /, position: true },
  { name: 'config: 1 MB objective', args: ['analyze', 'big.gdlab.json'], files: { 'big.gdlab.json': JSON.stringify({ objective: 'x+'.repeat(450_000) + 'y' }) }, expect: /too long/, position: true },
  { name: 'config: over 1 MB', args: ['analyze', 'huge.gdlab.json'], files: { 'huge.gdlab.json': ' '.repeat(1_200_000) + '{}' }, expect: /is too large \(1200002 bytes; at most 1000000\)/ },
  { name: 'config: JSON nested 5,000 deep', args: ['analyze', 'deep.gdlab.json'], files: { 'deep.gdlab.json': `{ "objective": "x^2", "starts": ${deep('[', '', ']', 5000)} }` }, expect: /deep\.gdlab\.json:1:\d+: nested too deeply: more than 64 levels/, position: true },
  { name: 'config: YAML nested 5,000 deep', args: ['analyze', 'deep.gdlab.yaml'], files: { 'deep.gdlab.yaml': 'objective: x^2\nstarts:\n  ' + '- '.repeat(5000) + '1\n' }, expect: /deep\.gdlab\.yaml:3:\d+: nested too deeply/, position: true },
  { name: 'config: YAML alias bomb', args: ['analyze', 'bomb.gdlab.yaml'], files: { 'bomb.gdlab.yaml': 'a: &a [1,1,1,1,1,1,1,1,1]\n' + Array.from({ length: 9 }, (_, k) => `${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [${Array(9).fill('*' + String.fromCharCode(97 + k)).join(',')}]`).join('\n') + '\nobjective: *j\n' }, expect: /objective.*(must be|alias)/, position: true },
  { name: 'config: UTF-16', args: ['analyze', 'u.gdlab.json'], files: { 'u.gdlab.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"objective":"x^2"}', 'utf16le')]) }, expect: /is UTF-16 \(little-endian\); save it as UTF-8/ },
  { name: 'config: control characters in keys and values', args: ['analyze', 'k.gdlab.json'], files: { 'k.gdlab.json': '{ "objective": "x^2 + y^2", "domain": { "\\u001b[2Jx": [0, 1] } }' }, expect: /"\\u001b\[2Jx" is not a variable/, position: true },
];

for (const c of CASES) {
  test(`hostile: ${c.name}`, () => {
    const cwd = join(root, c.name.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 40) + '_' + CASES.indexOf(c));
    mkdirSync(cwd);
    const canary = join(cwd, 'CANARY-pwned');
    for (const [name, content] of Object.entries(c.files ?? {})) writeFileSync(join(cwd, name), typeof content === 'string' ? content.replaceAll('CANARY', canary) : content);
    const before = readdirSync(cwd).sort();
    const args = c.args.map((a) => a.replaceAll('CANARY', canary));
    const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.signal, null, 'killed: no answer within 120 s');
    assert.equal(existsSync(canary), false, 'the canary file exists: user text was executed');
    if (c.orAnalysed && r.status === 0) {
      assert.match(r.stdout, c.orAnalysed, r.stdout.slice(0, 200));
      assert.deepEqual(readdirSync(cwd).sort(), before, 'files were left behind');
      return;
    }
    const all = r.stderr.split('\n').filter((l) => l !== '');
    for (const l of all) assert.ok(!UNSAFE.test(l), `control character in: ${JSON.stringify(l.slice(0, 300))}`);
    // config warnings (unknown keys, …) come on their own lines before the error
    const lines = all.filter((l) => !l.startsWith('warning: '));
    assert.equal(r.status, 2, `exit ${r.status}; stderr: ${r.stderr.slice(0, 400)}`);
    assert.equal(r.stdout, '');
    assert.equal(lines.length, 1, `one line expected:\n${r.stderr.slice(0, 1000)}`);
    const line = lines[0] as string;
    assert.ok(!UNSAFE.test(line), `control character in: ${JSON.stringify(line.slice(0, 300))}`);
    assert.ok(line.length <= 1200, `the line is ${line.length} characters long`);
    assert.match(line, new RegExp(`^gdlab ${args[0]}: `));
    assert.match(line, c.expect, line);
    if (c.position) assert.match(line, /character \d+|:\d+:\d+: /, `no position in: ${line}`);
    assert.equal(existsSync(canary), false, 'the canary file exists: user text was executed');
    assert.deepEqual(readdirSync(cwd).sort(), before, 'files were left behind');
  });
}
