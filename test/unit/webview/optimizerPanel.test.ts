/**
 * The panel under another optimizer, on the real f4 examples: the selector's core state (every job
 * asked again under the chosen optimizer, η_max = the optimizer's own threshold, the old sweep
 * stopped), the per-pixel loss-increase counts as the host streams them (checked against an
 * independent heavy-ball loop written here), the legend's numbers, and the momentum analysis of a
 * finished map. Oracles: f4's λ_max = 19/5 at both minima, so η_max = 10/19 for GD and
 * 2(1+β)/λ_max = 1 for heavy-ball 0.9; textbook loops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/config';
import { BUILTIN_DEFAULTS, sessionFromConfig } from '../../../src/config/session';
import { basinStats, createBasinKernel, pixelStart } from '../../../src/engine/basin';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { optimizerAnalysis } from '../../../src/engine/optimizers/analysis';
import { resolveOptimizer, type OptimizerSpec } from '../../../src/engine/optimizers/spec';
import { PixelClass, type SliceSpec } from '../../../src/engine/types';
import { uint16ToBase64 } from '../../../src/shared/optimizerMessages';
import { bytesToBase64, float32ToBase64, uint32ToBase64 } from '../../../src/shared/base64';
import { validateHostMessage, validateWebviewMessage } from '../../../src/shared/protocolValidation';
import type { AnalysisSession } from '../../../src/shared/session';
import { increaseLegendRows } from '../../../webview/lib/increaseLayer';
import { renderMap } from '../../../webview/lib/colors';
import { legendRows } from '../../../webview/lib/legend';
import { stripSlice } from '../../../webview/state/strip';
import { F4_ANALYSIS, F4_PROBLEM, F4_SESSION, analysisMsg, host, ofType, recordingStore, sessionMsg, sliceOf } from './panelFixture';

const HEAVY_BALL = resolveOptimizer({ name: 'momentum', beta: 0.9 });
const ADAM = resolveOptimizer({ name: 'adam' });

function exampleSession(file: string): AnalysisSession {
  const config = parseConfig(readFileSync(join(__dirname, '..', '..', '..', 'examples', file), 'utf8'), 'json');
  const session = config.spec && sessionFromConfig(config, F4_PROBLEM.minima, BUILTIN_DEFAULTS);
  if (!session) throw new Error(`no session for ${file}`);
  return session;
}

function opened(session: AnalysisSession = F4_SESSION) {
  const r = recordingStore();
  const strip = r.store.addSlice(stripSlice);
  r.store.dispatch(sessionMsg(session));
  r.store.dispatch(analysisMsg());
  return { ...r, strip };
}

/** The rows a momentum map's worker computes, as the host sends them (increases included). */
function rowsOf(slice: SliceSpec, eta: number, spec: OptimizerSpec, rowStart: number, rowEnd: number) {
  const kernel = createBasinKernel(F4_PROBLEM, slice, eta, DEFAULT_CLASSIFY, [], spec);
  const rows = kernel.runRows(rowStart, rowEnd);
  if (!rows) throw new Error('cancelled');
  return rows;
}

function rowsMessage(requestId: number, rows: ReturnType<typeof rowsOf>) {
  return host({
    type: 'basinRows', requestId, rowStart: rows.rowStart, rowEnd: rows.rowEnd, width: rows.width,
    classes: bytesToBase64(rows.classes), minimum: bytesToBase64(rows.minimum),
    steps: uint32ToBase64(rows.steps), unstableSteps: uint32ToBase64(rows.unstableSteps), increases: uint16ToBase64(rows.increases),
    limitSharpness: float32ToBase64(rows.limitSharpness), period: bytesToBase64(rows.period),
    progress: { rowsDone: rows.rowEnd, rowsTotal: 256, fraction: rows.rowEnd / 256, pixelsPerSecond: 1e6 },
  });
}

test('a heavy-ball config opens under heavy-ball: η_max = 2(1+β)/λ_max = 1, and every request names the optimizer', () => {
  const { store, sent } = opened(exampleSession('f4-momentum.gdlab.json'));
  assert.deepEqual(store.state.optimizer, HEAVY_BALL);
  assert.ok(Math.abs((store.state.analysis?.etaMax as number) - 1) < 1e-12, `η_max ${store.state.analysis?.etaMax}`);
  const [main] = ofType(sent, 'basin');
  assert.deepEqual(main.optimizer, HEAVY_BALL);
  assert.equal(main.eta, 0.25);
  const traj = ofType(sent, 'trajectory');
  assert.equal(traj.length, 2);
  assert.ok(traj.every((t) => t.optimizer?.name === 'momentum'));
  // what the webview sends passes the host's validation (a resolved optimizer in each request)
  for (const m of sent) assert.doesNotThrow(() => validateWebviewMessage(JSON.parse(JSON.stringify(m))), JSON.stringify(m).slice(0, 80));
});

test('choosing heavy-ball 0.9 on the GD session: a new map and trajectories under it, the stale answers dropped; the same choice again asks nothing', () => {
  const { store, sent } = opened();
  assert.ok(Math.abs((store.state.analysis?.etaMax as number) - 10 / 19) < 1e-9);
  const [gdMain] = ofType(sent, 'basin');
  assert.deepEqual(gdMain.optimizer, { name: 'gd' });
  const gdTraj = ofType(sent, 'trajectory');
  store.dispatch({ type: 'optimizerSet', optimizer: HEAVY_BALL });
  const [, hbMain] = ofType(sent, 'basin');
  assert.deepEqual(hbMain.optimizer, HEAVY_BALL);
  assert.equal(hbMain.eta, 0.25, 'the same η');
  assert.deepEqual(hbMain.xRange, gdMain.xRange);
  const hbTraj = ofType(sent, 'trajectory').slice(2);
  assert.deepEqual(hbTraj.map((t) => [t.init, t.optimizer?.name]), gdTraj.map((t) => [t.init, 'momentum']));
  // η_max is heavy-ball's own: 2(1 + 0.9)/(19/5) = 1
  assert.ok(Math.abs((store.state.analysis?.etaMax as number) - 1) < 1e-12);
  // the GD map's rows arriving late do not land in the heavy-ball map
  store.dispatch(host({ type: 'basinStart', requestId: gdMain.requestId, purpose: 'main', stripIndex: 0, slice: sliceOf(gdMain), eta: 0.25 }));
  assert.equal(store.state.main?.map, null);
  assert.equal(store.state.main?.requestId, hbMain.requestId);
  const count = sent.length;
  store.dispatch({ type: 'optimizerSet', optimizer: resolveOptimizer({ name: 'momentum', beta: 0.9 }) });
  assert.equal(sent.length, count, 'the same optimizer again: nothing asked');
  store.dispatch({ type: 'optimizerSet', optimizer: resolveOptimizer({ name: 'momentum', beta: 0.5 }) });
  assert.ok(Math.abs((store.state.analysis?.etaMax as number) - (2 * 1.5) / 3.8) < 1e-12, 'β = 0.5: 2(1.5)/λ_max');
  // back to GD: GD's η_max, the status line's fraction of it
  store.dispatch({ type: 'optimizerSet', optimizer: { name: 'gd' } });
  assert.ok(Math.abs((store.state.analysis?.etaMax as number) - 10 / 19) < 1e-9);
});

test('Adam: no static η_max (the slider goes absolute), the running sweep is stopped, the strip explains itself', () => {
  const { store, sent, strip } = opened();
  store.dispatch({ type: 'sweepRequested' });
  const [sweep] = ofType(sent, 'sweep');
  assert.deepEqual(sweep.optimizer, { name: 'gd' });
  store.dispatch({ type: 'stripRequested' });
  assert.equal(strip.get().entries.length, 5);
  store.dispatch({ type: 'optimizerSet', optimizer: ADAM });
  assert.equal(store.state.analysis?.etaMax, null);
  assert.equal(store.state.sweep, null);
  assert.deepEqual(ofType(sent, 'cancel').map((c) => c.requestId), [sweep.requestId], 'the old sweep is cancelled');
  assert.equal(strip.get().entries.length, 0, 'no fractions of η_max to show');
  store.dispatch({ type: 'stripRequested' });
  assert.match(store.state.error ?? '', /Adam has no static η_max/);
  // the same Adam session with its own learning rates: the strip shows those
  const { store: s2, sent: sent2, strip: strip2 } = opened(exampleSession('f4-adam.gdlab.json'));
  assert.deepEqual(s2.state.optimizer, ADAM);
  s2.dispatch({ type: 'stripRequested' });
  assert.deepEqual(strip2.get().entries.map((e) => e.eta), [0.01, 0.05, 0.2]);
  assert.ok(ofType(sent2, 'basin').filter((b) => b.purpose === 'strip').every((b) => b.optimizer?.name === 'adam'));
  assert.equal(s2.state.error, null);
});

test('per-pixel loss increases: the heavy-ball rows land in the map, agree with a textbook heavy-ball loop, and the legend states their numbers and the guard', () => {
  const { store, sent } = opened();
  store.dispatch({ type: 'optimizerSet', optimizer: HEAVY_BALL });
  const main = ofType(sent, 'basin')[1];
  const slice = sliceOf(main);
  store.dispatch(host({ type: 'basinStart', requestId: main.requestId, purpose: 'main', stripIndex: 0, slice, eta: 0.25 }));
  const rows = rowsOf(slice, 0.25, HEAVY_BALL, 60, 64);
  store.dispatch(rowsMessage(main.requestId, rows));
  const map = store.state.main?.map;
  assert.ok(map);
  assert.deepEqual(map.increases.slice(60 * 256, 64 * 256), rows.increases);

  // an independent heavy-ball loop from each start of row 62: θ_{k+1} = θ_k − η∇f(θ_k) + β(θ_k − θ_{k−1})
  const f = (x: number, y: number): number => (1 - x * y) ** 2 + (x * x + y * y) / 20;
  const g = (x: number, y: number): [number, number] => [-2 * y * (1 - x * y) + x / 10, -2 * x * (1 - x * y) + y / 10];
  let compared = 0;
  for (let col = 0; col < 256; col += 2) {
    const i = 62 * 256 + col;
    if (map.classes[i] !== PixelClass.Stable && map.classes[i] !== PixelClass.Unstable) continue;
    let [x, y] = pixelStart(slice, 62, col);
    let [px, py] = [x, y];
    // the guard counts f_k − f_{k−1} > 1e-12·(|f_{k−1}| + T), T = f4's terms in magnitude at its
    // minima (x² = y² = 0.95): (1 + |xy|)² + (x² + y²)/20 = 3.8975; counted with T ± 0.1%
    const lo = [0, 0];
    const T = (1 + 0.95) ** 2 + 1.9 / 20;
    let fPrev = f(x, y);
    for (let k = 1; k <= map.steps[i]; k++) {
      const [gx, gy] = g(x, y);
      const nx = x - 0.25 * gx + 0.9 * (x - px);
      const ny = y - 0.25 * gy + 0.9 * (y - py);
      [px, py, x, y] = [x, y, nx, ny];
      const fk = f(x, y);
      if (fk - fPrev > 1e-12 * (Math.abs(fPrev) + 0.999 * T)) lo[0]++;
      if (fk - fPrev > 1e-12 * (Math.abs(fPrev) + 1.001 * T)) lo[1]++;
      fPrev = fk;
    }
    if (lo[0] !== lo[1]) continue; // a step within the term scale's reach: the bound does not decide it
    assert.equal(map.increases[i], lo[0], `pixel (62, ${col}): ${map.increases[i]} increases vs the textbook loop's ${lo[0]}`);
    compared++;
  }
  assert.ok(compared >= 20, `compared ${compared} pixels`);
  // under heavy-ball 0.9 every converging start here oscillates: many increases each
  const converged = Array.from(rows.classes).map((c, j) => (c === PixelClass.Stable || c === PixelClass.Unstable ? rows.increases[j] : -1)).filter((v) => v >= 0);
  assert.ok(converged.length > 0 && converged.every((v) => v > 0), 'no stable start under heavy-ball 0.9 on these rows');

  // the "number of loss increases" layer colours converged pixels by their count, others by their class
  store.dispatch({ type: 'layerChosen', layer: 'increases' });
  const rgba = new Uint8Array(256 * 256 * 4);
  renderMap(map, 'increases', 'paper', rgba);
  assert.equal(rgba[4 * 60 * 256 + 3], 255);
  assert.equal(rgba[4 * 10 * 256 + 3], 0, 'rows not computed stay transparent');

  // the finished map: the legend takes the engine's statistics of the whole map
  const stats = basinStats(rows.classes, rows.minimum, 2, rows.increases);
  const analysis = optimizerAnalysis(F4_PROBLEM, HEAVY_BALL, 0.25);
  const done = { type: 'basinDone' as const, requestId: main.requestId, stats, certificates: [], elapsedMs: 5, optimizer: analysis };
  assert.doesNotThrow(() => validateHostMessage(JSON.parse(JSON.stringify(done))), 'the message survives JSON and validates');
  store.dispatch(host(done));
  assert.equal(store.state.main?.optimizerAnalysis, analysis);
  assert.equal(store.state.main?.increases, stats.increases);
  const extra = increaseLegendRows({ layer: true, map, stats: stats.increases ?? null, guard: 1e-12, optimizerLabel: 'heavy-ball momentum (β = 0.9)' });
  const texts = extra.filter((r) => r.kind === 'note').map((r) => (r.kind === 'note' ? r.text : ''));
  const any = stats.increases?.anyIncrease as number;
  assert.ok(texts.some((t) => t.includes(`${(100 * any).toFixed(1)}% of starts`)), texts.join(' | '));
  assert.ok(texts.some((t) => t.includes(`median ${stats.increases?.medianConverged}`)), texts.join(' | '));
  assert.ok(texts.some((t) => t.includes('1e-12·(|f(θ_{k−1})| + T)')), 'the guard is stated');
  const rowsAll = legendRows({ map, minimaCount: 2, layer: 'increases', scheme: 'paper', done: true, certified: 0, hasObjective: false, certifiedNote: 'note', extraRows: extra });
  assert.equal(rowsAll.filter((r) => r.kind === 'bar').length, 1, 'one colour bar: the increases layer’s');
  assert.ok(rowsAll.some((r) => r.kind === 'note' && r.text === 'note'), 'the optimizer’s certified note replaces Theorem 2’s');
});

test('the momentum certificates of f4 at heavy-ball 0.9, η = 0.25: certified for both minima, with n×n zero-velocity slices the map can draw', () => {
  const a = optimizerAnalysis(F4_PROBLEM, HEAVY_BALL, 0.25);
  assert.equal(a.preconditioned, false);
  assert.ok(Math.abs(a.sharpnessLimit - 3.8 / 0.25) < 1e-12);
  assert.equal(a.momentumCertificates?.length, 2);
  for (const c of a.momentumCertificates ?? []) {
    assert.ok(c.ok, c.ok ? '' : c.reason);
    if (c.ok) assert.equal(c.certificate.slice.length, 4);
  }
  assert.ok(F4_ANALYSIS.minima.length === 2);
});
