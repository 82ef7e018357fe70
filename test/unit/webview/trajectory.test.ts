import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../src/engine/analyze';
import { trajectory } from '../../../src/engine/trajectory';
import { MinimumCode } from '../../../src/engine/types';
import { toTrajectoryView } from '../../../src/shared/exports';
import type { TrajectoryView } from '../../../src/shared/protocol';
import { parseCssColor } from '../../../webview/lib/colors';
import { inTail, logSafe, outcomeWords, splitAtK, stepPhase, trajectorySummary, withAlpha } from '../../../webview/lib/trajectory';

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

/** The engine's trajectory as the host sends it (src/shared/exports.ts toTrajectoryView). */
function engineView(expression: string, eta: number, init: number[], tailSteps = 0): TrajectoryView {
  const problem = analyzeProblem({ expression, domain: init.map((): [number, number] => [-3, 3]) });
  return toTrajectoryView(trajectory(problem, eta, init, { tailSteps }), eta, init);
}

test('summary: steps and K exactly as defined (decision index; last loss increase), checked by a plain loop; the tail', () => {
  // the paper's Figure 3 setup: f4 at η = 0.25 from (0.1, 2.5)
  const f = (x: number, y: number): number => (1 - x * y) ** 2 + (x * x + y * y) / 20;
  const t = engineView('(1 - x*y)^2 + (x^2 + y^2)/20', 0.25, [0.1, 2.5], 30);
  // independent: plain GD, K = the last k ≤ steps with f(θ_k) > f(θ_{k−1}) (a loss increase beyond round-off)
  let [x, y] = [0.1, 2.5];
  let prev = f(x, y);
  let K = 0;
  for (let k = 1; k <= t.steps; k++) {
    const r = 1 - x * y;
    [x, y] = [x - 0.25 * (-2 * y * r + x / 10), y - 0.25 * (-2 * x * r + y / 10)];
    const now = f(x, y);
    if (now - prev > 1e-12 * (Math.abs(prev) + 1)) K = k;
    prev = now;
  }
  assert.equal(t.K, K);
  assert.ok(K > 0, 'this start converges unstably');
  assert.equal(t.loss.length, t.steps + (t.tail ?? 0) + 1);
  const text = trajectorySummary(t, (v) => String(Number(v.toPrecision(4))));
  assert.ok(text.startsWith(`— unstable convergence to minimum ${t.minimum}; decided at θ_${t.steps} (steps = ${t.steps}); K = ${K} (last loss increase: f(θ_${K}) > f(θ_${K - 1}))`), text);
  assert.match(text, new RegExp(`the ${t.tail} iterates after the decision drawn lighter; η = 0\\.25$`));
  assert.ok(inTail(t.steps, t.steps) && !inTail(t.steps - 1, t.steps), 'the segment from θ_steps on is the tail');
});

test('summary: a bounded aperiodic start gives its Lyapunov estimate; a cycle its period; a set of minima its limit sharpness', () => {
  // x⁴/4 − x²/2 at η = 1.9 (beyond 2/λ_max = 1): the cubic GD map is chaotic
  const chaos = engineView('x^4/4 - x^2/2', 1.9, [0.3]);
  assert.equal(chaos.outcome, 'aperiodic');
  assert.ok(chaos.lyapunov !== null && chaos.lyapunov !== undefined && chaos.lyapunov > 0);
  assert.match(trajectorySummary(chaos, String), /^— bounded aperiodic \(neither converging, periodic nor escaping\); decided at θ_2000 \(steps = 2000\); .*finite-time Lyapunov exponent [\d.]+ per step \(> 0: chaotic\); η = 1\.9$/);
  const cycle = engineView('x^4/4 - x^2/2', 1.2, [0.3]);
  assert.equal(cycle.outcome, 'cycle');
  assert.match(trajectorySummary(cycle, String), /^— cycle of period 2; decided at θ_2000 \(steps = 2000\)/);
  assert.doesNotMatch(trajectorySummary(cycle, String), /Lyapunov/);
  // (1 − xy)² from (1.2, 1.9) at η = 0.4 lands on the curve xy = 1, where λ_max = 2(x² + y²)
  const set = engineView('(1 - x*y)^2', 0.4, [1.2, 1.9], 5);
  assert.equal(set.minimum, MinimumCode.Set);
  const n = set.steps;
  const [lx, ly] = [set.theta[2 * n], set.theta[2 * n + 1]];
  const lambda = 2 * (lx * lx + ly * ly);
  assert.ok(Math.abs((set.limitSharpness ?? NaN) - lambda) < 1e-6 * lambda);
  assert.match(trajectorySummary(set, (v) => v.toFixed(3)), new RegExp(`to a point of a set of minima; .*λ_max at the limit point ${lambda.toFixed(3)} \\(2/η = 5\\.000\\)`));
});

test('outcome words and faded colours', () => {
  assert.equal(outcomeWords('stable', MinimumCode.Unlisted, null), 'stable convergence to an unlisted minimum');
  assert.equal(outcomeWords('descending', null, null), 'still descending at the step limit');
  assert.equal(outcomeWords('other', null, null), 'stalled at a saddle or other stationary point');
  assert.equal(withAlpha('#e00000', 0.35, parseCssColor), 'rgba(224, 0, 0, 0.35)');
  assert.equal(withAlpha('rgb(1, 2, 3)', 0.5, parseCssColor), 'rgba(1, 2, 3, 0.5)');
  assert.equal(withAlpha('tomato', 0.5, parseCssColor), 'tomato');
});
