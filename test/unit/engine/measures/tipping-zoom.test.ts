/**
 * Tipping matrices of hand-made maps (counts written out here) and the zoom geometry: zoomed
 * windows, the most mixed pixel of a map with a known three-class junction, and the double
 * precision limit.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classCodeCount } from '../../../../src/engine/measures/classes';
import { tipping } from '../../../../src/engine/measures/tipping';
import { frameZoom, middleThird, mostMixedPixel, zoomFrames, zoomLabel, zoomSlice } from '../../../../src/engine/measures/zoom';
import { PixelClass, type SliceSpec } from '../../../../src/engine/types';

const { Stable: S, Unstable: U, Diverged: D, NotConverged: N } = PixelClass;

describe('tipping between two learning rates', () => {
  // 2×3 map: at η₁ S S S / S U D, at η₂ U S D / U U D (minimum 0 for converged, then minimum 1 for one pixel)
  const map1 = { classes: Uint8Array.from([S, S, S, S, U, D]), minimum: Int8Array.from([0, 0, 1, 0, 0, -1]) };
  const map2 = { classes: Uint8Array.from([U, S, D, U, U, D]), minimum: Int8Array.from([0, 0, -1, 1, 0, -1]) };
  const t = tipping(0.1, 0.2, map1, map2, 3, 2, 2);

  it('counts class moves from η₁ to η₂', () => {
    const K = classCodeCount();
    assert.equal(t.codeCount, K);
    assert.equal(t.classes.counts[S][U], 2);
    assert.equal(t.classes.counts[S][S], 1);
    assert.equal(t.classes.counts[S][D], 1);
    assert.equal(t.classes.counts[U][U], 1);
    assert.equal(t.classes.counts[D][D], 1);
    assert.equal(t.classes.counts.flat().reduce((s, c) => s + c, 0), 6);
    assert.ok(Math.abs(t.classes.fractions[S][U] - 2 / 6) < 1e-15);
    assert.ok(Math.abs(t.classes.rowFractions[S][S] - 0.25) < 1e-15);
    assert.ok(Math.abs(t.classes.rowFractions[S][U] - 0.5) < 1e-15 && Math.abs(t.classes.rowFractions[S][D] - 0.25) < 1e-15);
    assert.deepEqual(t.classes.rowFractions[N], new Array(K).fill(0), 'an empty class has an all-zero row');
    assert.ok(Math.abs(t.classes.changed - 3 / 6) < 1e-15);
    assert.equal(t.classes.labels[S], 'stable');
  });

  it('counts attractor moves (which minimum), where stable → unstable is no change', () => {
    const a = t.attractors;
    const diverged = a.labels.indexOf('diverged');
    assert.equal(a.counts[0][0], 3, 'pixels 0, 1 and 4 stay at minimum 0');
    assert.equal(a.counts[0][1], 1, 'pixel 3 moves to minimum 1');
    assert.equal(a.counts[1][diverged], 1, 'pixel 2 moves from minimum 1 to diverged');
    assert.equal(a.counts[diverged][diverged], 1);
    assert.ok(Math.abs(a.changed - 2 / 6) < 1e-15);
  });

  it('encodes each pixel as code₁·K + code₂', () => {
    const K = t.codeCount;
    assert.deepEqual(Array.from(t.transitions), [S * K + U, S * K + S, S * K + D, S * K + U, U * K + U, D * K + D]);
  });

  it('rejects maps of different sizes and unknown codes', () => {
    assert.throws(() => tipping(0.1, 0.2, map1, { classes: new Uint8Array(5), minimum: new Int8Array(5) }, 3, 2, 2), /η₂ has 5 pixels; 3×2 needs 6/);
    assert.throws(() => tipping(0.1, 0.2, map1, { classes: Uint8Array.from([0, 0, 0, 0, 0, 200]), minimum: new Int8Array(6) }, 3, 2, 2), /class code 200 at pixel 5/);
  });
});

describe('zoom geometry', () => {
  const base: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: [-3, 3], yRange: [-2, 2], width: 60, height: 40 };

  it('shrinks the window around the centre, keeping the pixel count', () => {
    const s = zoomSlice(base, [1, 0.5], 4);
    assert.deepEqual(s.xRange, [1 - 0.75, 1 + 0.75]);
    assert.deepEqual(s.yRange, [0.5 - 0.5, 0.5 + 0.5]);
    assert.equal(s.width, 60);
    assert.equal(s.height, 40);
    assert.deepEqual(zoomFrames(base, [0, 0], 2, 4).map((f) => f.zoom), [1, 2, 4, 8]);
    assert.equal(frameZoom(1.5, 2), 2.25);
  });

  it('refuses zooms below double precision and bad plans', () => {
    assert.throws(() => zoomSlice(base, [1, 1], 1e15), /below double precision/);
    assert.throws(() => zoomFrames(base, [0, 0], 1, 3), /factor per frame must be a number > 1/);
    assert.throws(() => zoomFrames(base, [0, 0], 2, 0), /number of frames/);
  });

  it('finds the three-class junction as the most mixed pixel', () => {
    // left half stable; right half unstable above row 20 and diverged below: junction at (20, 30)
    const slice: SliceSpec = { ...base };
    const classes = new Uint8Array(60 * 40);
    for (let r = 0; r < 40; r++) for (let c = 0; c < 60; c++) classes[r * 60 + c] = c < 30 ? S : r < 20 ? U : D;
    const m = mostMixedPixel(classes, slice, { radius: 2 });
    assert.ok(m);
    assert.ok(Math.abs(m.row - 19.5) <= 1 && Math.abs(m.col - 29.5) <= 1, `at (${m.row}, ${m.col})`);
    // counts in the 5×5 window at (20, 30): columns 28–29 stable (10), 30–32 unstable above (rows 18–19: 6) and diverged (rows 20–22: 9)
    const h = -[10, 6, 9].reduce((s, n) => s + (n / 25) * Math.log(n / 25), 0);
    assert.ok(m.entropy >= h - 1e-12);
    assert.ok(m.point[0] > -0.2 && m.point[0] < 0.2 && m.point[1] > -0.2 && m.point[1] < 0.2);
    assert.equal(mostMixedPixel(new Uint8Array(60 * 40), slice), null);
    assert.deepEqual(middleThird(slice), { row0: 13, row1: 27, col0: 20, col1: 40 });
  });

  it('labels zoom factors for file names', () => {
    assert.equal(zoomLabel(1), '1x');
    assert.equal(zoomLabel(2.25), '2.25x');
    assert.equal(zoomLabel(1024), '1024x');
    assert.equal(zoomLabel(1234567), '1.23e6x');
  });
});
