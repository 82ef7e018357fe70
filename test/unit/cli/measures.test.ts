/**
 * `gdlab orbit | tipping | zoom` and the fractal lines of `gdlab basin --stats`, run as the real
 * CLI (bundled with its worker into a temp dir, as `npm run build` does) in a temp directory.
 * Oracles: the 2-cycle of GD on x⁴/4 − x²/2 solved by hand (a + b = √(1 + 3/η), ab = 1/η),
 * single-thread engine maps for tipping and zoom frames, PNGs decoded here with Node's zlib, and
 * the measures of the straight boundary of a rotated double well (D = 1, α = 1).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { build } from 'esbuild';
import { analyzeProblem } from '../../../src/engine/analyze';
import { computeBasinMap, defaultSlice } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { classCodeCount } from '../../../src/engine/measures/classes';
import { zoomSlice } from '../../../src/engine/measures/zoom';
import { renderClassMap } from '../../../src/shared/encode';

const root = resolve(__dirname, '../../..');
let dir = '';
let cli = '';
const QUARTIC = 'x^4/4 - x^2/2';
const WELL_ROTATED = '((0.8*x + 0.6*y)^2 - 1)^2 + (0.8*y - 0.6*x)^2';
const F4 = '(1 - x*y)^2 + (x^2 + y^2)/20';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-measures-test-'));
  cli = join(dir, 'cli.js');
  const common = { bundle: true, platform: 'node' as const, format: 'cjs' as const, target: 'node18', logLevel: 'silent' as const, mainFields: ['module', 'main'] };
  await build({ ...common, entryPoints: [join(root, 'src/cli/main.ts')], outfile: cli });
  await build({ ...common, entryPoints: [join(root, 'src/compute/worker.ts')], outfile: join(dir, 'worker.js') });
});
after(() => rmSync(dir, { recursive: true, force: true }));

function gdlab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args, ...(['orbit', 'tipping', 'zoom', 'basin'].includes(args[0]) && !args.includes('--help') ? ['--workers', '2'] : [])], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function twoCycle(eta: number): [number, number] {
  const s = Math.sqrt(1 + 3 / eta);
  const d = Math.sqrt(s * s - 4 / eta);
  return [(s - d) / 2, (s + d) / 2];
}

/** RGBA (or RGB) 8-bit PNG → RGBA bytes, undoing all five row filters. */
function decodePng(buf: Buffer): { width: number; height: number; rgba: Uint8Array } {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8, 'bit depth 8');
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      assert.ok(channels > 0, `colour type ${data[9]} (RGBA or RGB expected)`);
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? px[y * stride + x - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      px[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = px[i * channels + k];
    rgba[i * 4 + 3] = channels === 4 ? px[i * 4 + 3] : 255;
  }
  return { width, height, rgba };
}

test('orbit → CSV: a fixed point below η = 1 and the hand-solved 2-cycle above; the summary marks η_max and where convergence stops', () => {
  const r = gdlab('orbit', QUARTIC, '--init', '0.5', '--eta-range', '0.9,1.1', '--etas', '21', '--transient', '3000', '--keep', '50', '--out', 'o.csv');
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(join(dir, 'o.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'start,eta,eta_fraction,status,period,minimum,lyapunov,k,loss,x');
  assert.equal(lines.length, 1 + 21 * 50);
  const rows = lines.slice(1).map((l) => l.split(','));
  const at = (eta: number): string[][] => rows.filter((c) => Math.abs(Number(c[1]) - eta) < 1e-9);
  for (const c of at(0.9)) {
    assert.equal(c[3], 'converged');
    assert.ok(Math.abs(Number(c[9]) - 1) < 1e-9);
    assert.ok(Math.abs(Number(c[6]) - Math.log(0.8)) < 1e-9);
  }
  const [a, b] = twoCycle(1.1);
  const cyc = at(1.1);
  assert.equal(cyc.length, 50);
  for (const c of cyc) {
    assert.equal(c[3], 'cycle');
    assert.equal(c[4], '2');
    const x = Number(c[9]);
    assert.ok(Math.abs(x - a) < 1e-8 || Math.abs(x - b) < 1e-8, `x = ${x}, cycle {${a}, ${b}}`);
  }
  assert.deepEqual(cyc.map((c) => c[7]).slice(0, 3), ['3000', '3001', '3002']);
  assert.match(r.stderr, /minimum #\d at \(1\): η_max = 2\/λ_max = 1\b/);
  assert.match(r.stderr, /stops converging at η = 1 \(1 of η_max\)/);
  assert.match(r.stderr, /period 2 from η = 1\b/);
});

test('orbit → JSON near a minimum of a 2-variable objective, with the thresholds and per-orbit values', () => {
  const r = gdlab('orbit', F4, '--near', '1', '--etas', '40', '--keep', '20', '--out', 'o.json');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(readFileSync(join(dir, 'o.json'), 'utf8')) as {
    minima: { point: number[]; etaMax: number }[]; channels: string[]; etaReference: number; firstNonConvergent: number[];
    orbits: { eta: number; etaFraction: number; status: string; values: Record<string, (number | null)[]> }[]; starts: number[][];
  };
  assert.deepEqual(doc.channels, ['loss', 'x', 'y']);
  assert.equal(doc.orbits.length, 40);
  const p = analyzeProblem({ expression: F4 });
  const etaMax = p.minima[1].etaMax as number;
  assert.ok(Math.abs(doc.etaReference - etaMax) < 1e-12);
  assert.ok(Math.abs(doc.orbits[0].eta - 0.5 * etaMax) < 1e-12 && Math.abs(doc.orbits[39].eta - 1.5 * etaMax) < 1e-12);
  assert.ok(Math.abs(doc.starts[0][0] - p.minima[1].point[0]) < 0.01);
  for (const o of doc.orbits) {
    assert.equal(o.values.loss.length, 20);
    if (o.etaFraction < 0.95) assert.equal(o.status, 'converged');
  }
  assert.ok(doc.firstNonConvergent[0] > 0.95 * etaMax && doc.firstNonConvergent[0] < 1.05 * etaMax);
});

test('orbit: bad input exits 2 with one line naming the problem', () => {
  const cases: [string[], RegExp][] = [
    [['orbit', QUARTIC], /missing the start: give --init 0\.1 \(one number per variable: x\) or --near 0/],
    [['orbit', QUARTIC, '--init', '0.5,1'], /--init start 1 has 2 numbers but the objective has 1 variables \(x\)/],
    [['orbit', QUARTIC, '--near', '5'], /--near must be a minimum index from 0 to 1/],
    [['orbit', QUARTIC, '--init', '0.5', '--out', 'o.txt'], /--out must end in \.csv, \.json/],
    [['orbit', QUARTIC, '--init', '0.5', '--near', '0'], /either --init or --near/],
    [['orbit', 'x^2 - y^2', '--init', '1,1', '--frac'], /fractions of η_max need a strict minimum/],
  ];
  for (const [args, message] of cases) {
    const r = gdlab(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  // the suggested command works
  assert.equal(gdlab('orbit', QUARTIC, '--init', '0.1', '--etas', '3', '--keep', '2', '--out', 'ok.csv').status, 0);
  assert.equal(gdlab('orbit', QUARTIC, '--near', '0', '--etas', '3', '--keep', '2', '--out', 'ok.csv').status, 0);
});

test('tipping → JSON and .npy equal a count over two engine maps', () => {
  const p = analyzeProblem({ expression: F4 });
  const slice = defaultSlice(p, 40);
  const [eta1, eta2] = [0.1, 0.45];
  const r = gdlab('tipping', F4, '--eta1', String(eta1), '--eta2', String(eta2), '--grid', '40', '--out', 't.json');
  assert.equal(r.status, 0, r.stderr);
  const a = computeBasinMap(p, slice, eta1, DEFAULT_CLASSIFY, certifyAll(p, eta1));
  const b = computeBasinMap(p, slice, eta2, DEFAULT_CLASSIFY, certifyAll(p, eta2));
  assert.ok(a && b);
  const K = classCodeCount();
  const counts = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < a.classes.length; i++) counts[a.classes[i]][b.classes[i]]++;
  const doc = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')) as { classes: { counts: number[][] }; transitions: number[]; codeCount: number };
  assert.deepEqual(doc.classes.counts, counts);
  assert.equal(doc.codeCount, K);
  assert.match(r.stdout, /of 1600 starts change class/);
  assert.match(r.stdout, /^η₁ \\ η₂/m);
  const n = gdlab('tipping', F4, '--eta1', String(eta1), '--eta2', String(eta2), '--grid', '40', '--out', 't.npy');
  assert.equal(n.status, 0, n.stderr);
  const buf = readFileSync(join(dir, 't.npy'));
  const headerLen = buf.readUInt16LE(8);
  assert.match(buf.toString('latin1', 10, 10 + headerLen), /'shape': \(40, 40\)/);
  const data = buf.subarray(10 + headerLen);
  for (let i = 0; i < a.classes.length; i++) assert.equal(data[i], a.classes[i] * K + b.classes[i]);
  const bad = gdlab('tipping', F4, '--eta1', '0.1');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /give both learning rates/);
});

test('zoom → PNG frames named by zoom factor, equal to engine maps of the zoomed windows, and frames.json', () => {
  const r = gdlab('zoom', F4, '--eta', '0.25', '--frames', '3', '--factor', '2', '--center', '0.4,1.9', '--grid', '24', '--out', 'z');
  assert.equal(r.status, 0, r.stderr);
  const files = readdirSync(join(dir, 'z')).sort();
  assert.deepEqual(files, ['frame-000-zoom-1x.png', 'frame-001-zoom-2x.png', 'frame-002-zoom-4x.png', 'frames.json']);
  const p = analyzeProblem({ expression: F4 });
  const base = defaultSlice(p, 24);
  const manifest = JSON.parse(readFileSync(join(dir, 'z', 'frames.json'), 'utf8')) as { frames: { file: string; zoom: number; xRange: number[] }[]; follow: boolean };
  assert.equal(manifest.follow, false);
  manifest.frames.forEach((f, k) => {
    const slice = zoomSlice(base, [0.4, 1.9], 2 ** k);
    assert.deepEqual(f.xRange, slice.xRange);
    const map = computeBasinMap(p, slice, 0.25, DEFAULT_CLASSIFY, certifyAll(p, 0.25));
    assert.ok(map);
    const png = decodePng(readFileSync(join(dir, 'z', f.file)));
    assert.equal(png.width, 24);
    assert.deepEqual(png.rgba, renderClassMap(map.classes, map.minimum, 24, 24, 'paper'));
  });
  const auto = gdlab('zoom', F4, '--eta-frac', '0.95', '--frames', '2', '--factor', '10', '--grid', '32', '--out', 'za');
  assert.equal(auto.status, 0, auto.stderr);
  assert.ok(existsSync(join(dir, 'za', 'frame-001-zoom-10x.png')));
  const bad = gdlab('zoom', F4, '--eta', '0.25', '--frames', '40', '--factor', '10', '--out', 'zz');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /narrower than double precision/);
  assert.ok(!existsSync(join(dir, 'zz')), 'nothing written for a refused zoom');
});

test('basin --stats adds the fractal measures of a straight basin boundary (D = 1, α = 1)', () => {
  // (u² − 1)² + v² with (u, v) the coordinates rotated by a 3-4-5 angle: GD commutes with the
  // rotation, so at η = 0.01 the basins of the two minima are split by the line 0.8x + 0.6y = 0
  const r = gdlab('basin', WELL_ROTATED, '--domain', '-2,2', '--eta', '0.01', '--grid', '128', '--stats');
  assert.equal(r.status, 0, r.stderr);
  const attractor = /basin entropy, attractors[^:]*: S_b = ([\d.e-]+), S_bb = ([\d.e-]+) over (\d+) of (\d+) boxes/.exec(r.stdout);
  assert.ok(attractor, r.stdout);
  assert.ok(Number(attractor[2]) > 0.2 && Number(attractor[2]) < Math.LN2, `S_bb = ${attractor[2]}`);
  assert.match(r.stdout, /S_bb ≤ ln 2: no proof of a fractal boundary/);
  const alpha = /uncertainty exponent, attractors: α = ([\d.e-]+) ± ([\d.e-]+|NaN) → D = 2 − α = ([\d.e-]+)/.exec(r.stdout);
  assert.ok(alpha, r.stdout);
  assert.ok(Math.abs(Number(alpha[1]) - 1) < 0.1, `α = ${alpha[1]}`);
  const dim = /box-counting dimension, basin boundaries \(attractors\): D = ([\d.e-]+)/.exec(r.stdout);
  assert.ok(dim && Math.abs(Number(dim[1]) - 1) < 0.05, r.stdout);
  assert.match(r.stdout, /box-counting dimension, converged\|diverged: none \(the two sides never meet on this map\)/);
  assert.match(r.stdout, /uncertainty exponent, outcome classes: none \(no start is uncertain at any shift/);
});

test('--help of each new command lists its options', () => {
  for (const [cmd, option] of [['orbit', '--eta-range'], ['tipping', '--eta2'], ['zoom', '--factor']]) {
    const r = gdlab(cmd, '--help');
    assert.equal(r.status, 0);
    assert.ok(r.stdout.includes(option), `${cmd} --help`);
  }
  const top = gdlab('--help');
  for (const cmd of ['orbit', 'tipping', 'zoom']) assert.match(top.stdout, new RegExp(`^  ${cmd} `, 'm'));
});
