/**
 * --optimizer through the real CLI (dist/cli.js, built by `npm test`): maps equal the engine's,
 * thresholds are each optimizer's own, the loss-increase statistics and the guard are stated,
 * and bad values are one-line usage errors whose suggestions work.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeProblem } from '../../../src/engine/analyze';
import { computeBasinMap, defaultSlice } from '../../../src/engine/basin';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { resolveOptimizer } from '../../../src/engine/optimizers';

const root = resolve(__dirname, '../../..');
const F4 = '(1 - x*y)^2 + (x^2 + y^2)/20';
let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-optim-test-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function gdlab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('basin --optimizer momentum: the same map as the engine, the optimizer and its regions in the JSON, increases per pixel', () => {
  const out = join(dir, 'hb.json');
  const r = gdlab('basin', F4, '--optimizer', 'momentum', '--beta', '0.8', '--eta', '0.4', '--grid', '24', '--out', out, '--workers', '2');
  assert.equal(r.status, 0, r.stderr);
  const data = JSON.parse(readFileSync(out, 'utf8')) as {
    optimizer: unknown; classes: number[]; increases: number[]; K: number[];
    optimizerAnalysis: { sharpnessLimit: number; momentumCertificates: { ok: boolean }[]; perMinimum: { etaMax: number }[] };
    definitions: { lossIncrease: string };
  };
  assert.deepEqual(data.optimizer, { name: 'momentum', beta: 0.8 });
  assert.ok(Math.abs(data.optimizerAnalysis.sharpnessLimit - 3.6 / 0.4) < 1e-12);
  assert.ok(Math.abs(data.optimizerAnalysis.perMinimum[0].etaMax - 3.6 / 3.8) < 1e-12);
  assert.ok(data.optimizerAnalysis.momentumCertificates.every((c) => c.ok));
  assert.match(data.definitions.lossIncrease, /1e-12/);
  const p = analyzeProblem({ expression: F4 });
  const map = computeBasinMap(p, defaultSlice(p, 24), 0.4, DEFAULT_CLASSIFY, [], undefined, resolveOptimizer({ name: 'momentum', beta: 0.8 }));
  assert.ok(map);
  assert.deepEqual(data.classes, Array.from(map.classes));
  assert.deepEqual(data.increases, Array.from(map.increases));
  assert.deepEqual(data.K, Array.from(map.unstableSteps));
});

test('basin --stats states the increase statistics and the guard; trajectory --optimizer adam writes the preconditioned sharpness and the 38/η line', () => {
  const s = gdlab('basin', 'examples/f4-momentum.gdlab.json', '--grid', '24', '--stats', '--workers', '2');
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /^heavy-ball momentum \(β = 0\.9\), η = 0\.25 \(0\.2500 of η_max = 2\(1\+β\)\/λ_max = 1\)/);
  assert.match(s.stdout, /loss increases: [\d.]+% of all starts had at least one/);
  assert.match(s.stdout, /round-off guard; equal consecutive losses are not increases/);
  assert.match(s.stdout, /certified convergence region: radius/);
  const csv = join(dir, 'adam.csv');
  const t = gdlab('trajectory', F4, '--optimizer', 'adam', '--eta', '0.05', '--init', '0.1,2.5', '--out', csv);
  assert.equal(t.status, 0, t.stderr);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'step,x,y,loss,grad_norm,sharpness,loss_increased,phase,preconditioned_sharpness,threshold');
  const last = (lines[1] as string).split(',');
  assert.ok(Math.abs(Number(last[9]) - 38 / 0.05) < 1e-9, last.join(','));
  assert.ok(Number(last[8]) > 0);
  assert.match(t.stderr, /threshold depends on the trajectory/);
  assert.match(t.stderr, /round-off guard/);
});

test('sweep and analyze use each optimizer\'s own threshold', () => {
  const out = join(dir, 'sweep.json');
  const s = gdlab('sweep', F4, '--optimizer', 'nesterov', '--eta-fracs', '0.5', '--grid', '12', '--out', out, '--workers', '2');
  assert.equal(s.status, 0, s.stderr);
  const data = JSON.parse(readFileSync(out, 'utf8')) as { etaMax: number; points: { eta: number; etaFraction: number; stats: { increases: { anyIncrease: number } } }[] };
  const nag = 3.8 / (2.8 * 3.8); // (2+2β)/((1+2β)λ_max) at β = 0.9
  assert.ok(Math.abs(data.etaMax - nag) < 1e-12);
  assert.ok(Math.abs((data.points[0]?.eta ?? 0) - 0.5 * nag) < 1e-12);
  assert.equal(data.points[0]?.etaFraction, 0.5);
  assert.ok((data.points[0]?.stats.increases.anyIncrease ?? -1) >= 0);
  const a = gdlab('analyze', F4, '--optimizer', 'adam', '--json');
  assert.equal(a.status, 0, a.stderr);
  const report = JSON.parse(a.stdout) as { thresholds: { smallestEtaMax: number | null; perMinimum: { pointEtaMax: number }[] } };
  assert.equal(report.thresholds.smallestEtaMax, null);
  assert.ok(Math.abs((report.thresholds.perMinimum[0]?.pointEtaMax ?? 0) - 1e-7) < 1e-20);
});

test('bad optimizer options: one line, exit 2; the suggested commands run', () => {
  const cases: [string[], RegExp][] = [
    [['basin', F4, '--optimizer', 'adamw', '--eta', '0.1', '--stats'], /unknown optimizer 'adamw' \(did you mean 'adam'\?\)/],
    [['basin', F4, '--optimizer', 'momentum', '--beta', '1.5', '--eta', '0.1', '--stats'], /--beta: beta \(β\) must be in \[0, 1\), got 1\.5/],
    [['trajectory', F4, '--optimizer', 'adam', '--eta-frac', '0.5', '--init', '1,1'], /give --eta, e\.g\. --eta 0\.01/],
    [['sweep', F4, '--optimizer', 'rmsprop', '--grid', '8'], /give --etas, e\.g\. --etas 0\.003,0\.01,0\.03,0\.1/],
    [['basin', F4, '--eps', '1e-8', '--eta', '0.1', '--stats'], /--eps does not apply to --optimizer gd/],
  ];
  for (const [args, message] of cases) {
    const r = gdlab(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, message);
  }
  assert.equal(gdlab('trajectory', F4, '--optimizer', 'adam', '--eta', '0.01', '--init', '1,1').status, 0);
  assert.equal(gdlab('sweep', F4, '--optimizer', 'rmsprop', '--grid', '8', '--etas', '0.003,0.01,0.03,0.1').status, 0);
  assert.equal(gdlab('basin', F4, '--optimizer', 'adam', '--eta', '0.1', '--grid', '8', '--stats').status, 0);
});
