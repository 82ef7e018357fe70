/**
 * What `gdlab` prints on functions that are not the paper's (the bundled CLI as a child process):
 * minima outside the window, windows beyond the domain, sets of minima, still-descending starts
 * (and that the suggested fix works), undefined regions, the grid convention, and one value of
 * steps and K in every output. Expected numbers are closed forms or the engine's trajectory.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { analyzeProblem } from '../../../src/engine/analyze';
import { computeBasinMap } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { trajectory } from '../../../src/engine/trajectory';

const root = resolve(__dirname, '../../..');
let dir = '';
let cli = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-own-test-'));
  cli = join(dir, 'cli.js');
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18',
    outfile: cli, logLevel: 'silent', mainFields: ['module', 'main'],
  });
  // the pool's worker next to the bundle
  await build({
    entryPoints: [join(root, 'src/compute/worker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18',
    outfile: join(dir, 'worker.js'), logLevel: 'silent', mainFields: ['module', 'main'],
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

function gdlab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args, ...(args[0] === 'analyze' || args[0] === 'trajectory' ? [] : ['--workers', '1'])], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const OUTSIDE = '(x-5)^2 + 2*(y+4)^2 + x*y/10';
/** its minimum and threshold in closed form: [[2, 0.1], [0.1, 4]]·θ = (10, −16); λ_max = 3 + √1.01 */
const OUTSIDE_ETA_MAX = 2 / (3 + Math.sqrt(1.01));

test('analyze lists a minimum outside the domain, with its threshold, and says where it is', () => {
  const r = gdlab('analyze', OUTSIDE);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^minimum +\(5\.20651, -4\.13016\) .* outside the domain$/m);
  assert.match(r.stdout, new RegExp(`smallest η_max: ${Number(OUTSIDE_ETA_MAX.toPrecision(6))}`));
  assert.match(r.stdout, /note: minimum #0 at \(5\.20651, -4\.13016\) lies outside the domain/);
});

test('basin on the same function at η = 0.2: every start converges (stably) to the outside minimum', () => {
  const r = gdlab('basin', OUTSIDE, '--eta', '0.2', '--grid', '16', '--stats');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^stable 100\.00% +unstable 0\.00% +diverged 0\.00%/m);
  assert.match(r.stdout, /minimum #0 \(5\.20651, -4\.13016\) \(outside the searched window\): stable 100\.00%/);
});

test('basin on Himmelblau drawn on [-5,5]² with the default domain: the window is searched, all four minima, nothing "other"', () => {
  const r = gdlab('basin', '(x^2+y-11)^2+(x+y^2-7)^2', '--x', '-5,5', '--y', '-5,5', '--eta-frac', '0.5', '--grid', '24', '--stats');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /the map window x ∈ \[-5, 5\], y ∈ \[-5, 5\] reaches beyond the domain; the critical-point search covered it too/);
  assert.equal((r.stdout.match(/^ {2}minimum #\d/gm) ?? []).length, 4);
  assert.match(r.stdout, /other 0\.00%$/m);
  // --eta-frac 0.5 of the smallest threshold of the four: (−3.77931, −3.28319), by its Hessian written out
  const [x, y] = [-3.77931, -3.283186];
  const a = 12 * x * x + 4 * y - 42;
  const b = 4 * (x + y);
  const d = 12 * y * y + 4 * x - 26;
  const etaMax = 2 / ((a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b));
  const m = /^η = ([0-9.e-]+) \(0\.5000 of η_max = ([0-9.e-]+)\)/m.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.ok(Math.abs(Number(m[2]) - etaMax) < 1e-6, `${m[2]} vs ${etaMax}`);
});

test('basin on Rosenbrock at 0.5·η_max: names the still-descending share and a fix that works', () => {
  const r = gdlab('basin', '(1-x)^2 + 100*(y-x^2)^2', '--eta-frac', '0.5', '--grid', '12', '--stats');
  assert.equal(r.status, 0, r.stderr);
  const m = /note: ([0-9.]+)% of starts (?:\(the largest class\) )?are still descending after 2000 steps: raise the step limit, e\.g\. (--max-iter \d+),/.exec(r.stdout);
  assert.ok(m, r.stdout);
  const fix = gdlab('basin', '(1-x)^2 + 100*(y-x^2)^2', '--eta-frac', '0.5', '--grid', '12', '--stats', ...m[2].split(' '));
  assert.equal(fix.status, 0, fix.stderr);
  const after = /still descending ([0-9.]+)%/.exec(fix.stdout);
  assert.ok(after && Number(after[1]) < Number(m[1]), `more steps decide more starts: ${after?.[1]}% < ${m[1]}%`);
});

test('basin on (1 − xy)²: convergence to the curve of minima, with the sharpness reached (≥ 4 = min of 2(x² + y²) on xy = 1, ≤ 2/η)', () => {
  const r = gdlab('basin', '(1-x*y)^2', '--eta', '0.4', '--grid', '16', '--stats');
  assert.equal(r.status, 0, r.stderr);
  const m = /a set of minima \(non-isolated\): stable [0-9.]+%, unstable [0-9.]+%; sharpness λ_max at the point reached ([0-9.]+) to ([0-9.]+), median [0-9.]+ \(2\/η = 5\)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.ok(Number(m[1]) >= 4 - 1e-3 && Number(m[2]) <= 5 + 1e-3);
});

test('analyze on log(x) + y² says that f is undefined on half the domain and that such starts count as diverged', () => {
  const r = gdlab('analyze', 'log(x) + y^2');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /note: f is undefined \(NaN or ±∞\) on about 50\.0% of the domain \(2048 of 4096 sample points/);
  assert.match(r.stdout, /count as diverged/);
});

test('trajectory: steps, K and the recorded iterates agree between the summary, the JSON and the engine', () => {
  const out = join(dir, 'traj.json');
  const r = gdlab('trajectory', '(1 - x*y)^2 + (x^2 + y^2)/20', '--eta', '0.25', '--init', '0.1,2.5', '--tail', '60', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const p = analyzeProblem({ expression: '(1 - x*y)^2 + (x^2 + y^2)/20' });
  const t = trajectory(p, 0.25, [0.1, 2.5]);
  const json = JSON.parse(readFileSync(out, 'utf8')) as { steps: number; K: number; tail: number; iterates: number[][] };
  assert.equal(json.steps, t.steps);
  assert.equal(json.K, t.K);
  assert.equal(json.tail, 60);
  assert.equal(json.iterates.length, t.steps + 61);
  assert.match(r.stderr, new RegExp(`decided at step ${t.steps}; ${t.increases} loss increases, K = ${t.K}`));
});

test('--grid-mode edges samples np.linspace points (the .json says so and matches the engine); a bad mode is a usage error', () => {
  const out = join(dir, 'edges.json');
  const r = gdlab('basin', 'x^2 + y^2 + x^2*y + x^3 + y^3', '--eta', '0.9', '--domain', '-1,1', '--grid', '9', '--grid-mode', 'edges', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(readFileSync(out, 'utf8')) as { classes: number[]; slice: { gridMode?: string }; layout: string };
  assert.equal(json.slice.gridMode, 'edges');
  assert.match(json.layout, /np\.linspace/);
  const p = analyzeProblem({ expression: 'x^2 + y^2 + x^2*y + x^3 + y^3', domain: [[-1, 1], [-1, 1]] });
  const direct = computeBasinMap(p, { axes: [0, 1], base: [0, 0], xRange: [-1, 1], yRange: [-1, 1], width: 9, height: 9, gridMode: 'edges' }, 0.9, DEFAULT_CLASSIFY, certifyAll(p, 0.9));
  assert.ok(direct);
  assert.deepEqual(json.classes, Array.from(direct.classes));
  // the pixel at the exact minimum (0, 0), the centre of an odd linspace grid, is stable at step 0
  assert.equal(json.classes[4 * 9 + 4], 3);
  const bad = gdlab('basin', 'x^2 + y^2', '--eta', '0.5', '--grid-mode', 'corners', '--stats');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--grid-mode must be centers or edges, got 'corners'/);
});

test('x² + 1e8·y² is a strict minimum (--eta-frac works) and a subnormal domain maps without error', () => {
  const a = gdlab('basin', 'x^2 + 1e8*y^2', '--eta-frac', '0.5', '--grid', '8', '--stats');
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /η = 5e-9 \(0\.5000 of η_max = 1e-8\)/);
  const b = gdlab('basin', 'x^2 + y^2', '--domain', '-1e-320,1e-320', '--eta', '0.1', '--grid', '8', '--stats');
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /^stable 100\.00%/m);
});
