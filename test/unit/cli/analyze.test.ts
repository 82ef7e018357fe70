/**
 * `gdlab analyze` end to end: the CLI entry is bundled once with esbuild into a temp dir
 * (as `npm run build` does for dist/cli.js) and run as a child process.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { compactJson, formatNumber } from '../../../src/cli/commands/analyze';

const root = resolve(__dirname, '../../..');
let dir = '';
let cli = '';

/**
 * Other subcommands are loaded lazily by main.ts; a module of theirs that does not exist yet
 * (parallel development) is left external so it cannot break this command's bundle.
 */
const missingRelativeImportsExternal: Plugin = {
  name: 'missing-relative-external',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(join(root, 'src'))) return undefined;
      const base = resolve(dirname(args.importer), args.path);
      const found = ['', '.ts', '/index.ts'].some((ext) => existsSync(base + ext));
      return found ? undefined : { path: args.path, external: true };
    });
  },
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-cli-test-'));
  cli = join(dir, 'cli.js');
  await build({ entryPoints: [join(root, 'src/cli/main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: cli, logLevel: 'silent', mainFields: ['module', 'main'], plugins: [missingRelativeImportsExternal] });
});
after(() => rmSync(dir, { recursive: true, force: true }));

function gdlab(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonPoint { kind: string; point: number[]; value: number; eigenvalues: number[]; lambdaMax: number; etaMax: number | null }

test('f4 --json: exactly two minima at ±(0.97468, 0.97468), λ_max 3.8, η_max 0.526316', () => {
  const r = gdlab('analyze', '(1 - x*y)^2 + (x^2 + y^2)/20', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { variables: string[]; domain: number[][]; minima: JsonPoint[]; criticalPoints: JsonPoint[] };
  assert.deepEqual(out.variables, ['x', 'y']);
  assert.deepEqual(out.domain, [[-3, 3], [-3, 3]]);
  assert.equal(out.minima.length, 2);
  assert.equal(out.criticalPoints.filter((c) => c.kind === 'minimum').length, 2);
  const r0 = Math.sqrt(19) / (2 * Math.sqrt(5)); // 0.974679…
  for (const [m, sign] of [[out.minima[0], -1], [out.minima[1], 1]] as const) {
    for (const v of m.point) assert.ok(Math.abs(v - sign * 0.97468) < 5e-6 && Math.abs(v - sign * r0) < 1e-9, `point ${m.point}`);
    assert.ok(Math.abs(m.lambdaMax - 3.8) < 1e-6);
    assert.ok(Math.abs((m.etaMax as number) - 0.526316) < 1e-6);
  }
});

test('table output lists type, point, f, eigenvalues and η_max', () => {
  const r = gdlab('analyze', 'x^2 + y^2 + x^2*y + x^3 + y^3', '--domain', '-2,2');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /minimum\s+\(0, 0\)\s+0\s+2, 2\s+1\n/);
  assert.match(r.stdout, /saddle\s+\(0, -0\.666667\)\s+0\.148148\s+-2, 0\.666667/);
  assert.match(r.stdout, /1 strict minimum, 2 saddles, 1 maximum, 0 degenerate points/);
  assert.match(r.stdout, /x ∈ \[-2, 2\], y ∈ \[-2, 2\]/);
});

test('the output says how many starts ran and the basin share they may miss: 1 − 0.05^(1/k)', () => {
  const r = gdlab('analyze', 'x^2 + y^2 + x^2*y + x^3 + y^3', '--domain', '-2,2', '--starts', '100');
  assert.equal(r.code, 0, r.stderr);
  // 10×10 grid + the centre; 1 − 0.05^(1/101) = 2.92%
  assert.match(r.stdout, /^search: 101 starts \(2 variables\); a critical point whose basin under the search covers less than 2\.9% of the domain may have been missed \(--starts N searches more\)$/m);
  const many = gdlab('analyze', Array.from({ length: 30 }, (_, k) => `(w${k} - 1)^2`).join(' + '));
  assert.equal(many.code, 0, many.stderr);
  // 10,000/30 = 333 starts + the centre: 1 − 0.05^(1/334) = 0.9%
  assert.match(many.stdout, /^search: 334 starts \(30 variables\); .* less than 0\.9% of the domain/m);
  assert.match(many.stdout, /^minimum +\(1, 1, 1,/m);
});

test('bad expressions: exit code 2 and one line naming the problem and its position', () => {
  const cases: [string, RegExp][] = [
    ['x^^2', /character 3/],
    ['x +', /character 4|end of expression/],
    ['foo(x)', /unknown function 'foo'.*character 1/],
    ['x = 3', /assign.*character 3/],
    ['"a"', /string.*character 1/],
    ['x.constructor', /property access.*character 2/],
  ];
  for (const [text, pattern] of cases) {
    const r = gdlab('analyze', text);
    assert.equal(r.code, 2, `${text}: exit ${r.code}, stderr ${r.stderr}`);
    assert.equal(r.stdout, '', text);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, `${text}: ${r.stderr}`);
    assert.match(lines[0], /^gdlab analyze: /);
    assert.match(lines[0], pattern, `${text}: ${lines[0]}`);
    assert.ok(lines[0].endsWith(text), `${text}: the line ends with the expression: ${lines[0]}`);
  }
});

test('bad options and domains: exit code 2, one line', () => {
  const cases: [string[], RegExp][] = [
    [['x^2', '--domain', '3,-3'], /--domain: the domain of x is inverted: \[3, -3\]/],
    [['x^2+y^2', '--domain', '0,1;0,1;0,1', '--json'], /--domain gives 3 ranges but the objective has 2 variables/],
    [['x^2', '--bogus'], /unknown option --bogus/],
  ];
  for (const [args, pattern] of cases) {
    const r = gdlab('analyze', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, pattern);
  }
});

test('per-variable domains and --variables order', () => {
  const r = gdlab('analyze', '(x-1)^2 + 2*(y+2)^2', '--variables', 'y,x', '--domain', '-3,0;0,3', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { variables: string[]; minima: JsonPoint[] };
  assert.deepEqual(out.variables, ['y', 'x']);
  assert.equal(out.minima.length, 1);
  assert.ok(Math.abs(out.minima[0].point[0] + 2) < 1e-12 && Math.abs(out.minima[0].point[1] - 1) < 1e-12);
});

test('output helpers: compact JSON round-trips; numbers print with 6 significant digits', () => {
  const value = { names: ['x, y', 'z'], box: [[-3, 3], [1e-300, 2.5]], none: null, empty: [] };
  const text = compactJson(value);
  assert.deepEqual(JSON.parse(text), value);
  assert.match(text, /"names": \["x, y", "z"\]/);
  assert.equal(formatNumber(0.5263157894736842), '0.526316');
  assert.equal(formatNumber(-0), '0');
  assert.equal(formatNumber(1001.6014), '1001.6');
  assert.equal(formatNumber(-2.49603e-5), '-2.49603e-5');
  assert.equal(formatNumber(null), '—');
});

test('a config file is accepted in place of the expression', () => {
  const run = spawnSync(process.execPath, [cli, 'analyze', join(root, 'examples/figure2-f3.gdlab.json'), '--json'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { minima: Array<{ etaMax: number }>; domain: number[][] };
  assert.equal(out.minima.length, 4, 'f3 has four minima (±1, ±1)');
  for (const m of out.minima) assert.ok(Math.abs(m.etaMax - 1 / 6) < 1e-9);
  assert.deepEqual(out.domain, [[-2, 2], [-2, 2]], "the config's domain is used");
});
