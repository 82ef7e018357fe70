/**
 * `gdlab figure <expression | config> --lrs 0.2,0.5,0.8,0.95,0.99 --out fig.svg|png|pdf`: a
 * user's own Figure 2 — the landscape of their function and one basin map per learning rate, with
 * the same styling as `gdlab reproduce` (titles, axes, colour bar, legend, certified regions).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FIGURE2_FRACTIONS } from '../../engine/paper';
import { ComputePool } from '../../compute/pool';
import { figureClasses } from '../../figures/classes';
import { figure2Spec, formatEta } from '../../figures/figure2';
import { prettyFormula } from '../../figures/formula';
import { listOption, numberOption, parseArgs, UsageError } from '../args';
import { computeRow } from '../figureData';
import { FIGURE_FORMATS, pixelRatioFor, renderFigure } from '../figureRender';
import { checkOutputPath, classifyOptionsFrom, loadProblem, outputFormat, PROBLEM_OPTIONS, writeAtomic } from '../problemInput';
import { Progress } from '../progress';
import { resolvedLearningRates } from '../../config/config';
import { describeOptimizer, isAdaptive, OPTIMIZER_TITLES } from '../../engine/optimizers/spec';
import { etaMaxRule } from '../../engine/optimizers/thresholds';
import { smallestEtaMax } from '../../engine/sweep';
import { OPTIMIZER_FLAGS, OPTIMIZER_HELP, OPTIMIZER_OPTIONS, optimizerFromArgs } from '../optimizerOption';
import { sliceFromArgs, workersOption } from './basin';

const HELP = `Usage: gdlab figure <expression | config.gdlab.json> --out fig.svg|fig.png|fig.pdf [options]

Draws your own Figure 2: the landscape of the objective (log colours, contours, minima, colour
bar) and one basin map per learning rate (stable / unstable / diverged …, certified regions),
with titles, axes and a legend, as in the paper's Figure 2.

Options:
  --out FILE            fig.svg or fig.pdf (vector text and axes, maps embedded at full
                        resolution) or fig.png
  --lrs a,b,…           learning rates as fractions of η_max (default 0.2,0.5,0.8,0.95,0.99;
                        η_max = 2/λ_max for GD, the optimizer's own threshold otherwise)
  --etas a,b,…          learning rates as absolute values instead (needed for Adam / RMSProp,
                        unless the config lists learningRates)
${OPTIMIZER_HELP}
  --grid N              map pixels per side (default 256, or the config's grid)
  --scale s             PNG resolution multiplier (default 1); a PNG has at least one pixel per map pixel
  --x lo,hi / --y lo,hi ranges of the two map axes (default: the domain)
  --axes x,y            the two variables on the map (default: the first two)
  --fixed z=0.5,…       start values of the other variables
  --title TEXT          the figure's title (default: the config's name or the expression)
  --max-iter N          GD steps before a start counts as not converged (default 2000)
  --guard g             relative round-off guard for loss increases (default 1e-12)
  --domain lo,hi        search domain for the minima (or "a,b;c,d" per variable)
  --variables x,y       variable order
  --workers N           worker threads (default: all cores)`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['out', 'lrs', 'etas', 'grid', 'scale', 'x', 'y', 'axes', 'fixed', 'title', 'max-iter', 'guard', 'workers', ...PROBLEM_OPTIONS, ...OPTIMIZER_OPTIONS],
    flags: ['help', ...OPTIMIZER_FLAGS],
  });
  if (args.options.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const out = args.options.get('out');
  if (out === undefined) throw new UsageError('missing --out fig.svg (or fig.png, fig.pdf)');
  const format = outputFormat(out, FIGURE_FORMATS);
  checkOutputPath(out);
  const scale = numberOption(args, 'scale', 1) as number;
  if (!(scale >= 0.25 && scale <= 8)) throw new UsageError(`--scale must be a number from 0.25 to 8, got '${args.options.get('scale')}'`);
  const lrs = listOption(args, 'lrs');
  const absolute = listOption(args, 'etas');
  if (lrs && absolute) throw new UsageError('give either --lrs (fractions of η_max) or --etas (absolute), not both');
  for (const [name, list] of [['lrs', lrs], ['etas', absolute]] as const) {
    if (list && (list.length === 0 || list.length > 12 || list.some((v) => !(v > 0)))) throw new UsageError(`--${name} must be 1 to 12 positive numbers, got '${args.options.get(name)}'`);
  }

  const input = loadProblem(args, 'figure');
  const { problem } = input;
  const slice = sliceFromArgs(input, args);
  const classify = classifyOptionsFrom(args, input.config);
  const optimizer = optimizerFromArgs(args, input.config?.optimizer ?? null);
  // each optimizer against its own threshold (none for Adam / RMSProp)
  const etaMax = smallestEtaMax(problem, optimizer);
  let etas: { eta: number; fraction: number | null }[];
  const listed = input.config ? resolvedLearningRates(input.config, etaMax) : [];
  if (absolute) {
    etas = absolute.map((eta) => ({ eta, fraction: etaMax === null ? null : eta / etaMax }));
  } else if (isAdaptive(optimizer)) {
    if (lrs || listed.length === 0) {
      throw new UsageError(`${OPTIMIZER_TITLES[optimizer.name]}'s threshold depends on the trajectory, so there is no η_max to take fractions of: give --etas, e.g. --etas 0.01,0.05,0.2`);
    }
    etas = [...listed].sort((a, b) => a - b).slice(0, 12).map((eta) => ({ eta, fraction: null }));
  } else {
    if (etaMax === null) throw new UsageError(`--lrs needs a strict minimum (η_max = ${etaMaxRule(optimizer)}), and none was found in the domain; give --etas 0.1,0.2 instead`);
    etas = (lrs ?? FIGURE2_FRACTIONS).map((fraction) => ({ eta: fraction * etaMax, fraction }));
  }
  if (problem.minima.length === 0) process.stderr.write('note: no strict minimum was found in the domain; no start can be classified stable or unstable\n');

  const name = input.config?.name ?? 'f';
  const formula = prettyFormula(problem.parsed.normalized);
  const method = optimizer.name === 'gd' ? 'gradient descent' : describeOptimizer(optimizer);
  const named = name !== 'f' && name.includes(method.split(' (')[0]); // the config's name already says which method
  const title = args.options.get('title') ?? `${name === 'f' ? `f = ${formula}` : name}: landscape and basins${named ? '' : ` of ${method}`}${etaMax !== null ? ` (η_max = ${formatEta(etaMax)})` : ''}`;
  const classes = figureClasses();
  const pool = new ComputePool({ workers: workersOption(args) });
  const progress = new Progress(etas.length * slice.height, 'figure');
  try {
    const { row, maps } = await computeRow(pool, problem, slice, etas, classify, classes, { name: name.length <= 8 ? name : 'f', formula }, (n, what) => progress.tick(n, what), optimizer);
    progress.done();
    const pixelRatio = pixelRatioFor(slice.width, scale);
    const spec = figure2Spec([row], { title, classes, grid: slice.width, pixelRatio });
    const bytes = renderFigure(spec, format, format === 'png' ? pixelRatio : 1);
    mkdirSync(dirname(resolve(out)), { recursive: true });
    writeAtomic(out, bytes);
    for (const m of maps) {
      const parts = classes.filter((c) => (m.fractions[c.code] ?? 0) > 0).map((c) => `${c.label} ${(100 * m.fractions[c.code]).toFixed(1)}%`);
      process.stderr.write(`η = ${formatEta(m.eta)}${m.fraction !== null ? ` (${Number(m.fraction.toPrecision(3))}·η_max)` : ''}: ${parts.join(', ')}\n`);
    }
    process.stderr.write(`wrote ${out} (${format}, ${slice.width}×${slice.height} maps)\n`);
    return 0;
  } finally {
    progress.done();
    pool.dispose();
  }
}
