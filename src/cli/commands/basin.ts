/**
 * `gdlab basin <expression|config> (--eta η | --eta-frac f) [--grid 256] [--x lo,hi] [--y lo,hi]
 *  [--axes x,y] [--max-iter 2000] [--guard 1e-12] [--scheme paper] --out map.png|map.npy|map.json [--stats]`
 * Classifies every start of a grid (DESIGN.md §1) and writes the map.
 */
import { cpus } from 'node:os';
import { defaultSlice, type BasinRows, type BasinStats } from '../../engine/basin';
import { ComputePool } from '../../compute/pool';
import { smallestEtaMax } from '../../engine/sweep';
import { INCREASE_BINS, MinimumCode, PixelClass, type CertificateResult, type ClassifyOptions, type IncreaseStats, type SliceSpec } from '../../engine/types';
import { DEFAULT_CLASSIFY } from '../../engine/classify';
import type { OptimizerAnalysis } from '../../engine/optimizers/analysis';
import { describeOptimizer, GD, type OptimizerSpec } from '../../engine/optimizers/spec';
import { etaMaxRule, sharpnessLimit } from '../../engine/optimizers/thresholds';
import { OPTIMIZER_FLAGS, OPTIMIZER_HELP, OPTIMIZER_OPTIONS, optimizerFromArgs } from '../optimizerOption';
import { analyzeProblem, windowSpec, type AnalyzedProblem } from '../../engine/analyze';
import { CLASS_NAMES } from '../../shared/classColors';
import { analysisNotes, pointText, stillDescendingNote } from '../notes';
import { encodeNpy, encodePng, renderClassMap, type ColorScheme } from '../../shared/encode';
import { intOption, parseArgs, rangeOption, UsageError } from '../args';
import { echo } from '../../config/userText';
import { checkOutputPath, writeAtomic } from '../output';
import {
  checkProblemArgument, classifyOptionsFrom, guardText, loadProblem, outputFormat, PROBLEM_OPTIONS, resolveEtaOption, thresholdNote, type ProblemInput,
} from '../problemInput';
import { fractalStats, fractalStatsText } from '../measuresStats';

const HELP = `Usage: gdlab basin <expression | config.gdlab.json> (--eta η | --eta-frac f) --out FILE [options]

Runs the optimizer (gradient descent unless --optimizer says otherwise) from every pixel of a
grid of starts and classifies each start:
stable / unstable convergence to a minimum (also to a point of a set of minima), diverged,
cycle, bounded aperiodic, still descending, not converged, other stationary point. The
critical-point search covers the map window too when it reaches beyond the domain.

Options:
  --eta η               learning rate
  --eta-frac f          learning rate as a fraction of the smallest η_max (2/λ_max for GD,
                        the optimizer's own threshold otherwise; not for Adam / RMSProp)
${OPTIMIZER_HELP}
  --out FILE            map.png (Figure 2 colours: cyan stable, blue unstable, white diverged,
                        light tints for the other classes), map.npy (uint8 class codes, rows
                        top to bottom = y descending) or map.json (with per-pixel minimum,
                        steps, K, loss increases, period and the sharpness at the limit point)
  --grid N              pixels per side (default 256, or the config's grid; at most 4096)
  --x lo,hi / --y lo,hi ranges of the two map axes (default: the domain)
  --grid-mode M         centers (default: starts at pixel centres) or edges (endpoint-
                        inclusive, like np.linspace(lo, hi, N))
  --axes x,y            the two variables on the map (default: the first two)
  --fixed z=0.5,…       start values of the other variables (default: the first minimum's);
                        GD then moves every variable
  --max-iter N          GD steps before a start counts as not converged (default 2000)
  --guard g             relative round-off guard for loss increases (default 1e-12)
  --scheme S            PNG colours: paper (default), per-minimum, colorblind
  --domain lo,hi        search domain for the minima (or "a,b;c,d" per variable)
  --variables x,y       variable order
  --stats               print the area fractions and the fractal measures (basin entropy,
                        box-counting dimensions, uncertainty exponent; see the README)
  --workers N           worker threads (default: all cores)
  --help                this text
  --                    ends the options (for an expression that starts with '-')

Class codes (.npy / .json): 0 diverged, 1 not converged, 2 other stationary point,
3 stable convergence, 4 unstable convergence, 5 cycle, 6 bounded aperiodic, 7 still descending.
Exit codes: 0 ok, 2 bad input, 1 other failure.`;

export interface BasinMapResult {
  rows: BasinRows;
  stats: BasinStats;
  /** GD's Theorem 2 certificates (empty for another optimizer) */
  certificates: CertificateResult[];
  /** another optimizer than GD: its thresholds and convergence regions */
  optimizer?: OptimizerAnalysis;
  stepsDone: number;
  seconds: number;
}

/** --workers N (default: all cores; the CLI's own thread only waits). */
export function workersOption(args: ReturnType<typeof parseArgs>): number {
  return intOption(args, 'workers', Math.max(1, cpus().length), 1, 256);
}

/**
 * Throws unless the pool's workers (which analyse the problem themselves) found the same minima
 * as this process, so minimum indices in the map mean what `problem.minima` says.
 */
export function assertSameMinima(problem: AnalyzedProblem, minima: readonly { point: number[] }[]): void {
  const here = JSON.stringify(problem.minima.map((m) => m.point));
  if (JSON.stringify(minima.map((m) => m.point)) !== here) throw new Error('the compute workers found different minima than the main thread; the map would be inconsistent');
}

/**
 * The whole map, computed by the worker pool (rows spread over `workers` threads and assembled
 * here; the same classification as the single-threaded kernel, pixel for pixel). Given a pool,
 * it runs there and leaves it open (so --stats reuses its workers); given a count, it starts and
 * closes its own.
 */
export async function computeBasinMap(
  problem: AnalyzedProblem,
  slice: SliceSpec,
  eta: number,
  classify: ClassifyOptions,
  workers: number | ComputePool = Math.max(1, cpus().length),
  optimizer: OptimizerSpec = GD,
): Promise<BasinMapResult> {
  const started = performance.now();
  const { width, height } = slice;
  const map: BasinRows = {
    rowStart: 0,
    rowEnd: height,
    width,
    classes: new Uint8Array(width * height),
    minimum: new Int8Array(width * height),
    steps: new Uint32Array(width * height),
    unstableSteps: new Uint32Array(width * height),
    limitSharpness: new Float32Array(width * height),
    period: new Uint8Array(width * height),
    increases: new Uint16Array(width * height),
  };
  let stepsDone = 0;
  const pool = typeof workers === 'number' ? new ComputePool({ workers }) : workers;
  try {
    const result = await pool.basin({ spec: problem.spec, slice, eta, classify, ...(optimizer.name === 'gd' ? {} : { optimizer }) }, (chunk) => {
      const at = chunk.rowStart * width;
      map.classes.set(chunk.classes, at);
      map.minimum.set(chunk.minimum, at);
      map.steps.set(chunk.steps, at);
      map.unstableSteps.set(chunk.unstableSteps, at);
      map.limitSharpness.set(chunk.limitSharpness, at);
      map.period.set(chunk.period, at);
      map.increases.set(chunk.increases, at);
      for (let i = 0; i < chunk.steps.length; i++) stepsDone += chunk.steps[i];
    });
    assertSameMinima(problem, result.analysis.minima);
    return {
      rows: map,
      stats: result.stats,
      certificates: result.certificates,
      ...(result.analysis.optimizer ? { optimizer: result.analysis.optimizer } : {}),
      stepsDone,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (pool !== workers) pool.dispose();
  }
}

/** The slice from --axes / --x / --y / --grid (or the config's axes, fixed, grid). */
export function sliceFromArgs(input: ProblemInput, args: ReturnType<typeof parseArgs>): SliceSpec {
  const { problem, config } = input;
  const names = problem.parsed.variables;
  if (names.length < 2) throw new UsageError(`a basin map needs two variables; ${problem.parsed.normalized} has ${names.length}`);
  const grid = intOption(args, 'grid', config?.grid ?? 256, 2, 4096);
  const slice = defaultSlice(problem, grid);
  const axesRaw = args.options.get('axes');
  const axisNames = axesRaw !== undefined ? axesRaw.split(',').map((s) => s.trim()) : config?.axes;
  if (axisNames) {
    if (axisNames.length !== 2) throw new UsageError(`--axes must name two variables 'x,y', got '${echo(axesRaw ?? axisNames.join(','))}'`);
    const idx = axisNames.map((a) => names.indexOf(a));
    idx.forEach((i, k) => {
      if (i < 0) throw new UsageError(`map axis '${echo(axisNames[k] ?? '')}' is not a variable (${names.join(', ')})`);
    });
    if (idx[0] === idx[1]) throw new UsageError('the two map axes must be different variables');
    slice.axes = [idx[0], idx[1]];
    slice.xRange = [problem.domain[idx[0]][0], problem.domain[idx[0]][1]];
    slice.yRange = [problem.domain[idx[1]][0], problem.domain[idx[1]][1]];
  }
  if (config?.fixed) {
    for (const [name, value] of Object.entries(config.fixed)) {
      const i = names.indexOf(name);
      if (i >= 0) slice.base[i] = value;
    }
  }
  const fixedRaw = args.options.get('fixed');
  if (fixedRaw !== undefined) {
    for (const part of fixedRaw.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      // split at '=' by hand: a regex with \s* next to .+ backtracks quadratically on long blanks
      const eq = part.indexOf('=');
      const name = eq < 0 ? '' : part.slice(0, eq).trim();
      const valueText = eq < 0 ? '' : part.slice(eq + 1).trim();
      const value = valueText === '' ? NaN : Number(valueText);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !Number.isFinite(value)) throw new UsageError(`--fixed must be 'name=value' pairs separated by commas, got '${echo(part)}'`);
      const i = names.indexOf(name);
      if (i < 0) throw new UsageError(`--fixed: '${echo(name)}' is not a variable (${names.join(', ')})`);
      if (i === slice.axes[0] || i === slice.axes[1]) throw new UsageError(`--fixed: '${echo(name)}' is a map axis; its values come from --x / --y`);
      slice.base[i] = value;
    }
  }
  slice.xRange = rangeOption(args, 'x', slice.xRange);
  slice.yRange = rangeOption(args, 'y', slice.yRange);
  const mode = args.options.get('grid-mode');
  if (mode !== undefined) {
    if (mode !== 'centers' && mode !== 'edges') throw new UsageError(`--grid-mode must be centers or edges, got '${mode}'`);
    if (mode === 'edges') slice.gridMode = 'edges';
  }
  return slice;
}

/**
 * Makes the analysis cover what `slice` draws: when the window reaches beyond the domain, the
 * problem is re-analysed with the window added to the search. Returns the note to print, or null.
 */
export function coverWindow(input: ProblemInput, slice: SliceSpec): string | null {
  const spec = windowSpec(input.problem.spec, input.problem.domain, slice);
  if (spec === input.problem.spec) return null;
  input.problem = analyzeProblem(spec);
  const names = input.problem.parsed.variables;
  return `note: the map window ${names[slice.axes[0]]} ∈ [${slice.xRange.join(', ')}], ${names[slice.axes[1]]} ∈ [${slice.yRange.join(', ')}] reaches beyond the domain; the critical-point search covered it too`;
}

function pct(v: number): string {
  return `${(100 * v).toFixed(2)}%`;
}

/** λ_max at the limit points of the pixels that converged to a set of minima: min, median, max (null if none). */
function setSharpness(rows: BasinRows): { min: number; median: number; max: number } | null {
  const values: number[] = [];
  for (let i = 0; i < rows.classes.length; i++) {
    if (rows.minimum[i] === MinimumCode.Set && Number.isFinite(rows.limitSharpness[i])) values.push(rows.limitSharpness[i]);
  }
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return { min: values[0], median: values[values.length >> 1], max: values[values.length - 1] };
}

const sig = (v: number): number => Number(v.toPrecision(4));

/** The --stats text. */
export function statsText(problem: AnalyzedProblem, eta: number, result: BasinMapResult, classify?: ClassifyOptions, optimizer: OptimizerSpec = GD): string {
  const s = result.stats;
  const etaMax = smallestEtaMax(problem, optimizer);
  const shares: [string, number][] = [
    ['stable', s.stable], ['unstable', s.unstable], ['diverged', s.diverged], [CLASS_NAMES[PixelClass.Cycle], s.cycle],
    [CLASS_NAMES[PixelClass.BoundedAperiodic], s.aperiodic], [CLASS_NAMES[PixelClass.StillDescending], s.descending],
    ['not converged', s.notConverged], ['other', s.other],
  ];
  const who = optimizer.name === 'gd' ? '' : `${describeOptimizer(optimizer)}, `;
  const lines = [
    `${who}η = ${eta}${etaMax !== null ? ` (${(eta / etaMax).toFixed(4)} of η_max = ${optimizer.name === 'gd' ? '' : `${etaMaxRule(optimizer)} = `}${Number(etaMax.toPrecision(6))})` : ''}, ${s.total} starts, ${result.stepsDone} ${optimizer.name === 'gd' ? 'GD ' : ''}steps in ${result.seconds.toFixed(2)} s`,
    shares.map(([name, v]) => `${name} ${pct(v)}`).join('  '),
  ];
  if (s.increases) lines.push(increasesText(s.increases, classify));
  const analysis = result.optimizer;
  problem.minima.forEach((m, j) => {
    const pm = s.perMinimum[j];
    const cert = result.certificates[j];
    const momentum = analysis?.momentumCertificates?.[j];
    const certText = analysis
      ? momentum
        ? momentum.ok ? `certified convergence region: radius ${sig(momentum.certificate.radius)}, contraction γ = ${sig(momentum.certificate.gamma)}` : `no certified region: ${momentum.reason}`
        : analysis.neighbourhood ? `converged = inside ${sig(analysis.neighbourhood.inner)} of it, then within ${sig(analysis.neighbourhood.outer)} for ${analysis.neighbourhood.window} iterates` : ''
      : cert?.ok ? `certified radius t′ = ${sig(cert.certificate.tPrime)}` : `no certificate: ${cert?.reason ?? 'none'}`;
    lines.push(`  minimum #${j} ${pointText(m.point)}${m.outside ? ' (outside the searched window)' : ''}: stable ${pct(pm.stable)}, unstable ${pct(pm.unstable)}; ${certText}`);
  });
  const set = s.minimumSet;
  if (set.stable + set.unstable > 0) {
    const sharp = setSharpness(result.rows);
    lines.push(
      `  a set of minima (non-isolated): stable ${pct(set.stable)}, unstable ${pct(set.unstable)}` +
        (sharp ? `; sharpness λ_max at the point reached ${sig(sharp.min)} to ${sig(sharp.max)}, median ${sig(sharp.median)} (${optimizer.name === 'gd' ? '2/η' : 'threshold line'} = ${sig(sharpnessLimit(optimizer, eta))})` : ''),
    );
  }
  if (s.unlisted.stable + s.unlisted.unstable > 0) {
    lines.push(`  minima the search did not list: stable ${pct(s.unlisted.stable)}, unstable ${pct(s.unlisted.unstable)} (widen --domain or raise --starts to list them)`);
  }
  const hint = stillDescendingNote(s, classify?.maxSteps ?? 2000, (n) => `raise the step limit, e.g. --max-iter ${n},`);
  if (hint) lines.push(hint);
  return lines.join('\n') + '\n';
}

/**
 * The loss increases in numbers: under momentum nearly every converging start is "unstable", so
 * the share with any increase and how many matter more than the split (and the guard decides ties).
 */
export function increasesText(inc: IncreaseStats, classify?: ClassifyOptions): string {
  const bins = INCREASE_BINS.map((lo, b) => {
    const hi = INCREASE_BINS[b + 1];
    const label = hi === undefined ? `≥${lo}` : hi - lo === 1 ? String(lo) : `${lo}–${hi - 1}`;
    return `${label}: ${pct(inc.histogram[b] ?? 0)}`;
  });
  return [
    `loss increases: ${pct(inc.anyIncrease)} of all starts had at least one before their outcome was decided; converged starts had ${sig(inc.meanConverged)} on average (median ${sig(inc.medianConverged)}, at most ${inc.maxConverged})`,
    `  increases per converged start — ${bins.join(', ')}`,
    `  ${guardText(classify ?? DEFAULT_CLASSIFY)}`,
  ].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['eta', 'eta-frac', 'grid', 'grid-mode', 'x', 'y', 'axes', 'fixed', 'max-iter', 'guard', 'scheme', 'out', 'workers', ...PROBLEM_OPTIONS, ...OPTIMIZER_OPTIONS],
    flags: ['stats', 'help', ...OPTIMIZER_FLAGS],
  });
  if (args.options.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  checkProblemArgument(args, 'basin');
  const out = args.options.get('out');
  if (out === undefined && !args.options.has('stats')) throw new UsageError('missing --out map.png|map.npy|map.json (or --stats to print the fractions only)');
  const format = out === undefined ? null : outputFormat(out, ['png', 'npy', 'json'] as const);
  if (out !== undefined) checkOutputPath(out);
  const scheme = (args.options.get('scheme') ?? 'paper') as ColorScheme;
  if (!['paper', 'per-minimum', 'colorblind'].includes(scheme)) throw new UsageError(`--scheme must be paper, per-minimum or colorblind, got '${echo(scheme)}'`);

  const input = loadProblem(args, 'basin');
  const slice = sliceFromArgs(input, args);
  const covered = coverWindow(input, slice);
  if (covered) process.stderr.write(covered + '\n');
  const optimizer = optimizerFromArgs(args, input.config?.optimizer ?? null);
  const eta = resolveEtaOption(args, input, optimizer);
  const classify = classifyOptionsFrom(args, input.config);
  const { problem } = input;
  const note = thresholdNote(problem, eta, optimizer);
  if (note) process.stderr.write(note + '\n');
  for (const line of analysisNotes(problem)) process.stderr.write(line + '\n');
  if (problem.minima.length === 0) process.stderr.write('note: no strict minimum was found in or reached from the domain; starts can still converge to a set of minima, or stall elsewhere\n');

  // with --stats the uncertainty exponent's maps run on the same workers as the map
  const pool = args.options.has('stats') ? new ComputePool({ workers: workersOption(args) }) : null;
  try {
    return await writeMap(args, input, slice, eta, classify, out, format, scheme, pool, optimizer);
  } finally {
    pool?.dispose();
  }
}

async function writeMap(
  args: ReturnType<typeof parseArgs>, input: ProblemInput, slice: SliceSpec, eta: number, classify: ClassifyOptions,
  out: string | undefined, format: 'png' | 'npy' | 'json' | null, scheme: ColorScheme, pool: ComputePool | null, optimizer: OptimizerSpec,
): Promise<number> {
  const { problem } = input;
  const result = await computeBasinMap(problem, slice, eta, classify, pool ?? workersOption(args), optimizer);
  const { width, height } = slice;
  if (out !== undefined && format !== null) {
    let data: Uint8Array | string;
    if (format === 'png') data = encodePng(renderClassMap(result.rows.classes, result.rows.minimum, width, height, scheme), width, height);
    else if (format === 'npy') data = encodeNpy(result.rows.classes, [height, width]);
    else {
      data = JSON.stringify({
        expression: problem.parsed.normalized,
        variables: problem.parsed.variables,
        eta,
        optimizer,
        ...(result.optimizer ? { optimizerAnalysis: result.optimizer } : {}),
        slice,
        classCodes: {
          diverged: PixelClass.Diverged, notConverged: PixelClass.NotConverged, other: PixelClass.Other, stable: PixelClass.Stable, unstable: PixelClass.Unstable,
          cycle: PixelClass.Cycle, boundedAperiodic: PixelClass.BoundedAperiodic, stillDescending: PixelClass.StillDescending,
        },
        minimumCodes: { none: MinimumCode.None, setOfMinima: MinimumCode.Set, unlistedMinimum: MinimumCode.Unlisted },
        layout: `row-major, row 0 = largest y, column 0 = smallest x; starts at ${slice.gridMode === 'edges' ? 'grid points including the window edges (np.linspace)' : 'pixel centres'}`,
        definitions: {
          steps: 'index k of the iterate at which the outcome was decided',
          K: 'index of the last loss increase (0 if none); from θ_K on the loss falls at every step',
          limitSharpness: 'λ_max of the Hessian at the point converged to (null if not converged)',
          period: 'period of a cycle (class 5), else 0',
          increases: 'loss increases counted up to the decision (saturating at 65535)',
          lossIncrease: guardText(classify),
        },
        classify,
        searched: problem.searched,
        minima: problem.minima,
        certificates: result.certificates,
        definedness: problem.definedness,
        stats: result.stats,
        classes: Array.from(result.rows.classes),
        minimum: Array.from(result.rows.minimum),
        steps: Array.from(result.rows.steps),
        K: Array.from(result.rows.unstableSteps),
        period: Array.from(result.rows.period),
        increases: Array.from(result.rows.increases),
        limitSharpness: Array.from(result.rows.limitSharpness, (v) => (Number.isFinite(v) ? v : null)),
      }) + '\n';
    }
    writeAtomic(out, data);
  }
  if (args.options.has('stats')) {
    process.stdout.write(statsText(problem, eta, result, classify, optimizer));
    // the dynamics measures (src/cli/measuresStats.ts): entropy, dimensions, uncertainty exponent
    if (optimizer.name === 'gd') process.stdout.write(fractalStatsText(await fractalStats(problem, slice, eta, classify, result.rows, pool ?? workersOption(args))));
    else process.stdout.write('fractal measures: computed for gradient descent maps only (their uncertainty exponent recomputes GD maps)\n');
  }
  if (out !== undefined) {
    // the PNG is the map itself, one pixel per start; say where the labelled version comes from
    const hint = format === 'png' ? '; one pixel per start, no axes: `gdlab figure` draws it with axes, η and a legend' : '';
    process.stderr.write(`wrote ${out} (${width}×${height}${hint})\n`);
  }
  return 0;
}
