/**
 * Network benchmark (part of `npm run bench`; alone: `node --import tsx bench/nn.ts`):
 *  - full-batch GD steps/s of the engine for tanh MLPs 1→64→64→1 on 256 points and 2→256→256→1
 *    on 1,000 points, against a hand-written per-sample JS loop and NumPy (one BLAS thread) on the
 *    same data and initial parameters (the loss after a few steps is compared to confirm it);
 *  - the cost of an exact Hessian-vector product ÷ the cost of a gradient;
 *  - Lanczos: HVPs for λ_max to 1e-6 relative, warm-started, along training of 1→64→64→1;
 *  - memory of a 66,817-parameter run with sharpness every 20 steps for 10,000 steps (separate
 *    process, bench/nnMemory.ts).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { Lanczos } from '../src/engine/nn/lanczos';
import { prepareModel, type BuiltModel } from '../src/engine/nn/model';
import { validateModelSpec } from '../src/engine/nn/spec';
import { numpyMlp, PerSampleMlp } from './nnBaselines';
import { networkPoolBench } from './nnPool';

export interface BenchRow {
  measure: string;
  result: string;
  target: string;
  ok: boolean | null;
}

const fmt = (v: number, digits = 3): string => (!Number.isFinite(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(digits)).toString());

function build(hidden: number[], data: unknown): BuiltModel {
  const v = validateModelSpec({ kind: 'mlp', hidden, activation: 'tanh', data, init: { seed: 0 } });
  if (v.errors) throw new Error(JSON.stringify(v.errors));
  const b = prepareModel(v.spec);
  if (!b.model) throw new Error('bench model does not build');
  return b.model;
}

/** Best steps/s over blocks of ≥ 0.2 s within about `seconds`. */
function rate(step: () => void, seconds: number): number {
  for (let i = 0; i < 2; i++) step(); // warm-up (JIT)
  let best = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const t = performance.now();
    let k = 0;
    while (k < 2 || performance.now() - t < 200) {
      step();
      k++;
    }
    best = Math.max(best, (k * 1000) / (performance.now() - t));
  }
  return best;
}

function gdSpeed(label: string, m: BuiltModel, eta: number, rows: BenchRow[], notes: string[], log: (s: string) => void): void {
  const net = m.network;
  const n = net.nParams;
  const { inputs, targets } = net.data;
  const widths = m.summary.widths;
  const grad = new Float64Array(n);
  // correctness first: the three implementations agree after a few steps
  const check = 3;
  const a = m.initial.slice();
  for (let k = 0; k < check; k++) {
    net.lossAndGradient(a, grad);
    for (let i = 0; i < n; i++) a[i] -= eta * grad[i];
  }
  const engineLoss = net.loss(a);
  const perSample = new PerSampleMlp(widths, inputs, targets, net.data.n);
  const b = m.initial.slice();
  const g2 = new Float64Array(n);
  for (let k = 0; k < check; k++) perSample.step(b, g2, eta);
  const perSampleLoss = net.loss(b);

  const pe = m.initial.slice();
  const engine = rate(() => {
    net.lossAndGradient(pe, grad);
    for (let i = 0; i < n; i++) pe[i] -= eta * grad[i];
  }, 2);
  const ps = m.initial.slice();
  const loop = rate(() => perSample.step(ps, g2, eta), 2);
  const np = numpyMlp({ widths, eta, inputs, targets, params: m.initial, checkSteps: check }, 2);
  log(`${label}: engine ${fmt(engine)} steps/s, per-sample JS ${fmt(loop)} steps/s, NumPy ${'skipped' in np ? np.skipped : fmt(np.stepsPerSecond) + ' steps/s'}`);
  rows.push({ measure: `GD steps/s, ${label}: engine ÷ per-sample JS loop`, result: `${fmt(engine / loop)}× (${fmt(engine)} vs ${fmt(loop)} steps/s)`, target: '—', ok: null });
  if ('skipped' in np) {
    rows.push({ measure: `GD steps/s, ${label}: engine ÷ NumPy (1 BLAS thread)`, result: `skipped: ${np.skipped}`, target: '—', ok: null });
  } else {
    rows.push({ measure: `GD steps/s, ${label}: engine ÷ NumPy (1 BLAS thread)`, result: `${fmt(engine / np.stepsPerSecond)}× (NumPy ${np.numpy}: ${fmt(np.stepsPerSecond)} steps/s)`, target: '—', ok: null });
  }
  const rel = (x: number): string => fmt(Math.abs(x - engineLoss) / engineLoss, 2);
  notes.push(`${label} (${n} parameters): after ${check} GD steps at η = ${eta} the loss is ${engineLoss.toPrecision(12)} (engine); relative difference of the per-sample loop ${rel(perSampleLoss)}${'skipped' in np ? '' : `, of NumPy ${rel(np.lossAfterCheck)}`}.`);
}

function hvpCost(label: string, m: BuiltModel, rows: BenchRow[], log: (s: string) => void): void {
  const net = m.network;
  const n = net.nParams;
  const p = m.initial.slice();
  const q = m.initial.map((x) => x * 1.001);
  const grad = new Float64Array(n);
  const v = new Float64Array(n).map((_, i) => Math.sin(i));
  const out = new Float64Array(n);
  // interleaved, so the three see the same machine load; best of each
  const time = (f: () => void): number => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  let tg = Infinity, th = Infinity, tc = Infinity;
  const started = performance.now();
  for (let rep = 0; rep < 200 && (rep < 5 || performance.now() - started < 3000); rep++) {
    tg = Math.min(tg, time(() => net.lossAndGradient(p, grad)));
    th = Math.min(th, time(() => net.hvp(p, v, out)));
    net.lossAndGradient(q, grad);
    tc = Math.min(tc, time(() => net.hvp(p, v, out)));
  }
  const warm = th / tg;
  const cold = tc / tg;
  log(`${label}: gradient ${fmt(tg)} ms, HVP ${fmt(th)} ms (at a new point ${fmt(tc)} ms)`);
  rows.push({ measure: `HVP cost ÷ gradient cost, ${label} (HVP at the point of the last gradient, as in Lanczos; at a new point, incl. its forward-backward pass)`, result: `${fmt(warm)}× ; ${fmt(cold)}× (gradient ${fmt(tg)} ms)`, target: '≤ 3×', ok: warm <= 3 });
}

function lanczosWarm(rows: BenchRow[], notes: string[], log: (s: string) => void): void {
  const m = build([64, 64], { generate: 'chebyshev', n: 256, degree: 4 });
  const net = m.network;
  const n = net.nParams;
  const eta = 0.1;
  const theta = m.initial.slice();
  const grad = new Float64Array(n);
  const gd = (steps: number): void => {
    for (let k = 0; k < steps; k++) {
      net.lossAndGradient(theta, grad);
      for (let i = 0; i < n; i++) theta[i] -= eta * grad[i];
    }
  };
  gd(2000); // "trained": well into training
  const warm = new Lanczos(n, 60);
  const reference = new Lanczos(n, 200, 1, 777);
  net.lossAndGradient(theta, grad);
  warm.run((x, o) => net.hvp(theta, x, o), { tol: 1e-6 }); // the previous measurement
  const counts: number[] = [];
  const errors: number[] = [];
  for (let i = 0; i < 20; i++) {
    gd(20);
    net.lossAndGradient(theta, grad);
    const exact = reference.run((x, o) => net.hvp(theta, x, o), { tol: 1e-13, warm: false }).values[0];
    const r = warm.run((x, o) => net.hvp(theta, x, o), { tol: 1e-6 });
    counts.push(r.matvecs);
    errors.push(Math.abs(r.values[0] - exact) / exact);
  }
  const worst = Math.max(...counts);
  const worstErr = Math.max(...errors);
  const sorted = [...counts].sort((a, b) => a - b);
  log(`Lanczos warm: HVPs ${counts.join(', ')}; worst relative error ${worstErr.toExponential(2)}`);
  rows.push({
    measure: 'Lanczos λ_max to 1e-6 relative, warm-started from the previous measurement 20 GD steps earlier (trained 1→64→64→1, 256 points): HVPs, worst of 20 / median',
    result: `${worst} / ${sorted[10]} HVPs; worst actual relative error ${worstErr.toExponential(1)}`,
    target: '≤ 30 HVPs, 1e-6',
    ok: worst <= 30 && worstErr <= 1e-6,
  });
  notes.push(`Lanczos check: after 2000 GD steps (η = 0.1) on 1→64→64→1 / 256 Chebyshev points, 20 measurements 20 steps apart, each against a cold Lanczos run to 1e-13; HVPs per measurement: ${counts.join(', ')}.`);
}

export async function networkBench(log: (s: string) => void, only?: string): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  if (only === 'lanczos') {
    lanczosWarm(rows, notes, log);
    return { rows, notes };
  }
  if (only === 'hvp') {
    hvpCost('1→64→64→1, 256 points', build([64, 64], { generate: 'chebyshev', n: 256, degree: 4 }), rows, log);
    hvpCost('2→256→256→1, 1,000 points', build([256, 256], { generate: 'teacher', n: 1000, inputs: 2, outputs: 1, hidden: [16] }), rows, log);
    return { rows, notes };
  }
  const small = build([64, 64], { generate: 'chebyshev', n: 256, degree: 4 });
  const large = build([256, 256], { generate: 'teacher', n: 1000, inputs: 2, outputs: 1, hidden: [16] });
  gdSpeed('MLP 1→64→64→1, 256 points', small, 0.05, rows, notes, log);
  gdSpeed('MLP 2→256→256→1, 1,000 points', large, 0.05, rows, notes, log);
  hvpCost('1→64→64→1, 256 points', small, rows, log);
  hvpCost('2→256→256→1, 1,000 points', large, rows, log);
  lanczosWarm(rows, notes, log);
  await networkPoolBench(rows, notes, log);
  const text = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'nnMemory.ts')], { encoding: 'utf8' });
  const mem = JSON.parse(text) as { params: number; points: number; steps: number; every: number; seconds: number; rssBefore: number; rssAfterBuild: number; peakRss: number; resultBytes: number; hvps: number };
  const mb = (b: number): string => `${fmt(b / 2 ** 20)} MB`;
  rows.push({
    measure: `memory: ${mem.params}-parameter MLP, ${mem.steps} GD steps, sharpness every ${mem.every} (separate process)`,
    result: `peak RSS ${mb(mem.peakRss)} (Node alone ${mb(mem.rssBefore)}, model built ${mb(mem.rssAfterBuild)}); results ${mb(mem.resultBytes)}`,
    target: '—',
    ok: null,
  });
  notes.push(`Memory run: 2→256→256→1 on ${mem.points} points (a small data set so the 10,000 steps take ${fmt(mem.seconds)} s; memory does not depend on the step count beyond the result arrays), ${mem.hvps} HVPs in total; the Lanczos basis (61 × n doubles = ${mb(61 * mem.params * 8)}, allocated once) is the largest workspace; only the pages of the basis vectors a warm-started run uses become resident.`);
  return { rows, notes };
}

if (require.main === module) {
  networkBench((s) => process.stderr.write(s + '\n'), process.argv[2]).then(({ rows, notes }) => {
    process.stdout.write(['| Measure | Result | Target | |', '|---|---|---|---|', ...rows.map((r) => `| ${r.measure} | ${r.result} | ${r.target} | ${r.ok === null ? '' : r.ok ? 'met' : 'missed'} |`)].join('\n') + '\n\n' + notes.map((n) => `- ${n}`).join('\n') + '\n');
  }, (err: unknown) => {
    process.stderr.write(`network benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
