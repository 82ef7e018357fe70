/**
 * The network jobs on the ComputePool with real worker_threads (worker bundle built from the
 * current sources). Oracles: the single-threaded engine run in this thread (train, sliceMap —
 * the pool must reproduce them bit for bit, since every run is deterministic), a dense
 * eigendecomposition of the Hessian assembled from HVPs, and the stream itself (every step and
 * every row exactly once, in a sequence that rebuilds the final arrays).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { CancelledError, ComputePool } from '../../../src/compute/pool';
import { networkModelData, type TrainJobProgress } from '../../../src/compute/nnJobs';
import { symmetricEigen } from '../../../src/engine/linalg';
import { prepareModel } from '../../../src/engine/nn/model';
import { sliceMap } from '../../../src/engine/nn/slices';
import { validateModelSpec, type ModelSpec } from '../../../src/engine/nn/spec';
import { train, type TrainRun } from '../../../src/engine/nn/train';
import { denseHessian } from '../nn/helpers';
import { buildTestWorker } from './buildWorker';

function spec(block: unknown): ModelSpec {
  const v = validateModelSpec(block);
  if (!v.spec) throw new Error(JSON.stringify(v.errors));
  return v.spec;
}

const SMALL = spec({ kind: 'mlp', hidden: [6, 6], activation: 'tanh', data: { generate: 'chebyshev', n: 16, degree: 3 }, init: { seed: 2 } });
const built = prepareModel(SMALL);
if (!built.model) throw new Error('the test model does not build');
const MODEL = built.model;
const DATA = networkModelData(SMALL);

let worker: { script: string; cleanup(): void };
let pool: ComputePool;

before(() => {
  worker = buildTestWorker();
  pool = new ComputePool({ workers: 2, workerScript: worker.script, stopTimeoutMs: 100 });
});
after(() => {
  pool.dispose();
  worker.cleanup();
});

/** Rebuilds each run's curves from the streamed chunks, checking every step arrives once, in order. */
function collector(runs: number) {
  const loss = Array.from({ length: runs }, () => [] as number[]);
  const grad = Array.from({ length: runs }, () => [] as number[]);
  const sharp = Array.from({ length: runs }, () => [] as number[]);
  const fractions: number[] = [];
  return {
    loss, grad, sharp, fractions,
    onProgress({ partial: p, fraction }: TrainJobProgress): void {
      assert.equal(p.fromStep, loss[p.run].length, `run ${p.run}: chunk starts at step ${p.fromStep}, ${loss[p.run].length} steps seen`);
      assert.equal(p.fromMeasurement, sharp[p.run].length);
      loss[p.run].push(...p.loss);
      grad[p.run].push(...p.gradNorm);
      sharp[p.run].push(...p.sharpness);
      fractions.push(fraction);
    },
  };
}

function sameRun(a: TrainRun, b: TrainRun): void {
  assert.equal(a.eta, b.eta);
  assert.equal(a.status, b.status);
  assert.equal(a.steps, b.steps);
  assert.deepEqual(Array.from(a.loss), Array.from(b.loss));
  assert.deepEqual(Array.from(a.gradNorm), Array.from(b.gradNorm));
  assert.deepEqual(Array.from(a.sharpness), Array.from(b.sharpness));
  assert.deepEqual(Array.from(a.sharpnessSteps), Array.from(b.sharpnessSteps));
  assert.equal(a.K, b.K);
  assert.equal(a.increases, b.increases);
  assert.equal(a.firstAtThreshold, b.firstAtThreshold);
  assert.deepEqual(Array.from(a.finalParams), Array.from(b.finalParams));
}

describe('training on the pool', () => {
  const etas = [0.3, 0.9, 1.4];
  const steps = 600;

  it('runs every learning rate on the workers and gives what train() gives in this thread; the stream rebuilds the curves', async () => {
    // one session per η, as on the workers (a session's Lanczos warm start carries over to its next η)
    const reference = { runs: etas.map((eta) => train(MODEL, { learningRates: [eta], steps, sharpnessEvery: 25 }).runs[0]) };
    const c = collector(etas.length);
    const finished: number[] = [];
    const result = await pool.train({ model: DATA, learningRates: etas, steps, sharpnessEvery: 25 }, { onProgress: c.onProgress, onRun: (_r, i) => finished.push(i) });
    assert.equal(result.runs.length, etas.length);
    assert.equal(result.cancelled, false);
    assert.equal(result.model.nParams, MODEL.network.nParams);
    assert.equal(result.optimizerLabel, 'GD');
    result.runs.forEach((r, i) => sameRun(r, reference.runs[i]));
    assert.deepEqual([...finished].sort(), [0, 1, 2]);
    for (let i = 0; i < etas.length; i++) {
      assert.deepEqual(c.loss[i], Array.from(reference.runs[i].loss), `streamed loss of run ${i}`);
      assert.deepEqual(c.grad[i], Array.from(reference.runs[i].gradNorm));
      assert.deepEqual(c.sharp[i], Array.from(reference.runs[i].sharpness));
    }
    assert.equal(c.fractions[c.fractions.length - 1], 1);
    for (let i = 1; i < c.fractions.length; i++) assert.ok(c.fractions[i] >= c.fractions[i - 1] - 1e-12, 'progress never goes back');
  });

  it('the stop flag keeps what was computed: runs end as cancelled with a prefix of the full curves', async () => {
    const long = 200_000;
    const reference = train(MODEL, { learningRates: [0.5], steps: 400, sharpnessEvery: 50 }).runs[0];
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const one = new ComputePool({ workers: 1, workerScript: worker.script, stopTimeoutMs: 100 });
    try {
      let chunks = 0;
      const result = await one.train(
        { model: DATA, learningRates: [0.5, 0.7], steps: long, sharpnessEvery: 50, stop },
        { onProgress: () => { if (++chunks === 2) Atomics.store(stop, 0, 1); } },
      );
      assert.equal(result.cancelled, true);
      assert.equal(result.runs.length, 1, 'with one worker the second η was not started');
      const run = result.runs[0];
      assert.equal(run.status, 'cancelled');
      assert.ok(run.steps > 0 && run.steps < long, `stopped after ${run.steps} steps`);
      const n = Math.min(run.loss.length, reference.loss.length);
      assert.deepEqual(Array.from(run.loss.subarray(0, n)), Array.from(reference.loss.subarray(0, n)), 'the same trajectory up to the stop');
    } finally {
      one.dispose();
    }
  });

  it('aborting rejects with CancelledError and frees the workers promptly', async () => {
    const controller = new AbortController();
    let started = false;
    const promise = pool.train({ model: DATA, learningRates: [0.5, 0.6], steps: 1_000_000, sharpnessEvery: 0 }, {
      onProgress: () => {
        if (!started) {
          started = true;
          controller.abort();
        }
      },
    }, controller.signal);
    await assert.rejects(promise, (e: unknown) => e instanceof CancelledError);
    await pool.idle();
    assert.equal(pool.busyCount, 0);
  });

  it('bad jobs are refused up front, CSV errors come back with file:line:column', async () => {
    await assert.rejects(pool.train({ model: DATA, learningRates: [], steps: 10 }), /at least one learning rate/);
    await assert.rejects(pool.train({ model: DATA, learningRates: [-1], steps: 10 }), /positive/);
    const csvSpec = spec({ kind: 'mlp', hidden: [4], data: { csv: 'pts.csv', inputs: ['x'], targets: ['y'] } });
    const bad = networkModelData(csvSpec, { name: 'pts.csv', text: 'x,y\n1,2\n3\n' });
    await assert.rejects(pool.train({ model: bad, learningRates: [0.1], steps: 10 }), /pts\.csv:3:2: this row has 1 field but the header has 2/);
  });
});

describe('slices and sharpness on the pool', () => {
  const center = train(MODEL, { learningRates: [0.5], steps: 800, sharpnessEvery: 0 }).runs[0].finalParams;

  for (const plane of ['hessian', 'filter-normalized'] as const) {
    it(`a ${plane} slice spread over the workers equals sliceMap() in this thread, every row once`, async () => {
      const options = { plane, eta: 0.5, width: 7, height: 6, range: [-0.3, 0.3] as [number, number], maxSteps: 300, seed: 4 };
      const reference = sliceMap(MODEL.network, center, options);
      const seen = new Uint8Array(options.height);
      let setupSeen = 0;
      const result = await pool.networkSlice({ model: DATA, center, options }, {
        onSetup: (s) => {
          setupSeen++;
          assert.equal(s.width, 7);
        },
        onRows: (rows) => rows.forEach((r) => {
          assert.equal(seen[r.row], 0, `row ${r.row} twice`);
          seen[r.row] = 1;
          assert.deepEqual(Array.from(r.classes), Array.from(reference.rows[r.row].classes));
          assert.deepEqual(Array.from(r.K), Array.from(reference.rows[r.row].K));
        }),
      });
      assert.equal(setupSeen, 1);
      assert.ok(seen.every((x) => x === 1));
      assert.deepEqual(Array.from(result.classes), Array.from(reference.classes));
      assert.deepEqual(Array.from(result.setup.d1), Array.from(reference.setup.d1));
      assert.equal(result.counts.reduce((a, b) => a + b, 0), 42);
    });
  }

  it('sharpness at θ_0 and at a trained point: the top eigenvalue of the dense Hessian', async () => {
    const n = MODEL.network.nParams;
    for (const params of [null, center]) {
      const at = params ?? MODEL.initial;
      const dense = symmetricEigen(denseHessian(MODEL.network, at), n);
      const top = dense.values[n - 1];
      const r = await pool.networkSharpness(DATA, params);
      assert.ok(Math.abs(r.sharpness - top) <= 1e-6 * Math.abs(top), `${r.sharpness} vs dense ${top}`);
      const g = new Float64Array(n);
      assert.equal(r.loss, MODEL.network.lossAndGradient(at, g));
    }
  });
});
