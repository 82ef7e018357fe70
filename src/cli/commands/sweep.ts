/**
 * `gdlab sweep <expression|config> [--etas a,b,… | --eta-fracs a,b,…] [--grid 128] [--x lo,hi]
 *  [--y lo,hi] [--max-iter 2000] [--out sweep.csv|sweep.json]`
 * Area fractions of stable / unstable / diverged / not converged / other starts over a list of
 * learning rates (default: 20 from 0.05 to 0.99 of the smallest η_max of the optimizer).
 */
import { defaultSweepEtas, smallestEtaMax, type SweepPoint } from '../../engine/sweep';
import { ComputePool } from '../../compute/pool';
import { sweepCsv, sweepJson } from '../../shared/exports';
import { listOption, parseArgs, UsageError } from '../args';
import { Progress } from '../progress';
import { checkOutputPath, writeAtomic } from '../output';
import { resolvedLearningRates } from '../../config/config';
import { checkProblemArgument, classifyOptionsFrom, guardText, loadProblem, outputFormat, PROBLEM_OPTIONS } from '../problemInput';
import { OPTIMIZER_FLAGS, OPTIMIZER_HELP, OPTIMIZER_OPTIONS, optimizerFromArgs } from '../optimizerOption';
import { describeOptimizer, isAdaptive, OPTIMIZER_TITLES } from '../../engine/optimizers/spec';
import { etaMaxRule } from '../../engine/optimizers/thresholds';
import { analysisNotes, stillDescendingNote } from '../notes';
import { coverWindow, sliceFromArgs, workersOption } from './basin';

const HELP = `Usage: gdlab sweep <expression | config.gdlab.json> [options]

Classifies a grid of starts at each of a list of learning rates and reports the area fractions
(stable, unstable, diverged, not converged, other, cycle, bounded aperiodic, still descending;
converged to a set of minima; per minimum too) and the loss increases: the share of starts with
any, and their mean and median over the converged starts.

Options:
  --etas a,b,…          learning rates
  --eta-fracs a,b,…     learning rates as fractions of the smallest η_max of the optimizer
                        (its own threshold: 2/λ_max for GD, 2(1+β)/λ_max for momentum, …;
                        default: 20 values from 0.05 to 0.99 of it; Adam and RMSProp have no
                        static η_max: give --etas, or the config's learningRates are used)
${OPTIMIZER_HELP}
  --out FILE            sweep.csv or sweep.json (default: CSV on standard output)
  --grid N              pixels per side (default 128)
  --x lo,hi / --y lo,hi / --axes x,y / --fixed z=v / --grid-mode M   the map window, as for gdlab basin
  --max-iter N          GD steps before a start counts as not converged (default 2000)
  --guard g             relative round-off guard for loss increases (default 1e-12)
  --domain, --variables as for gdlab analyze
  --workers N           worker threads (default: all cores)
  --help                this text
  --                    ends the options (for an expression that starts with '-')

Exit codes: 0 ok, 2 bad input, 1 other failure.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['etas', 'eta-fracs', 'out', 'grid', 'grid-mode', 'x', 'y', 'axes', 'fixed', 'max-iter', 'guard', 'workers', ...PROBLEM_OPTIONS, ...OPTIMIZER_OPTIONS],
    flags: ['help', ...OPTIMIZER_FLAGS],
  });
  if (args.options.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  checkProblemArgument(args, 'sweep');
  const out = args.options.get('out');
  const format = out === undefined ? 'csv' : outputFormat(out, ['csv', 'json'] as const);
  if (out !== undefined) checkOutputPath(out);
  const input = loadProblem(args, 'sweep');
  if (!args.options.has('grid')) args.options.set('grid', String(Math.min(input.config?.grid ?? 128, 128)));
  const slice = sliceFromArgs(input, args);
  const covered = coverWindow(input, slice);
  if (covered) process.stderr.write(covered + '\n');
  const { problem } = input;
  for (const line of analysisNotes(problem)) process.stderr.write(line + '\n');
  const classify = classifyOptionsFrom(args, input.config);
  const optimizer = optimizerFromArgs(args, input.config?.optimizer ?? null);

  const etasGiven = listOption(args, 'etas');
  const fracs = listOption(args, 'eta-fracs');
  if (etasGiven && fracs) throw new UsageError('give either --etas or --eta-fracs, not both');
  // each optimizer is swept against its own threshold
  const etaMax = smallestEtaMax(problem, optimizer);
  const adaptiveHint = `${OPTIMIZER_TITLES[optimizer.name]}'s threshold depends on the trajectory (it bounds the preconditioned sharpness), so there is no η_max to take fractions of; give --etas, e.g. --etas 0.003,0.01,0.03,0.1`;
  let etas: number[];
  if (etasGiven) {
    etas = etasGiven;
  } else if (fracs) {
    if (isAdaptive(optimizer)) throw new UsageError(`--eta-fracs: ${adaptiveHint}`);
    if (etaMax === null) throw new UsageError(`--eta-fracs needs a strict minimum (η_max = ${etaMaxRule(optimizer)}), and none was found in the domain; give --etas`);
    etas = fracs.map((f) => f * etaMax);
  } else if (isAdaptive(optimizer)) {
    // no static threshold: the config's own learning rates, if it lists some
    const listed = input.config ? resolvedLearningRates(input.config, null) : [];
    if (listed.length < 2) throw new UsageError(adaptiveHint);
    etas = listed;
  } else {
    if (etaMax === null) throw new UsageError('no strict minimum was found in the domain, so there is no η_max to sweep against; give --etas');
    etas = defaultSweepEtas(problem, optimizer);
  }
  if (etas.length === 0 || etas.length > 1000) throw new UsageError(`give 1 to 1000 learning rates, got ${etas.length}`);
  etas.forEach((eta, i) => {
    if (!(eta > 0)) throw new UsageError(`learning rate ${i + 1} must be positive, got ${eta}`);
  });

  const progress = new Progress(etas.length, 'sweep');
  const pool = new ComputePool({ workers: workersOption(args) });
  let points: SweepPoint[];
  try {
    points = await pool.sweep({ spec: problem.spec, slice, etas, classify, ...(optimizer.name === 'gd' ? {} : { optimizer }) }, (p) => progress.tick(1, `η = ${Number(p.eta.toPrecision(4))}`));
  } finally {
    pool.dispose();
  }
  progress.done();
  const worst = points.reduce<SweepPoint | null>((w, p) => (w === null || p.stats.descending > w.stats.descending ? p : w), null);
  const hint = worst ? stillDescendingNote(worst.stats, classify.maxSteps, (n) => `raise the step limit, e.g. --max-iter ${n},`) : null;
  if (worst && hint) process.stderr.write(`${hint.replace('note: ', `note: at η = ${Number(worst.eta.toPrecision(4))}, `)}\n`);
  const text = format === 'json'
    ? sweepJson(points, {
      expression: problem.parsed.normalized, variables: problem.parsed.variables, optimizer, etaMax, etaMaxRule: etaMaxRule(optimizer), slice, classify, lossIncrease: guardText(classify),
    })
    : sweepCsv(points);
  if (format === 'csv') process.stderr.write(`${optimizer.name === 'gd' ? '' : `${describeOptimizer(optimizer)}; `}eta_fraction = η/(${etaMaxRule(optimizer)}); ${guardText(classify)}\n`);
  if (out === undefined) process.stdout.write(text);
  else {
    writeAtomic(out, text);
    process.stderr.write(`wrote ${out} (${points.length} learning rates)\n`);
  }
  return 0;
}
