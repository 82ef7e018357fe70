import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shallowEqual } from '../../../webview/core/store';
import type { SliceDef } from '../../../webview/core/store';
import type { Action } from '../../../webview/state/actions';
import { F4_ANALYSIS, analysisMsg, ofType, recordingStore, sessionMsg } from './panelFixture';

test('shallowEqual: one level of arrays and plain objects, Object.is below', () => {
  const o = { a: 1 };
  assert.ok(shallowEqual([1, o, 'x'], [1, o, 'x']));
  assert.ok(!shallowEqual([1, o], [1, { a: 1 }]));
  assert.ok(shallowEqual({ a: 1, b: o }, { b: o, a: 1 }));
  assert.ok(!shallowEqual({ a: 1 }, { a: 1, b: undefined }));
  assert.ok(!shallowEqual([1, 2], { 0: 1, 1: 2 }));
  assert.ok(shallowEqual(NaN, NaN));
  assert.ok(!shallowEqual(null, {}));
});

test('watch: runs at once, then only when its slice changes', () => {
  const { store } = recordingStore();
  const seen: number[] = [];
  store.watch((s) => s.eta, (eta) => seen.push(eta));
  const layers: string[] = [];
  store.watch((s) => s.display.layer, (l) => layers.push(l));
  assert.deepEqual(seen, [0.1]);
  store.dispatch({ type: 'layerChosen', layer: 'K' });
  store.dispatch({ type: 'mapHovered', hover: { x: 0, y: 0, col: 1, row: 2 } });
  assert.deepEqual(seen, [0.1], 'η watcher not called for other slices');
  assert.deepEqual(layers, ['class', 'K']);
  store.dispatch(sessionMsg());
  assert.deepEqual(seen, [0.1, 0.25], 'the f4 example starts at lr 0.25');
  store.dispatch({ type: 'etaSet', eta: 0.25, fromSlider: false });
  assert.deepEqual(seen, [0.1, 0.25], 'same η: no call');
});

test('a throwing listener is reported and the others still run', () => {
  const { store, errors } = recordingStore();
  let calls = 0;
  store.watch((s) => s.notice, (n) => {
    if (n === 'boom') throw new Error('listener failed');
  });
  store.watch((s) => s.notice, () => calls++);
  store.dispatch({ type: 'noticeShown', message: 'boom' });
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /listener failed/);
  assert.equal(calls, 2, 'second watcher ran at start and on the change');
  assert.equal(store.state.notice, 'boom');
});

interface Counter { count: number; jobs: number[]; lastType: string }
type CounterAction = { type: 'bump' } | { type: 'job' };

/** A minimal view slice: counts every panel action, takes request ids for its own jobs. */
const counter: SliceDef<Counter, CounterAction> = {
  key: 'counter',
  initial: { count: 0, jobs: [], lastType: '' },
  reduce: (s, a: Action) => ({ ...s, count: s.count + 1, lastType: a.type }),
  update: (s, a, env) => (a.type === 'bump' ? { ...s, count: s.count + 100 } : { ...s, jobs: [...s.jobs, env.requestId()] }),
  requests: (prev, next) => next.jobs.filter((id) => !prev.jobs.includes(id)).map((id) => ({ type: 'cancel' as const, requestId: id })),
};

test('view slice: sees every action, has its own, shares the request-id counter, sends each request once', () => {
  const { store, sent } = recordingStore();
  const h = store.addSlice(counter);
  assert.throws(() => store.addSlice(counter), /two view slices are called "counter"/);
  const counts: number[] = [];
  h.watch((s) => s.count, (c) => counts.push(c));
  store.dispatch(sessionMsg());
  store.dispatch(analysisMsg());
  assert.equal(h.get().lastType, 'host');
  // the analysis asked for the main map and two config trajectories: ids 1, 2, 3
  const core = [...ofType(sent, 'basin'), ...ofType(sent, 'trajectory')].map((m) => m.requestId).sort();
  assert.deepEqual(core, [1, 2, 3]);
  h.dispatch({ type: 'job' });
  h.dispatch({ type: 'bump' });
  h.dispatch({ type: 'job' });
  assert.deepEqual(h.get().jobs, [4, 5], 'slice ids continue after the core ones');
  assert.equal(store.state.nextRequestId, 6);
  store.dispatch({ type: 'etaSet', eta: 0.3, fromSlider: false });
  const afterEta = [...ofType(sent, 'basin'), ...ofType(sent, 'trajectory')].map((m) => m.requestId).filter((id) => id > 5).sort();
  assert.deepEqual(afterEta, [6, 7, 8], 'the core continues after the slice ids');
  assert.deepEqual(ofType(sent, 'cancel').map((m) => m.requestId), [4, 5], 'one request per new slice job');
  assert.deepEqual(counts, [0, 1, 2, 102, 103]);
  assert.ok(F4_ANALYSIS.etaMax);
});
