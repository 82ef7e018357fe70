/**
 * Benchmarks of the dynamics measures (registered in bench/run.ts; also runs alone:
 * `node --import tsx bench/measures.ts` after `npm run build`):
 * - an orbit diagram of 1,000 learning rates × 2,000 GD steps (f4 next to a minimum, 0.5–1.5·η_max)
 *   on the pool with 2 workers and with 1, and on this thread;
 * - the fractal measures (basin entropy ×2, box-counting dimensions ×4) of a 1024² map of f4 at
 *   0.95·η_max, and its uncertainty exponent (21 maps of 128² through the pool).
 */
import * as path from 'node:path';
import { ComputePool } from '../src/compute/pool';
import { classMap, uncertaintyExponents } from '../src/compute/measureJobs';
import { analyzeProblem } from '../src/engine/analyze';
import { defaultSlice } from '../src/engine/basin';
import { DEFAULT_CLASSIFY } from '../src/engine/classify';
import { defaultEpsilons, fractalMeasures } from '../src/engine/measures/fractal';
import { computeOrbits, linearEtas, startsNearMinimum } from '../src/engine/measures/orbit';
import { PAPER_FUNCTIONS, paperSpec } from '../src/engine/paper';
import { smallestEtaMax } from '../src/engine/sweep';

export interface MeasuresRow {
  measure: string;
  result: string;
  target: string;
  ok: boolean | null;
}

const WORKER_SCRIPT = path.join(__dirname, '..', 'dist', 'worker.js');

function s(seconds: number): string {
  return seconds >= 1 ? `${seconds.toFixed(2)} s` : `${(seconds * 1000).toFixed(0)} ms`;
}

function best(times: number[]): number {
  return Math.min(...times);
}

export async function measuresBench(log: (text: string) => void): Promise<{ rows: MeasuresRow[]; notes: string[] }> {
  const rows: MeasuresRow[] = [];
  const notes: string[] = [];
  const f4 = PAPER_FUNCTIONS.find((f) => f.id === 'f4') ?? PAPER_FUNCTIONS[PAPER_FUNCTIONS.length - 1];
  const problem = analyzeProblem(paperSpec(f4));
  const spec = problem.spec; // with its parsed objective (ir), as the pool requires
  const etaMax = smallestEtaMax(problem) as number;

  /* ---------------------------------------------------------------- orbit diagram */
  const starts = startsNearMinimum(problem.minima[0].point, 1e-3);
  const etas = linearEtas(0.5 * etaMax, 1.5 * etaMax, 1000);
  const options = { transient: 1800, keep: 200 };
  const job = { spec, starts, etas, options };
  log('measures: orbit diagram, 1000 η × 2000 steps …');
  const local: number[] = [];
  let statuses = '';
  for (let rep = 0; rep < 3; rep++) {
    const t = performance.now();
    const o = computeOrbits(problem, starts, etas, options);
    local.push((performance.now() - t) / 1000);
    if (o && rep === 0) {
      const counts = new Map<string, number>();
      for (const p of o.points) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
      statuses = [...counts.entries()].map(([k, v]) => `${v} ${k}`).join(', ');
    }
  }
  const poolTimes: number[] = [];
  for (const workers of [1, 2]) {
    const pool = new ComputePool({ workers, workerScript: WORKER_SCRIPT });
    try {
      await pool.orbit({ ...job, etas: etas.slice(0, 4 * workers) }); // threads started, problem analysed, JIT warm
      const times: number[] = [];
      for (let rep = 0; rep < 3; rep++) {
        const t = performance.now();
        await pool.orbit(job);
        times.push((performance.now() - t) / 1000);
      }
      poolTimes.push(best(times));
    } finally {
      pool.dispose();
    }
  }
  rows.push({
    measure: 'orbit diagram, f4 next to a minimum: 1,000 η (0.5–1.5·η_max) × 2,000 GD steps with Lyapunov exponents, 2 workers (problem loaded)',
    result: `${s(poolTimes[1])} (1 worker: ${s(poolTimes[0])}, speed-up ${(poolTimes[0] / poolTimes[1]).toFixed(2)}×; this thread alone: ${s(best(local))})`,
    target: 'seconds on 2 cores',
    ok: poolTimes[1] < 5,
  });
  notes.push(`Orbit diagram workload: ${statuses} (2 M GD steps, each with a Hessian–tangent product).`);

  /* ---------------------------------------------------------------- fractal measures of a 1024² map */
  log('measures: 1024² map of f4 at 0.95·η_max, then its fractal measures …');
  const slice = defaultSlice(problem, 1024);
  const eta = 0.95 * etaMax;
  const pool = new ComputePool({ workers: 2, workerScript: WORKER_SCRIPT });
  try {
    const t0 = performance.now();
    const map = await classMap(pool, { spec, slice, eta, classify: DEFAULT_CLASSIFY });
    const mapSeconds = (performance.now() - t0) / 1000;
    const pixelSize = (slice.xRange[1] - slice.xRange[0]) / slice.width;
    const times: number[] = [];
    let summary = '';
    for (let rep = 0; rep < 3; rep++) {
      const t = performance.now();
      const m = fractalMeasures(map.classes, map.minimum, problem.minima.length, slice.width, slice.height, { pixelSize });
      times.push((performance.now() - t) / 1000);
      summary = m.dimensions.map((d) => `${d.boundary} D = ${d.dimension === null ? '—' : d.dimension.toFixed(3)}`).join(', ') + `; S_bb(outcome) = ${m.entropy[0].Sbb?.toFixed(3)}`;
    }
    rows.push({
      measure: 'fractal measures of a 1024² map (f4, 0.95·η_max): basin entropy ×2 and box-counting dimensions ×4, main thread',
      result: `${s(best(times))} (the map itself: ${s(mapSeconds)} on 2 workers)`,
      target: 'seconds on 2 cores',
      ok: best(times) < 5,
    });
    notes.push(`1024² f4 map at 0.95·η_max: ${summary}.`);
    const grid = { ...slice, width: 128, height: 128 };
    const t1 = performance.now();
    const u = await uncertaintyExponents(pool, { spec, slice: grid, eta, classify: DEFAULT_CLASSIFY, epsilons: defaultEpsilons(slice.xRange[1] - slice.xRange[0]) });
    const uSeconds = (performance.now() - t1) / 1000;
    rows.push({
      measure: 'uncertainty exponent of the same map: 128² starts re-classified at ±ε for 10 ε (21 maps through the pool, 2 workers)',
      result: s(uSeconds),
      target: 'seconds on 2 cores',
      ok: uSeconds < 5,
    });
    notes.push(`Uncertainty exponent of that map: ${u.exponents.map((e) => `${e.partition} α = ${e.alpha === null ? '—' : e.alpha.toFixed(3)} (D = ${e.dimension === null ? '—' : e.dimension.toFixed(3)})`).join(', ')}.`);
  } finally {
    pool.dispose();
  }
  return { rows, notes };
}

if (require.main === module) {
  measuresBench((t) => process.stderr.write(t + '\n')).then(
    ({ rows, notes }) => {
      for (const r of rows) process.stdout.write(`| ${r.measure} | ${r.result} | ${r.target} | ${r.ok === null ? '' : r.ok ? 'met' : 'missed'} |\n`);
      for (const n of notes) process.stdout.write(`- ${n}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`measures benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
