import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logSafe, splitAtK, stepPhase } from '../../../webview/lib/trajectory';

test('splitAtK: red θ_0..θ_K, black θ_K..end, sharing θ_K', () => {
  assert.deepEqual(splitAtK(10, 3), [{ phase: 'unstable', from: 0, to: 3 }, { phase: 'stable', from: 3, to: 9 }]);
  assert.deepEqual(splitAtK(10, 0), [{ phase: 'stable', from: 0, to: 9 }]);
  assert.deepEqual(splitAtK(10, 9), [{ phase: 'unstable', from: 0, to: 9 }]);
  assert.deepEqual(splitAtK(10, 50), [{ phase: 'unstable', from: 0, to: 9 }]);
  assert.deepEqual(splitAtK(0, 3), []);
  assert.deepEqual(splitAtK(1, 0), [{ phase: 'stable', from: 0, to: 0 }]);
});

test('split agrees with the loss sequence: every increase lies in the red part', () => {
  // a loss sequence with increases at k = 2 and k = 5 (f(θ_k) > f(θ_{k−1})): K = 5, the engine's K
  // (the step of the last increase: θ_K is the first iterate from which the loss falls for good)
  const loss = [5, 4, 4.5, 3, 2, 2.2, 1, 0.5, 0.2, 0.1];
  let last = -1;
  for (let k = 1; k < loss.length; k++) if (loss[k] > loss[k - 1]) last = k;
  const K = last;
  assert.equal(K, 5);
  const segs = splitAtK(loss.length, K);
  const stable = segs.find((s) => s.phase === 'stable');
  assert.ok(stable);
  for (let k = stable.from + 1; k <= stable.to; k++) assert.ok(loss[k] < loss[k - 1], `black part decreases at ${k}`);
  for (let k = 1; k < loss.length; k++) if (loss[k] > loss[k - 1]) assert.equal(stepPhase(k - 1, K), 'unstable');
});

test('logSafe: gaps for non-finite values, zeros floored, negatives disable log', () => {
  const a = logSafe([1, 0.1, 0, NaN, null, 0.01]);
  assert.equal(a.logOk, true);
  assert.deepEqual(a.values, [1, 0.1, 0.001, null, null, 0.01]);
  const b = logSafe([1, -0.5, 2]);
  assert.equal(b.logOk, false);
  assert.deepEqual(b.values, [1, -0.5, 2]);
  assert.equal(logSafe([0, 0]).logOk, false);
});
