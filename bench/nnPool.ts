/**
 * Network jobs on the compute pool (part of the network benchmark, bench/nn.ts; alone:
 * `node --import tsx bench/nnPool.ts` after `npm run build`): wall time of training three
 * learning rates and of a 24×24 slice with 2 workers against 1 worker (the same pools, runs
 * alternating so both see the same machine load; best of a few), and the first streamed chunk
 * of a training run (how soon the training view draws).
 */
import * as path from 'node:path';
import { ComputePool } from '../src/compute/pool';
import { networkModelData } from '../src/compute/nnJobs';
import { train } from '../src/engine/nn/train';
import { prepareModel } from '../src/engine/nn/model';
import { validateModelSpec } from '../src/engine/nn/spec';
import type { BenchRow } from './nn';

const WORKER_SCRIPT = path.join(__dirname, '..', 'dist', 'worker.js');
const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString());

export async function networkPoolBench(rows: BenchRow[], notes: string[], log: (s: string) => void): Promise<void> {
  const v = validateModelSpec({ kind: 'mlp', hidden: [32, 32], activation: 'tanh', data: { generate: 'chebyshev', n: 64, degree: 4 }, init: { seed: 0 }, sharpnessEvery: 10 });
  if (!v.spec) throw new Error('bench model');
  const model = networkModelData(v.spec);
  const built = prepareModel(v.spec);
  if (!built.model) throw new Error('bench model does not build');
  const etas = [0.1, 0.11, 0.12];
  const steps = 800;
  const center = train(built.model, { learningRates: [0.1], steps: 1500, sharpnessEvery: 0 }).runs[0].finalParams;
  const pools = [1, 2].map((workers) => new ComputePool({ workers, workerScript: WORKER_SCRIPT }));
  const job = { model, learningRates: etas, steps, sharpnessEvery: 10 };
  const slice = { model, center, options: { plane: 'filter-normalized' as const, eta: 0.1, width: 24, height: 24, maxSteps: 300 } };
  const best = { train: [Infinity, Infinity], slice: [Infinity, Infinity] };
  let firstChunk = Infinity;
  try {
    for (const p of pools) await p.train({ ...job, steps: 20 }); // threads up, JIT warm
    for (let rep = 0; rep < 3; rep++) {
      for (let i = 0; i < 2; i++) {
        let t = performance.now();
        let first = -1;
        await pools[i].train(job, { onProgress: () => { if (first < 0) first = performance.now() - t; } });
        best.train[i] = Math.min(best.train[i], performance.now() - t);
        if (first >= 0) firstChunk = Math.min(firstChunk, first);
        t = performance.now();
        await pools[i].networkSlice(slice);
        best.slice[i] = Math.min(best.slice[i], performance.now() - t);
      }
    }
  } finally {
    for (const p of pools) {
      p.dispose();
      await p.terminated();
    }
  }
  log(`network pool: training ${fmt(best.train[0])} → ${fmt(best.train[1])} ms, slice ${fmt(best.slice[0])} → ${fmt(best.slice[1])} ms`);
  rows.push({
    measure: `network training on the pool, 2 workers ÷ 1 worker (1→32→32→1, 3 learning rates × ${steps} steps, sharpness every 10)`,
    result: `${fmt(best.train[0] / best.train[1])}× (${fmt(best.train[0])} ms → ${fmt(best.train[1])} ms)`,
    target: '—',
    ok: null,
  });
  rows.push({
    measure: 'network slice on the pool, 2 workers ÷ 1 worker (24×24 filter-normalised, ≤ 300 GD steps per start)',
    result: `${fmt(best.slice[0] / best.slice[1])}× (${fmt(best.slice[0])} ms → ${fmt(best.slice[1])} ms)`,
    target: '—',
    ok: null,
  });
  rows.push({ measure: 'training view: first streamed chunk of a run after the request', result: `${fmt(firstChunk)} ms`, target: '—', ok: null });
  notes.push('Network pool runs: one task per learning rate (3 tasks on 2 workers: the third runs after one of the first two, so the ideal is 1.5×), slice rows one task each; best of 3 alternating runs per pool size.');
}

if (require.main === module) {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  networkPoolBench(rows, notes, (s) => process.stderr.write(s + '\n')).then(() => {
    process.stdout.write(rows.map((r) => `| ${r.measure} | ${r.result} |`).join('\n') + '\n' + notes.map((n) => `- ${n}`).join('\n') + '\n');
  }, (err: unknown) => {
    process.stderr.write(`network pool benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
