import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepCsv, sweepJson, trajectoryCsv, trajectoryJson } from '../../../src/shared/exports';
import type { TrajectoryView } from '../../../src/shared/protocol';

const t: TrajectoryView = {
  eta: 0.5, init: [1, 2], n: 2, steps: 2, theta: [1, 2, 0.5, -1, 0.25, 0.5], loss: [5, 6, 0.3], gradNorm: [2, 1, NaN], sharpness: [2, 2, 2],
  increased: [0, 1, 0], outcome: 'unstable', minimum: 0, K: 1, increases: 1, firstIncreaseAt: 1, enteredCertifiedAt: 2,
};

test('trajectory CSV: header, one row per iterate, phase from K, empty cells for NaN', () => {
  const lines = trajectoryCsv(t, ['x', 'y']).trim().split('\n');
  assert.equal(lines[0], 'step,x,y,loss,grad_norm,sharpness,loss_increased,phase');
  assert.equal(lines.length, 4);
  assert.equal(lines[1], '0,1,2,5,2,2,0,unstable');
  // K = 1 (the last increase is at step 1): θ_0 is unstable, from θ_1 on the loss falls
  assert.equal(lines[2], '1,0.5,-1,6,1,2,1,stable');
  assert.equal(lines[3], '2,0.25,0.5,0.3,,2,0,stable');
});

test('trajectory JSON: iterates grouped per step', () => {
  const j = JSON.parse(trajectoryJson(t, ['x', 'y'], { title: 'T' })) as { iterates: number[][]; K: number; title: string; gradNorm: (number | null)[] };
  assert.deepEqual(j.iterates, [[1, 2], [0.5, -1], [0.25, 0.5]]);
  assert.equal(j.K, 1);
  assert.equal(j.title, 'T');
  assert.equal(j.gradNorm[2], null);
});

test('sweep CSV and JSON', () => {
  const points = [{ eta: 0.5, etaFraction: 0.5, stats: {
    total: 100, stable: 0.6, unstable: 0.3, diverged: 0.05, notConverged: 0, other: 0, cycle: 0.03, aperiodic: 0.01, descending: 0.01,
    perMinimum: [{ stable: 0.5, unstable: 0.3 }], minimumSet: { stable: 0.1, unstable: 0 }, unlisted: { stable: 0, unstable: 0 },
  } }];
  const lines = sweepCsv(points).trim().split('\n');
  assert.equal(lines[0], 'eta,eta_fraction,stable,unstable,diverged,not_converged,other,cycle,bounded_aperiodic,still_descending,stable_set,unstable_set,stable_min0,unstable_min0');
  assert.equal(lines[1], '0.5,0.5,0.6,0.3,0.05,0,0,0.03,0.01,0.01,0.1,0,0.5,0.3');
  assert.deepEqual(JSON.parse(sweepJson(points)).points, points);
});
