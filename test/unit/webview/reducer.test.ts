import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PixelClass } from '../../../src/engine/types';
import type { WebviewToHost } from '../../../src/shared/protocol';
import { extraClasses } from '../../../webview/state/mainMap';
import { initialState, reduce } from '../../../webview/state/reducer';
import { currentWindow, viewState } from '../../../webview/state/selectors';
import type { PanelState } from '../../../webview/state/types';
import {
  F4_ANALYSIS, F4_SESSION, THEME, analysisMsg, engineRows, host, ofType, recordingStore, rowsMsg, sessionMsg, sliceOf,
} from './panelFixture';

const ETA_MAX = 10 / 19; // f4: λ_max = 19/5 at both minima (paper, Figure 3)

/** A store that has received the f4 session and its analysis. */
function opened(): ReturnType<typeof recordingStore> {
  const r = recordingStore();
  r.store.dispatch(sessionMsg());
  r.store.dispatch(analysisMsg());
  return r;
}

const basins = (sent: WebviewToHost[]) => ofType(sent, 'basin');

test('session then analysis: one main map over the whole domain at the config lr, and the config starts', () => {
  const { store, sent } = opened();
  assert.ok(Math.abs((F4_ANALYSIS.etaMax as number) - ETA_MAX) < 1e-6, 'analysis finds f4 η_max = 10/19');
  const [main] = basins(sent);
  assert.equal(basins(sent).length, 1);
  assert.deepEqual({ purpose: main.purpose, eta: main.eta, xRange: main.xRange, yRange: main.yRange, grid: main.grid },
    { purpose: 'main', eta: 0.25, xRange: [-3, 3], yRange: [-3, 3], grid: 256 });
  const traj = ofType(sent, 'trajectory');
  assert.deepEqual(traj.map((t) => t.init), [[0.1, 2.5], [1.5, 2]]);
  assert.ok(traj.every((t) => t.eta === 0.25));
  assert.equal(store.state.trajectories.selected, 0);
  assert.equal(store.state.status.text, 'Computing 256×256 map at η = 0.25…');
  assert.ok(store.state.status.cancelVisible && store.state.status.progressVisible);
  // a second analysis message (a webview reload) does not ask again
  store.dispatch(analysisMsg());
  assert.equal(basins(sent).length, 1);
});

test('zoom history: zoom, zoom, back, back, reset — each a new map of the right window', () => {
  const { store, sent } = opened();
  const w1 = { xRange: [0, 2] as [number, number], yRange: [0, 2] as [number, number] };
  const w2 = { xRange: [0.5, 1] as [number, number], yRange: [0.5, 1] as [number, number] };
  store.dispatch({ type: 'zoomBack' });
  store.dispatch({ type: 'zoomReset' });
  assert.equal(basins(sent).length, 1, 'nothing to go back to or reset at the start');
  store.dispatch({ type: 'zoomed', window: w1 });
  store.dispatch({ type: 'zoomed', window: w2 });
  assert.deepEqual(store.state.zoom.stack.map((w) => w.xRange), [[-3, 3], [0, 2]]);
  store.dispatch({ type: 'zoomBack' });
  assert.deepEqual(currentWindow(store.state), w1);
  store.dispatch({ type: 'zoomBack' });
  assert.deepEqual(store.state.zoom.window, { xRange: [-3, 3], yRange: [-3, 3] }, 'back to the full domain, still a chosen window');
  assert.equal(store.state.zoom.stack.length, 0);
  store.dispatch({ type: 'zoomBack' });
  store.dispatch({ type: 'zoomed', window: w2 });
  store.dispatch({ type: 'zoomReset' });
  assert.equal(store.state.zoom.window, null);
  assert.equal(store.state.zoom.stack.length, 0);
  assert.deepEqual(basins(sent).map((b) => b.xRange), [[-3, 3], [0, 2], [0.5, 1], [0, 2], [-3, 3], [0.5, 1], [-3, 3]]);
  assert.deepEqual(viewState(store.state), { eta: 0.25, xRange: null, yRange: null });
});

test('η change: stale trajectory answers and stale map rows are dropped, new ones land', () => {
  const { store, sent } = opened();
  const oldMain = basins(sent)[0];
  const oldTraj = ofType(sent, 'trajectory');
  store.dispatch({ type: 'etaSet', eta: 0.45, fromSlider: false });
  const newMain = basins(sent)[1];
  const newTraj = ofType(sent, 'trajectory').slice(2);
  assert.equal(newMain.eta, 0.45);
  assert.deepEqual(newTraj.map((t) => t.init), oldTraj.map((t) => t.init), 'same starts, asked again');
  assert.ok(newTraj.every((t, i) => t.eta === 0.45 && t.requestId > oldTraj[i].requestId));
  assert.ok(store.state.trajectories.entries.every((e) => e.data === null && e.eta === 0.45));

  // answers for the old η arrive late
  const traj = { eta: 0.25, init: [0.1, 2.5], n: 2, steps: 1, theta: [0.1, 2.5, 0.2, 2.4], loss: [1, 0.9], gradNorm: [1, 1], sharpness: [4, 4],
    increased: [0, 0], outcome: 'stable', minimum: 1, K: 0, increases: 0, firstIncreaseAt: null, enteredCertifiedAt: null };
  const before = store.state;
  store.dispatch(host({ type: 'trajectory', requestId: oldTraj[0].requestId, trajectory: traj }));
  store.dispatch(host({ type: 'basinStart', requestId: oldMain.requestId, purpose: 'main', stripIndex: 0, slice: sliceOf(oldMain), eta: 0.25 }));
  store.dispatch(rowsMsg(oldMain.requestId, engineRows(sliceOf(oldMain), 0.25, 0, 4), 4 / 256));
  assert.equal(store.state.trajectories, before.trajectories, 'stale trajectory ignored');
  assert.equal(store.state.main, before.main, 'stale basinStart and rows ignored');
  const mainMap = () => store.state.main?.map ?? null;
  assert.equal(mainMap(), null);

  // the current ones land
  store.dispatch(host({ type: 'trajectory', requestId: newTraj[1].requestId, trajectory: { ...traj, eta: 0.45 } }));
  assert.equal(store.state.trajectories.entries[1].data?.eta, 0.45);
  const slice = sliceOf(newMain);
  store.dispatch(host({ type: 'basinStart', requestId: newMain.requestId, purpose: 'main', stripIndex: 0, slice, eta: 0.45 }));
  // the old job's last rows arrive after the new job started: they must not land in its map
  store.dispatch(rowsMsg(oldMain.requestId, engineRows(sliceOf(oldMain), 0.25, 100, 104), 0.4));
  assert.ok(mainMap()?.rowFilled.every((r) => r === 0), 'stale rows kept out of the new map');
  assert.equal(store.state.main?.revision, 0);
  assert.equal(store.state.status.text, 'Computing 256×256 map at η = 0.45…');
  const rows = engineRows(slice, 0.45, 100, 104);
  store.dispatch(rowsMsg(newMain.requestId, rows, 0.5));
  const map = mainMap();
  assert.ok(map);
  assert.deepEqual(Array.from(map.rowFilled.slice(99, 105)), [0, 1, 1, 1, 1, 0]);
  assert.deepEqual(map.classes.slice(100 * 256, 104 * 256), rows.classes);
  assert.deepEqual(map.unstableSteps.slice(100 * 256, 104 * 256), rows.unstableSteps);
  assert.deepEqual(Array.from(map.minimum.slice(100 * 256, 104 * 256)), Array.from(rows.minimum));
  // the limit sharpness (float32 on the wire, NaN where a start did not converge) and the period arrive too; the map knows its η
  assert.deepEqual(map.limitSharpness.slice(100 * 256, 104 * 256), rows.limitSharpness);
  assert.deepEqual(map.period.slice(100 * 256, 104 * 256), rows.period);
  assert.equal(map.eta, 0.45);
  for (let i = 0; i < rows.classes.length; i++) {
    const converged = rows.classes[i] === PixelClass.Stable || rows.classes[i] === PixelClass.Unstable;
    // f4's minima have λ_max = 19/5 (closed form), below 2/η = 4.44
    if (converged) assert.ok(Math.abs(map.limitSharpness[100 * 256 + i] - 19 / 5) < 1e-5, `pixel ${i}: ${map.limitSharpness[100 * 256 + i]}`);
    else assert.ok(Number.isNaN(map.limitSharpness[100 * 256 + i]));
  }
  assert.equal(store.state.main?.revision, 1);
  assert.equal(store.state.status.progress, 50);
  assert.equal(store.state.status.text, 'Computing 256×256 at η = 0.45: 50.0% (2.5 M starts/s)');
  // answers never trigger requests: still one map and two trajectories per η
  assert.equal(basins(sent).length, 2);
  assert.equal(ofType(sent, 'trajectory').length, 4);
  // the engine's rows near y ≈ 0.6 at η = 0.45 hold both outcomes the paper draws
  assert.ok(rows.classes.includes(PixelClass.Stable) || rows.classes.includes(PixelClass.Unstable));
});

test('done, error and cancel drive the status line, progress and Cancel', () => {
  const { store, sent } = opened();
  const main = basins(sent)[0];
  const stats = { total: 65536, stable: 0.491, unstable: 0.19, diverged: 0.319, notConverged: 0, other: 0, cycle: 0, aperiodic: 0, descending: 0, perMinimum: [], minimumSet: { stable: 0, unstable: 0 }, unlisted: { stable: 0, unstable: 0 } };
  store.dispatch({ type: 'sweepRequested' });
  store.dispatch(host({ type: 'basinStart', requestId: main.requestId, purpose: 'main', stripIndex: 0, slice: sliceOf(main), eta: 0.25 }));
  store.dispatch(host({ type: 'basinDone', requestId: main.requestId, stats, certificates: [], elapsedMs: 142 }));
  // 0.25 / (10/19) = 0.475 η_max, the figure the README quotes for this example
  assert.equal(store.state.status.text, '256×256 map at η = 0.25 (0.475 η_max) in 0.142 s: stable 49.1%, unstable 19.0%, diverged 31.9%');
  assert.equal(store.state.main?.done, true);
  assert.equal(store.state.status.progressVisible, false);
  assert.equal(store.state.status.cancelVisible, true, 'the sweep still runs');
  const sweep = ofType(sent, 'sweep')[0];
  assert.deepEqual({ xRange: sweep.xRange, grid: sweep.grid }, { xRange: [-3, 3], grid: 64 });
  store.dispatch(host({ type: 'sweepDone', requestId: sweep.requestId, points: [] }));
  assert.equal(store.state.status.cancelVisible, false);

  store.dispatch({ type: 'etaSet', eta: 0.3, fromSlider: false });
  const main2 = basins(sent)[1];
  store.dispatch(host({ type: 'cancelled', requestId: null }));
  assert.equal(store.state.status.text, 'Cancelled: the map shows the rows computed so far.');
  assert.ok(!store.state.status.cancelVisible && !store.state.status.progressVisible);

  store.dispatch({ type: 'etaSet', eta: 0.35, fromSlider: false });
  const traj = store.state.trajectories.entries[0].requestId;
  store.dispatch(host({ type: 'error', requestId: traj, message: 'Trajectory from (0.1, 2.5): worker crashed' }));
  assert.equal(store.state.trajectories.entries[0].error, 'Trajectory from (0.1, 2.5): worker crashed');
  assert.equal(store.state.error, null, 'a trajectory error stays in its list entry');
  store.dispatch(host({ type: 'error', requestId: main2.requestId, message: 'old job failed' }));
  assert.equal(store.state.status.text, 'Computing 256×256 map at η = 0.35…', 'an old job’s error leaves the status');
  assert.equal(store.state.error, 'old job failed');
  store.dispatch(host({ type: 'error', requestId: basins(sent)[2].requestId, message: 'Basin map failed: out of memory' }));
  assert.equal(store.state.status.text, 'Failed.');
  assert.equal(store.state.mapMessage, 'Basin map failed: out of memory');
});

test('restoring: the host view wins; without one, the persisted view of the same problem', () => {
  const restored = { session: F4_SESSION, view: { eta: 0.4, xRange: [0, 1] as [number, number], yRange: [-1, 0] as [number, number] } };
  let s: PanelState = reduce(initialState(THEME, restored), sessionMsg());
  assert.equal(s.eta, 0.4);
  assert.deepEqual(s.zoom.window, { xRange: [0, 1], yRange: [-1, 0] });
  s = reduce(initialState(THEME, restored), sessionMsg(F4_SESSION, { eta: 0.3, xRange: null, yRange: null }));
  assert.equal(s.eta, 0.3);
  assert.equal(s.zoom.window, null);
  const other = { ...F4_SESSION, problem: { ...F4_SESSION.problem, expression: 'x^2 + y^2' }, eta: 0.7 };
  s = reduce(initialState(THEME, restored), sessionMsg(other));
  assert.equal(s.eta, 0.7, 'another problem starts at its own η');
  // later sessions of the same problem keep the η and zoom the panel shows now
  s = reduce(reduce(reduce(initialState(THEME), sessionMsg()), analysisMsg()), { type: 'zoomed', window: { xRange: [1, 2], yRange: [1, 2] } });
  s = reduce(reduce(s, { type: 'etaSet', eta: 0.2, fromSlider: false }), sessionMsg({ ...F4_SESSION, title: 'edited' }));
  assert.equal(s.eta, 0.2);
  assert.deepEqual(s.zoom.window, { xRange: [1, 2], yRange: [1, 2] });
  assert.equal(s.main, null);
  assert.equal(s.generation, 2);
});

test('clicking the map replaces the clicked trajectory and selects it; bad config starts are reported', () => {
  const { store, sent } = opened();
  store.dispatch({ type: 'startPicked', x: 1, y: -1 });
  store.dispatch({ type: 'startPicked', x: 2, y: 0.5 });
  const e = store.state.trajectories.entries;
  assert.deepEqual(e.map((t) => [t.source, t.init]), [['config', [0.1, 2.5]], ['config', [1.5, 2]], ['click', [2, 0.5]]]);
  assert.equal(store.state.trajectories.selected, 2);
  assert.deepEqual(ofType(sent, 'trajectory').map((t) => t.init).slice(2), [[1, -1], [2, 0.5]]);

  const bad = recordingStore();
  bad.store.dispatch(sessionMsg({ ...F4_SESSION, starts: [[1, 2, 3], [0, 1]] }));
  bad.store.dispatch(analysisMsg());
  assert.equal(bad.store.state.error, 'Start (1, 2, 3) has 3 coordinates; the objective has 2 variables.');
  assert.deepEqual(ofType(bad.sent, 'trajectory').map((t) => t.init), [[0, 1]]);
});

test('the done status names the classes beyond stable / unstable / diverged that occur (older stats without 5–7 too)', () => {
  const base = {
    total: 1, stable: 0.3, unstable: 0.05, diverged: 0, notConverged: 0, other: 0.01, cycle: 0.02, aperiodic: 0, descending: 0.62,
    perMinimum: [], minimumSet: { stable: 0, unstable: 0 }, unlisted: { stable: 0, unstable: 0 },
  };
  assert.equal(extraClasses(base), ', cycle 2.0%, still descending 62.0%, other 1.0%');
  const { cycle: _c, aperiodic: _a, descending: _d, ...old } = base;
  assert.equal(extraClasses(old as typeof base), ', other 1.0%');
});
