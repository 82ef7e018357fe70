/**
 * The orbit-diagram view slice (webview/state/orbit.ts) on the real f4 example and store: where
 * the diagram starts (the config's start, a clicked pixel, or next to the first minimum), its η
 * range (0.5–1.5 η_max = 10/19), progress, the diagram through the wire format (an engine diagram
 * encoded as the host encodes it, NaN and −∞ kept), stale answers, cancel, a new session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearEtas, orbitDiagram } from '../../../src/engine/measures/orbit';
import { orbitDiagramView, validateMeasuresHostMessage } from '../../../src/shared/measuresMessages';
import { validateHostMessage, validateWebviewMessage } from '../../../src/shared/protocolValidation';
import { ORBIT_PANEL, orbitSlice } from '../../../webview/state/orbit';
import { F4_ANALYSIS, F4_PROBLEM, F4_SESSION, analysisMsg, host, ofType, recordingStore, sessionMsg } from './panelFixture';

const ETA_MAX = 10 / 19;

function withOrbit(session = F4_SESSION) {
  const r = recordingStore();
  const orbit = r.store.addSlice(orbitSlice);
  r.store.dispatch(sessionMsg(session));
  r.store.dispatch(analysisMsg());
  return { ...r, orbit };
}

test('orbit view: from the config start over 0.5–1.5 η_max, recording the map axes; a clicked start replaces it', () => {
  const { store, sent, orbit } = withOrbit();
  orbit.dispatch({ type: 'orbitRequested' });
  const [req] = ofType(sent, 'orbit');
  assert.ok(req, 'one orbit request');
  assert.deepEqual(req.init, [0.1, 2.5], 'the selected trajectory: the config\'s first start');
  assert.ok(Math.abs(req.etaRange[0] - 0.5 * ETA_MAX) < 1e-6 && Math.abs(req.etaRange[1] - 1.5 * ETA_MAX) < 1e-6, `range ${req.etaRange}`);
  assert.equal(req.count, ORBIT_PANEL.count);
  assert.deepEqual(req.record, [0, 1]);
  assert.doesNotThrow(() => validateWebviewMessage(req), 'the request passes the host\'s validation');
  assert.equal(orbit.get().job?.source, 'config start');

  store.dispatch({ type: 'startPicked', x: -1.25, y: 0.75 });
  orbit.dispatch({ type: 'orbitRequested' });
  const second = ofType(sent, 'orbit')[1];
  assert.deepEqual(second.init, [-1.25, 0.75]);
  assert.notEqual(second.requestId, req.requestId);
  assert.equal(orbit.get().job?.source, 'clicked start');
});

test('orbit view without starts: next to the first minimum, at 1e-3·(1 + ‖θ*‖) along the first axis', () => {
  const { sent, orbit } = withOrbit({ ...F4_SESSION, starts: [] });
  orbit.dispatch({ type: 'orbitRequested' });
  const [req] = ofType(sent, 'orbit');
  const m = F4_ANALYSIS.minima[0].point;
  const r = 1e-3 * (1 + Math.hypot(...m));
  assert.deepEqual(req.init, [m[0] + r, m[1]]);
  assert.equal(orbit.get().job?.source, 'next to minimum #0');
});

test('orbit view: progress, the engine diagram decoded as sent (NaN, −∞ kept), stale answers dropped, cancel, new session', () => {
  const { store, sent, orbit } = withOrbit();
  orbit.dispatch({ type: 'orbitRequested' });
  const [req] = ofType(sent, 'orbit');
  store.dispatch(host({ type: 'measureProgress', requestId: req.requestId, done: 100, total: 400 }));
  assert.deepEqual(orbit.get().job?.progress, { done: 100, total: 400 });

  // a real diagram: 0.5 η_max converges, 1.6 η_max diverges from (0.1, 2.5) (NaN values and Lyapunov)
  const d = orbitDiagram(F4_PROBLEM, [[0.1, 2.5]], linearEtas(0.5 * ETA_MAX, 1.6 * ETA_MAX, 5), { transient: 300, keep: 20 });
  assert.ok(d);
  d.points[0].lyapunov = -Infinity;
  const wire = JSON.parse(JSON.stringify({ type: 'orbitDone', requestId: req.requestId, diagram: orbitDiagramView(d) })) as Record<string, unknown>;
  assert.doesNotThrow(() => validateHostMessage(wire));
  store.dispatch(host({ type: 'orbitDone', requestId: req.requestId + 99, diagram: orbitDiagramView(d) }));
  assert.equal(orbit.get().job?.status, 'running', 'an answer to another request is ignored');
  store.dispatch(host(validateHostMessage(wire)));
  const got = orbit.get().job?.diagram;
  assert.ok(got);
  assert.equal(orbit.get().job?.status, 'done');
  assert.equal(got.values.length, d.values.length);
  for (let i = 0; i < d.values.length; i++) assert.ok(Object.is(got.values[i], d.values[i]), `value ${i}: ${got.values[i]} vs ${d.values[i]}`);
  assert.deepEqual(got.points.map((p) => [p.eta, p.status, p.lyapunov]), d.points.map((p) => [p.eta, p.status, p.lyapunov]));
  assert.equal(got.points[0].lyapunov, -Infinity);
  assert.ok(d.points.some((p) => p.status === 'diverged' && Number.isNaN(p.lyapunov)), 'the test covers a diverged orbit');
  assert.deepEqual(got.firstNonConvergent, d.firstNonConvergent);

  orbit.dispatch({ type: 'orbitRequested' });
  const running = ofType(sent, 'orbit')[1];
  orbit.dispatch({ type: 'orbitCancelled' });
  assert.deepEqual(ofType(sent, 'cancel').at(-1), { type: 'cancel', requestId: running.requestId });
  assert.equal(orbit.get().job?.status, 'cancelled');

  store.dispatch(host({ type: 'error', requestId: running.requestId, message: 'Orbit diagram failed: boom' }));
  assert.equal(orbit.get().job?.status, 'failed');
  store.dispatch(sessionMsg());
  assert.equal(orbit.get().job, null, 'a new session empties the view');
});

test('orbit wire format: a diagram whose values do not match its size is refused', () => {
  const d = orbitDiagram(F4_PROBLEM, [[0.1, 2.5]], [0.2, 0.3], { transient: 10, keep: 4 });
  assert.ok(d);
  const view = orbitDiagramView(d);
  const short = { ...view, values: view.values.slice(0, 16) };
  assert.throws(() => validateMeasuresHostMessage({ type: 'orbitDone', requestId: 1, diagram: short }, 'message(orbitDone)'), /message\(orbitDone\)\.diagram\.values: wrong length/);
  assert.throws(() => validateWebviewMessage({ type: 'orbit', requestId: 1, init: [0, 0], etaRange: [0.5, 0.1], count: 10, transient: 1, keep: 1, record: [] }), /etaRange: expected \[lo, hi\] with 0 < lo < hi/);
  assert.throws(() => validateWebviewMessage({ type: 'saveFile', fileName: '../x.svg', format: 'svg', content: '<svg/>' }), /fileName: expected a plain file name/);
});
