/**
 * `gdlab train` end to end through the bundled CLI (child processes): a CSV-backed example to
 * JSON and CSV, errors with file:line:column for the config and the CSV, and Ctrl-C.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { prepareModel } from '../../../src/engine/nn/model';
import { validateModelSpec } from '../../../src/engine/nn/spec';

const root = resolve(__dirname, '../../..');
const examples = join(root, 'examples');
let dir = '';
let cli = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-train-test-'));
  cli = join(dir, 'cli.js');
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18',
    outfile: cli, logLevel: 'silent', mainFields: ['module', 'main'],
  });
  copyFileSync(join(examples, 'moons.csv'), join(dir, 'moons.csv'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function gdlab(cwd: string, ...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'train', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stderr: r.stderr };
}

interface RunJson { eta: number; threshold: number; status: string; steps: number; K: number; increases: number; loss: number[]; increased: number[]; sharpness: { steps: number[]; values: number[] } }

test('the CSV example → run.json (three learning rates) and run.csv (one row per η and step)', () => {
  const json = join(dir, 'run.json');
  const r = gdlab(root, 'examples/moons.gdlab.json', '--steps', '40', '--sharpness-every', '10', '--out', json);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /mlp 2→16→16→1 tanh, logistic, 337 parameters, 120 points/);
  const doc = JSON.parse(readFileSync(json, 'utf8')) as { format: string; cancelled: boolean; runs: RunJson[]; model: { nParams: number } };
  assert.equal(doc.format, 'gdlab-train');
  assert.equal(doc.cancelled, false);
  assert.deepEqual(doc.runs.map((x) => x.eta), [0.5, 1, 2]);
  assert.deepEqual(doc.runs.map((x) => x.threshold), [4, 2, 1]);
  // the first loss is the loss of the initial network on the CSV's data
  const spec = validateModelSpec(JSON.parse(readFileSync(join(examples, 'moons.gdlab.json'), 'utf8')).model).spec;
  assert.ok(spec);
  const built = prepareModel(spec, { name: 'moons.csv', text: readFileSync(join(examples, 'moons.csv'), 'utf8') }).model;
  assert.ok(built);
  for (const run of doc.runs) {
    assert.equal(run.status, 'completed');
    assert.equal(run.loss.length, 41);
    assert.equal(run.loss[0], built.network.loss(built.initial));
    assert.deepEqual(run.sharpness.steps, [0, 10, 20, 30, 40]);
    assert.equal(run.K, Math.max(0, run.increased.lastIndexOf(1)));
  }
  const csv = join(dir, 'run.csv');
  const c = gdlab(root, 'examples/moons.gdlab.json', '--steps', '20', '--lrs', '1', '--out', csv);
  assert.equal(c.status, 0, c.stderr);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'eta,step,loss,grad_norm,loss_increased,phase,sharpness,preconditioned_sharpness,threshold');
  assert.equal(lines.length, 22);
  assert.match(lines[1], /^1,0,[0-9.e-]+,[0-9.e-]+,0,(stable|unstable),[0-9.e-]+,,2$/);
  assert.match(lines[2], /^1,1,[0-9.e-]+,[0-9.e-]+,[01],(stable|unstable),,,2$/);
});

test('bad input exits 2 with file:line:column — config keys (JSON and YAML) and CSV fields', () => {
  const cfg = join(dir, 'bad.gdlab.json');
  writeFileSync(cfg, [
    '{',
    '  "model": {',
    '    "kind": "mlp",',
    '    "hidden": [16, 0],',
    '    "activation": "relu",',
    '    "data": { "csv": "moons.csv", "inputs": ["x1", "x2"], "targets": ["label"] }',
    '  },',
    '  "lr": -1',
    '}',
  ].join('\n'));
  const r = gdlab(dir, 'bad.gdlab.json');
  assert.equal(r.status, 2);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines[0], /^gdlab train: bad\.gdlab\.json:4:20: model\.hidden\[1\]: layer width must be a whole number/);
  assert.match(lines[1], /^bad\.gdlab\.json:5:19: model\.activation: activation "relu" is not twice differentiable.*"softplus"/);
  assert.match(lines[2], /^bad\.gdlab\.json:8:9: lr: a learning rate must be a positive number/);

  writeFileSync(join(dir, 'bad.csv'), 'x1,x2,label\n1,2,0\n1,abc,1\n3,4\n');
  writeFileSync(join(dir, 'bad.gdlab.yaml'), 'model:\n  kind: mlp\n  hidden: [4]\n  loss: logistic\n  data:\n    csv: bad.csv\n    inputs: [x1, x2]\n    targets: label\nlr: 0.1\n');
  const y = gdlab(dir, 'bad.gdlab.yaml');
  assert.equal(y.status, 2);
  assert.deepEqual(y.stderr.trim().split('\n'), [
    'gdlab train: bad.csv:3:3: column "x2": "abc" is not a number',
    'bad.csv:4:4: this row has 2 fields but the header has 3',
  ]);
  writeFileSync(join(dir, 'nofile.gdlab.yaml'), 'model:\n  kind: mlp\n  hidden: [4]\n  data:\n    csv: nowhere.csv\n    inputs: x\n    targets: y\nlr: 0.1\n');
  const nf = gdlab(dir, 'nofile.gdlab.yaml');
  assert.equal(nf.status, 2);
  assert.match(nf.stderr, /^gdlab train: nofile\.gdlab\.yaml:5:10: model\.data\.csv: no such file 'nowhere\.csv' \(paths are relative to the config file\)/);
  const noModel = gdlab(root, 'examples/figure3-f4.gdlab.json');
  assert.equal(noModel.status, 2);
  assert.match(noModel.stderr, /no "model" block/);
  const out = gdlab(root, 'examples/moons.gdlab.json', '--out', join(dir, 'x.png'));
  assert.equal(out.status, 2);
  assert.match(out.stderr, /--out must end in \.json, \.csv/);
});

test('Ctrl-C stops training and still writes the partial run, exit code 130', async () => {
  const json = join(dir, 'partial.json');
  const child = spawn(process.execPath, [cli, 'train', 'examples/eos-chebyshev.gdlab.json', '--steps', '200000', '--out', json], { cwd: root });
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!sent && /train: /.test(stderr)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolveExit) => child.on('exit', (c) => resolveExit(c)));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /stopping…/);
  assert.ok(existsSync(json));
  const doc = JSON.parse(readFileSync(json, 'utf8')) as { cancelled: boolean; runs: RunJson[] };
  assert.equal(doc.cancelled, true);
  assert.equal(doc.runs.length, 1);
  assert.equal(doc.runs[0].status, 'cancelled');
  assert.equal(doc.runs[0].loss.length, doc.runs[0].steps + 1);
  assert.ok(doc.runs[0].steps < 200000);
});
