/**
 * The edge of stability on the recorded run of the `reproduce --eos` setup (tanh MLP, Chebyshev
 * regression, GD at three learning rates): the sharpness starts below 2/η, rises (progressive
 * sharpening), reaches 2/η, and from then on stays within ±15 % of 2/η for the rest of training,
 * while the loss — non-monotone — still decreases overall. Checked from the raw recorded arrays,
 * not only from the experiment's own summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eosExperiment, EOS_SETUP } from '../../../src/engine/nn/eos';

test('edge of stability: sharpness rises to 2/η and hovers within ±15 % while the loss keeps falling', () => {
  const { result, summaries } = eosExperiment();
  assert.equal(result.runs.length, 3);
  for (const run of result.runs) {
    const threshold = 2 / run.eta;
    assert.equal(run.status, 'completed');
    assert.equal(run.steps, EOS_SETUP.steps);
    const s = Array.from(run.sharpness);
    const steps = Array.from(run.sharpnessSteps);
    // progressive sharpening: from well below the line up to it
    assert.ok(s[0] < 0.7 * threshold, `η = ${run.eta}: initial sharpness ${s[0]} should be well below 2/η = ${threshold}`);
    const reach = s.findIndex((v) => v >= threshold);
    assert.ok(reach > 0, `η = ${run.eta}: the sharpness never reached 2/η (max ${Math.max(...s)})`);
    // edge of stability: every later measurement within ±15 % of 2/η
    for (let i = reach; i < s.length; i++) {
      assert.ok(Math.abs(s[i] / threshold - 1) <= 0.15, `η = ${run.eta}: at step ${steps[i]} sharpness ${s[i]} is ${((s[i] / threshold - 1) * 100).toFixed(1)} % off 2/η`);
    }
    // … and it stays there for a good part of training
    assert.ok(steps[reach] < 0.75 * run.steps, `η = ${run.eta}: reached 2/η only at step ${steps[reach]}`);
    // the loss is non-monotone at the edge, yet decreases overall
    const reachedAt = steps[reach];
    const increasesAfter = Array.from(run.increased).slice(reachedAt).reduce((a, b) => a + b, 0);
    assert.ok(increasesAfter > 0, `η = ${run.eta}: no loss increase after reaching 2/η`);
    const final = run.loss[run.steps];
    assert.ok(final < 0.6 * run.loss[reachedAt], `η = ${run.eta}: loss ${run.loss[reachedAt]} at step ${reachedAt} → ${final} at the end`);
    // averaged over windows of 200 steps, the loss falls from the first window after reaching to the last
    const mean = (a: number, b: number): number => Array.from(run.loss.slice(a, b)).reduce((x, y) => x + y, 0) / (b - a);
    assert.ok(mean(run.steps - 200, run.steps + 1) < mean(reachedAt, reachedAt + 200));
  }
  // the summary says the same
  for (const sm of summaries) {
    assert.equal(sm.staysInBand, true);
    assert.ok(sm.sharpeningFactor > 1.5, `sharpening factor ${sm.sharpeningFactor}`);
    assert.ok(sm.lossFinal < sm.lossAtReach);
  }
  // larger η → the edge is reached earlier and lower
  const reachedAt = summaries.map((sm) => sm.reachedAt as number);
  assert.ok(reachedAt[0] > reachedAt[1] && reachedAt[1] > reachedAt[2], `reached at ${reachedAt.join(', ')}`);
});
