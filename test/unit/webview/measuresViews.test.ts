/**
 * The panel's measures views on the real f4 example: the fractal measures beside the legend (from
 * the finished map, with the uncertainty exponent job reset by a new map), the tipping view
 * (request from the current η, the engine's comparison through the wire format, the transition
 * picture and table against counts made here), and the map's SVG export (structure parsed with
 * htmlparser2: title, axes, legend, the map at grid resolution).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'htmlparser2';
import { elements } from '../support/svgDom';
import { decode } from 'fast-png';
import { computeBasinMap } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { basinEntropy } from '../../../src/engine/measures/fractal';
import { tipping } from '../../../src/engine/measures/tipping';
import { figureToSvg } from '../../../src/figures/svg';
import { tippingView, validateMeasuresHostMessage } from '../../../src/shared/measuresMessages';
import { mapFigure } from '../../../webview/lib/figures';
import { mapMeasures, measureRows } from '../../../webview/lib/measures';
import { transitionPicture, transitionTable, UNCHANGED } from '../../../webview/lib/tipping';
import { measuresSlice, UNCERTAINTY_GRID } from '../../../webview/state/measures';
import { TIPPING_GRID, tippingSlice } from '../../../webview/state/tipping';
import { F4_PROBLEM, F4_SESSION, analysisMsg, engineRows, host, ofType, recordingStore, rowsMsg, sessionMsg, sliceOf } from './panelFixture';

/** A store with the f4 session at a 48² grid whose main map is complete. */
function finishedMap() {
  const r = recordingStore();
  const measures = r.store.addSlice(measuresSlice);
  const tip = r.store.addSlice(tippingSlice);
  r.store.dispatch(sessionMsg({ ...F4_SESSION, grid: 48 }));
  r.store.dispatch(analysisMsg());
  const req = ofType(r.sent, 'basin').find((b) => b.purpose === 'main');
  assert.ok(req);
  const slice = sliceOf(req);
  r.store.dispatch(host({ type: 'basinStart', requestId: req.requestId, purpose: 'main', stripIndex: 0, slice, eta: req.eta }));
  const rows = engineRows(slice, req.eta, 0, slice.height);
  r.store.dispatch(rowsMsg(req.requestId, rows, 1));
  r.store.dispatch(host({ type: 'basinDone', requestId: req.requestId, stats: { total: 1, stable: 0, unstable: 0, diverged: 0, notConverged: 0, other: 0, cycle: 0, aperiodic: 0, descending: 0, perMinimum: [], minimumSet: { stable: 0, unstable: 0 }, unlisted: { stable: 0, unstable: 0 } }, certificates: certifyAll(F4_PROBLEM, req.eta), elapsedMs: 1 }));
  return { ...r, measures, tip, slice, rows, req };
}

test('fractal measures beside the legend: S_b, S_bb with the ln 2 verdict and the two boundary dimensions of the finished map', () => {
  const { store, rows, slice } = finishedMap();
  const map = store.state.main?.map;
  assert.ok(map);
  const m = mapMeasures(map, 2, (slice.xRange[1] - slice.xRange[0]) / slice.width);
  assert.ok(m);
  // S_b of the outcome classes, counted here box by box (5×5 boxes, natural log)
  let sum = 0;
  let boxes = 0;
  for (let by = 0; by + 5 <= 48; by += 5) {
    for (let bx = 0; bx + 5 <= 48; bx += 5) {
      const counts = new Map<number, number>();
      for (let r = by; r < by + 5; r++) for (let c = bx; c < bx + 5; c++) counts.set(rows.classes[r * 48 + c], (counts.get(rows.classes[r * 48 + c]) ?? 0) + 1);
      sum -= [...counts.values()].reduce((s, n) => s + (n / 25) * Math.log(n / 25), 0);
      boxes++;
    }
  }
  assert.ok(Math.abs((m.entropy.find((e) => e.partition === 'outcome')?.Sb ?? NaN) - sum / boxes) < 1e-12);
  const text = measureRows(m, null);
  const outcome = text.find((r) => r.label === 'S_b, S_bb (outcomes)');
  assert.ok(outcome && /\((> ln 2 ⇒ fractal|≤ ln 2: not decided|no boundary)\)$/.test(outcome.value), outcome?.value);
  assert.ok(text.some((r) => r.label === 'stable | unstable boundary' && /^(D = \d\.\d+ ± [\d.e-]+|none)$/.test(r.value)));
  const partial = { ...map, rowFilled: map.rowFilled.map((v, i) => (i === 3 ? 0 : v)) };
  assert.equal(mapMeasures(partial, 2, 0.1), null, 'a partial map has no measures');
  assert.equal(basinEntropy(rows.classes, 8, 48, 48).boxes, boxes);
});

test('uncertainty exponent: on demand for the finished map (η, window, 64² starts), cleared by a new map', () => {
  const { store, sent, measures, req } = finishedMap();
  measures.dispatch({ type: 'uncertaintyRequested' });
  const [u] = ofType(sent, 'uncertainty');
  assert.deepEqual([u.eta, u.xRange, u.yRange, u.grid], [req.eta, req.xRange, req.yRange, UNCERTAINTY_GRID]);
  const done = { type: 'uncertaintyDone' as const, requestId: u.requestId, starts: 4096, exponents: [{ partition: 'outcome', alpha: 0.6, stdErr: 0.03, dimension: 1.4, epsilonRange: [1e-3, 0.4] as [number, number], reason: null }] };
  assert.doesNotThrow(() => validateMeasuresHostMessage(done, 'message(uncertaintyDone)'));
  store.dispatch(host(done));
  assert.equal(measures.get().uncertainty?.status, 'done');
  const m = mapMeasures(store.state.main?.map as NonNullable<typeof store.state.main>['map'] & object, 2, 0.1);
  assert.ok(m);
  assert.ok(measureRows(m, measures.get().uncertainty?.exponents ?? null).some((r) => r.value === 'α = 0.6 ± 0.03 → D = 1.4'));
  store.dispatch({ type: 'etaSet', eta: 0.3, fromSlider: false });
  assert.equal(measures.get().uncertainty, null, 'a new map drops the exponent of the old one');
});

test('tipping view: η₁ = current η, the engine comparison through the wire, picture and table against counts made here', () => {
  const { store, sent, tip } = finishedMap();
  tip.dispatch({ type: 'tippingRequested', eta2: 0.5 });
  const [t] = ofType(sent, 'tipping');
  assert.equal(t.eta1, store.state.eta);
  assert.equal(t.grid, Math.min(TIPPING_GRID, 48));
  const slice = { ...sliceOf({ type: 'basin', requestId: 0, purpose: 'main', stripIndex: 0, eta: t.eta1, xRange: t.xRange, yRange: t.yRange, grid: t.grid }) };
  const a = computeBasinMap(F4_PROBLEM, slice, t.eta1, DEFAULT_CLASSIFY, certifyAll(F4_PROBLEM, t.eta1));
  const b = computeBasinMap(F4_PROBLEM, slice, t.eta2, DEFAULT_CLASSIFY, certifyAll(F4_PROBLEM, t.eta2));
  assert.ok(a && b);
  const engine = tipping(t.eta1, t.eta2, a, b, slice.width, slice.height, 2);
  const wire = JSON.parse(JSON.stringify({ type: 'tippingDone', requestId: t.requestId, tipping: tippingView(engine) })) as Parameters<typeof host>[0];
  store.dispatch(host(wire));
  const job = tip.get().job;
  assert.equal(job?.status, 'done');
  assert.deepEqual(Array.from(job?.transitions ?? []), Array.from(engine.transitions));
  const same = a.classes.filter((c, i) => c === b.classes[i]).length;
  assert.ok(same < a.classes.length, 'some starts change class between 0.25 and 0.5 on f4');
  const pic = transitionPicture(job!.result!, job!.transitions!);
  let grey = 0;
  for (let i = 0; i < a.classes.length; i++) if (pic.rgba[4 * i] === UNCHANGED[0] && pic.rgba[4 * i + 1] === UNCHANGED[1]) grey++;
  assert.equal(grey, same, 'unchanged starts are exactly the grey pixels');
  assert.ok(Math.abs(pic.legend.reduce((s, e) => s + e.fraction, 0) - 1) < 1e-12, 'legend fractions add up to all starts');
  const stableToUnstable = a.classes.filter((c, i) => c === 3 && b.classes[i] === 4).length / a.classes.length;
  const entry = pic.legend.find((e) => e.label === 'stable → unstable');
  assert.ok(stableToUnstable === 0 ? !entry : Math.abs((entry?.fraction ?? NaN) - stableToUnstable) < 1e-12);
  const table = transitionTable(job!.result!);
  const row = table.rows.find((r) => r.label === 'stable');
  const col = table.columns.indexOf('unstable');
  assert.ok(row && col >= 0);
  assert.equal(row.cells[col], `${(100 * stableToUnstable).toFixed(1)}%`);
  store.dispatch(sessionMsg());
  assert.equal(tip.get().job, null);
});

test('map SVG export: title with η, axes, legend rows with fractions, the map at grid resolution', () => {
  const { store } = finishedMap();
  const spec = mapFigure(store.state);
  assert.ok(spec);
  const all = elements(parseDocument(figureToSvg(spec), { xmlMode: true }).children);
  const texts = all.filter((e) => e.name === 'text').map((e) => e.children.map((c) => (c as unknown as { data: string }).data).join(''));
  assert.match(spec.title, /: η = 0\.25 \(0\.475 η_max\)$/);
  for (const t of [spec.title, 'x', 'y', 'stable (U_η)', 'unstable (V_η \\ U_η)', 'diverged', 'minimum θ*']) assert.ok(texts.includes(t), `"${t}" in ${texts.join(' | ')}`);
  assert.ok(texts.some((t) => /^\d+\.\d%$/.test(t)), 'fractions in the legend');
  const image = all.find((e) => e.name === 'image');
  assert.ok(image);
  const png = decode(Buffer.from(image.attribs.href.split(',')[1], 'base64'));
  assert.deepEqual([png.width, png.height], [48, 48]);
});
