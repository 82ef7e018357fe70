/**
 * Benchmarks of the optimizer kernels (registered in bench/run.ts; also runs alone:
 * `node --import tsx bench/optimizers.ts`): steps/s of the fused basin kernel for heavy-ball,
 * Nesterov, RMSProp and Adam on f4 (its Figure 2 window, 256², ≤ 2000 steps, one thread), as
 * ratios against the GD kernel on the same map and against a naive loop with the same update
 * (mathjs `evaluate` of f and ∇f per step, the update and the loss-increase and divergence checks
 * written out plainly), measured in the same run.
 */
import { compile, derivative } from 'mathjs';
import { analyzeProblem } from '../src/engine/analyze';
import { createBasinKernel, defaultSlice } from '../src/engine/basin';
import { certifyAll } from '../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../src/engine/classify';
import { describeOptimizer, etaMax, resolveOptimizer, type OptimizerSpec } from '../src/engine/optimizers';
import { PAPER_FUNCTIONS, paperSpec } from '../src/engine/paper';
import type { SliceSpec } from '../src/engine/types';

export interface OptimizerBenchRow {
  measure: string;
  result: string;
  target: string;
  ok: boolean | null;
}

const GRID = 256;

/** Steps/s of the fused kernel over the whole map: the best of `repeats` runs (the first also warms it up). */
function kernelRate(problem: ReturnType<typeof analyzeProblem>, slice: SliceSpec, eta: number, spec: OptimizerSpec, repeats = 3): { rate: number; steps: number } {
  const certificates = spec.name === 'gd' ? certifyAll(problem, eta) : [];
  const kernel = createBasinKernel(problem, slice, eta, DEFAULT_CLASSIFY, certificates, spec.name === 'gd' ? undefined : spec);
  let best = 0;
  let steps = 0;
  for (let rep = 0; rep < repeats; rep++) {
    const before = kernel.stepsDone;
    const t = performance.now();
    kernel.runRows(0, slice.height);
    const seconds = (performance.now() - t) / 1000;
    steps = kernel.stepsDone - before;
    best = Math.max(best, steps / seconds);
  }
  return { rate: best, steps };
}

/**
 * The naive loop: mathjs-compiled f, ∂f/∂x, ∂f/∂y `evaluate`d at every step and the optimizer's
 * update in plain JavaScript objects; for about `budget` seconds over a sample of starts.
 */
function naiveRate(expression: string, slice: SliceSpec, eta: number, spec: OptimizerSpec, budget: number): number {
  const fC = compile(expression);
  const gC = [compile(derivative(expression, 'x').toString()), compile(derivative(expression, 'y').toString())];
  let steps = 0;
  const started = performance.now();
  for (let pixel = 0; (performance.now() - started) / 1000 < budget; pixel = (pixel + 7919) % (slice.width * slice.height)) {
    const row = Math.floor(pixel / slice.width);
    const col = pixel % slice.width;
    const x = [slice.xRange[0] + ((col + 0.5) * (slice.xRange[1] - slice.xRange[0])) / slice.width, slice.yRange[1] - ((row + 0.5) * (slice.yRange[1] - slice.yRange[0])) / slice.height];
    const a = [0, 0];
    const b = [0, 0];
    let fPrev = Infinity;
    let increases = 0;
    for (let k = 0; k < 400; k++) {
      const scope = { x: x[0], y: x[1] };
      const f = fC.evaluate(scope) as number;
      const g = gC.map((c) => c.evaluate(scope) as number);
      if (f - fPrev > 1e-12 * Math.abs(fPrev)) increases++;
      if (!Number.isFinite(f) || x[0] * x[0] + x[1] * x[1] > 1e12) break;
      fPrev = f;
      for (let i = 0; i < 2; i++) {
        switch (spec.name) {
          case 'gd':
            x[i] -= eta * g[i];
            break;
          case 'momentum':
            a[i] = spec.beta * a[i] - eta * g[i];
            x[i] += a[i];
            break;
          case 'nesterov':
            a[i] = spec.beta * a[i] - eta * g[i];
            x[i] += spec.beta * a[i] - eta * g[i];
            break;
          case 'rmsprop':
            b[i] = spec.beta2 * b[i] + (1 - spec.beta2) * g[i] * g[i];
            x[i] -= (eta * g[i]) / (Math.sqrt(b[i]) + spec.epsilon);
            break;
          case 'adam': {
            a[i] = spec.beta1 * a[i] + (1 - spec.beta1) * g[i];
            b[i] = spec.beta2 * b[i] + (1 - spec.beta2) * g[i] * g[i];
            const c1 = spec.biasCorrection ? 1 - Math.pow(spec.beta1, k + 1) : 1;
            const c2 = spec.biasCorrection ? 1 - Math.pow(spec.beta2, k + 1) : 1;
            x[i] -= (eta * (a[i] / c1)) / (Math.sqrt(b[i] / c2) + spec.epsilon);
            break;
          }
        }
      }
      steps++;
    }
    if (increases < 0) break; // keeps the count live
  }
  return steps / ((performance.now() - started) / 1000);
}

export async function optimizersBench(log: (text: string) => void): Promise<{ rows: OptimizerBenchRow[]; notes: string[] }> {
  const rows: OptimizerBenchRow[] = [];
  const notes: string[] = [];
  const f4 = PAPER_FUNCTIONS.find((f) => f.id === 'f4') ?? PAPER_FUNCTIONS[PAPER_FUNCTIONS.length - 1];
  const spec = paperSpec(f4);
  const problem = analyzeProblem(spec);
  const slice = defaultSlice(problem, GRID);
  const lambda = problem.minima[0].lambdaMax;
  const cases: { spec: OptimizerSpec; eta: number }[] = [
    { spec: resolveOptimizer({ name: 'gd' }), eta: 0.95 * (etaMax(resolveOptimizer({ name: 'gd' }), lambda) as number) },
    { spec: resolveOptimizer({ name: 'momentum' }), eta: 0.25 },
    { spec: resolveOptimizer({ name: 'nesterov' }), eta: 0.1 },
    { spec: resolveOptimizer({ name: 'rmsprop' }), eta: 0.02 },
    { spec: resolveOptimizer({ name: 'adam' }), eta: 0.05 },
  ];
  let gdRate = 0;
  for (const c of cases) {
    log(`optimizers: ${c.spec.name} kernel, f4 ${GRID}² at η = ${Number(c.eta.toPrecision(4))} …`);
    const kernel = kernelRate(problem, slice, c.eta, c.spec);
    const naive = naiveRate(spec.expression, slice, c.eta, c.spec, 1);
    if (c.spec.name === 'gd') gdRate = kernel.rate;
    const vsGd = c.spec.name === 'gd' ? '' : `, ${(kernel.rate / gdRate).toFixed(2)}× the GD kernel`;
    rows.push({
      measure: `${describeOptimizer(c.spec)} kernel, f4 ${GRID}², η = ${Number(c.eta.toPrecision(4))}, 1 core: steps/s ÷ naive mathjs loop with the same update`,
      result: `${Math.round(kernel.rate / naive)}× (${(kernel.rate / 1e6).toFixed(1)} M steps/s vs ${(naive / 1e3).toFixed(0)} k steps/s${vsGd})`,
      target: '—',
      ok: null,
    });
  }
  notes.push(
    'Optimizer kernels: the same fused loop as GD with the optimizer\'s update and state in locals and its own convergence test (heavy-ball / Nesterov: the certified Lyapunov region; Adam / RMSProp: the neighbourhood test, whose 100 confirmation iterates count as steps). Adam calls Math.pow for its bias corrections until 1 − βᵗ rounds to 1 (t ≈ 37,000 for β₂ = 0.999), as the textbook loop does; per step it also takes two square roots and divisions per coordinate.',
  );
  return { rows, notes };
}

if (require.main === module) {
  optimizersBench((t) => process.stderr.write(t + '\n')).then(({ rows, notes }) => {
    for (const r of rows) process.stdout.write(`${r.measure}: ${r.result}\n`);
    for (const n of notes) process.stdout.write(`- ${n}\n`);
  }, (err: unknown) => {
    process.stderr.write(String(err) + '\n');
    process.exitCode = 1;
  });
}
