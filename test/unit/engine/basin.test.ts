import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem, type AnalyzedProblem } from '../../../src/engine/analyze';
import {
  basinKernelSource, basinStats, checkSlice, computeBasinMap, createBasinKernel, defaultSlice, pixelCenter, stepConstants,
} from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { PAPER_FUNCTIONS } from '../../../src/engine/paper';
import { PixelClass, type ClassifyOptions, type SliceSpec } from '../../../src/engine/types';
import { paperProblem } from '../support/paper';

/**
 * Map windows of the paper-function tests: the paper's examples (src/engine/paper.ts), except f2,
 * whose converging region shrinks to ~0.3% of [-1.5, 1.5]² near η_max (the quartic terms throw
 * most starts out); [-0.5, 0.5]² keeps enough converging starts at 64² to measure shares.
 */
const TEST_WINDOWS: Record<string, [[number, number], [number, number]]> = {
  f1: [[-1, 1], [-1, 1]],
  f2: [[-0.5, 0.5], [-0.5, 0.5]],
  f3: [[-2, 2], [-2, 2]],
  f4: [[-3, 3], [-3, 3]],
};

const paper = (id: string): AnalyzedProblem => paperProblem(id, TEST_WINDOWS[id]);
const etaMaxOf = (id: string): number => (PAPER_FUNCTIONS.find((g) => g.id === id) as { etaMax: number }).etaMax;

function map(p: AnalyzedProblem, eta: number, grid: number, options: ClassifyOptions = DEFAULT_CLASSIFY, slice?: SliceSpec) {
  const s = slice ?? defaultSlice(p, grid);
  const m = computeBasinMap(p, s, eta, options, certifyAll(p, eta));
  assert.ok(m);
  return m;
}

test('quadratic ½(λ₁x² + λ₂y²): no unstable start at any η < 2/λ_max', () => {
  const p = analyzeProblem({ expression: '0.5*(1*x^2 + 4*y^2)', domain: [[-3, 3], [-3, 3]] });
  assert.equal(p.minima.length, 1);
  assert.ok(Math.abs((p.minima[0].etaMax as number) - 0.5) < 1e-12);
  for (const eta of [0.05, 0.2, 0.3, 0.45, 0.49, 0.499]) {
    const m = map(p, eta, 48);
    const s = basinStats(m.classes, m.minimum, 1);
    assert.equal(s.unstable, 0, `η = ${eta}`);
    // every start converges (stably) within maxSteps for these η, except the slowest at 0.05
    if (eta >= 0.2) assert.equal(s.stable, 1, `η = ${eta}: all stable`);
  }
});

test('quadratic: at η > 2/λ_max no start off the stable manifold converges', () => {
  const p = analyzeProblem({ expression: '0.5*(1*x^2 + 4*y^2)', domain: [[-3, 3], [-3, 3]] });
  for (const eta of [0.51, 0.6, 1.2]) {
    const m = map(p, eta, 48);
    const s = basinStats(m.classes, m.minimum, 1);
    assert.equal(s.stable + s.unstable, 0, `η = ${eta}`);
    // the stable manifold is y = 0, which no pixel centre of an even grid lies on
    assert.equal(s.diverged + s.notConverged, 1);
  }
  // a grid whose middle row lies exactly on y = 0: only that row can converge
  const slice: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: [-3, 3], yRange: [-3, 3], width: 9, height: 9 };
  assert.equal(pixelCenter(slice, 4, 0)[1], 0);
  const m = map(p, 0.6, 9, DEFAULT_CLASSIFY, slice);
  for (let r = 0; r < 9; r++) {
    for (let c = 0; c < 9; c++) {
      const converged = m.classes[r * 9 + c] === PixelClass.Stable || m.classes[r * 9 + c] === PixelClass.Unstable;
      assert.equal(converged, r === 4, `pixel (${r}, ${c})`);
    }
  }
});

test('Figure 2, qualitatively: on f1–f4 the unstable share of converging starts is ~0 at 0.2·η_max and grows towards η_max', () => {
  for (const id of ['f1', 'f2', 'f3', 'f4']) {
    const p = paper(id);
    const share = [0.2, 0.5, 0.95, 0.99].map((frac) => {
      const m = map(p, frac * etaMaxOf(id), 64);
      const s = basinStats(m.classes, m.minimum, p.minima.length);
      assert.ok(s.stable + s.unstable > 0.005, `${id} at ${frac}: some starts converge`);
      return s.unstable / (s.stable + s.unstable);
    });
    assert.ok(share[0] <= 0.01, `${id}: unstable share ${share[0]} at 0.2·η_max`);
    for (let i = 1; i < share.length; i++) assert.ok(share[i] >= share[i - 1], `${id}: shares ${share.join(', ')} should rise`);
    assert.ok(share[3] >= 0.5 && share[3] > share[0] + 0.4, `${id}: unstable share near η_max ${share[3]}`);
  }
});

test('round-off robustness: maps of f1–f4 at 0.95·η_max (256²) differ in ≤ 0.1% of pixels between guard 1e-14 and 1e-9', () => {
  for (const id of ['f1', 'f2', 'f3', 'f4']) {
    const p = paper(id);
    const eta = 0.95 * etaMaxOf(id);
    const a = map(p, eta, 256, { ...DEFAULT_CLASSIFY, roundoffGuard: 1e-14 });
    const b = map(p, eta, 256, { ...DEFAULT_CLASSIFY, roundoffGuard: 1e-9 });
    let differ = 0;
    for (let i = 0; i < a.classes.length; i++) if (a.classes[i] !== b.classes[i]) differ++;
    assert.ok(differ <= 0.001 * a.classes.length, `${id}: ${differ} pixels differ`);
    const s = basinStats(a.classes, a.minimum, p.minima.length);
    assert.ok(s.unstable > 0.01, `${id}: the map has unstable starts to be robust about`);
  }
});

test('rows: any split into row ranges gives the same map; geometry puts the top row at the largest y', () => {
  const p = paper('f4');
  const eta = 0.9 * etaMaxOf('f4');
  const slice = defaultSlice(p, 40);
  const kernel = createBasinKernel(p, slice, eta, DEFAULT_CLASSIFY, certifyAll(p, eta));
  const whole = kernel.runRows(0, 40);
  assert.ok(whole);
  const parts = [kernel.runRows(0, 7), kernel.runRows(7, 8), kernel.runRows(8, 40)];
  const joined = new Uint8Array(40 * 40);
  let offset = 0;
  for (const part of parts) {
    assert.ok(part);
    assert.equal(part.classes.length, (part.rowEnd - part.rowStart) * 40);
    joined.set(part.classes, offset);
    offset += part.classes.length;
  }
  assert.deepEqual(joined, whole.classes);
  assert.ok(kernel.stepsDone > 0);
  const sumSteps = whole.steps.reduce((s, v) => s + v, 0);
  assert.equal(kernel.stepsDone, 2 * sumSteps, 'stepsDone counts every GD step run');
  const [x0, yTop] = pixelCenter(slice, 0, 0);
  assert.ok(Math.abs(x0 - (-3 + 3 / 40)) < 1e-15 && Math.abs(yTop - (3 - 3 / 40)) < 1e-15);
  // symmetry of f4 under (x, y) → (−x, −y): pixel (r, c) ↔ (H−1−r, W−1−c), minima swapped
  for (let r = 0; r < 40; r++) {
    for (let c = 0; c < 40; c++) {
      assert.equal(whole.classes[r * 40 + c], whole.classes[(39 - r) * 40 + (39 - c)], `pixel (${r}, ${c})`);
    }
  }
  assert.throws(() => kernel.runRows(30, 41), /outside/);
});

test('cancellation: a set flag stops the kernel at its next check (every 16 starts, every 4096 steps of a start) and returns null', () => {
  const p = paper('f3');
  const eta = 0.99 * etaMaxOf('f3');
  const kernel = createBasinKernel(p, defaultSlice(p, 64), eta, { ...DEFAULT_CLASSIFY, maxSteps: 100_000 }, certifyAll(p, eta));
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  Atomics.store(cancel, 0, 1);
  assert.equal(kernel.runRows(0, 64, cancel), null);
  Atomics.store(cancel, 0, 0);
  assert.ok(kernel.runRows(0, 1, cancel));
});

test('basinStats: fractions of all pixels, per minimum too', () => {
  const classes = Uint8Array.from([3, 3, 4, 0, 1, 2, 4, 3]);
  const minimum = Int8Array.from([0, 1, 1, -1, -1, -1, 0, 0]);
  const s = basinStats(classes, minimum, 2);
  assert.equal(s.total, 8);
  assert.equal(s.stable, 3 / 8);
  assert.equal(s.unstable, 2 / 8);
  assert.equal(s.diverged, 1 / 8);
  assert.equal(s.notConverged, 1 / 8);
  assert.equal(s.other, 1 / 8);
  assert.deepEqual(s.perMinimum, [{ stable: 2 / 8, unstable: 1 / 8 }, { stable: 1 / 8, unstable: 1 / 8 }]);
});

test('the generated kernel: literals only, certified test inlined, no allocation in the loop', () => {
  const p = paper('f1');
  const eta = 0.95;
  const constants = stepConstants(p, eta, DEFAULT_CLASSIFY, certifyAll(p, eta));
  const src = basinKernelSource(p, defaultSlice(p, 16), constants);
  assert.doesNotMatch(src, /\bnew\b|\[\]|\{\s*\}|=>|function/, 'no allocation or closures');
  assert.match(src, /Atomics\.load\(cancel, 0\)/);
  assert.match(src, /if \(f < [0-9.e-]+\) \{ const d0 = p0 - \(?-?[0-9.e-]+\)?; const d1 = p1 - \(?-?[0-9.e-]+\)?; if \(d0 \* d0 \+ d1 \* d1 < [0-9.e-]+\)/);
  // only Math.*, Atomics.load and our own identifiers
  const idents = new Set(src.match(/[A-Za-z_$][A-Za-z0-9_$]*/g));
  const allowed = /^(t\d+|p\d+|g\d+|d\d+|e|Math|abs|Atomics|load|let|const|for|if|return|break|null|Infinity|NaN|true|false|use|strict|total|r|rowStart|rowEnd|width|xs|ys|k0|s2|y|rowOffset|col|x|fPrev|incr|last|cls|mi|k|cert|f|n2|cancel|idx|classes|minimum|steps|unstableSteps|limitSharpness|period|increases|sharp|per|rise|at|out|tb|tf|o|stall|tail)$/;
  for (const id of idents) assert.match(id, allowed, `unexpected identifier ${id}`);
  // one copy of the loop, which records the tail window itself and classifies it at maxSteps
  assert.equal(src.match(/p0 -= /g)?.length, 1);
  const tailStart = constants.tailStart;
  assert.ok(src.includes(`if (k >= ${tailStart}) {\n    const o = (k - ${tailStart}) * 2; tb[o + 0] = p0; tb[o + 1] = p1; tf[k - ${tailStart}] = f;`));
  assert.ok(src.includes(`if (k >= ${constants.maxSteps}) { cls = tail(tb, tf, k - ${tailStart} + 1, 2, out); per = out[0] | 0; break; }`));
  // the cancel flag: every 16 starts and every 4096 steps of a start
  assert.match(src, /if \(\(col & 15\) === 0 && cancel !== null && Atomics\.load\(cancel, 0\) !== 0\) return -1;/);
  assert.match(src, /if \(\(k & 4095\) === 4095 && cancel !== null && Atomics\.load\(cancel, 0\) !== 0\) return -1;/);
});

test('slices: validation messages, and n > 2 moves every coordinate (the slice fixes only the start)', () => {
  const p = paper('f1');
  const good = defaultSlice(p, 8);
  assert.throws(() => checkSlice({ ...good, axes: [0, 0] }, 2), /different variables/);
  assert.throws(() => checkSlice({ ...good, axes: [0, 2] }, 2), /not a variable index/);
  assert.throws(() => checkSlice({ ...good, xRange: [1, 1] }, 2), /x range \[1, 1\] is empty/);
  assert.throws(() => checkSlice({ ...good, width: 0 }, 2), /width must be a positive whole number/);
  assert.throws(() => checkSlice({ ...good, width: 5000, height: 5000 }, 2), /at most/);

  // x² + y² + (z − 1)²: z starts at 0 (fixed in the slice) and must still converge to 1
  const q = analyzeProblem({ expression: 'x^2 + y^2 + (z - 1)^2', domain: [[-1, 1], [-1, 1], [-1, 2]] });
  assert.equal(q.minima.length, 1);
  const slice: SliceSpec = { axes: [0, 1], base: [0, 0, 0], xRange: [-1, 1], yRange: [-1, 1], width: 8, height: 8 };
  const m = computeBasinMap(q, slice, 0.3, DEFAULT_CLASSIFY, certifyAll(q, 0.3));
  assert.ok(m);
  assert.ok(m.classes.every((c) => c === PixelClass.Stable));
  assert.ok(m.minimum.every((j) => j === 0));
});
