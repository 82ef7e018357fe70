/**
 * Fractal measures against sets with known values: box-counting dimension of a straight line
 * and a circle (1), a rasterised Koch snowflake (ln 4/ln 3), the Cantor dust C×C (2 ln 2/ln 3) and
 * the Cantor stripes C×[0,1] (1 + ln 2/ln 3); basin entropy of maps whose box contents are known
 * exactly, and of an i.i.d. mixture against its exact binomial expectation; the uncertainty
 * exponent of a half plane (α = 1) and of the Cantor stripes (α = 1 − ln 2/ln 3).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  basinEntropy, boxCountingDimension, defaultBoxSides, fitLine, fitUncertainty, fractalMeasures, uncertainCount,
} from '../../../../src/engine/measures/fractal';
import { classList, partitionLabels } from '../../../../src/engine/measures/classes';
import { mulberry32 } from '../../../../src/engine/random';
import { PixelClass } from '../../../../src/engine/types';
import { cantorRemovalLevel, fillPolygon, inCantor, kochSnowflake } from './sets';

const LN_4_3 = Math.log(4) / Math.log(3);
const CANTOR = Math.log(2) / Math.log(3);

function sides(width: number, height: number, inside: (r: number, c: number) => boolean): Uint8Array {
  const v = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) v[r * width + c] = inside(r, c) ? 1 : 2;
  return v;
}

/** Shannon entropy (natural log) of counts, written out here. */
function entropyOf(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.filter((c) => c > 0).reduce((s, c) => s - (c / total) * Math.log(c / total), 0);
}

describe('line fit', () => {
  it('recovers an exact line and gives zero slope error for it', () => {
    const f = fitLine([0, 1, 2, 3], [1, 3, 5, 7]);
    assert.ok(Math.abs(f.slope - 2) < 1e-12 && Math.abs(f.intercept - 1) < 1e-12);
    assert.ok(f.slopeStdErr < 1e-12);
    assert.equal(f.rSquared, 1);
  });
  it('gives the textbook standard error for noisy data', () => {
    // y = x + (+1, −1, −1, +1): slope 1, residual sum of squares 4·(0.8… ) computed by hand:
    const x = [0, 1, 2, 3];
    const y = [1, 0, 1, 4];
    const f = fitLine(x, y);
    // x̄ = 1.5, ȳ = 1.5, Sxx = 5, Sxy = (−1.5)(−0.5)+(−0.5)(−1.5)+(0.5)(−0.5)+(1.5)(2.5) = 5 → slope 1, intercept 0
    assert.ok(Math.abs(f.slope - 1) < 1e-12 && Math.abs(f.intercept) < 1e-12);
    // residuals 1, −1, −1, 1 → RSS 4, SE = sqrt(4/2/5)
    assert.ok(Math.abs(f.slopeStdErr - Math.sqrt(0.4)) < 1e-12);
  });
  it('rejects a fit with one x value', () => {
    assert.throws(() => fitLine([1, 1], [1, 2]), /two different x/);
  });
});

describe('box-counting dimension', () => {
  it('is 1 for straight boundaries at any angle and for a circle', () => {
    const W = 512;
    const cases: [string, (r: number, c: number) => boolean][] = [
      ['vertical', (_r, c) => c < 0.5 * W],
      ['slanted', (r, c) => c < 0.37 * W + 0.2 * r],
      ['diagonal', (r, c) => c < r],
      ['circle', (r, c) => (r - W / 2) ** 2 + (c - W / 2) ** 2 < (0.3 * W) ** 2],
    ];
    for (const [name, inside] of cases) {
      const d = boxCountingDimension(sides(W, W, inside), W, W);
      assert.ok(d.dimension !== null && Math.abs(d.dimension - 1) < 0.04, `${name}: D = ${d.dimension}`);
      assert.ok(d.scaleRange !== null && d.scaleRange[0] === 1 && d.scaleRange[1] >= 32);
    }
  });

  it('is ln 4 / ln 3 ≈ 1.262 for a rasterised Koch snowflake', () => {
    const W = 768;
    const inside = fillPolygon(kochSnowflake(6, W / 2, 0.547 * W, 0.46 * W), W, W);
    const v = inside.map((x) => x + 1);
    const d = boxCountingDimension(v, W, W);
    assert.ok(d.dimension !== null && Math.abs(d.dimension - LN_4_3) < 0.04, `Koch: D = ${d.dimension} (exact ${LN_4_3})`);
    assert.ok(d.stdErr !== null && d.stdErr < 0.05);
    // a filled triangle (level 0) on the same canvas: 1
    const tri = fillPolygon(kochSnowflake(0, W / 2, 0.547 * W, 0.46 * W), W, W).map((x) => x + 1);
    const t = boxCountingDimension(tri, W, W);
    assert.ok(t.dimension !== null && Math.abs(t.dimension - 1) < 0.04, `triangle: D = ${t.dimension}`);
  });

  it('finds the Cantor-product dimensions at the natural (triadic) scales', () => {
    const L = 6;
    const N = 3 ** L;
    const dust = sides(N, N, (r, c) => inCantor(r, L) && inCantor(c, L));
    const stripes = sides(N, N, (_r, c) => inCantor(c, L));
    const triadic = [1, 3, 9, 27];
    const dd = boxCountingDimension(dust, N, N, { sides: triadic });
    const ds = boxCountingDimension(stripes, N, N, { sides: triadic });
    assert.ok(dd.dimension !== null && Math.abs(dd.dimension - 2 * CANTOR) < 0.03, `C×C: D = ${dd.dimension} (exact ${2 * CANTOR})`);
    assert.ok(ds.dimension !== null && Math.abs(ds.dimension - (1 + CANTOR)) < 0.03, `C×I: D = ${ds.dimension} (exact ${1 + CANTOR})`);
    // with the default (non-triadic) scales the lacunarity of the Cantor set costs some accuracy
    const dg = boxCountingDimension(stripes, N, N);
    assert.ok(dg.dimension !== null && Math.abs(dg.dimension - (1 + CANTOR)) < 0.06, `C×I, default scales: D = ${dg.dimension}`);
  });

  it('counts boxes exactly for a vertical line (N(s) = ⌈H/s⌉ boxes in one box column)', () => {
    const W = 64;
    const v = sides(W, W, (_r, c) => c < 20);
    const d = boxCountingDimension(v, W, W, { sides: [1, 2, 4, 8] });
    assert.deepEqual(d.scales.map((s) => s.count), [64, 32, 16, 8]);
    assert.ok(d.dimension !== null && Math.abs(d.dimension - 1) < 1e-12);
    assert.equal(d.boundaryEdges, 64);
  });

  it('reports no dimension when the sides never meet, and ignores pixels on neither side', () => {
    const W = 64;
    const v = new Uint8Array(W * W).fill(1);
    const d = boxCountingDimension(v, W, W);
    assert.equal(d.dimension, null);
    assert.match(d.reason ?? '', /never meet/);
    // A | ignored | B: a 3-pixel-wide gap of zeros between the sides: no boundary
    const gap = sides(W, W, (_r, c) => c < 30);
    for (let r = 0; r < W; r++) for (let c = 30; c < 33; c++) gap[r * W + c] = 0;
    assert.equal(boxCountingDimension(gap, W, W).dimension, null);
    // a boundary of a few pixels (one start of the other class) is no curve
    const dot = new Uint8Array(W * W).fill(1);
    dot[10 * W + 10] = 2;
    const d1 = boxCountingDimension(dot, W, W);
    assert.equal(d1.dimension, null);
    assert.equal(d1.boundaryEdges, 4);
    assert.match(d1.reason ?? '', /only 4 pixel edges long/);
  });

  it('chooses box sides from 1 pixel to 1/8 of the map', () => {
    assert.deepEqual(defaultBoxSides(256, 256), [1, 2, 3, 4, 6, 8, 11, 16, 23, 32]);
    assert.deepEqual(defaultBoxSides(16, 16), [1, 2, 3, 4]);
  });
});

describe('basin entropy', () => {
  it('is 0 on a one-class map (no boundary boxes)', () => {
    const e = basinEntropy(new Uint16Array(100 * 100), 3, 100, 100, 5);
    assert.equal(e.Sb, 0);
    assert.equal(e.Sbb, null);
    assert.equal(e.boxes, 400);
    assert.equal(e.fractalByLn2, null);
  });

  it('matches the hand count for a straight boundary through a column of boxes', () => {
    // 40×30 map, boxes of 5: the boundary after column 11 puts 2 columns of A and 3 of B in the
    // boxes of box-column 2 (columns 10–14): S_i = H(2/5, 3/5) there and 0 elsewhere
    const W = 40;
    const H = 30;
    const labels = new Uint16Array(W * H);
    for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) labels[r * W + c] = c < 12 ? 0 : 1;
    const e = basinEntropy(labels, 2, W, H, 5);
    const h = -(0.4 * Math.log(0.4) + 0.6 * Math.log(0.6));
    assert.equal(e.boxes, 48);
    assert.equal(e.boundaryBoxes, 6);
    assert.ok(Math.abs((e.Sbb as number) - h) < 1e-12);
    assert.ok(Math.abs(e.Sb - (6 * h) / 48) < 1e-12);
    assert.equal(e.fractalByLn2, false);
  });

  it('matches the hand count for a fully mixed three-label pattern (S_bb > ln 2)', () => {
    // label = (index within the row-major 5×5 box) mod 3 → counts 9, 8, 8 in every box
    const W = 50;
    const labels = new Uint16Array(W * W);
    for (let r = 0; r < W; r++) for (let c = 0; c < W; c++) labels[r * W + c] = ((r % 5) * 5 + (c % 5)) % 3;
    const e = basinEntropy(labels, 3, W, W, 5);
    const h = entropyOf([9, 8, 8]);
    assert.ok(Math.abs(e.Sb - h) < 1e-12 && Math.abs((e.Sbb as number) - h) < 1e-12);
    assert.equal(e.boundaryBoxes, e.boxes);
    assert.equal(e.fractalByLn2, true);
  });

  it('agrees with the exact expectation for an i.i.d. 50/50 mixture', () => {
    // E[S_i] = Σ_k C(25,k) 2^−25 H(k/25) for boxes of 25 independent fair coin flips
    let expected = 0;
    let binom = 1;
    for (let k = 0; k <= 25; k++) {
      expected += (binom / 2 ** 25) * entropyOf([k, 25 - k]);
      binom = (binom * (25 - k)) / (k + 1);
    }
    const W = 500;
    const rand = mulberry32(7);
    const labels = new Uint16Array(W * W);
    for (let i = 0; i < labels.length; i++) labels[i] = rand() < 0.5 ? 0 : 1;
    const e = basinEntropy(labels, 2, W, W, 5);
    // 10⁴ boxes; the per-box entropy has a standard deviation below 0.05 → standard error < 5e-4
    assert.ok(Math.abs(e.Sb - expected) < 0.003, `S_b = ${e.Sb}, expected ${expected}`);
    assert.ok(e.Sbb !== null && e.Sbb > Math.LN2 * 0.95);
  });

  it('rejects labels outside the declared range and boxes larger than the map', () => {
    assert.throws(() => basinEntropy(Uint16Array.from([0, 3, 0, 0]), 2, 2, 2, 1), /label 3 at pixel \(0, 1\)/);
    assert.throws(() => basinEntropy(new Uint16Array(16), 2, 4, 4, 5), /holds no 5×5 box/);
  });
});

describe('uncertainty exponent', () => {
  /** labels of a grid of starts shifted by eps along x, under a labelling function */
  function counts(label: (x: number, y: number) => number, n: number, eps: number[]): { epsilon: number; uncertain: number; total: number }[] {
    const rand = mulberry32(11);
    const xs = Float64Array.from({ length: n }, () => rand());
    const ys = Float64Array.from({ length: n }, () => rand());
    const base = Array.from(xs, (x, i) => label(x, ys[i]));
    return eps.map((e) => ({
      epsilon: e,
      uncertain: uncertainCount(base, Array.from(xs, (x, i) => label(x + e, ys[i])), Array.from(xs, (x, i) => label(x - e, ys[i]))),
      total: n,
    }));
  }

  it('is α = 1 (D = 1) for a half plane', () => {
    const eps = Array.from({ length: 8 }, (_, k) => 0.05 * 2 ** -k);
    const u = fitUncertainty(counts((x, y) => (x + 0.3 * y < 0.6 ? 0 : 1), 200_000, eps), 'half plane');
    assert.ok(u.alpha !== null && Math.abs(u.alpha - 1) < 0.03, `α = ${u.alpha}`);
    assert.ok(u.dimension !== null && Math.abs(u.dimension - 1) < 0.03);
  });

  it('is α = 1 − ln 2/ln 3 for the Cantor stripes (D = 1 + ln 2/ln 3)', () => {
    // label = parity of the ternary level at which x falls into a removed middle third
    const eps = Array.from({ length: 7 }, (_, k) => 3 ** -(3 + k));
    const u = fitUncertainty(counts((x) => cantorRemovalLevel(((x % 1) + 1) % 1) % 2, 200_000, eps), 'cantor');
    assert.ok(u.alpha !== null && Math.abs(u.alpha - (1 - CANTOR)) < 0.04, `α = ${u.alpha} (exact ${1 - CANTOR})`);
    assert.ok(u.dimension !== null && Math.abs(u.dimension - (1 + CANTOR)) < 0.04);
  });

  it('leaves out shifts with too few uncertain starts or more than half, and says why it cannot fit', () => {
    const u = fitUncertainty([
      { epsilon: 1e-6, uncertain: 3, total: 1000 },
      { epsilon: 1e-3, uncertain: 20, total: 1000 },
      { epsilon: 1e-1, uncertain: 600, total: 1000 },
    ]);
    assert.deepEqual(u.points.map((p) => p.used), [false, true, false]);
    assert.equal(u.alpha, null);
    assert.match(u.reason ?? '', /only 1 of the 3 shifts made at least 10 starts/);
  });
});

describe('measures of a class map', () => {
  it('names every class of the class list and splits converged starts by minimum', () => {
    const codes = classList().map((c) => c.code);
    assert.ok(codes.includes(PixelClass.Stable) && codes.includes(PixelClass.Diverged));
    const classes = Uint8Array.from([PixelClass.Stable, PixelClass.Unstable, PixelClass.Diverged, PixelClass.Stable]);
    const minimum = Int8Array.from([0, 1, -1, 1]);
    const a = partitionLabels('attractor', classes, minimum, 2);
    assert.deepEqual(Array.from(a.labels).slice(0, 2), [0, 1]);
    assert.equal(a.labels[3], 1);
    assert.equal(a.names[a.labels[2]], 'diverged');
    const o = partitionLabels('outcome', classes, minimum, 2);
    assert.equal(o.names[o.labels[1]], 'unstable');
  });

  it('measures a map with a stable disc inside an unstable ring inside diverged starts', () => {
    const W = 512;
    const classes = new Uint8Array(W * W);
    const minimum = new Int8Array(W * W).fill(-1);
    for (let r = 0; r < W; r++) {
      for (let c = 0; c < W; c++) {
        const d2 = (r - 256) ** 2 + (c - 256) ** 2;
        const i = r * W + c;
        classes[i] = d2 < 120 ** 2 ? PixelClass.Stable : d2 < 220 ** 2 ? PixelClass.Unstable : PixelClass.Diverged;
        if (d2 < 220 ** 2) minimum[i] = 0;
      }
    }
    const m = fractalMeasures(classes, minimum, 1, W, W, { pixelSize: 6 / W });
    const byName = new Map(m.dimensions.map((d) => [d.boundary, d]));
    for (const name of ['stable|unstable', 'converged|diverged', 'all class boundaries', 'basin boundaries (attractors)']) {
      const d = byName.get(name);
      assert.ok(d && d.dimension !== null && Math.abs(d.dimension - 1) < 0.06, `${name}: ${d?.dimension}`);
    }
    const attractor = m.entropy.find((e) => e.partition === 'attractor');
    const outcome = m.entropy.find((e) => e.partition === 'outcome');
    // the attractor partition does not see the stable|unstable circle: fewer boundary boxes
    assert.ok(attractor && outcome && attractor.boundaryBoxes < outcome.boundaryBoxes);
    assert.ok(outcome.Sbb !== null && outcome.Sbb < Math.LN2);
    const su = byName.get('stable|unstable');
    assert.ok(su && su.scaleRangeUnits && Math.abs(su.scaleRangeUnits[0] - 6 / W) < 1e-15);
  });
});
