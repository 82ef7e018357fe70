/**
 * The side-by-side view's slice (state/compare.ts) and helpers (lib/compare.ts) on the real f4
 * session: the charted start asked again under the second optimizer at the panel's η; new start,
 * η or optimizer → a new request and a cancel for the unanswered old one; stale answers dropped;
 * a new session turns it off. The charts' threshold lines against the closed forms (2/η,
 * 2(1+β)/η, (2+2β₁)/((1−β₁)η) = 38/η).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptimizer } from '../../../src/engine/optimizers/spec';
import { trajectory as runTrajectory } from '../../../src/engine/trajectory';
import { toTrajectoryView } from '../../../src/shared/exports';
import type { TrajectoryView } from '../../../src/shared/protocol';
import { runSummary, sharpnessSeries } from '../../../webview/lib/compare';
import { compareSlice } from '../../../webview/state/compare';
import { F4_PROBLEM, analysisMsg, host, ofType, recordingStore, sessionMsg } from './panelFixture';

const HEAVY_BALL = resolveOptimizer({ name: 'momentum', beta: 0.9 });
const ADAM = resolveOptimizer({ name: 'adam' });

function withCompare() {
  const r = recordingStore();
  const compare = r.store.addSlice(compareSlice);
  r.store.dispatch(sessionMsg());
  r.store.dispatch(analysisMsg());
  return { ...r, compare };
}

const view = (init: number[], eta: number, optimizer = HEAVY_BALL): TrajectoryView =>
  toTrajectoryView(runTrajectory(F4_PROBLEM, eta, init, { maxSteps: 2000, optimizer }), eta, init);

test('a second optimizer runs the charted start at the panel’s η; the panel’s own trajectories keep theirs', () => {
  const { store, sent, compare } = withCompare();
  const before = ofType(sent, 'trajectory').length;
  assert.equal(compare.get().run, null, 'off: nothing asked');
  compare.dispatch({ type: 'compareSet', optimizer: HEAVY_BALL });
  const asked = ofType(sent, 'trajectory').slice(before);
  assert.equal(asked.length, 1);
  assert.deepEqual({ init: asked[0].init, eta: asked[0].eta, optimizer: asked[0].optimizer }, { init: [0.1, 2.5], eta: 0.25, optimizer: HEAVY_BALL });
  assert.deepEqual(store.state.optimizer, { name: 'gd' }, 'the panel still runs GD');
  // the answer lands; an answer to a core trajectory does not
  const data = view([0.1, 2.5], 0.25);
  store.dispatch(host({ type: 'trajectory', requestId: asked[0].requestId, trajectory: data }));
  assert.equal(compare.get().run?.data, data);
  assert.equal(store.state.trajectories.entries.every((e) => e.data === null), true);
});

test('new η, new start, new second optimizer: asked again, the unanswered old run cancelled, its late answer dropped', () => {
  const { store, sent, compare } = withCompare();
  compare.dispatch({ type: 'compareSet', optimizer: HEAVY_BALL });
  const first = compare.get().run?.requestId as number;
  store.dispatch({ type: 'etaSet', eta: 0.4, fromSlider: false });
  const second = compare.get().run;
  assert.ok(second && second.requestId > first && second.eta === 0.4);
  assert.deepEqual(ofType(sent, 'cancel').map((c) => c.requestId), [first]);
  store.dispatch(host({ type: 'trajectory', requestId: first, trajectory: view([0.1, 2.5], 0.25) }));
  assert.equal(compare.get().run?.data, null, 'the answer at the old η is dropped');
  store.dispatch(host({ type: 'trajectory', requestId: second.requestId, trajectory: view([0.1, 2.5], 0.4) }));
  // a clicked pixel becomes the charted start: asked again (the answered run needs no cancel)
  store.dispatch({ type: 'startPicked', x: 1, y: -0.5 });
  const third = compare.get().run;
  assert.deepEqual(third?.init, [1, -0.5]);
  assert.deepEqual(ofType(sent, 'cancel').map((c) => c.requestId), [first]);
  compare.dispatch({ type: 'compareSet', optimizer: ADAM });
  assert.equal(compare.get().run?.optimizer.name, 'adam');
  assert.deepEqual(ofType(sent, 'cancel').map((c) => c.requestId), [first, third?.requestId]);
  // the same optimizer again, and a change of the panel's optimizer: nothing new for B
  const n = ofType(sent, 'trajectory').filter((t) => t.optimizer?.name === 'adam').length;
  compare.dispatch({ type: 'compareSet', optimizer: resolveOptimizer({ name: 'adam' }) });
  store.dispatch({ type: 'optimizerSet', optimizer: resolveOptimizer({ name: 'nesterov' }) });
  assert.equal(ofType(sent, 'trajectory').filter((t) => t.optimizer?.name === 'adam').length, n);
  // off: the run goes (and is cancelled); a new session starts with the comparison off
  compare.dispatch({ type: 'compareSet', optimizer: null });
  assert.equal(compare.get().run, null);
  compare.dispatch({ type: 'compareSet', optimizer: HEAVY_BALL });
  store.dispatch(sessionMsg());
  assert.deepEqual(compare.get(), { second: null, run: null });
});

test('an error for the run is kept with it', () => {
  const { store, compare } = withCompare();
  compare.dispatch({ type: 'compareSet', optimizer: ADAM });
  const id = compare.get().run?.requestId as number;
  store.dispatch(host({ type: 'error', requestId: id, message: 'Trajectory from (0.1, 2.5): cancelled' }));
  assert.equal(compare.get().run?.error, 'Trajectory from (0.1, 2.5): cancelled');
});

test('each run against its own line: 2/η, 2(1+β)/η, and Adam’s preconditioned sharpness against 38/η', () => {
  const init = [0.1, 2.5];
  const gd = view(init, 0.25, { name: 'gd' });
  const hb = view(init, 0.25, HEAVY_BALL);
  const adam = view(init, 0.05, ADAM);
  const sGd = sharpnessSeries(gd, { name: 'gd' });
  assert.deepEqual([sGd.label, sGd.limitName], ['λ_max(∇²f)', '2/η']);
  assert.ok(Math.abs(sGd.limit - 8) < 1e-12);
  const sHb = sharpnessSeries(hb, HEAVY_BALL);
  assert.ok(Math.abs(sHb.limit - (2 * 1.9) / 0.25) < 1e-12);
  assert.equal(sHb.limitName, '2(1+β)/η');
  assert.equal(sHb.values, hb.sharpness);
  const sAdam = sharpnessSeries(adam, ADAM);
  assert.equal(sAdam.label, 'λ_max(P⁻¹∇²f)');
  assert.ok(Math.abs(sAdam.limit - 38 / 0.05) < 1e-9);
  assert.equal(sAdam.values.length, adam.loss.length);
  assert.equal(sAdam.values, adam.preconditionedSharpness);
  // the one-line summary: optimizer, outcome, steps, K, increases — the trajectory's own numbers
  const line = runSummary(hb, HEAVY_BALL);
  assert.ok(line.startsWith('heavy-ball momentum (β = 0.9): '), line);
  assert.ok(line.includes(`${hb.steps} steps, K = ${hb.K}, ${hb.increases} loss increase`), line);
});
