/**
 * `gdlab tipping <expression|config> --eta1 a --eta2 b [--frac] [--grid N] [--x lo,hi] [--y lo,hi]
 *  [--out t.json|t.csv|t.npy]`
 * Which starts change their fate when the learning rate moves from η₁ to η₂ (a warm-up, a decay,
 * a step of a schedule): the matrix of class-to-class fractions and the per-pixel transitions
 * (src/engine/measures/tipping.ts).
 */
import { smallestEtaMax } from '../../engine/sweep';
import { ComputePool } from '../../compute/pool';
import { tippingMaps } from '../../compute/measureJobs';
import { encodeNpy } from '../../shared/encode';
import { tippingCsv, tippingJson, tippingTable } from '../../shared/measuresExport';
import { numberOption, parseArgs, UsageError } from '../args';
import { checkOutputPath, classifyOptionsFrom, loadProblem, outputFormat, PROBLEM_OPTIONS, thresholdNote, writeAtomic } from '../problemInput';
import { sliceFromArgs, workersOption } from './basin';

const HELP = `Usage: gdlab tipping <expression | config.gdlab.json> --eta1 a --eta2 b [options]

Classifies the same grid of starts at two learning rates and reports how many starts move from
each class at η₁ to each class at η₂ (stable, unstable, diverged, …; and from which minimum to
which), and where they are.

Options:
  --eta1 a, --eta2 b    the two learning rates
  --frac                --eta1 and --eta2 are fractions of the smallest η_max = 2/λ_max
  --out FILE            t.json (matrices and the per-pixel transitions), t.csv (the matrices:
                        one row per from → to) or t.npy (per pixel: code at η₁ × K + code at η₂,
                        K = number of class codes; uint8, shape (rows, cols), top row = largest y)
  --grid N              pixels per side (default 256, or the config's grid)
  --x lo,hi / --y lo,hi / --axes x,y / --fixed z=v   the map window, as for gdlab basin
  --max-iter N          GD steps before a start counts as not converged (default 2000)
  --guard g             relative round-off guard for loss increases (default 1e-12)
  --domain, --variables as for gdlab analyze
  --workers N           worker threads (default: all cores)
  --help                this text

The class matrix is printed (% of all starts; rows η₁, columns η₂).
Exit codes: 0 ok, 2 bad input, 1 other failure.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['eta1', 'eta2', 'out', 'grid', 'x', 'y', 'axes', 'fixed', 'max-iter', 'guard', 'workers', ...PROBLEM_OPTIONS],
    flags: ['frac', 'help'],
  });
  if (args.options.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const out = args.options.get('out');
  const format = out === undefined ? null : outputFormat(out, ['json', 'csv', 'npy'] as const);
  if (out !== undefined) checkOutputPath(out); // before any computation
  const raw1 = numberOption(args, 'eta1');
  const raw2 = numberOption(args, 'eta2');
  if (raw1 === undefined || raw2 === undefined) throw new UsageError('give both learning rates: --eta1 0.1 --eta2 0.3 (or fractions of η_max with --frac)');
  for (const [name, v] of [['--eta1', raw1], ['--eta2', raw2]] as const) if (!(v > 0)) throw new UsageError(`${name} must be a positive learning rate, got ${v}`);
  const input = loadProblem(args, 'tipping');
  const { problem } = input;
  const etaMax = smallestEtaMax(problem);
  if (args.options.has('frac') && etaMax === null) throw new UsageError('--frac needs a strict minimum (η_max = 2/λ_max), and none was found in the domain; give absolute learning rates');
  const scale = args.options.has('frac') ? (etaMax as number) : 1;
  const eta1 = raw1 * scale;
  const eta2 = raw2 * scale;
  const slice = sliceFromArgs(input, args);
  const classify = classifyOptionsFrom(args, input.config);
  for (const eta of [eta1, eta2]) {
    const note = thresholdNote(problem, eta);
    if (note) process.stderr.write(note + '\n');
  }

  const pool = new ComputePool({ workers: workersOption(args) });
  let result: Awaited<ReturnType<typeof tippingMaps>>;
  try {
    result = await tippingMaps(pool, { spec: problem.spec, slice, eta1, eta2, classify });
  } finally {
    pool.dispose();
  }
  const { tipping } = result;
  const context = { expression: problem.parsed.normalized, variables: problem.parsed.variables, slice, classify, minima: problem.minima };
  if (out !== undefined && format !== null) {
    const data = format === 'json' ? tippingJson(tipping, context) : format === 'csv' ? tippingCsv(tipping) : encodeNpy(tipping.transitions, [slice.height, slice.width]);
    writeAtomic(out, data);
    process.stderr.write(`wrote ${out}${format === 'npy' ? ` (${slice.width}×${slice.height}; value = code at η₁ × ${tipping.codeCount} + code at η₂)` : ''}\n`);
  }
  const rel = (eta: number): string => (etaMax !== null ? ` (${Number((eta / etaMax).toPrecision(4))} of η_max)` : '');
  process.stdout.write(`η₁ = ${Number(eta1.toPrecision(6))}${rel(eta1)} → η₂ = ${Number(eta2.toPrecision(6))}${rel(eta2)}: ${(100 * tipping.classes.changed).toFixed(2)}% of ${tipping.total} starts change class, ${(100 * tipping.attractors.changed).toFixed(2)}% change where they end up\n`);
  process.stdout.write(tippingTable(tipping));
  return 0;
}
