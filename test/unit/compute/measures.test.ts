/**
 * The measures' jobs on the real ComputePool (worker bundle built from the current sources):
 * orbit diagrams split over workers equal the single-thread engine bit for bit and cancel; the
 * uncertainty exponent re-classifies shifted starts and, for a straight basin boundary, counts
 * exactly the starts within ε of it (α = 1); tipping maps equal a count written here over two
 * single-thread maps; zoom frames are the recomputed maps of the zoomed slices.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { analyzeProblem, withIR } from '../../../src/engine/analyze';
import { computeBasinMap, defaultSlice } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { computeOrbits, linearEtas, startsNearMinimum } from '../../../src/engine/measures/orbit';
import { zoomSlice } from '../../../src/engine/measures/zoom';
import { classList } from '../../../src/engine/measures/classes';
import { smallestEtaMax } from '../../../src/engine/sweep';
import type { ProblemSpec, SliceSpec } from '../../../src/engine/types';
import { CancelledError, ComputePool } from '../../../src/compute/pool';
import { tippingMaps, uncertaintyExponents, zoomMovie } from '../../../src/compute/measureJobs';
import { buildTestWorker } from './buildWorker';

// the pool takes problems as data: each spec carries its parsed objective (ir)
const QUARTIC: ProblemSpec = withIR({ expression: 'x^4/4 - x^2/2', domain: [[-3, 3]] });
const F4: ProblemSpec = withIR({ expression: '(1 - x*y)^2 + (x^2 + y^2)/20', variables: ['x', 'y'], domain: [[-3, 3], [-3, 3]] });
const WELL: ProblemSpec = withIR({ expression: '(x^2 - 1)^2 + y^2', variables: ['x', 'y'], domain: [[-2, 2], [-2, 2]] });

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

describe('orbit diagrams on the pool', () => {
  it('equal the single-thread orbits value for value, in η order, with progress', async () => {
    const problem = analyzeProblem(F4);
    const etaMax = smallestEtaMax(problem) as number;
    const starts = startsNearMinimum(problem.minima[0].point, 1e-3, 2);
    const etas = linearEtas(0.5 * etaMax, 1.5 * etaMax, 97);
    const options = { transient: 300, keep: 40 };
    const progress: number[] = [];
    const d = await pool.orbit({ spec: F4, starts, etas, options }, (_chunk, p) => progress.push(p.etasDone));
    const local = computeOrbits(problem, starts, etas, options);
    assert.ok(local);
    assert.equal(d.values.length, local.values.length);
    for (let i = 0; i < local.values.length; i++) assert.ok(Object.is(d.values[i], local.values[i]), `value ${i}: ${d.values[i]} vs ${local.values[i]}`);
    assert.deepEqual(d.points, local.points);
    assert.deepEqual(d.etas, etas);
    assert.equal(progress[progress.length - 1], 97);
    assert.ok(progress.length > 2, 'the η values went out in several chunks');
    assert.deepEqual(d.minima.map((m) => m.point), problem.minima.map((m) => m.point));
    assert.ok(d.firstNonConvergent.every((e) => e !== null && e <= etaMax * 1.001 && e > 0.9 * etaMax));
  });

  it('runs a 1-variable objective and cancels', async () => {
    const d = await pool.orbit({ spec: QUARTIC, starts: [[0.5]], etas: [0.9, 1.1], options: { transient: 2000, keep: 50 } });
    assert.equal(d.points[0].status, 'converged');
    assert.equal(d.points[1].period, 2);
    const controller = new AbortController();
    const big = pool.orbit({ spec: QUARTIC, starts: [[0.5]], etas: linearEtas(0.5, 1.9, 2000), options: { transient: 20000, keep: 10 } }, undefined, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(big, CancelledError);
    await pool.idle();
  });

  it('rejects bad input before starting', async () => {
    await assert.rejects(pool.orbit({ spec: QUARTIC, starts: [], etas: [1], options: {} }), /at least one start/);
    await assert.rejects(pool.orbit({ spec: QUARTIC, starts: [[0.5]], etas: [0], options: {} }), /positive/);
  });
});

describe('uncertainty exponent on the pool', () => {
  it('counts exactly the starts within ε of a straight basin boundary (α = 1, D = 1)', async () => {
    // (x² − 1)² + y² at η = 0.01: x > 0 goes to (1, 0), x < 0 to (−1, 0) for |x| ≤ 3 (no overshoot). Grid 64² on [−2, 2]²:
    // x_c = −2 + (c + ½)/16; for ε = m/16 the uncertain columns are those with |x_c| < ε: 2m of them.
    const problem = analyzeProblem(WELL);
    const slice: SliceSpec = { ...defaultSlice(problem, 64) };
    const epsilons = [1, 0.5, 0.25, 0.125, 0.0625];
    const r = await uncertaintyExponents(pool, { spec: WELL, slice, eta: 0.01, classify: DEFAULT_CLASSIFY, epsilons });
    const attractor = r.exponents.find((e) => e.partition === 'attractor');
    assert.ok(attractor);
    for (const p of attractor.points) assert.equal(p.uncertain, 2 * p.epsilon * 16 * 64, `ε = ${p.epsilon}`);
    assert.ok(attractor.alpha !== null && Math.abs(attractor.alpha - 1) < 1e-9, `α = ${attractor.alpha}`);
    assert.ok(attractor.dimension !== null && Math.abs(attractor.dimension - 1) < 1e-9);
    assert.equal(r.maps, 11);
    assert.equal(r.starts, 4096);
  });
});

describe('tipping on the pool', () => {
  it('equals a count over two single-thread maps', async () => {
    const problem = analyzeProblem(F4);
    const slice = defaultSlice(problem, 48);
    const [eta1, eta2] = [0.1, 0.45];
    const { tipping } = await tippingMaps(pool, { spec: F4, slice, eta1, eta2, classify: DEFAULT_CLASSIFY });
    const a = computeBasinMap(problem, slice, eta1, DEFAULT_CLASSIFY, certifyAll(problem, eta1));
    const b = computeBasinMap(problem, slice, eta2, DEFAULT_CLASSIFY, certifyAll(problem, eta2));
    assert.ok(a && b);
    const K = Math.max(...classList().map((c) => c.code)) + 1;
    const counts = Array.from({ length: K }, () => new Array<number>(K).fill(0));
    for (let i = 0; i < a.classes.length; i++) counts[a.classes[i]][b.classes[i]]++;
    assert.deepEqual(tipping.classes.counts, counts);
    for (let i = 0; i < a.classes.length; i++) {
      assert.equal(Math.floor(tipping.transitions[i] / K), a.classes[i]);
      assert.equal(tipping.transitions[i] % K, b.classes[i]);
    }
    const sum = tipping.classes.fractions.flat().reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - 1) < 1e-12);
    assert.ok(tipping.classes.changed > 0, 'raising η to 0.45 changes some starts');
  });
});

describe('zoom movie on the pool', () => {
  it('recomputes each frame at its zoomed window (fixed centre)', async () => {
    const problem = analyzeProblem(F4);
    const slice = defaultSlice(problem, 32);
    const center: [number, number] = [0.4, 1.9];
    const eta = 0.25;
    const { frames, follow } = await zoomMovie(pool, { spec: F4, slice, eta, classify: DEFAULT_CLASSIFY, frames: 3, factor: 4, center });
    assert.equal(follow, false);
    assert.deepEqual(frames.map((f) => f.zoom), [1, 4, 16]);
    for (const f of frames) {
      const expected = zoomSlice(slice, center, f.zoom);
      assert.deepEqual(f.slice, expected);
      const local = computeBasinMap(problem, expected, eta, DEFAULT_CLASSIFY, certifyAll(problem, eta));
      assert.ok(local);
      assert.deepEqual(Array.from(f.classes), Array.from(local.classes));
    }
    assert.ok(Math.abs(frames[2].slice.xRange[1] - frames[2].slice.xRange[0] - 6 / 16) < 1e-12);
  });

  it('follows a boundary: every centre is a mixed pixel in the middle of the frame before', async () => {
    const problem = analyzeProblem(F4);
    const slice = defaultSlice(problem, 48);
    const eta = 0.95 * (smallestEtaMax(problem) as number);
    const { frames, follow } = await zoomMovie(pool, { spec: F4, slice, eta, classify: DEFAULT_CLASSIFY, frames: 4, factor: 3 });
    assert.equal(follow, true);
    for (let k = 1; k < frames.length; k++) {
      const prev = frames[k - 1];
      assert.ok(prev.mixed && prev.mixed.entropy > 0);
      assert.deepEqual(frames[k].center, prev.mixed.point);
      const [x, y] = frames[k].center;
      assert.ok(x >= prev.slice.xRange[0] && x <= prev.slice.xRange[1] && y >= prev.slice.yRange[0] && y <= prev.slice.yRange[1]);
      if (k >= 2) {
        const w = prev.slice.xRange[1] - prev.slice.xRange[0];
        assert.ok(Math.abs(x - (prev.slice.xRange[0] + prev.slice.xRange[1]) / 2) <= w / 6 + w / prev.slice.width, 'searched in the middle third');
      }
    }
  });
});
