/**
 * Benchmarks of the expression → derivatives → code path and of whole `gdlab` processes (issue
 * 13), registered in bench/run.ts. Every ratio compares two figures measured in this run.
 *
 * - start-up: `gdlab analyze "x^2+y^2"`, whole process ÷ `node -e 0` (medians, runs alternated);
 * - many variables: `gdlab analyze` on w0^2 + … + w149^2, whole process;
 * - a 1,000-term objective in 50 variables: parse → IR → ∇f and ∇²f·v → generated code, and its
 *   gradient evaluations per second ÷ a hand-written C loop over the same terms (bench/c/gradient.c);
 * - f3 512² at 0.95·η_max: `gdlab basin … --out f3.npy` whole process, all cores ÷ a hand-written
 *   single-core C loop on the same map (bench/c/f3.c), with a time split of the same steps run in
 *   this process (start, parse, compile, critical points, certificate, map, write);
 * - critical-point search time for the paper's f1–f4 and other functions.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import { ComputePool } from '../src/compute/pool';
import { withIR } from '../src/engine/analyze';
import { defaultSlice, stepConstants } from '../src/engine/basin';
import { certifyAll } from '../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../src/engine/classify';
import { compileObjective } from '../src/engine/compile';
import { findCriticalPoints, matrixFree, searchCriticalPoints } from '../src/engine/critical';
import { checkDefinedness } from '../src/engine/definedness';
import { discoverMinima } from '../src/engine/discover';
import { parseExpression } from '../src/engine/expression';
import { PAPER_FUNCTIONS, paperSpec } from '../src/engine/paper';
import { analyzeParsed } from '../src/engine/problem';
import { mulberry32 } from '../src/engine/random';
import type { Box } from '../src/engine/types';
import { encodeNpy } from '../src/shared/encode';

export interface BenchRow {
  measure: string;
  result: string;
  target: string;
  ok: boolean | null;
}

export interface BenchContext {
  rows: BenchRow[];
  notes: string[];
  log(text: string): void;
}

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

const fmt = (v: number, digits = 3): string => (!Number.isFinite(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(digits))));
const ms = (s: number): string => `${fmt(s * 1000)} ms`;
const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Wall time of one child process (seconds); throws if it fails. */
function processSeconds(args: string[], timeoutMs = 120_000): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${args.slice(0, 3).join(' ')}… exited with ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${(r.stderr ?? '').slice(0, 300)}`);
  return seconds;
}

function compileC(name: string): string | null {
  if (spawnSync('cc', ['--version']).status !== 0) return null;
  const binary = path.join(mkdtempSync(path.join(tmpdir(), 'gdlab-bench-')), name);
  execFileSync('cc', ['-O2', '-o', binary, path.join(__dirname, 'c', `${name}.c`), '-lm'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return binary;
}

/** The 1,000-term objective in 50 variables: (w_i − w_j)², c·w_i·w_j and c·sin(w_i) terms. */
export function termObjective(terms = 1000, n = 50): { text: string; table: [number, number, number, number][] } {
  const random = mulberry32(13);
  const table: [number, number, number, number][] = [];
  for (let k = 0; k < terms; k++) {
    const i = Math.floor(random() * n);
    const j = (i + 1 + Math.floor(random() * (n - 1))) % n;
    const c = Number((0.05 + random()).toFixed(2));
    table.push([k % 3, i, j, k % 3 === 0 ? 1 : c]);
  }
  // every variable appears: the last n terms pin them
  const text = table
    .map(([kind, i, j, c]) => (kind === 0 ? `(w${i} - w${j})^2` : kind === 1 ? `${c}*w${i}*w${j}` : `${c}*sin(w${i})`))
    .join(' + ') + ' + ' + Array.from({ length: n }, (_, i) => `w${i}^2`).join(' + ');
  for (let i = 0; i < n; i++) table.push([1, i, i, 1]); // w_i^2 = 1·w_i·w_i
  return { text, table };
}

function startup(ctx: BenchContext): void {
  const baseline: number[] = [];
  const analyze: number[] = [];
  for (let rep = 0; rep < 9; rep++) {
    baseline.push(processSeconds(['-e', '0']));
    analyze.push(processSeconds([CLI, 'analyze', 'x^2+y^2']));
  }
  const ratio = median(analyze) / median(baseline);
  ctx.log(`start-up: gdlab analyze ${ms(median(analyze))}, node -e 0 ${ms(median(baseline))}`);
  ctx.rows.push({ measure: '`gdlab analyze "x^2+y^2"` whole process ÷ `node -e 0` (medians of 9, alternated)', result: `${fmt(ratio)}× (${ms(median(analyze))} vs ${ms(median(baseline))})`, target: '≤ 2×', ok: ratio <= 2 });
  ctx.notes.push(`Start-up runs (ms): gdlab analyze ${analyze.map((s) => fmt(s * 1000)).join(', ')}; node -e 0 ${baseline.map((s) => fmt(s * 1000)).join(', ')}.`);
}

function manyVariables(ctx: BenchContext): void {
  const text = Array.from({ length: 150 }, (_, k) => `w${k}^2`).join(' + ');
  const runs: number[] = [];
  let note = '';
  for (let rep = 0; rep < 3 && note === ''; rep++) {
    try {
      runs.push(processSeconds([CLI, 'analyze', text, '--json'], 120_000));
    } catch (err) {
      note = ` (failed: ${err instanceof Error ? err.message.slice(0, 120) : String(err)})`;
    }
  }
  const seconds = runs.length > 0 ? median(runs) : NaN;
  // the same steps in this process, timed one by one
  const t0 = performance.now();
  const parsed = parseExpression(text);
  const compiled = compileObjective(parsed);
  const compileSeconds = (performance.now() - t0) / 1000;
  const box = parsed.variables.map((): [number, number] => [-3, 3]);
  const t1 = performance.now();
  const { points, report } = searchCriticalPoints(compiled, box);
  const searchSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  discoverMinima(compiled, [box], points);
  const discoverSeconds = (performance.now() - t2) / 1000;
  const t3 = performance.now();
  checkDefinedness(compiled, [box]);
  const definedSeconds = (performance.now() - t3) / 1000;
  const split = `parse + compile ${ms(compileSeconds)}, critical-point search ${ms(searchSeconds)} (${report.starts} starts, ${matrixFree(compiled) ? 'matrix-free' : 'dense'}), descent to minima ${ms(discoverSeconds)}, definedness ${ms(definedSeconds)}`;
  ctx.log(`150 variables: whole process ${fmt(seconds)} s (runs ${runs.map((r) => fmt(r)).join(', ')}); ${split}`);
  ctx.rows.push({ measure: '`gdlab analyze` on w0^2 + … + w149^2 (150 variables), whole process (median of 3)', result: `${fmt(seconds)} s${note} (${split}; ${compiled.mode?.gradient} gradient, ${compiled.mode?.hessian} Hessian)`, target: '< 1 s', ok: seconds < 1 });
}

function thousandTerms(ctx: BenchContext): void {
  const { text, table } = termObjective();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let compiled = compileObjective(parseExpression(text));
  for (let rep = 0; rep < 7; rep++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    compiled = compileObjective(parseExpression(text));
    compiled.valueAndGradient(new Float64Array(50), new Float64Array(50)); // the generated code compiled by V8 too
    times.push((performance.now() - t) / 1000);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1e6);
  }
  const t = median(times);
  const c = median(cpuTimes);
  // judged on CPU time: on a quiet machine it is the wall time; on a shared one it leaves out waiting for a core
  ctx.rows.push({ measure: `compile a 1,000-term objective in 50 variables (${text.length} characters): parse → IR → ∇f, ∇²f·v → code, CPU time (median of 7)`, result: `${ms(c)} CPU, ${ms(t)} wall (${compiled.mode?.gradient} gradient, ${compiled.mode?.hessian} Hessian)`, target: '< 100 ms', ok: c < 0.1 });

  // gradient evaluations: generated JS vs a hand-written C loop over the same terms, same points
  const points = 20_000;
  const w = new Float64Array(50);
  const g = new Float64Array(50);
  let best = Infinity;
  let checksum = 0;
  for (let rep = 0; rep < 5; rep++) {
    checksum = 0;
    const t0 = performance.now();
    for (let p = 0; p < points; p++) {
      for (let i = 0; i < 50; i++) w[i] = Math.sin(0.1 * i + 1e-3 * p);
      checksum += compiled.valueAndGradient(w, g) + g[p % 50];
    }
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const binary = compileC('gradient');
  if (!binary) {
    ctx.rows.push({ measure: 'gradient of the 1,000-term objective: generated JS ÷ hand-written C loop', result: 'skipped: no C compiler (cc)', target: '≥ 0.3×', ok: null });
    return;
  }
  const input = `${table.length}\n${table.map((r) => r.join(' ')).join('\n')}\n`;
  const [cSeconds, cChecksum] = execFileSync(binary, ['50', String(points)], { input, encoding: 'utf8' }).trim().split(/\s+/).map(Number);
  const ratio = cSeconds / best;
  const agree = Math.abs(cChecksum - checksum) <= 1e-9 * Math.abs(cChecksum);
  ctx.log(`1000 terms: compile ${ms(c)} CPU (${ms(t)} wall); gradient JS ${ms(best)} vs C ${ms(cSeconds)} for ${points} points (checksums ${agree ? 'agree' : `differ: ${checksum} vs ${cChecksum}`})`);
  ctx.rows.push({ measure: `gradient of the 1,000-term objective, ${points} evaluations: generated JS speed ÷ hand-written C loop (cc -O2, best of 5)`, result: `${fmt(ratio)}× (JS ${ms(best)}, C ${ms(cSeconds)}${agree ? '' : '; checksums differ!'})`, target: '≥ 0.3×', ok: agree && ratio >= 0.3 });
}

async function f3Map(ctx: BenchContext): Promise<void> {
  const f3 = PAPER_FUNCTIONS[2];
  const dir = mkdtempSync(path.join(tmpdir(), 'gdlab-bench-'));
  const config = path.join(ROOT, 'examples', 'figure2-f3.gdlab.json');
  const grid = 512;
  try {
    const whole: number[] = [];
    for (let rep = 0; rep < 3; rep++) whole.push(processSeconds([CLI, 'basin', config, '--eta-frac', '0.95', '--grid', String(grid), '--out', path.join(dir, 'f3.npy')]));
    const wholeSeconds = median(whole);

    // the same steps in this process, timed one by one
    const split: [string, number][] = [['start (node -e 0)', processSeconds(['-e', '0'])]];
    let t = performance.now();
    const lap = (label: string): void => {
      const now = performance.now();
      split.push([label, (now - t) / 1000]);
      t = now;
    };
    const spec = paperSpec(f3);
    const parsed = parseExpression(spec.expression, { variables: spec.variables });
    lap('parse');
    const compiled = compileObjective(parsed);
    compiled.valueAndGradient([0.5, 0.5], new Float64Array(2));
    lap('compile');
    const critical = findCriticalPoints(compiled, spec.domain as Box);
    lap('critical points');
    // the analysed problem as the CLI hands it to the pool: with its IR and critical points (no second search)
    const problem = analyzeParsed({ ...withIR(spec, parsed), criticalPoints: critical }, parsed);
    t = performance.now();
    const etaMax = Math.min(...critical.filter((c) => c.kind === 'minimum').map((c) => c.etaMax as number));
    const eta = 0.95 * etaMax;
    const certificates = certifyAll(problem, eta);
    lap('certificate');
    const slice = { ...defaultSlice(problem, grid) };
    const pool = new ComputePool({ workers: Math.max(1, cpus().length) });
    let classes = new Uint8Array(0);
    const minimum = new Int8Array(grid * grid);
    try {
      const map = new Uint8Array(grid * grid);
      await pool.basin({ spec: problem.spec, slice, eta, classify: { ...DEFAULT_CLASSIFY, maxSteps: 2000 } }, (rows) => {
        map.set(rows.classes, rows.rowStart * grid);
        minimum.set(rows.minimum, rows.rowStart * grid);
      });
      classes = map;
    } finally {
      pool.dispose();
      await pool.terminated();
    }
    lap(`map (${cpus().length} workers, cold threads)`);
    writeFileSync(path.join(dir, 'split.npy'), encodeNpy(classes, [grid, grid]));
    lap('write');

    const binary = compileC('f3');
    if (!binary) {
      ctx.rows.push({ measure: 'f3 512² at 0.95·η_max, whole process ÷ C loop', result: 'skipped: no C compiler (cc)', target: '≤ 1×', ok: null });
      return;
    }
    const k = stepConstants(problem, eta, { ...DEFAULT_CLASSIFY, maxSteps: 2000 }, certificates);
    const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(17));
    const args = [grid, grid, slice.xRange[0], slice.xRange[1], slice.yRange[0], slice.yRange[1], k.eta, k.guard, k.guardScale, k.escape2, k.stationary2, k.maxSteps, 3, k.regions.length]
      .map(num)
      .concat(k.regions.flatMap((r) => [r.center[0], r.center[1], r.radius2, Number.isFinite(r.level) ? r.level : 0, r.certified ? 1 : 0].map(num)));
    const parts = execFileSync(binary, args, { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    const cSeconds = parts[1];
    // The C loop has the five classes of the first contract: a stall is "other" (2) whatever it is
    // (the kernel also tells saddles from sets of minima and unlisted minima: minimum codes −2, −3),
    // and a start undecided at the step limit is "not converged" (1; the kernel's cycles,
    // bounded aperiodic and still-descending starts, classes 5–7).
    const counts = [0, 0, 0, 0, 0];
    classes.forEach((c, i) => counts[c >= 5 ? 1 : (c === 3 || c === 4) && minimum[i] < 0 ? 2 : c]++);
    const differ = parts.slice(2).reduce((s, v, i) => s + Math.abs(v - counts[i]), 0) / 2;
    const ratio = wholeSeconds / cSeconds;
    const splitText = split.map(([label, s]) => `${label} ${ms(s)}`).join(', ');
    ctx.log(`f3 512²: gdlab basin ${ms(wholeSeconds)} whole process; C ${ms(cSeconds)}; split: ${splitText}`);
    ctx.rows.push({ measure: `f3 512² at 0.95·η_max: \`gdlab basin … --out f3.npy\` whole process, ${cpus().length} cores ÷ hand-written C loop, 1 core (cc -O2)`, result: `${fmt(ratio)}× (${ms(wholeSeconds)} vs C ${ms(cSeconds)})`, target: '≤ 1×', ok: ratio <= 1 });
    ctx.notes.push(`f3 512² time split (the CLI's steps run one by one in the benchmark process): ${splitText}. Whole-process runs: ${whole.map((s) => fmt(s * 1000)).join(', ')} ms. The C loop classifies ${differ} of ${grid * grid} pixels differently (class counts).`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function criticalSearch(ctx: BenchContext): void {
  const cases: [string, string, Box | [number, number]][] = [
    ...PAPER_FUNCTIONS.map((f): [string, string, Box] => [f.id, f.expression, f.domain]),
    ['Himmelblau', '(x^2 + y - 11)^2 + (x + y^2 - 7)^2', [-5, 5]],
    ['Rosenbrock', '(1 - x)^2 + 100*(y - x^2)^2', [-2, 2]],
    ['(1 − xy)²', '(1 - x*y)^2', [-3, 3]],
    ['f4 + (z − x)²', '(1 - x*y)^2 + (x^2 + y^2)/20 + (z - x)^2', [-3, 3]],
    ['sum of 10 squares', Array.from({ length: 10 }, (_, k) => `(w${k} - ${k % 3})^2`).join(' + '), [-3, 3]],
    ['30 variables, coupled', Array.from({ length: 30 }, (_, k) => `(w${k} - w${(k + 1) % 30})^2 + w${k}^2/10`).join(' + '), [-3, 3]],
  ];
  const parts: string[] = [];
  for (const [name, text, domain] of cases) {
    const parsed = parseExpression(text);
    const box: Box = Array.isArray(domain[0]) ? (domain as Box) : parsed.variables.map((): [number, number] => [(domain as [number, number])[0], (domain as [number, number])[1]]);
    const compiled = compileObjective(parsed);
    const t = performance.now();
    const points = findCriticalPoints(compiled, box);
    const seconds = (performance.now() - t) / 1000;
    parts.push(`${name} (n = ${parsed.variables.length}) ${ms(seconds)}, ${points.length} points`);
  }
  ctx.log(`critical points: ${parts.join('; ')}`);
  ctx.rows.push({ measure: 'critical-point search, default starts (one run each)', result: parts.join('; '), target: '—', ok: null });
}

/** All issue-13 measures, appended to the run's rows and notes. */
export async function irBenchmarks(ctx: BenchContext): Promise<void> {
  startup(ctx);
  thousandTerms(ctx);
  criticalSearch(ctx);
  await f3Map(ctx);
  manyVariables(ctx);
}

if (require.main === module) {
  // `node --import tsx bench/ir.ts` runs these measures alone (after `npm run build`)
  const ctx: BenchContext = { rows: [], notes: [], log: (t) => process.stderr.write(t + '\n') };
  irBenchmarks(ctx).then(
    () => process.stdout.write(ctx.rows.map((r) => `| ${r.measure} | ${r.result} | ${r.target} | ${r.ok === null ? '' : r.ok ? 'met' : 'missed'} |`).join('\n') + '\n\n' + ctx.notes.map((n) => `- ${n}`).join('\n') + '\n'),
    (err: unknown) => {
      process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
