/**
 * `gdlab orbit <expression|config> (--init a,b | --near j) [--eta-range lo,hi] [--frac] [--etas N]
 *  [--transient N] [--keep M] [--record x,y] [--out orbit.csv|orbit.json]`
 * Orbit (bifurcation) diagram: the iterates GD visits after a transient, per learning rate, with
 * each orbit's period and finite-time Lyapunov exponent (src/engine/measures/orbit.ts).
 */
import { DEFAULT_ORBIT, linearEtas, orbitChannels, resolveOrbitOptions, startsNearMinimum, type OrbitDiagram } from '../../engine/measures/orbit';
import { smallestEtaMax } from '../../engine/sweep';
import { ComputePool } from '../../compute/pool';
import { orbitCsv, orbitJson } from '../../shared/measuresExport';
import { orbitFigureSpec } from '../../figures/orbit';
import { formatEta } from '../../figures/figure2';
import { prettyFormula } from '../../figures/formula';
import { renderFigure } from '../figureRender';
import { intOption, numberOption, parseArgs, rangeOption, UsageError, type ParsedArgs } from '../args';
import { Progress } from '../progress';
import { checkOutputPath, loadProblem, outputFormat, PROBLEM_OPTIONS, writeAtomic, type ProblemInput } from '../problemInput';
import { workersOption } from './basin';

const HELP = `Usage: gdlab orbit <expression | config.gdlab.json> (--init a,b | --near j) [options]

Orbit (bifurcation) diagram: for each learning rate, runs gradient descent from the start(s)
past a transient and records the iterates it keeps visiting (loss and coordinates): a fixed
point, a cycle of period p, or a cloud (chaos). Each orbit gets its period and its finite-time
Lyapunov exponent λ (log growth per step of a tangent vector under I − η∇²f; λ > 0 is chaos).

Options:
  --init a,b            the start, one number per variable; several: "a,b;c,d"
                        (default: the config's starts)
  --near j              start next to minimum #j (as listed by gdlab analyze) instead
  --radius r            how far from the minimum (default 1e-3·(1 + ‖θ*‖))
  --near-starts K       K starts around the minimum, on ±e_1, ±e_2, … (default 1)
  --eta-range lo,hi     learning rates (default 0.5,1.5 as fractions of η_max)
  --frac                --eta-range is in fractions of η_max: of minimum #j with --near j,
                        else of the smallest η_max = 2/λ_max
  --etas N              number of learning rates, evenly spaced (default 1000)
  --transient N         steps before recording (default ${DEFAULT_ORBIT.transient})
  --keep M              iterates recorded per learning rate and start (default ${DEFAULT_ORBIT.keep})
  --record x,y          coordinates recorded besides the loss (default: all when there are at
                        most 4 variables), or "loss" for the loss only
  --max-period P        largest period looked for (default ${DEFAULT_ORBIT.maxPeriod})
  --out FILE            orbit.csv (one row per recorded iterate), orbit.json, or the
                        diagram drawn: orbit.png, orbit.svg, orbit.pdf (visited values
                        against η above, Lyapunov exponent below, η_max and the first η
                        where the start stops converging marked; default: CSV on stdout)
  --plot loss|NAME      what the drawing shows against η: the loss gap f − f* on a log
                        axis (default) or a recorded coordinate, e.g. --plot x
  --scale s             PNG resolution multiplier (default 2)
  --domain, --variables as for gdlab analyze
  --workers N           worker threads (default: all cores)
  --help                this text

Statuses: converged (period 1 at a minimum), converging (creeping geometrically towards one),
descending (loss still falling at every step), stationary (period 1 at a saddle or maximum),
cycle (period p), aperiodic (no period up to --max-period; chaos if λ > 0), diverged.
Exit codes: 0 ok, 2 bad input, 1 other failure.`;

function parseStarts(raw: string, n: number, names: readonly string[]): number[][] {
  return raw.split(';').map((part, i) => {
    const cells = part.split(',').map((s) => s.trim());
    const nums = cells.map(Number);
    if (cells.some((c) => c === '') || nums.some((v) => !Number.isFinite(v))) throw new UsageError(`--init start ${i + 1} must be numbers separated by commas, got '${part.trim()}'`);
    if (nums.length !== n) throw new UsageError(`--init start ${i + 1} has ${nums.length} numbers but the objective has ${n} variables (${names.join(', ')})`);
    return nums;
  });
}

/** The starts and the minimum the diagram is about (its η_max is the reference of --frac). */
function startsFrom(args: ParsedArgs, input: ProblemInput): { starts: number[][]; near: number | null } {
  const { problem } = input;
  const names = problem.parsed.variables;
  const nearRaw = args.options.get('near');
  const initRaw = args.options.get('init');
  if (nearRaw !== undefined && initRaw !== undefined) throw new UsageError('give either --init or --near, not both');
  if (nearRaw !== undefined) {
    const j = Number(nearRaw);
    if (problem.minima.length === 0) throw new UsageError('--near needs a strict minimum, and none was found in the domain; give --init');
    if (!Number.isInteger(j) || j < 0 || j >= problem.minima.length) throw new UsageError(`--near must be a minimum index from 0 to ${problem.minima.length - 1} (see gdlab analyze), got '${nearRaw}'`);
    const point = problem.minima[j].point;
    const radius = numberOption(args, 'radius', 1e-3 * (1 + Math.hypot(...point))) as number;
    if (!(radius > 0)) throw new UsageError(`--radius must be a positive distance, got ${radius}`);
    const count = intOption(args, 'near-starts', 1, 1, 2 * names.length);
    return { starts: startsNearMinimum(point, radius, count), near: j };
  }
  if (args.options.has('radius') || args.options.has('near-starts')) throw new UsageError('--radius and --near-starts go with --near j');
  if (initRaw !== undefined) return { starts: parseStarts(initRaw, names.length, names), near: null };
  const fromConfig = input.config?.starts ?? [];
  if (fromConfig.length > 0) return { starts: fromConfig.map((s) => [...s]), near: null };
  throw new UsageError(`missing the start: give --init ${names.map(() => '0.1').join(',')} (one number per variable: ${names.join(', ')}) or --near 0 (next to minimum #0)`);
}

function recordFrom(args: ParsedArgs, names: readonly string[]): number[] | undefined {
  const raw = args.options.get('record');
  if (raw === undefined) return undefined;
  if (raw.trim() === 'loss') return [];
  return raw.split(',').map((s) => {
    const i = names.indexOf(s.trim());
    if (i < 0) throw new UsageError(`--record: '${s.trim()}' is not a variable (${names.join(', ')}); or give --record loss`);
    return i;
  });
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(5)));
}

/** The stderr summary: thresholds, where each start stops converging, periods as they appear. */
export function orbitSummary(d: OrbitDiagram, reference: number | null): string {
  const lines = d.minima.map((m, j) => `minimum #${j} at (${m.point.map(fmt).join(', ')}): η_max = 2/λ_max = ${m.etaMax === null ? '—' : fmt(m.etaMax)}`);
  const order = d.etas.map((eta, i) => ({ eta, i })).sort((a, b) => a.eta - b.eta);
  d.starts.forEach((start, s) => {
    const first = d.firstNonConvergent[s];
    const rel = first !== null && reference ? ` (${fmt(first / reference)} of η_max)` : '';
    const seen = new Map<string, number>();
    let chaotic = 0;
    for (const { i } of order) {
      const p = d.points[i * d.starts.length + s];
      const key = p.status === 'cycle' ? `period ${p.period}` : p.status;
      if (!seen.has(key)) seen.set(key, p.eta);
      if (p.status === 'aperiodic' && p.lyapunov > 0) chaotic++;
    }
    const firsts = [...seen.entries()].map(([k, eta]) => `${k} from η = ${fmt(eta)}`).join(', ');
    lines.push(`start (${start.map(fmt).join(', ')}): ${first === null ? 'converges at every η of the range' : `stops converging at η = ${fmt(first)}${rel}`}; ${firsts}${chaotic ? `; chaotic (aperiodic, λ > 0) at ${chaotic} of ${d.etas.length} η` : ''}`);
  });
  return lines.join('\n') + '\n';
}

/** --plot: 0 = the loss, else the index of a recorded coordinate. */
function plotChannel(args: ParsedArgs, channels: readonly string[]): number {
  const raw = args.options.get('plot')?.trim();
  if (raw === undefined || raw === 'loss') return 0;
  const c = channels.indexOf(raw);
  if (c <= 0) {
    const recorded = channels.slice(1);
    throw new UsageError(`--plot: '${raw}' is not a recorded coordinate (${recorded.length > 0 ? `recorded: ${recorded.join(', ')}` : 'none recorded: add --record NAME'}); or --plot loss`);
  }
  return c;
}

/** Title and subtitle of the drawn diagram: the function, the start(s), the run lengths. */
export function orbitFigureOptions(d: OrbitDiagram, expression: string, near: number | null, reference: number | null, channel: number) {
  const fmt = (p: number[]): string => `(${p.map((v) => Number(v.toPrecision(4))).join(', ')})`;
  const from = near !== null
    ? `next to minimum #${near} ${fmt(d.minima[near].point)}`
    : d.starts.length === 1 ? `from θ₀ = ${fmt(d.starts[0])}` : `from ${d.starts.length} starts`;
  const title = `Orbit diagram of GD on f = ${prettyFormula(expression)}, ${from}`;
  const subtitle = `${d.etas.length} learning rates from ${formatEta(Math.min(...d.etas))} to ${formatEta(Math.max(...d.etas))}; ${d.options.keep} iterates kept after ${d.options.transient} steps`;
  return { channel, title, subtitle, etaReference: reference };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['init', 'near', 'radius', 'near-starts', 'eta-range', 'etas', 'transient', 'keep', 'record', 'max-period', 'out', 'workers', 'plot', 'scale', ...PROBLEM_OPTIONS],
    flags: ['frac', 'help'],
  });
  if (args.options.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const out = args.options.get('out');
  const format = out === undefined ? 'csv' : outputFormat(out, ['csv', 'json', 'png', 'svg', 'pdf'] as const);
  if (out !== undefined) checkOutputPath(out); // before any computation
  const drawn = format === 'png' || format === 'svg' || format === 'pdf';
  if (!drawn && (args.options.has('plot') || args.options.has('scale'))) throw new UsageError('--plot and --scale go with a drawn diagram: --out orbit.png, orbit.svg or orbit.pdf');
  const scale = numberOption(args, 'scale', 2) as number;
  if (!(scale >= 0.25 && scale <= 8)) throw new UsageError(`--scale must be a number from 0.25 to 8, got '${args.options.get('scale')}'`);
  const input = loadProblem(args, 'orbit');
  const { problem } = input;
  const names = problem.parsed.variables;
  const { starts, near } = startsFrom(args, input);
  const reference = near !== null ? problem.minima[near].etaMax : smallestEtaMax(problem);
  const frac = args.options.has('frac') || !args.options.has('eta-range');
  const range = rangeOption(args, 'eta-range', [0.5, 1.5]);
  if (frac && reference === null) throw new UsageError('fractions of η_max need a strict minimum, and none was found in the domain; give --eta-range lo,hi in absolute learning rates (without --frac)');
  const [lo, hi] = frac ? [range[0] * (reference as number), range[1] * (reference as number)] : range;
  if (!(lo > 0)) throw new UsageError(`--eta-range must be positive learning rates, got ${range[0]},${range[1]}`);
  const count = intOption(args, 'etas', 1000, 1, 100_000);
  const options = {
    transient: intOption(args, 'transient', DEFAULT_ORBIT.transient, 0, 10_000_000),
    keep: intOption(args, 'keep', DEFAULT_ORBIT.keep, 1, 100_000),
    maxPeriod: intOption(args, 'max-period', DEFAULT_ORBIT.maxPeriod, 1, 10_000),
    record: recordFrom(args, names),
  };
  const etas = linearEtas(lo, hi, count);
  const channel = drawn ? plotChannel(args, orbitChannels(names, resolveOrbitOptions(names.length, options).record)) : 0;
  const recorded = count * starts.length * options.keep * (1 + resolveOrbitOptions(names.length, options).record.length);
  if (recorded > 20_000_000) throw new UsageError(`the diagram would record ${recorded} numbers; at most 20000000 (lower --etas, --keep or the number of starts)`);

  const progress = new Progress(count, 'orbit');
  const pool = new ComputePool({ workers: workersOption(args) });
  let diagram: OrbitDiagram;
  try {
    let last = 0;
    diagram = await pool.orbit({ spec: problem.spec, starts, etas, options }, (_chunk, p) => {
      progress.tick(p.etasDone - last);
      last = p.etasDone;
    });
  } finally {
    pool.dispose();
  }
  progress.done();
  if (JSON.stringify(diagram.minima.map((m) => m.point)) !== JSON.stringify(problem.minima.map((m) => m.point))) {
    throw new Error('the compute workers found different minima than the main thread; the diagram would be inconsistent');
  }
  if (drawn) {
    const spec = orbitFigureSpec(diagram, orbitFigureOptions(diagram, problem.parsed.normalized, near, reference, channel));
    writeAtomic(out as string, renderFigure(spec, format, format === 'png' ? scale : 1));
    process.stderr.write(`wrote ${out} (${count} learning rates × ${starts.length} start${starts.length === 1 ? '' : 's'}, ${format})\n`);
    process.stderr.write(orbitSummary(diagram, reference));
    return 0;
  }
  const text = format === 'json'
    ? orbitJson(diagram, reference, { expression: problem.parsed.normalized, etaReferenceIs: near !== null ? `η_max of minimum #${near}` : 'the smallest η_max' })
    : orbitCsv(diagram, reference);
  if (out === undefined) process.stdout.write(text);
  else {
    writeAtomic(out, text);
    process.stderr.write(`wrote ${out} (${count} learning rates × ${starts.length} start${starts.length === 1 ? '' : 's'} × ${options.keep} iterates)\n`);
  }
  process.stderr.write(orbitSummary(diagram, reference));
  return 0;
}
