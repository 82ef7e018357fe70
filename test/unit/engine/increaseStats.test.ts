import { test } from 'node:test';
import assert from 'node:assert/strict';
import { increaseStats } from '../../../src/engine/basin';
import { INCREASE_BINS, PixelClass } from '../../../src/engine/types';

/** The statistics as a reader would compute them: filter the converged starts, sort, take the middle. */
function bySorting(classes: Uint8Array, increases: Uint16Array) {
  const conv: number[] = [];
  let any = 0;
  classes.forEach((c, i) => {
    if (increases[i] > 0) any++;
    if (c === PixelClass.Stable || c === PixelClass.Unstable) conv.push(increases[i]);
  });
  conv.sort((a, b) => a - b);
  const m = conv.length;
  const bins = INCREASE_BINS.map((lo, b) => conv.filter((c) => c >= lo && (b === INCREASE_BINS.length - 1 || c < INCREASE_BINS[b + 1])).length / (m || 1));
  return {
    anyIncrease: classes.length ? any / classes.length : 0,
    meanConverged: m ? conv.reduce((a, b) => a + b, 0) / m : 0,
    medianConverged: m ? (m % 2 ? conv[(m - 1) / 2] : (conv[m / 2 - 1] + conv[m / 2]) / 2) : 0,
    maxConverged: m ? conv[m - 1] : 0,
    histogram: m ? bins : bins.map(() => 0),
  };
}

test('increase statistics: mean, median (odd and even counts), max and histogram of the converged starts, as sorting gives them', () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const n of [0, 1, 2, 7, 1000, 4097]) {
    const classes = new Uint8Array(n).map(() => Math.floor(rand() * 5));
    // mostly small counts, a few large ones (up to the uint16 limit)
    const increases = new Uint16Array(n).map(() => (rand() < 0.05 ? Math.floor(rand() * 65536) : Math.floor(rand() * 40)));
    const got = increaseStats(classes, increases);
    const want = bySorting(classes, increases);
    assert.equal(got.anyIncrease, want.anyIncrease, `n = ${n}`);
    assert.equal(got.medianConverged, want.medianConverged, `n = ${n}`);
    assert.equal(got.maxConverged, want.maxConverged, `n = ${n}`);
    assert.ok(Math.abs(got.meanConverged - want.meanConverged) <= 1e-12 * Math.max(1, want.meanConverged), `n = ${n}`);
    assert.deepEqual(got.histogram, want.histogram, `n = ${n}`);
  }
  // no converged start at all
  const none = increaseStats(Uint8Array.of(PixelClass.Diverged, PixelClass.Diverged), Uint16Array.of(3, 0));
  assert.deepEqual([none.anyIncrease, none.meanConverged, none.medianConverged, none.maxConverged], [0.5, 0, 0, 0]);
});
