/**
 * `npm run bench`: how fast the basin kernel and the worker pool are, as ratios measured in this
 * one run (so the machine's load affects both sides alike). Prints a table and writes it to
 * out/bench/results.md (ignored by git; bench/results.md is the checked-in record of a run on a
 * quiet machine, copied from there by hand). Targets are printed beside the figures.
 *
 * Workload: the paper's f1–f4 on their Figure 2 windows, 256² maps at 0.95·η_max, at most 2000
 * GD steps per start, the default classification (src/engine/classify.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { CancelledError, ComputePool } from '../src/compute/pool';
import { analyzeProblem, type AnalyzedProblem } from '../src/engine/analyze';
import { createBasinKernel, defaultSlice, stepConstants, type BasinRows, type StepConstants } from '../src/engine/basin';
import { certifyAll } from '../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../src/engine/classify';
import { PAPER_FUNCTIONS, paperSpec, type PaperFunction } from '../src/engine/paper';
import { smallestEtaMax } from '../src/engine/sweep';
import type { ProblemSpec, SliceSpec } from '../src/engine/types';
import { cKernel, naiveMathjs, numpyLoop, type BaselineRun } from './baselines';
import { networkBench } from './nn';
import { measuresBench } from './measures';
import { optimizersBench } from './optimizers';
import { irBenchmarks } from './ir';

const GRID = 256;
const FRACTION = 0.95;
const classify = { ...DEFAULT_CLASSIFY, maxSteps: 2000 };
const WORKER_SCRIPT = path.join(__dirname, '..', 'dist', 'worker.js');

interface Case {
  f: PaperFunction;
  spec: ProblemSpec;
  problem: AnalyzedProblem;
  eta: number;
  slice: SliceSpec;
  constants: StepConstants;
}

interface Row {
  measure: string;
  result: string;
  target: string;
  /** true = meets the target, false = misses, null = no target */
  ok: boolean | null;
}

const rows: Row[] = [];
const notes: string[] = [];

function log(text: string): void {
  process.stderr.write(text + '\n');
}

function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return v.toFixed(0);
  return Number(v.toPrecision(digits)).toString();
}

function mSteps(stepsPerSecond: number): string {
  return `${fmt(stepsPerSecond / 1e6)} M steps/s`;
}

function ms(seconds: number): string {
  return `${fmt(seconds * 1000)} ms`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function makeCase(f: PaperFunction): Case {
  const problem = analyzeProblem(paperSpec(f));
  const spec = problem.spec; // with its parsed objective (ir), as the pool requires
  const etaMax = smallestEtaMax(problem);
  if (etaMax === null) throw new Error(`${f.id}: no minimum found`);
  const eta = FRACTION * etaMax;
  const slice = defaultSlice(problem, GRID);
  const constants = stepConstants(problem, eta, classify, certifyAll(problem, eta));
  return { f, spec, problem, eta, slice, constants };
}

/** The fused kernel on one core: best of repeated whole-map runs (after one warm-up run). */
function kernelSpeed(c: Case): { stepsPerSecond: number; steps: number; seconds: number; map: BasinRows } {
  const kernel = createBasinKernel(c.problem, c.slice, c.eta, classify, certifyAll(c.problem, c.eta));
  let map = kernel.runRows(0, c.slice.height) as BasinRows; // warm-up (JIT)
  let best = Infinity;
  let steps = 0;
  const started = performance.now();
  for (let rep = 0; rep < 20 && (rep < 3 || performance.now() - started < 600); rep++) {
    const before = kernel.stepsDone;
    const t = performance.now();
    map = kernel.runRows(0, c.slice.height) as BasinRows;
    const seconds = (performance.now() - t) / 1000;
    steps = kernel.stepsDone - before;
    best = Math.min(best, seconds);
  }
  return { stepsPerSecond: steps / best, steps, seconds: best, map };
}

/** Pixels spread evenly over the map, in an order that visits all regions early. */
function samplePixels(slice: SliceSpec, count: number): number[] {
  const total = slice.width * slice.height;
  const stride = 7919; // prime, coprime with any power-of-two map size
  const out: number[] = [];
  for (let i = 0; i < Math.min(count, total); i++) out.push((i * stride + 13) % total);
  return out;
}

/** One map through the pool: seconds to the first rows and to the whole map, and CPU seconds used (all threads). */
async function timeMap(pool: ComputePool, c: Case, eta: number): Promise<{ first: number; whole: number; cpu: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let first = NaN;
  await pool.basin({ spec: c.spec, slice: c.slice, eta, classify }, () => {
    if (Number.isNaN(first)) first = (performance.now() - started) / 1000;
  });
  const whole = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { first, whole, cpu: (cpu.user + cpu.system) / 1e6 };
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const cpu = cpus();
  const load = loadavg()[0];
  log(`GD Stability Lab benchmark — ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${load.toFixed(2)}`);
  const cases = PAPER_FUNCTIONS.map(makeCase);

  /* ---------------------------------------------------------------- kernel vs naive mathjs */
  const kernelResults = new Map<string, ReturnType<typeof kernelSpeed>>();
  for (const c of cases) {
    const k = kernelSpeed(c);
    kernelResults.set(c.f.id, k);
    const sample = samplePixels(c.slice, 4096);
    const naive = naiveMathjs(c.spec.expression, c.slice, c.constants, sample, 1.0);
    const naiveRate = naive.steps / naive.seconds;
    let agree = 0;
    for (const [pixel, cls] of naive.classes) if (k.map.classes[pixel] === cls) agree++;
    const ratio = k.stepsPerSecond / naiveRate;
    log(`${c.f.id}: kernel ${mSteps(k.stepsPerSecond)} (${k.steps} steps in ${ms(k.seconds)}), naive mathjs ${fmt(naiveRate / 1e3)} k steps/s on ${naive.classes.size} pixels (${agree}/${naive.classes.size} same class)`);
    rows.push({
      measure: `${c.f.id} kernel, 1 core: GD steps/s ÷ naive mathjs loop`,
      result: `${fmt(ratio)}× (${mSteps(k.stepsPerSecond)} vs ${fmt(naiveRate / 1e3)} k steps/s)`,
      target: '≥ 100×',
      ok: ratio >= 100,
    });
    notes.push(
      `${c.f.id}: kernel ${k.steps} GD steps for the whole 256² map in ${ms(k.seconds)} (best of repeated runs); the naive loop ran ${naive.classes.size} sampled pixels (${naive.steps} steps, ${fmt(naive.seconds)} s; same class as the kernel on ${agree}/${naive.classes.size}), so the whole map would take it ≈ ${fmt(k.steps / naiveRate)} s.`,
    );
  }

  const slowest = Math.min(...[...kernelResults.values()].map((k) => k.stepsPerSecond));
  rows.push({
    measure: 'kernel GD steps/s per core, slowest of f1–f4 (absolute bar: ½ of the ~75 M steps/s a C loop does per core)',
    result: mSteps(slowest),
    target: '≥ 37.5 M steps/s',
    ok: slowest >= 37.5e6,
  });

  /* ---------------------------------------------------------------- C and NumPy on f1 */
  const f1 = cases[0];
  const k1 = kernelResults.get('f1') as ReturnType<typeof kernelSpeed>;
  const kernelCounts = [0, 0, 0, 0, 0];
  for (const cls of k1.map.classes) kernelCounts[cls]++;
  const countDiff = (b: BaselineRun): number => b.counts.reduce((s, v, i) => s + Math.abs(v - kernelCounts[i]), 0) / 2;
  const cRun = cKernel(f1.slice, f1.constants, 5);
  let cRate = NaN;
  if ('skipped' in cRun) {
    rows.push({ measure: 'f1 kernel ÷ hand-written C kernel (cc -O2), 1 core', result: `skipped: ${cRun.skipped}`, target: '≥ 0.5×', ok: null });
  } else {
    cRate = cRun.steps / cRun.seconds;
    const ratio = k1.stepsPerSecond / cRate;
    log(`f1: C kernel ${mSteps(cRate)} (${cRun.steps} steps in ${ms(cRun.seconds)}; ${countDiff(cRun)} pixels classified differently)`);
    rows.push({ measure: 'f1 kernel ÷ hand-written C kernel (cc -O2), 1 core', result: `${fmt(ratio)}× (C: ${mSteps(cRate)})`, target: '≥ 0.5×', ok: ratio >= 0.5 });
    notes.push(`C kernel (bench/c/kernel.c, cc -O2, best of 5): ${cRun.steps} GD steps (the JS kernel: ${k1.steps}) in ${ms(cRun.seconds)}; class counts differ from the JS kernel's on ${countDiff(cRun)} of ${GRID * GRID} pixels.`);
  }
  const npRun = numpyLoop(f1.slice, f1.constants, 1);
  if ('skipped' in npRun) {
    rows.push({ measure: 'f1 kernel ÷ vectorised NumPy loop, 1 core', result: `skipped: ${npRun.skipped}`, target: '—', ok: null });
    notes.push(`NumPy baseline skipped: ${npRun.skipped}.`);
  } else {
    const npRate = npRun.steps / npRun.seconds;
    log(`f1: NumPy ${mSteps(npRate)} (${npRun.steps} steps in ${ms(npRun.seconds)}; ${countDiff(npRun)} pixels classified differently)`);
    rows.push({ measure: 'f1 kernel ÷ vectorised NumPy loop, 1 core', result: `${fmt(k1.stepsPerSecond / npRate)}× (NumPy: ${mSteps(npRate)})`, target: '—', ok: null });
    notes.push(`NumPy baseline (bench/numpy_baseline.py, ${npRun.detail ?? 'NumPy'}): ${npRun.steps} pixel-steps in ${ms(npRun.seconds)}; class counts differ from the JS kernel's on ${countDiff(npRun)} pixels.`);
  }

  /* ---------------------------------------------------------------- pool: speed-up 1 vs 2 workers */
  const heavy = cases.reduce((a, b) => ((kernelResults.get(a.f.id)?.steps ?? 0) >= (kernelResults.get(b.f.id)?.steps ?? 0) ? a : b));
  const speedSlice: SliceSpec = { ...heavy.slice, width: 512, height: 512 };
  const speedCase: Case = { ...heavy, slice: speedSlice };
  // Both pools warm, then timed runs alternate between them so both see the same machine load.
  const pools = [1, 2].map((workers) => new ComputePool({ workers, workerScript: WORKER_SCRIPT }));
  for (const p of pools) await timeMap(p, speedCase, speedCase.eta); // threads up, problem compiled, kernel JIT-warm
  const wholeTimes = [Infinity, Infinity];
  const allTimes: number[][] = [[], []];
  const coresObtained: number[][] = [[], []];
  for (let rep = 0; rep < 6; rep++) {
    for (let i = 0; i < 2; i++) {
      const t = await timeMap(pools[i], speedCase, speedCase.eta);
      allTimes[i].push(t.whole);
      coresObtained[i].push(t.cpu / t.whole);
      wholeTimes[i] = Math.min(wholeTimes[i], t.whole);
    }
  }
  for (const p of pools) {
    p.dispose();
    await p.terminated();
  }
  notes.push(`Pool speed-up runs (${heavy.f.id} 512², alternating, ms): 1 worker ${allTimes[0].map((t) => fmt(t * 1000)).join(', ')}; 2 workers ${allTimes[1].map((t) => fmt(t * 1000)).join(', ')} (best of each is compared). CPU time ÷ wall time during those runs, i.e. the cores the process actually got: 1 worker ${coresObtained[0].map((v) => fmt(v, 2)).join(', ')}; 2 workers ${coresObtained[1].map((v) => fmt(v, 2)).join(', ')} — on a loaded shared machine the second core is often not free, which caps the speed-up.`);
  const speedup = wholeTimes[0] / wholeTimes[1];
  log(`pool speed-up on ${heavy.f.id} 512²: 1 worker ${ms(wholeTimes[0])}, 2 workers ${ms(wholeTimes[1])}`);
  rows.push({
    measure: `pool speed-up, 2 workers ÷ 1 worker (${heavy.f.id}, 512² at 0.95·η_max)`,
    result: `${fmt(speedup)}× (${ms(wholeTimes[0])} → ${ms(wholeTimes[1])})`,
    target: '≥ 1.7×',
    ok: speedup >= 1.7,
  });

  /* ---------------------------------------------------------------- time to first rows / whole map */
  const pool = new ComputePool({ workers: 2, workerScript: WORKER_SCRIPT });
  const cold = await timeMap(pool, cases[3], cases[3].eta);
  rows.push({
    measure: 'cold start: f4 256², 2 workers, first rows / whole map (threads start, load the engine, analyse)',
    result: `${ms(cold.first)} / ${ms(cold.whole)}`,
    target: '—',
    ok: null,
  });
  const firsts: number[] = [];
  const wholes: number[] = [];
  const detail: string[] = [];
  for (const c of cases) {
    await timeMap(pool, c, 0.9 * (c.eta / FRACTION)); // the previous slider position: problem loaded in the workers
    const t = await timeMap(pool, c, c.eta);
    firsts.push(t.first);
    wholes.push(t.whole);
    detail.push(`${c.f.id} ${ms(t.first)} / ${ms(t.whole)}`);
  }
  log(`warm maps (first rows / whole): ${detail.join(', ')}`);
  const worstFirst = Math.max(...firsts);
  const worstWhole = Math.max(...wholes);
  rows.push({
    measure: '256² map, 2 workers, new η (problem loaded): time to first rows, worst of f1–f4',
    result: ms(worstFirst),
    target: '< 100 ms',
    ok: worstFirst < 0.1,
  });
  rows.push({ measure: '256² map, 2 workers, new η: whole map, worst of f1–f4', result: ms(worstWhole), target: '< 500 ms', ok: worstWhole < 0.5 });
  notes.push(`Per function, first rows / whole 256² map with 2 workers after an η change: ${detail.join('; ')}.`);

  /* ---------------------------------------------------------------- cancellation latency */
  const f3 = cases[2];
  const bigSlice: SliceSpec = { ...f3.slice, width: 1024, height: 1024 };
  const cancelEta = 0.99 * (f3.eta / FRACTION);
  const idleLatencies: number[] = [];
  const rejectLatencies: number[] = [];
  for (let rep = 0; rep < 7; rep++) {
    const controller = new AbortController();
    let abortedAt = 0;
    let rejectedAt = 0;
    const job = pool.basin({ spec: f3.spec, slice: bigSlice, eta: cancelEta, classify }, () => {
      if (abortedAt === 0) {
        abortedAt = performance.now();
        controller.abort();
      }
    }, controller.signal);
    try {
      await job;
      throw new Error('the cancelled map finished');
    } catch (err) {
      if (!(err instanceof CancelledError)) throw err;
      rejectedAt = performance.now();
    }
    await pool.idle();
    idleLatencies.push((performance.now() - abortedAt) / 1000);
    rejectLatencies.push((rejectedAt - abortedAt) / 1000);
  }
  const worstIdle = Math.max(...idleLatencies);
  const medianIdle = median(idleLatencies);
  log(`cancellation: abort → rejected ${rejectLatencies.map(ms).join(', ')}; abort → all workers idle ${idleLatencies.map(ms).join(', ')}`);
  rows.push({
    measure: 'cancellation latency: abort → all workers idle (f3 1024² at 0.99·η_max, median of 7)',
    result: `${ms(medianIdle)} (worst ${ms(worstIdle)}; the promise rejects after ≤ ${ms(Math.max(...rejectLatencies))})`,
    target: '< 50 ms',
    ok: medianIdle < 0.05,
  });
  notes.push(`Cancellation, abort → all workers idle, 7 runs: ${idleLatencies.map(ms).join(', ')}. The kernel checks the shared flag every 16 starts and every 4,096 GD steps of a start; a worker not idle after 200 ms would be terminated and replaced.`);
  pool.dispose();
  await pool.terminated();

  /* ---------------------------------------------------------------- peak memory, 1024² */
  const memText = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'memory.ts'), '1024'], { encoding: 'utf8' });
  const mem = JSON.parse(memText) as { seconds: number; rssBefore: number; peakRss: number; heapBefore: number; peakHeap: number; resultBytes: number };
  const mb = (b: number): string => `${fmt(b / 2 ** 20)} MB`;
  rows.push({
    measure: 'peak memory, f1 1024² map through the pool (2 workers), separate process',
    result: `RSS ${mb(mem.peakRss)} (before the pool: ${mb(mem.rssBefore)}); main-thread heap ${mb(mem.peakHeap)} (before: ${mb(mem.heapBefore)})`,
    target: '—',
    ok: null,
  });
  notes.push(`The 1024² result arrays (classes, minimum, steps, K) take ${mb(mem.resultBytes)}; the map took ${fmt(mem.seconds)} s in that process, including starting the two threads (cold). RSS includes both worker threads (each loads the engine and mathjs).`);

  /* ---------------------------------------------------------------- networks (bench/nn.ts) */
  const nn = await networkBench(log);
  rows.push(...nn.rows);
  notes.push(...nn.notes);

  /* ---------------------------------------------------------------- dynamics measures (bench/measures.ts) */
  const measures = await measuresBench(log);
  rows.push(...measures.rows);
  notes.push(...measures.notes);

  /* ---------------------------------------------------------------- optimizer kernels (bench/optimizers.ts) */
  const optimizers = await optimizersBench(log);
  rows.push(...optimizers.rows);
  notes.push(...optimizers.notes);

  /* ---------------------------------------------------------------- parse, derivatives, whole processes (bench/ir.ts) */
  await irBenchmarks({ rows, notes, log });

  /* ---------------------------------------------------------------- table */
  const totalSeconds = (performance.now() - benchStarted) / 1000;
  const verdict = (ok: boolean | null): string => (ok === null ? '' : ok ? 'met' : 'missed');
  const table = [
    '| Measure | Result | Target | |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.measure} | ${r.result} | ${r.target} | ${verdict(r.ok)} |`),
  ].join('\n');
  const header = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${load.toFixed(2)} at the start (the machine is shared: ratios, measured in the same run, are the meaningful figures). Workload: f1–f4 on their Figure 2 windows, 256² at 0.95·η_max, ≤ 2000 steps. Kernel, C and NumPy figures are the best of repeated runs; the naive mathjs loop runs a sample of pixels for about 1 s per function and its steps/s is extrapolated to the map (per step, same classification).`;
  const md = [
    '# Benchmark results (`npm run bench`)',
    '',
    header,
    '',
    table,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    `Benchmark run time: ${fmt(totalSeconds)} s.`,
    '',
  ].join('\n');
  process.stdout.write('\n' + table + '\n\n' + notes.map((n) => `- ${n}`).join('\n') + '\n');
  // generated files stay out of the tracked tree
  const outDir = path.join(__dirname, '..', 'out', 'bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'results.md'), md);
  log(`\nwrote out/bench/results.md (${fmt(totalSeconds)} s)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
