/**
 * Peak memory of one 1024² basin map through the pool (2 workers), in a fresh process so the
 * figures are not inflated by the rest of the benchmark. Assembles the full map in the main
 * thread like the host does. Prints one JSON line.
 */
import { ComputePool } from '../src/compute/pool';
import { analyzeProblem } from '../src/engine/analyze';
import { defaultSlice } from '../src/engine/basin';
import { DEFAULT_CLASSIFY } from '../src/engine/classify';
import { PAPER_FUNCTIONS, paperSpec } from '../src/engine/paper';
import { smallestEtaMax } from '../src/engine/sweep';

async function main(): Promise<void> {
  const grid = Number(process.argv[2] ?? 1024);
  const f = PAPER_FUNCTIONS[0];
  const problem = analyzeProblem(paperSpec(f));
  const spec = problem.spec; // with its parsed objective (ir), as the pool requires
  const eta = 0.95 * (smallestEtaMax(problem) as number);
  const slice = defaultSlice(problem, grid);
  if (global.gc) global.gc();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  const timer = setInterval(sample, 5);
  const pool = new ComputePool({ workers: 2 });
  const classes = new Uint8Array(grid * grid);
  const minimum = new Int8Array(grid * grid);
  const steps = new Uint32Array(grid * grid);
  const unstable = new Uint32Array(grid * grid);
  const started = performance.now();
  await pool.basin({ spec, slice, eta, classify: DEFAULT_CLASSIFY }, (rows) => {
    const at = rows.rowStart * grid;
    classes.set(rows.classes, at);
    minimum.set(rows.minimum, at);
    steps.set(rows.steps, at);
    unstable.set(rows.unstableSteps, at);
    sample();
  });
  const seconds = (performance.now() - started) / 1000;
  sample();
  clearInterval(timer);
  pool.dispose();
  await pool.terminated();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({
    grid,
    seconds,
    rssBefore: before.rss,
    peakRss: Math.max(peakRss, maxRssBytes),
    heapBefore: before.heapUsed,
    peakHeap,
    resultBytes: classes.byteLength + minimum.byteLength + steps.byteLength + unstable.byteLength,
  }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`memory benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
