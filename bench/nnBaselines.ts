/**
 * Baselines of the network benchmark: a hand-written per-sample JavaScript loop (forward and
 * backward one data point at a time, the way one writes it without batching) and the NumPy
 * script (bench/nn_numpy_baseline.py) on the same data and initial parameters.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** GD on a tanh MLP with loss (1/N)Σ½‖f(x)−y‖², per sample; params in the engine's flat layout. */
export class PerSampleMlp {
  private readonly acts: Float64Array[];
  private readonly deltas: Float64Array[];

  constructor(readonly widths: number[], readonly inputs: Float64Array, readonly targets: Float64Array, readonly N: number) {
    this.acts = widths.map((w) => new Float64Array(w));
    this.deltas = widths.map((w) => new Float64Array(w));
  }

  /** One GD step in place; returns the loss before it. */
  step(params: Float64Array, grad: Float64Array, eta: number): number {
    const { widths, acts, deltas, N } = this;
    const L = widths.length - 1;
    grad.fill(0);
    let loss = 0;
    for (let s = 0; s < N; s++) {
      for (let j = 0; j < widths[0]; j++) acts[0][j] = this.inputs[s * widths[0] + j];
      let off = 0;
      for (let l = 1; l <= L; l++) {
        const p = widths[l - 1], q = widths[l];
        for (let i = 0; i < q; i++) {
          let z = params[off + q * p + i];
          for (let j = 0; j < p; j++) z += params[off + i * p + j] * acts[l - 1][j];
          acts[l][i] = l < L ? Math.tanh(z) : z;
        }
        off += q * p + q;
      }
      const c = widths[L];
      for (let i = 0; i < c; i++) {
        const r = acts[L][i] - this.targets[s * c + i];
        loss += 0.5 * r * r;
        deltas[L][i] = r / N;
      }
      for (let l = L; l >= 1; l--) {
        const p = widths[l - 1], q = widths[l];
        off -= q * p + q;
        for (let i = 0; i < q; i++) {
          const d = deltas[l][i];
          for (let j = 0; j < p; j++) grad[off + i * p + j] += d * acts[l - 1][j];
          grad[off + q * p + i] += d;
        }
        if (l > 1) {
          for (let j = 0; j < p; j++) {
            let t = 0;
            for (let i = 0; i < q; i++) t += deltas[l][i] * params[off + i * p + j];
            const a = acts[l - 1][j];
            deltas[l - 1][j] = t * (1 - a * a);
          }
        }
      }
    }
    for (let i = 0; i < params.length; i++) params[i] -= eta * grad[i];
    return loss / N;
  }
}

export interface NumpyRun {
  stepsPerSecond: number;
  lossAfterCheck: number;
  numpy: string;
}

/** Runs the NumPy baseline single-threaded (OPENBLAS/MKL/OMP threads = 1); { skipped } without NumPy. */
export function numpyMlp(problem: { widths: number[]; eta: number; inputs: Float64Array; targets: Float64Array; params: Float64Array; checkSteps: number }, seconds: number): NumpyRun | { skipped: string } {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const dir = mkdtempSync(path.join(tmpdir(), 'gdlab-nn-bench-'));
    try {
      const file = path.join(dir, 'problem.json');
      writeFileSync(file, JSON.stringify({ ...problem, inputs: Array.from(problem.inputs), targets: Array.from(problem.targets), params: Array.from(problem.params) }));
      const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
      const out = execFileSync(python, [path.join(__dirname, 'nn_numpy_baseline.py'), file, String(seconds)], { encoding: 'utf8', env });
      return JSON.parse(out) as NumpyRun;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { skipped: 'no python3 with NumPy (try apt-get install -y python3-numpy)' };
}
