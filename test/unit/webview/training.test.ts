/**
 * The training view's and the network slice's state (view slices on the real store), fed with
 * real data: a network trained by the engine (TrainingSession.partial gives the chunks a worker
 * streams), slice rows from the engine's SliceMap encoded as the host encodes them. Oracles: the
 * engine's recorded run, K recomputed here from the loss with the documented guard, and the
 * protocol's validators on every message the slices send.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTail } from '../../../src/compute/nnJobs';
import { prepareModel } from '../../../src/engine/nn/model';
import { SliceMap } from '../../../src/engine/nn/slices';
import { validateModelSpec, type ModelSpec } from '../../../src/engine/nn/spec';
import { train, TrainingSession, type TrainRun } from '../../../src/engine/nn/train';
import { describeOptimizer, optimizerThreshold } from '../../../src/engine/nn/optimizers';
import type { HostToWebview } from '../../../src/shared/protocol';
import { bytesToBase64, uint32ToBase64 } from '../../../src/shared/base64';
import { validateHostMessage, validateWebviewMessage } from '../../../src/shared/protocolValidation';
import { trainChunk } from '../../../src/shared/networkProtocol';
import type { NetworkSession } from '../../../src/shared/networkSession';
import { netSliceSlice } from '../../../webview/state/netSlice';
import { comparedSharpness, firstAtThreshold, runK, trainingSlice } from '../../../webview/state/training';
import { thinIndices } from '../../../webview/lib/training';
import { F4_SESSION, analysisMsg, host, ofType, recordingStore, sessionMsg } from './panelFixture';

function spec(block: unknown): ModelSpec {
  const v = validateModelSpec(block);
  if (!v.spec) throw new Error(JSON.stringify(v.errors));
  return v.spec;
}

const MODEL_SPEC = spec({ kind: 'mlp', hidden: [6, 6], activation: 'tanh', data: { generate: 'chebyshev', n: 16, degree: 3 }, init: { seed: 2 }, sharpnessEvery: 10 });
const built = prepareModel(MODEL_SPEC);
if (!built.model) throw new Error('the test model does not build');
const MODEL = built.model;
const ETAS = [0.5, 1.6];
const STEPS = 1500;

const SESSION: NetworkSession = {
  kind: 'network', title: 'test net', model: MODEL_SPEC, learningRates: ETAS, steps: STEPS, optimizer: { name: 'gd' },
  optimizerLabel: describeOptimizer({ name: 'gd' }), thresholds: ETAS.map((e) => optimizerThreshold({ name: 'gd' }, e)), preconditioned: false,
};

/** One run as a worker streams it: chunks every `every` advance calls, then the tail from the final run. */
function streamed(eta: number, index: number, every: number): { chunks: ReturnType<typeof trainChunk>[]; run: TrainRun } {
  const session = new TrainingSession(MODEL, { learningRates: [eta], steps: STEPS, sharpnessEvery: 10 });
  const chunks: ReturnType<typeof trainChunk>[] = [];
  let step = 0;
  let measurement = 0;
  while (!session.advance(every)) {
    const p = session.partial(step, measurement);
    if (p && p.loss.length > 0) {
      chunks.push(trainChunk({ ...p, run: index }));
      step = p.fromStep + p.loss.length;
      measurement = p.fromMeasurement + p.sharpness.length;
    }
  }
  const run = session.result().runs[0];
  chunks.push(trainChunk(runTail(run, index, step, measurement)));
  return { chunks, run };
}

/** What the host sends, checked by the webview's validator first. */
const checked = (m: HostToWebview): ReturnType<typeof host> => host(validateHostMessage(JSON.parse(JSON.stringify(m))));

function setup() {
  const r = recordingStore();
  const training = r.store.addSlice(trainingSlice);
  const slice = r.store.addSlice(netSliceSlice);
  return { ...r, training, slice };
}

test('a network session switches the panel to network mode and asks for exactly one training job', () => {
  const { store, sent, training } = setup();
  store.dispatch(sessionMsg(F4_SESSION));
  store.dispatch(analysisMsg());
  assert.ok(store.state.main !== null, 'the expression map was running');
  store.dispatch(checked({ type: 'networkSession', session: SESSION }));
  assert.equal(store.state.mode, 'network');
  assert.equal(store.state.session, null);
  assert.equal(store.state.main, null);
  const trains = ofType(sent, 'train');
  assert.equal(trains.length, 1);
  assert.equal(trains[0].requestId, training.get().job?.requestId);
  assert.deepEqual(training.get().job?.runs.map((r) => [r.eta, r.threshold]), [[0.5, 4], [1.6, 1.25]]);
  for (const m of sent) validateWebviewMessage(JSON.parse(JSON.stringify(m)));
});

test('streamed chunks rebuild the engine run exactly; K so far is the step of the last loss increase; the end takes the run’s K', () => {
  const { store, training } = setup();
  store.dispatch(checked({ type: 'networkSession', session: SESSION }));
  const requestId = training.get().job?.requestId ?? -1;
  const streams = ETAS.map((eta, i) => streamed(eta, i, 37 + 50 * i));
  // interleave the runs' chunks as two workers would
  const longest = Math.max(...streams.map((s) => s.chunks.length));
  for (let c = 0; c < longest; c++) {
    streams.forEach((s) => {
      const chunk = s.chunks[c];
      if (chunk) store.dispatch(checked({ type: 'trainProgress', requestId, chunk, fraction: 0.5 }));
    });
    // K so far, independently: the last step whose loss rose by more than 1e-12 relative
    training.get().job?.runs.forEach((r) => {
      let last = -1;
      for (let k = 1; k < r.length; k++) if (r.loss[k] - r.loss[k - 1] > 1e-12 * Math.abs(r.loss[k - 1])) last = k;
      assert.equal(runK(r), Math.max(0, last));
    });
  }
  const job = training.get().job;
  assert.ok(job);
  streams.forEach(({ run }, i) => {
    const r = job.runs[i];
    assert.equal(r.length, run.loss.length);
    assert.deepEqual(Array.from(r.loss.subarray(0, r.length)), Array.from(run.loss));
    assert.deepEqual(Array.from(r.gradNorm.subarray(0, r.length)), Array.from(run.gradNorm));
    assert.deepEqual(r.sharpnessSteps, Array.from(run.sharpnessSteps));
    assert.deepEqual(comparedSharpness(r, false), Array.from(run.sharpness));
    assert.equal(firstAtThreshold(r, false), run.firstAtThreshold);
    assert.equal(runK(r), run.K, 'before the end message the streamed K already equals the run’s');
  });
  // the first measured step at or above 2/η, found here from the engine's measurements
  streams.forEach(({ run }, i) => {
    const at = Array.from(run.sharpness).findIndex((v) => v >= 2 / ETAS[i]);
    assert.equal(firstAtThreshold(job.runs[i], false), at < 0 ? null : run.sharpnessSteps[at]);
  });
  assert.ok(streams.some(({ run }) => run.firstAtThreshold !== null), 'some run reaches its line in this setup');
  streams.forEach(({ run }, i) => store.dispatch(checked({
    type: 'trainRun', requestId, description: MODEL.summary.description,
    end: { run: i, status: run.status, steps: run.steps, K: run.K, increases: run.increases, firstIncreaseAt: run.firstIncreaseAt, firstAtThreshold: run.firstAtThreshold },
  })));
  store.dispatch(checked({ type: 'trainDone', requestId, cancelled: false, elapsedMs: 12, description: MODEL.summary.description }));
  const done = training.get().job;
  assert.equal(done?.done, true);
  assert.equal(done?.fraction, 1);
  assert.equal(done?.description, MODEL.summary.description);
  // the buffers grew past their first capacity (1024) without losing a step
  assert.ok(STEPS + 1 > 1024 && done?.runs[0].loss.length !== undefined && done.runs[0].loss.length >= STEPS + 1);
});

test('stale chunks are dropped; Stop sends one cancel; Train again a new job; an expression session leaves network mode', () => {
  const { store, sent, training } = setup();
  store.dispatch(checked({ type: 'networkSession', session: SESSION }));
  const first = training.get().job?.requestId ?? -1;
  const { chunks } = streamed(0.5, 0, 200);
  store.dispatch(checked({ type: 'trainProgress', requestId: first + 99, chunk: chunks[0], fraction: 0.1 }));
  assert.equal(training.get().job?.runs[0].length, 0, 'a chunk of another job is not ours');
  store.dispatch(checked({ type: 'trainProgress', requestId: first, chunk: chunks[0], fraction: 0.1 }));
  assert.equal(training.get().job?.runs[0].length, chunks[0].loss.length);
  training.dispatch({ type: 'trainStop' });
  training.dispatch({ type: 'trainStop' });
  assert.deepEqual(ofType(sent, 'cancel').map((c) => c.requestId), [first]);
  store.dispatch(checked({ type: 'trainDone', requestId: first, cancelled: true, elapsedMs: 5, description: '' }));
  assert.equal(training.get().job?.cancelled, true);
  assert.equal(training.get().job?.stopping, false);
  training.dispatch({ type: 'trainAgain' });
  const trains = ofType(sent, 'train');
  assert.equal(trains.length, 2);
  assert.ok(trains[1].requestId > first);
  assert.equal(training.get().job?.runs[0].length, 0);

  store.dispatch(sessionMsg(F4_SESSION));
  assert.equal(store.state.mode, 'expression');
  assert.equal(training.get().session, null);
  assert.equal(training.get().job, null);
});

test('a failed job shows its error and ends', () => {
  const { store, training } = setup();
  store.dispatch(checked({ type: 'networkSession', session: SESSION }));
  const requestId = training.get().job?.requestId ?? -1;
  store.dispatch(checked({ type: 'error', requestId, message: 'Training failed: pts.csv:3:2: this row has 1 field but the header has 2' }));
  assert.match(training.get().job?.error ?? '', /pts\.csv:3:2/);
  assert.equal(training.get().job?.done, true);
  assert.match(store.state.error ?? '', /pts\.csv:3:2/, 'the shared error box shows it too');
});

test('slices: only ended, non-diverged runs can be centres; rows from the engine fill the map; a new training forgets old runs', () => {
  const { store, sent, training, slice } = setup();
  store.dispatch(checked({ type: 'networkSession', session: SESSION }));
  const trainId = training.get().job?.requestId ?? -1;
  slice.dispatch({ type: 'sliceRequested' });
  assert.equal(ofType(sent, 'netSlice').length, 0, 'nothing to slice before a run ended');
  const run = train(MODEL, { learningRates: [0.5], steps: 600, sharpnessEvery: 0 }).runs[0];
  const end = (i: number, status: 'completed' | 'diverged') => checked({
    type: 'trainRun', requestId: trainId, description: '', end: { run: i, status, steps: 600, K: run.K, increases: run.increases, firstIncreaseAt: null, firstAtThreshold: null },
  });
  store.dispatch(end(1, 'diverged'));
  assert.deepEqual(slice.get().ended, []);
  store.dispatch(end(0, 'completed'));
  assert.deepEqual(slice.get().ended, [0]);
  slice.dispatch({ type: 'slicePlaneChosen', plane: 'filter-normalized' });
  slice.dispatch({ type: 'sliceGridChosen', grid: 16 });
  slice.dispatch({ type: 'sliceGridChosen', grid: 17 });
  slice.dispatch({ type: 'sliceRequested' });
  const [req] = ofType(sent, 'netSlice');
  assert.ok(req);
  validateWebviewMessage(JSON.parse(JSON.stringify(req)));
  assert.deepEqual({ ...req, requestId: 0 }, { type: 'netSlice', requestId: 0, trainRequestId: trainId, run: 0, plane: 'filter-normalized', grid: 16, range: 0.25, maxSteps: 500 });

  // the host: the plane, then rows as it encodes them
  const map = new SliceMap(MODEL.network, run.finalParams, { plane: 'filter-normalized', eta: 0.5, width: 4, height: 3, range: [-0.25, 0.25], maxSteps: 300 });
  store.dispatch(checked({ type: 'netSliceStart', requestId: req.requestId, plane: 'filter-normalized', eta: 0.5, width: 4, height: 3, range: [-0.25, 0.25], eigenvalues: [], centerLoss: map.setup.centerLoss }));
  const classes: number[] = [];
  for (let r = 0; r < 3; r++) {
    const row = map.runRow(r);
    assert.ok(row);
    classes.push(...row.classes);
    store.dispatch(checked({
      type: 'netSliceRows', requestId: req.requestId, rowStart: r, rowEnd: r + 1, width: 4,
      classes: bytesToBase64(row.classes), steps: uint32ToBase64(row.steps), K: uint32ToBase64(row.K), progress: { rowsDone: r + 1, rowsTotal: 3, fraction: (r + 1) / 3 },
    }));
    assert.deepEqual(Array.from(slice.get().job?.map?.unstableSteps.subarray(r * 4, r * 4 + 4) ?? []), Array.from(row.K));
  }
  assert.deepEqual(Array.from(slice.get().job?.map?.classes ?? []), classes);
  assert.deepEqual(Array.from(slice.get().job?.map?.rowFilled ?? []), [1, 1, 1]);
  slice.dispatch({ type: 'sliceStop' });
  assert.deepEqual(ofType(sent, 'cancel').map((c) => c.requestId), [req.requestId]);

  training.dispatch({ type: 'trainAgain' });
  const again = ofType(sent, 'train')[1].requestId;
  store.dispatch(checked({ type: 'trainProgress', requestId: again, chunk: trainChunk({ run: 0, eta: 0.5, threshold: 4, preconditioned: false, fromStep: 0, loss: new Float64Array([1]), gradNorm: new Float64Array([1]), increased: new Uint8Array(1), fromMeasurement: 0, sharpnessSteps: new Int32Array(0), sharpness: new Float64Array(0), preconditionedSharpness: new Float64Array(0) }), fraction: 0 }));
  assert.deepEqual(slice.get().ended, [], 'the runs of the old training are gone');
  assert.equal(slice.get().trainRequestId, again);
});

test('thinned series keep the first and last step and every bucket’s extremes', () => {
  const n = 100_000;
  const v = (i: number): number => (i === 77_777 ? 50 : i === 12_345 ? -50 : Math.sin(i / 300));
  const idx = thinIndices(n, v, 1500);
  assert.ok(idx.length <= 1500);
  assert.equal(idx[0], 0);
  assert.equal(idx[idx.length - 1], n - 1);
  for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1], 'ascending, no repeats');
  assert.ok(idx.includes(77_777) && idx.includes(12_345), 'the spikes survive');
  assert.deepEqual(thinIndices(5, v, 1500), [0, 1, 2, 3, 4]);
});
