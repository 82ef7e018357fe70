/**
 * ComputePool with real worker_threads (the worker bundle is built from the current sources).
 * Oracles: a direct single-thread kernel run in this thread, the paper's values (f1: one minimum
 * at (0,0) with η_max = 1; Figure 3: f4 at η = 0.25 from (0.1, 2.5) is unstable, from (1.5, 2)
 * stable) and a hand-computed first GD step.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { analyzeProblem, withIR } from '../../../src/engine/analyze';
import { basinStats, createBasinKernel, defaultSlice } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { sweepPoint } from '../../../src/engine/sweep';
import { PixelClass, type ProblemSpec, type SliceSpec } from '../../../src/engine/types';
import { CancelledError, ComputePool, WorkerCrashedError, chunkRowsFor } from '../../../src/compute/pool';
import type { BasinRows } from '../../../src/engine/basin';
import { buildTestWorker } from './buildWorker';

// the pool takes problems as data: each spec carries its parsed objective (ir)
const F1: ProblemSpec = withIR({ expression: 'x^2 + y^2 + x^2*y + x^3 + y^3', variables: ['x', 'y'], domain: [[-1, 1], [-1, 1]] });
const F3: ProblemSpec = withIR({ expression: 'x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1', variables: ['x', 'y'], domain: [[-2, 2], [-2, 2]] });
const F4: ProblemSpec = withIR({ expression: '(1 - x*y)^2 + (x^2 + y^2)/20', variables: ['x', 'y'], domain: [[-3, 3], [-3, 3]] });

let worker: { script: string; cleanup(): void };
/** one pool shared by most tests (starting threads is the slow part); test hooks enabled */
let pool: ComputePool;

before(() => {
  worker = buildTestWorker();
  pool = new ComputePool({ workers: 2, workerScript: worker.script, testHooks: true, stopTimeoutMs: 100 });
});
after(() => {
  pool.dispose();
  worker.cleanup();
});

/** Assembles streamed row chunks into full arrays, checking each row arrives exactly once. */
function assembler(width: number, height: number) {
  const classes = new Uint8Array(width * height);
  const minimum = new Int8Array(width * height);
  const steps = new Uint32Array(width * height);
  const seen = new Uint8Array(height);
  const chunks: number[] = [];
  return {
    classes,
    minimum,
    steps,
    seen,
    chunks,
    onRows(rows: BasinRows): void {
      assert.equal(rows.width, width);
      assert.equal(rows.classes.length, (rows.rowEnd - rows.rowStart) * width);
      for (let r = rows.rowStart; r < rows.rowEnd; r++) {
        assert.equal(seen[r], 0, `row ${r} arrived twice`);
        seen[r] = 1;
      }
      classes.set(rows.classes, rows.rowStart * width);
      minimum.set(rows.minimum, rows.rowStart * width);
      steps.set(rows.steps, rows.rowStart * width);
      chunks.push(rows.rowStart);
    },
  };
}

describe('ComputePool', () => {
  it('is lazy and validates its options', () => {
    const pool = new ComputePool({ workers: 2, workerScript: worker.script });
    assert.equal(pool.threadCount, 0);
    assert.equal(pool.workerCount, 2);
    pool.dispose();
    assert.throws(() => new ComputePool({ workers: 0 }), /workers must be a whole number/);
    assert.ok(new ComputePool().workerCount >= 1);
  });

  it('produces the same class map as a direct single-thread kernel run, rows in place', async () => {
    const problem = analyzeProblem(F1);
    assert.equal(problem.minima.length, 1);
    const eta = 0.95 * (problem.minima[0].etaMax as number);
    assert.ok(Math.abs(eta - 0.95) < 1e-9, 'paper: η_max(f1) = 1');
    // non-square and an odd height, so chunks are uneven and orientation errors show
    const slice: SliceSpec = { ...defaultSlice(problem, 64), width: 61, height: 47 };
    const direct = createBasinKernel(problem, slice, eta, DEFAULT_CLASSIFY, certifyAll(problem, eta)).runRows(0, slice.height);
    assert.ok(direct);

    const got = assembler(slice.width, slice.height);
    let lastFraction = 0;
    const result = await pool.basin({ spec: F1, slice, eta, classify: DEFAULT_CLASSIFY }, (rows, progress) => {
      got.onRows(rows);
      assert.ok(progress.fraction > lastFraction && progress.fraction <= 1);
      lastFraction = progress.fraction;
      assert.equal(progress.rowsTotal, slice.height);
    });
    assert.equal(lastFraction, 1);
    assert.ok(got.seen.every((v) => v === 1), 'every row arrived');
    assert.ok(got.chunks.length >= 2, 'the map was split into several chunks');
    assert.deepEqual(got.classes, direct.classes);
    assert.deepEqual(got.minimum, direct.minimum);
    assert.deepEqual(got.steps, direct.steps);
    assert.deepEqual(result.stats, basinStats(direct.classes, direct.minimum, 1, direct.increases));
    assert.equal(result.analysis.minima.length, 1);
    assert.equal(result.certificates.length, 1);
    // the centre pixel sits next to the minimum (0,0): stable convergence
    const centre = Math.floor(slice.height / 2) * slice.width + Math.floor(slice.width / 2);
    assert.equal(got.classes[centre], PixelClass.Stable);
    assert.ok(pool.threadCount <= 2);
  });

  it('shares the certificates of several minima out over the workers (f3: four minima)', async () => {
    const problem = analyzeProblem(F3);
    assert.equal(problem.minima.length, 4, 'paper: f3 has minima at (±1, ±1)');
    const eta = 0.9 / 6; // η_max(f3) = 1/6
    const slice = defaultSlice(problem, 40);
    const certificates = certifyAll(problem, eta);
    const direct = createBasinKernel(problem, slice, eta, DEFAULT_CLASSIFY, certificates).runRows(0, slice.height);
    assert.ok(direct);
    const got = assembler(slice.width, slice.height);
    const result = await pool.basin({ spec: F3, slice, eta, classify: DEFAULT_CLASSIFY }, (rows) => got.onRows(rows));
    assert.deepEqual(result.certificates, certificates);
    assert.ok(result.certificates.every((c) => c.ok), 'every minimum certified');
    assert.deepEqual(got.classes, direct.classes);
    assert.deepEqual(got.minimum, direct.minimum);
    // −2: starts that converge to f3's critical axes beyond |x| = √3 (a set of minima, f = 1)
    assert.deepEqual(new Set(got.minimum), new Set([-2, -1, 0, 1, 2, 3]));
  });

  it('chunks rows small enough to interleave across workers', () => {
    assert.equal(chunkRowsFor(256, 2), 8);
    assert.equal(chunkRowsFor(20, 2), 1);
    assert.ok(Math.ceil(256 / chunkRowsFor(256, 2)) >= 4 * 2);
  });

  it('runs analysis, trajectories and sweeps in workers', async () => {
    const analysis = await pool.analyze(F1, [0.5]);
    assert.deepEqual(analysis.variables, ['x', 'y']);
    assert.equal(analysis.minima.length, 1);
    assert.ok(Math.hypot(...analysis.minima[0].point) < 1e-8);
    assert.ok(Math.abs((analysis.minima[0].etaMax as number) - 1) < 1e-9);
    assert.equal(analysis.certificates[0].eta, 0.5);
    assert.equal(analysis.certificates[0].results.length, 1);

    // Figure 3 of the paper: f4 at η = 0.25
    const unstable = await pool.trajectory({ spec: F4, eta: 0.25, init: [0.1, 2.5], classify: DEFAULT_CLASSIFY });
    assert.equal(unstable.outcome.kind, 'unstable');
    const stable = await pool.trajectory({ spec: F4, eta: 0.25, init: [1.5, 2], classify: DEFAULT_CLASSIFY });
    assert.equal(stable.outcome.kind, 'stable');
    // first step by hand: ∇f4 = (−2y(1−xy) + x/10, −2x(1−xy) + y/10) at (0.1, 2.5)
    const [x, y] = [0.1, 2.5];
    const gx = -2 * y * (1 - x * y) + x / 10;
    const gy = -2 * x * (1 - x * y) + y / 10;
    assert.ok(Math.abs(unstable.theta[2] - (x - 0.25 * gx)) < 1e-12);
    assert.ok(Math.abs(unstable.theta[3] - (y - 0.25 * gy)) < 1e-12);
    assert.equal(unstable.theta.length, (unstable.steps + 1) * 2);

    // a sweep equals the single-thread sweep points, in the order asked
    const problem = analyzeProblem(F1);
    const slice = defaultSlice(problem, 24);
    const etas = [0.9, 0.3, 0.6];
    const seen: number[] = [];
    const points = await pool.sweep({ spec: F1, slice, etas, classify: DEFAULT_CLASSIFY }, (p, done, total) => {
      seen.push(p.eta);
      assert.equal(total, 3);
      assert.equal(done, seen.length);
    });
    assert.deepEqual(points.map((p) => p.eta), etas);
    assert.deepEqual([...seen].sort(), [...etas].sort());
    for (const p of points) {
      const direct = sweepPoint(problem, slice, p.eta, DEFAULT_CLASSIFY);
      assert.ok(direct);
      assert.deepEqual(p.stats, direct.stats);
      assert.ok(Math.abs(p.etaFraction - p.eta) < 1e-9, 'η_max(f1) = 1');
    }
  });

  it('a task that throws fails only its job, with the original error', async () => {
    // data that is not a valid objective (a function off the whitelist) is refused by the worker
    const forged: ProblemSpec = { ...F1, ir: { variables: ['x', 'y'], normalized: 'x', nodes: [['var', 0], ['call', 'eval' as 'exp', 0]] } };
    await assert.rejects(pool.analyze(forged), (err: unknown) => {
      assert.ok(err instanceof Error, `got ${String(err)}`);
      assert.equal(err.name, 'InvalidIRError');
      assert.match(err.message, /invalid problem data: node 1: 'eval' is not a whitelisted function/);
      return true;
    });
    const again = await pool.analyze(F1);
    assert.equal(again.minima.length, 1);
  });

  it('a problem without its parsed objective is refused before any worker sees it', async () => {
    await assert.rejects(pool.analyze({ expression: 'x^2 + y^2' }), /no parsed objective \(spec\.ir\)/);
    await assert.rejects(pool.basin({ spec: { expression: 'x^2 + y^2' }, slice: defaultSlice(analyzeProblem(F1), 8), eta: 0.5, classify: DEFAULT_CLASSIFY }), /spec\.ir/);
    assert.equal(pool.busyCount, 0);
  });

  it('cancellation rejects with CancelledError, stops the workers, and the pool still works', async () => {
    // already aborted: rejects without starting anything
    await assert.rejects(pool.analyze(F1, [], AbortSignal.abort()), CancelledError);
    assert.equal(pool.busyCount, 0);

    // a large f3 map near η_max, aborted when the first rows arrive
    const problem = analyzeProblem(F3);
    const eta = 0.99 * (problem.minima[0].etaMax as number);
    const slice = defaultSlice(problem, 1024);
    const controller = new AbortController();
    let chunks = 0;
    const job = pool.basin({ spec: F3, slice, eta, classify: DEFAULT_CLASSIFY }, () => {
      chunks++;
      controller.abort();
    }, controller.signal);
    await assert.rejects(job, CancelledError);
    await pool.idle();
    assert.equal(pool.busyCount, 0);
    assert.ok(chunks >= 1 && chunks < Math.ceil(1024 / chunkRowsFor(1024, 2)), `stopped early (${chunks} chunks)`);

    const small = await pool.basin({ spec: F1, slice: defaultSlice(analyzeProblem(F1), 16), eta: 0.5, classify: DEFAULT_CLASSIFY });
    assert.equal(small.stats.total, 256);
  });

  it('cancels a sweep and rejects bad learning rates before starting', async () => {
    const problem = analyzeProblem(F3);
    const etaMax = problem.minima[0].etaMax as number;
    const controller = new AbortController();
    const points: number[] = [];
    const sweep = pool.sweep(
      { spec: F3, slice: defaultSlice(problem, 512), etas: [0.5, 0.9, 0.95, 0.99].map((f) => f * etaMax), classify: DEFAULT_CLASSIFY },
      (p) => points.push(p.eta),
      controller.signal,
    );
    setTimeout(() => controller.abort(), 1);
    await assert.rejects(sweep, CancelledError);
    await pool.idle();
    assert.ok(points.length < 4, 'the sweep stopped before its last point');
    await assert.rejects(pool.basin({ spec: F1, slice: defaultSlice(analyzeProblem(F1), 8), eta: -0.1, classify: DEFAULT_CLASSIFY }), /positive finite/);
    await assert.rejects(pool.sweep({ spec: F1, slice: defaultSlice(analyzeProblem(F1), 8), etas: [0.5, Number.NaN], classify: DEFAULT_CLASSIFY }), /positive finite/);
    await assert.rejects(pool.basin({ spec: F1, slice: { ...defaultSlice(analyzeProblem(F1), 8), height: 0 }, eta: 0.5, classify: DEFAULT_CLASSIFY }), /height/);
  });

  it('terminates and replaces a worker that ignores the cancel flag', async () => {
    pool.warmUp();
    assert.equal(pool.threadCount, 2);
    const controller = new AbortController();
    const busy = pool.testTask({ type: 'testBusy', ms: 60_000 }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(busy, CancelledError);
    await pool.idle();
    assert.equal(pool.threadCount, 1, 'the stuck worker was terminated');
    await pool.terminated();
    const analysis = await pool.analyze(F1);
    assert.equal(analysis.minima.length, 1);
    pool.warmUp();
    assert.equal(pool.threadCount, 2, 'a fresh worker can take its place');
  });

  it('a worker that dies fails only its job; the pool restarts it', async () => {
    const problem = analyzeProblem(F1);
    const slice = defaultSlice(problem, 48);
    const map = pool.basin({ spec: F1, slice, eta: 0.95, classify: DEFAULT_CLASSIFY });
    const crash = pool.testTask({ type: 'testExit', code: 3 });
    await assert.rejects(crash, (err: unknown) => {
      assert.ok(err instanceof WorkerCrashedError);
      assert.match(err.message, /exit code 3/);
      assert.match(err.message, /testExit/);
      return true;
    });
    const result = await map; // the other job is unaffected
    assert.equal(result.stats.total, 48 * 48);

    const uncaught = pool.testTask({ type: 'testThrowUncaught' });
    await assert.rejects(uncaught, (err: unknown) => err instanceof WorkerCrashedError && /injected by a test/.test(err.message));

    const after = await pool.analyze(F1);
    assert.equal(after.minima.length, 1);
  });

  it('dispose ends the threads and rejects running and later jobs', async () => {
    const pool = new ComputePool({ workers: 2, workerScript: worker.script });
    const problem = analyzeProblem(F3);
    const running = pool.basin({ spec: F3, slice: defaultSlice(problem, 1024), eta: 0.16, classify: DEFAULT_CLASSIFY });
    pool.warmUp();
    assert.equal(pool.threadCount, 2);
    pool.dispose();
    await assert.rejects(running, CancelledError);
    await pool.terminated();
    assert.equal(pool.threadCount, 0);
    await assert.rejects(pool.analyze(F1), /disposed/);
  });
});
