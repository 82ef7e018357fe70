/**
 * The CLI's messages as a new user meets them, through the built CLI (`npm test` builds
 * dist/cli.js first) in a temp folder: unknown commands and options in one line with a hint,
 * every command a message suggests actually runs, output paths checked before any computation,
 * config warnings on stderr, files named by their encoding, and one atomic writer that leaves
 * nothing behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COMMAND_EXAMPLES } from '../../../src/cli/problemInput';
import { OutputError, writeAtomic } from '../../../src/cli/output';

const cli = resolve(__dirname, '../../../dist/cli.js');
let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-messages-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

function gdlab(args: readonly string[], cwd = dir): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stderr.split('\n').filter((l) => l !== '') };
}

/** Splits a suggested command line (as printed) into argv: double-quoted parts are one argument. */
function argvOf(commandLine: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (const m of commandLine.matchAll(re)) out.push(m[1] ?? m[2] ?? '');
  assert.equal(out[0], 'gdlab', commandLine);
  return out.slice(1);
}

/** A fresh folder per case, so "nothing left behind" can be checked. */
function fresh(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

test('gdlab bogus: one line, exit 2, with the hint gdlab --help (which works)', () => {
  const r = gdlab(['bogus']);
  assert.equal(r.code, 2);
  assert.equal(r.lines.length, 1, r.stderr);
  assert.match(r.lines[0] ?? '', /^gdlab: unknown command 'bogus' \(commands: analyze, reproduce, basin, trajectory, sweep, figure, train, orbit, tipping, zoom; gdlab --help for more\)$/);
  const help = gdlab(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: gdlab <command>/);
  // a near miss names the command, names that exist on every object are just unknown
  assert.match(gdlab(['basn']).lines[0] ?? '', /did you mean gdlab basin\?/);
  for (const name of ['constructor', '__proto__', 'toString']) {
    const c = gdlab([name]);
    assert.equal(c.code, 2, name);
    assert.match(c.lines[0] ?? '', new RegExp(`unknown command '${name}'`));
  }
});

test('every "e.g. gdlab …" a missing-problem message suggests runs (exit 0)', () => {
  for (const command of ['analyze', 'basin', 'trajectory', 'sweep']) {
    const cwd = fresh(`example-${command}`);
    const r = gdlab([command], cwd);
    assert.equal(r.code, 2, command);
    assert.equal(r.lines.length, 1, r.stderr);
    const suggested = /e\.g\. (gdlab .*)$/.exec(r.lines[0] ?? '')?.[1];
    assert.ok(suggested, r.lines[0]);
    assert.equal(suggested, COMMAND_EXAMPLES[command]);
    const ok = gdlab(argvOf(suggested), cwd);
    assert.equal(ok.code, 0, `${suggested}: ${ok.stderr}`);
    assert.ok(!readdirSync(cwd).some((f) => f.includes('.tmp-')), readdirSync(cwd).join(', '));
  }
});

test('an expression that starts with "--": the message suggests "--", and the suggestion runs', () => {
  const minuses = '-'.repeat(10_000) + 'x^2 + y^2';
  const r = gdlab(['analyze', minuses]);
  assert.equal(r.code, 2);
  assert.equal(r.lines.length, 1);
  assert.ok((r.lines[0] ?? '').length < 300, 'the 10 KB argument is not echoed whole');
  const suggested = /\(e\.g\. (gdlab .*)\)$/.exec(r.lines[0] ?? '')?.[1];
  assert.equal(suggested, 'gdlab analyze -- "--x^2 + y^2"');
  const ok = gdlab(argvOf(suggested));
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /1 strict minimum/);
  // a mistyped option gets the nearest one
  const typo = gdlab(['basin', 'x^2 + y^2', '--eta-fraction', '0.9', '--stats']);
  assert.equal(typo.code, 2);
  assert.match(typo.lines[0] ?? '', /unknown option --eta-fraction; did you mean --eta-frac\?$/);
  const fixed = gdlab(['basin', 'x^2 + y^2', '--eta-frac', '0.9', '--stats', '--grid', '16']);
  assert.equal(fixed.code, 0, fixed.stderr);
});

test('the learning-rate, --init and --out hints are options that work', () => {
  const cwd = fresh('hints');
  const f = 'x^2 + 3*y^2';
  const noEta = gdlab(['basin', f, '--grid', '16', '--stats'], cwd);
  assert.equal(noEta.code, 2);
  assert.match(noEta.lines[0] ?? '', /give --eta 0\.25 or --eta-frac 0\.95/);
  assert.equal(gdlab(['basin', f, '--grid', '16', '--stats', '--eta', '0.25'], cwd).code, 0);
  assert.equal(gdlab(['basin', f, '--grid', '16', '--stats', '--eta-frac', '0.95'], cwd).code, 0);
  const noInit = gdlab(['trajectory', f, '--eta', '0.25'], cwd);
  assert.equal(noInit.code, 2);
  const init = /e\.g\. (--init \S+)$/.exec(noInit.lines[0] ?? '')?.[1];
  assert.ok(init, noInit.lines[0]);
  assert.equal(gdlab(['trajectory', f, '--eta', '0.25', ...init.split(' ')], cwd).code, 0);
  const noOut = gdlab(['basin', f, '--eta', '0.25', '--grid', '16'], cwd);
  assert.equal(noOut.code, 2);
  assert.match(noOut.lines[0] ?? '', /missing --out map\.png\|map\.npy\|map\.json \(or --stats/);
  assert.equal(gdlab(['basin', f, '--eta', '0.25', '--grid', '16', '--out', 'map.png'], cwd).code, 0);
});

test('output path problems are found before any computation, with the user\'s path, exit 2; their hints work; missing folders are made', () => {
  const cwd = fresh('out-paths');
  // a missing folder is created when the file is written (after the check, before nothing)
  const made = gdlab(['basin', 'x^2 + y^2', '--eta', '0.5', '--grid', '16', '--out', 'no/such/map.png'], cwd);
  assert.equal(made.code, 0, made.stderr);
  assert.ok(readdirSync(join(cwd, 'no', 'such')).includes('map.png'));
  // a folder in place of the file
  mkdirSync(join(cwd, 'taken.csv'));
  const folder = gdlab(['sweep', 'x^2 + y^2', '--etas', '0.5', '--grid', '8', '--out', 'taken.csv'], cwd);
  assert.equal(folder.code, 2);
  assert.match(folder.lines[0] ?? '', /--out 'taken\.csv' is a folder; give a file name inside it, e\.g\. --out taken\.csv\/result\.csv/);
  assert.equal(gdlab(['sweep', 'x^2 + y^2', '--etas', '0.5', '--grid', '8', '--out', 'taken.csv/result.csv'], cwd).code, 0);
  // a file where a folder should be
  writeFileSync(join(cwd, 'plain'), 'x');
  const notDir = gdlab(['trajectory', 'x^2 + y^2', '--eta', '0.5', '--init', '1,1', '--out', 'plain/t.csv'], cwd);
  assert.equal(notDir.code, 2);
  assert.match(notDir.lines[0] ?? '', /--out 'plain\/t\.csv': 'plain' is not a folder/);
  const deeper = gdlab(['trajectory', 'x^2 + y^2', '--eta', '0.5', '--init', '1,1', '--out', 'plain/a/b/t.csv'], cwd);
  assert.equal(deeper.code, 2);
  assert.match(deeper.lines[0] ?? '', /'plain' is not a folder/);
  assert.ok(!readdirSync(cwd, { recursive: true }).some((f) => String(f).includes('.tmp-')));
});

test('no write permission: exit 2 before computing', { skip: process.getuid?.() === 0 ? 'root ignores folder permissions' : false }, () => {
  const cwd = fresh('readonly');
  const ro = join(cwd, 'ro');
  mkdirSync(ro, { mode: 0o555 });
  const r = gdlab(['basin', 'x^2 + y^2', '--eta', '0.5', '--grid', '16', '--out', 'ro/map.png'], cwd);
  assert.equal(r.code, 2);
  assert.match(r.lines[0] ?? '', /cannot write into the folder 'ro' \(permission denied\)/);
});

test('trajectory --max-iter 1000000 --tail 100000: a usage error (exit 2) that says what to do', () => {
  const r = gdlab(['trajectory', 'x^2 + y^2', '--eta', '0.5', '--init', '1,1', '--max-iter', '1000000', '--tail', '100000']);
  assert.equal(r.code, 2);
  assert.equal(r.lines.length, 1);
  assert.match(r.lines[0] ?? '', /--max-iter \+ --tail is at most 1000000 recorded steps \(got 1000000 \+ 100000\); lower one of them/);
});

test('config files: ignored keys warned with the nearest known key; BOM accepted; UTF-16 named; grid too large says what happens', () => {
  const cwd = fresh('configs');
  writeFileSync(join(cwd, 'k.gdlab.json'), '{\n  "objective": "x^2 + y^2",\n  "Grid": 16,\n  "learning_rate": 0.1\n}\n');
  const k = gdlab(['basin', 'k.gdlab.json', '--stats'], cwd);
  assert.equal(k.code, 2);
  assert.deepEqual(k.lines, [
    'warning: k.gdlab.json:3:3: unknown key "Grid" (ignored); did you mean "grid"?',
    'warning: k.gdlab.json:4:3: unknown key "learning_rate" (ignored); did you mean "lr"?',
    'gdlab basin: missing the learning rate: give --eta 0.25 or --eta-frac 0.95 (a fraction of η_max)',
  ]);
  writeFileSync(join(cwd, 'm.gdlab.yaml'), 'defaults: &d\n  lr: 0.1\nobjective: x^2 + y^2\n<<: *d\n');
  const m = gdlab(['analyze', 'm.gdlab.yaml'], cwd);
  assert.equal(m.code, 0, m.stderr);
  assert.ok(m.lines.includes('warning: m.gdlab.yaml:4:1: YAML merge keys (<<) are not supported, so nothing is merged from it: write the keys out here'), m.stderr);
  writeFileSync(join(cwd, 'bom.gdlab.json'), '\ufeff{ "objective": "x^2 + y^2", "lr": 0.5 }');
  const bom = gdlab(['basin', 'bom.gdlab.json', '--grid', '8', '--stats'], cwd);
  assert.equal(bom.code, 0, bom.stderr);
  writeFileSync(join(cwd, 'u16.gdlab.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{ "objective": "x^2" }', 'utf16le')]));
  const u16 = gdlab(['analyze', 'u16.gdlab.json'], cwd);
  assert.equal(u16.code, 2);
  assert.deepEqual(u16.lines, ["gdlab analyze: config file 'u16.gdlab.json' is UTF-16 (little-endian); save it as UTF-8"]);
  writeFileSync(join(cwd, 'u16nobom.gdlab.json'), Buffer.from('{ "objective": "x^2" }', 'utf16le'));
  assert.match(gdlab(['analyze', 'u16nobom.gdlab.json'], cwd).lines[0] ?? '', /looks like UTF-16 without a byte-order mark.*save it as UTF-8/);
  writeFileSync(join(cwd, 'latin1.gdlab.json'), Buffer.from('{ "objective": "x^2", "name": "caf\xe9" }', 'latin1'));
  assert.match(gdlab(['analyze', 'latin1.gdlab.json'], cwd).lines[0] ?? '', /is not valid UTF-8 text; save it as UTF-8/);
  writeFileSync(join(cwd, 'big.gdlab.json'), '{ "objective": "x^2 + y^2", "lr": 0.5, "grid": 5000 }');
  const big = gdlab(['basin', 'big.gdlab.json', '--grid', '8', '--stats'], cwd);
  assert.equal(big.code, 0, big.stderr);
  assert.match(big.lines[0] ?? '', /^warning: big\.gdlab\.json:1:40: grid too large: 5000² = 2\.5e\+7 starts; the maximum is 1024, so the map is computed at 1024 × 1024$/);
});

test('writeAtomic: writes whole files; on failure names the user\'s path and leaves no temp file', () => {
  const d = fresh('atomic');
  const target = join(d, 'summary.json');
  writeAtomic(target, 'one');
  writeAtomic(target, 'two');
  assert.equal(readFileSync(target, 'utf8'), 'two');
  rmSync(target);
  mkdirSync(target); // `mkdir out/summary.json`: the rename must fail
  assert.throws(() => writeAtomic(target, '{}'), (e: unknown) => e instanceof OutputError && e.message === `cannot write '${target}': it is a folder`);
  assert.deepEqual(readdirSync(d), ['summary.json']);
  writeFileSync(join(d, 'file'), '');
  assert.throws(() => writeAtomic(join(d, 'file', 'x.json'), '{}'), /cannot write '.*file\/x\.json': (a part of the path is not a folder|a file of that name exists)/);
  assert.deepEqual(readdirSync(d).sort(), ['file', 'summary.json']);
  writeAtomic(join(d, 'new', 'deep', 'x.json'), '{}');
  assert.equal(readFileSync(join(d, 'new', 'deep', 'x.json'), 'utf8'), '{}');
});
