/**
 * `gdlab basin | trajectory | sweep`: end to end through the bundled CLI (esbuild, as `npm run
 * build` does) for one success and one usage error, and in-process through the command modules
 * (same exit-code mapping as main.ts: UsageError → 2, other errors → 1) for the many cases.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { analyzeProblem } from '../../../src/engine/analyze';
import { computeBasinMap, defaultSlice } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { UsageError } from '../../../src/cli/args';

const root = resolve(__dirname, '../../..');
let dir = '';
let cli = '';
const F1 = 'x^2 + y^2 + x^2*y + x^3 + y^3';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-basin-test-'));
  cli = join(dir, 'cli.js');
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18',
    outfile: cli, logLevel: 'silent', mainFields: ['module', 'main'],
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The real CLI as a child process. */
function spawnGdlab(...args: string[]): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const COMMANDS: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  basin: () => import('../../../src/cli/commands/basin'),
  trajectory: () => import('../../../src/cli/commands/trajectory'),
  sweep: () => import('../../../src/cli/commands/sweep'),
};

/**
 * A command in this process with main.ts's exit-code mapping and its stderr captured. stdout is
 * left alone: the test runner reports through it (the commands run here write only files and
 * stderr).
 */
async function gdlab(command: string, ...args: string[]): Promise<Run> {
  const mod = await COMMANDS[command]();
  let stderr = '';
  const err = process.stderr.write;
  const cwd = process.cwd();
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  process.chdir(root);
  let status: number;
  try {
    status = await mod.run(args);
  } catch (e) {
    status = e instanceof UsageError ? 2 : 1;
    stderr += `gdlab ${command}: ${e instanceof Error ? e.message : String(e)}\n`;
  } finally {
    process.stderr.write = err;
    process.chdir(cwd);
  }
  return { status, stdout: '', stderr };
}

function readNpy(path: string): { shape: number[]; data: Uint8Array } {
  const buf = readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + headerLen);
  const m = /'shape': \((\d+), (\d+)\)/.exec(header);
  assert.ok(m, header);
  assert.match(header, /'descr': '\|u1'/);
  return { shape: [Number(m[1]), Number(m[2])], data: new Uint8Array(buf.subarray(10 + headerLen)) };
}

test('basin → .npy holds the same class codes as the engine computes; --stats prints fractions (child process)', () => {
  const out = join(dir, 'f1.npy');
  const r = spawnGdlab('basin', F1, '--eta-frac', '0.95', '--domain', '-1,1', '--grid', '24', '--out', out, '--stats');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /stable \d+\.\d+% +unstable \d+\.\d+% +diverged/);
  assert.match(r.stdout, /certified radius t′ = /);
  const npy = readNpy(out);
  assert.deepEqual(npy.shape, [24, 24]);
  const p = analyzeProblem({ expression: F1, domain: [[-1, 1], [-1, 1]] });
  const direct = computeBasinMap(p, defaultSlice(p, 24), 0.95, DEFAULT_CLASSIFY, certifyAll(p, 0.95));
  assert.ok(direct);
  assert.deepEqual(npy.data, direct.classes);
  assert.ok(npy.data.includes(3) && npy.data.includes(4), 'stable and unstable starts at 0.95·η_max');
  const bad = spawnGdlab('basin', F1, '--eta', '0.5', '--x', '1,0', '--out', join(dir, 'never.png'));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^gdlab basin: --x is empty or inverted/);
});

test('basin → .png and .json from a config file (its lr and grid, overridable)', async () => {
  const png = join(dir, 'f4.png');
  const r = await gdlab('basin', 'examples/figure3-f4.gdlab.json', '--grid', '16', '--out', png);
  assert.equal(r.status, 0, r.stderr);
  const buf = readFileSync(png);
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(buf.readUInt32BE(16), 16);
  assert.equal(buf.readUInt32BE(20), 16);
  const json = join(dir, 'f4.json');
  const j = await gdlab('basin', 'examples/figure3-f4.gdlab.json', '--grid', '12', '--x', '0,3', '--out', json);
  assert.equal(j.status, 0, j.stderr);
  const doc = JSON.parse(readFileSync(json, 'utf8')) as { eta: number; classes: number[]; slice: { xRange: number[] }; classCodes: Record<string, number> };
  assert.equal(doc.eta, 0.25, 'the config lr');
  assert.equal(doc.classes.length, 144);
  assert.deepEqual(doc.slice.xRange, [0, 3]);
  assert.equal(doc.classCodes.unstable, 4);
});

test('bad arguments exit 2 with a message naming the problem, and write nothing', async () => {
  const out = join(dir, 'never.png');
  const cases: Array<[string[], RegExp]> = [
    [['basin', F1, '--out', out], /missing the learning rate/],
    [['basin', F1, '--eta', '-1', '--out', out], /--eta must be a positive/],
    [['basin', F1, '--eta', '0.5', '--eta-frac', '0.5', '--out', out], /either --eta or --eta-frac/],
    [['basin', F1, '--eta', '0.5', '--x', '1,0', '--out', out], /--x is empty or inverted/],
    [['basin', F1, '--eta', '0.5', '--grid', '0', '--out', out], /--grid must be a whole number/],
    [['basin', F1, '--eta', '0.5', '--out', join(dir, 'map.gif')], /--out must end in \.png, \.npy, \.json/],
    [['basin', F1, '--eta', '0.5', '--colour', 'red', '--out', out], /unknown option --colour/],
    [['basin', 'x^^2 + y', '--eta', '0.5', '--out', out], /at character|unexpected|operator/i],
    [['basin', 'missing.gdlab.json', '--eta', '0.5', '--out', out], /cannot read config file/],
    [['trajectory', F1, '--eta', '0.5'], /missing --init/],
    [['trajectory', F1, '--eta', '0.5', '--init', '0.1'], /--init has 1 numbers but the objective has 2 variables/],
    [['sweep', F1, '--etas', '0.1,-2', '--grid', '8'], /learning rate 2 must be positive/],
    [['basin', F1, '--eta', '0.5', '--fixed', 'x=1', '--out', out], /'x' is a map axis/],
    [['basin', F1, '--eta', '0.5', '--fixed', 'w=1', '--out', out], /'w' is not a variable \(x, y\)/],
  ];
  for (const [args, message] of cases) {
    const r = await gdlab(args[0], ...args.slice(1));
    assert.equal(r.status, 2, `${args.join(' ')} → ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
  assert.ok(!readdirSync(dir).some((f) => f.startsWith('never') || f.includes('.tmp-')));
});

test('an --out that is a folder is refused before computing (exit 2), leaving nothing behind', async () => {
  const target = join(dir, 'is-a-directory.png');
  mkdirSync(target);
  mkdirSync(join(target, 'keep'));
  const r = await gdlab('basin', F1, '--eta', '0.5', '--domain', '-1,1', '--grid', '8', '--out', target);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--out '.*is-a-directory\.png' is a folder/);
  assert.ok(!readdirSync(dir).some((f) => f.includes('.tmp-')), 'no temp file');
  assert.deepEqual(readdirSync(target), ['keep']);
});

test('trajectory CSV: f1 at η = 0.95 from (0.2, 0.2) rises at step 1; sweep JSON has one point per η', async () => {
  const csv = join(dir, 'traj.csv');
  const r = await gdlab('trajectory', F1, '--eta', '0.95', '--init', '0.2,0.2', '--out', csv);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /unstable \(minimum #0\).*first at step 1/);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'step,x,y,loss,grad_norm,sharpness,loss_increased,phase');
  const row1 = lines[1 + 1].split(',');
  assert.equal(row1[0], '1');
  assert.equal(row1[6], '1', 'loss increased at step 1');
  assert.ok(Number(row1[3]) > Number(lines[1].split(',')[3]));

  const sweep = join(dir, 'sweep.json');
  const s = await gdlab('sweep', F1, '--domain', '-1,1', '--etas', '0.2,0.95', '--grid', '16', '--out', sweep);
  assert.equal(s.status, 0, s.stderr);
  const doc = JSON.parse(readFileSync(sweep, 'utf8')) as { points: { eta: number; stats: { unstable: number; stable: number } }[] };
  assert.deepEqual(doc.points.map((p) => p.eta), [0.2, 0.95]);
  assert.equal(doc.points[0].stats.unstable, 0);
  assert.ok(doc.points[1].stats.unstable > 0);
});
