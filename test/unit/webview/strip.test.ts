import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PixelClass } from '../../../src/engine/types';
import { PAPER_ETA_FRACTIONS } from '../../../webview/lib/geometry';
import { STRIP_GRID, stripSlice } from '../../../webview/state/strip';
import { F4_ANALYSIS, F4_SESSION, analysisMsg, engineRows, host, ofType, recordingStore, rowsMsg, sessionMsg, sliceOf } from './panelFixture';

function withStrip(session = F4_SESSION, analysis = F4_ANALYSIS) {
  const r = recordingStore();
  const strip = r.store.addSlice(stripSlice);
  r.store.dispatch(sessionMsg(session));
  r.store.dispatch(analysisMsg(analysis));
  return { ...r, strip };
}

test('Figure 2 strip: the paper’s five fractions of η_max = 10/19 over the current window', () => {
  const { store, sent, strip } = withStrip();
  store.dispatch({ type: 'stripRequested' });
  const req = ofType(sent, 'basin').filter((b) => b.purpose === 'strip');
  assert.deepEqual(req.map((r) => r.stripIndex), [0, 1, 2, 3, 4]);
  req.forEach((r, i) => assert.ok(Math.abs(r.eta - (PAPER_ETA_FRACTIONS[i] * 10) / 19) < 1e-6, `η of map ${i}`));
  assert.ok(req.every((r) => r.grid === STRIP_GRID && r.xRange[0] === -3 && r.yRange[1] === 3));
  assert.equal(new Set(req.map((r) => r.requestId)).size, 5);
  assert.equal(strip.get().entries.length, 5);
  assert.equal(store.state.error, null);
});

test('strip maps fill from their own rows only; zooming re-runs a shown strip; a new session empties it', () => {
  const { store, sent, strip } = withStrip();
  store.dispatch({ type: 'stripRequested' });
  const [r0, r1] = ofType(sent, 'basin').filter((b) => b.purpose === 'strip');
  const slice = sliceOf(r1);
  store.dispatch(host({ type: 'basinStart', requestId: r1.requestId, purpose: 'strip', stripIndex: 1, slice, eta: r1.eta }));
  // a start naming the wrong index is not this entry's
  store.dispatch(host({ type: 'basinStart', requestId: r0.requestId, purpose: 'strip', stripIndex: 3, slice, eta: r0.eta }));
  assert.equal(strip.get().entries[0].map, null);
  const rows = engineRows(slice, r1.eta, 0, slice.height);
  store.dispatch(rowsMsg(r1.requestId, rows, 1));
  const e1 = strip.get().entries[1];
  assert.deepEqual(e1.map?.classes, rows.classes);
  assert.equal(e1.revision, 1);
  // η = 0.5 η_max: most converging starts are stable on f4
  assert.ok(rows.classes.filter((c) => c === PixelClass.Stable).length > rows.classes.filter((c) => c === PixelClass.Unstable).length);
  store.dispatch(host({ type: 'basinDone', requestId: r1.requestId, stats: { total: 1, stable: 1, unstable: 0, diverged: 0, notConverged: 0, other: 0, cycle: 0, aperiodic: 0, descending: 0, perMinimum: [], minimumSet: { stable: 0, unstable: 0 }, unlisted: { stable: 0, unstable: 0 } }, certificates: [], elapsedMs: 1 }));
  assert.equal(strip.get().entries[1].done, true);

  const before = ofType(sent, 'basin').length;
  store.dispatch({ type: 'etaSet', eta: 0.3, fromSlider: false });
  assert.equal(ofType(sent, 'basin').length, before + 1, 'η change: only the main map');
  store.dispatch({ type: 'zoomed', window: { xRange: [0, 1], yRange: [0, 1] } });
  const again = ofType(sent, 'basin').slice(before + 1);
  assert.deepEqual(again.map((b) => b.purpose), ['main', 'strip', 'strip', 'strip', 'strip', 'strip']);
  assert.ok(again.every((b) => b.xRange[0] === 0 && b.xRange[1] === 1));
  assert.ok(strip.get().entries.every((e) => e.map === null));

  store.dispatch(sessionMsg());
  assert.equal(strip.get().entries.length, 0);
  const n = ofType(sent, 'basin').length;
  store.dispatch(analysisMsg());
  store.dispatch({ type: 'zoomed', window: { xRange: [0, 2], yRange: [0, 2] } });
  assert.equal(ofType(sent, 'basin').filter((b, i) => i >= n && b.purpose === 'strip').length, 0, 'a hidden strip is not re-run');
});

test('strip: the session’s own learning rates (at most 8); no η_max → an error, no maps', () => {
  const lrs = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45];
  const { store, sent, strip } = withStrip({ ...F4_SESSION, learningRates: lrs });
  store.dispatch(host({ type: 'command', command: 'strip', requestId: 1_000_000_000 }));
  assert.deepEqual(ofType(sent, 'basin').filter((b) => b.purpose === 'strip').map((b) => b.eta), lrs.slice(0, 8));
  assert.ok(Math.abs(strip.get().entries[4].fraction - 0.25 / (10 / 19)) < 1e-6);

  const none = withStrip(F4_SESSION, { ...F4_ANALYSIS, minima: [], etaMax: null });
  none.store.dispatch({ type: 'stripRequested' });
  assert.match(none.store.state.error ?? '', /^Figure 2 strip: no strict minimum was found/);
  assert.equal(none.strip.get().entries.length, 0);
  assert.equal(ofType(none.sent, 'basin').filter((b) => b.purpose === 'strip').length, 0);
});
