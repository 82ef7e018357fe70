/**
 * `gdlab trajectory <expression|config> (--eta η | --eta-frac f) --init a,b [--max-iter 2000]
 *  [--tail N] [--guard g] [--out traj.csv|traj.json]`
 * One GD trajectory: per iterate θ_k, f, ‖∇f‖, sharpness λ_max(∇²f), loss increase, phase.
 */
import { MAX_TRAJECTORY_STEPS, trajectory, type TrajectoryResult } from '../../engine/trajectory';
import { trajectoryCsv, trajectoryJson } from '../../shared/exports';
import type { TrajectoryView } from '../../shared/protocol';
import { intOption, listOption, parseArgs, UsageError } from '../args';
import { checkOutputPath, writeAtomic } from '../output';
import { checkProblemArgument, classifyOptionsFrom, loadProblem, outputFormat, PROBLEM_OPTIONS, resolveEtaOption, thresholdNote } from '../problemInput';

const HELP = `Usage: gdlab trajectory <expression | config.gdlab.json> (--eta η | --eta-frac f) --init a,b [options]

Runs gradient descent from one start and records every iterate: coordinates, loss, ‖∇f‖,
sharpness λ_max(∇²f), whether the loss increased, and the phase (unstable before K).

Options:
  --eta η / --eta-frac f  learning rate (or a fraction of the smallest η_max)
  --init a,b            the start, one number per variable (default: the config's first start)
  --out FILE            traj.csv or traj.json (default: CSV on standard output)
  --max-iter N          GD steps before giving up (default 2000)
  --tail N              extra steps recorded after convergence, for plotting (default 0)
  --guard g             relative round-off guard for loss increases (default 1e-12)
  --domain, --variables as for gdlab analyze
  --help                this text
  --                    ends the options (for an expression that starts with '-')

Exit codes: 0 ok, 2 bad input, 1 other failure.`;

/** TrajectoryResult → the plain view the exporters take. */
export function trajectoryView(t: TrajectoryResult, eta: number, init: number[]): TrajectoryView {
  const outcome = t.outcome;
  return {
    eta,
    init,
    n: t.n,
    steps: t.steps,
    theta: Array.from(t.theta),
    loss: Array.from(t.loss),
    gradNorm: Array.from(t.gradNorm),
    sharpness: Array.from(t.sharpness),
    increased: Array.from(t.increased),
    outcome: outcome.kind,
    minimum: outcome.kind === 'stable' || outcome.kind === 'unstable' ? outcome.minimum : null,
    K: t.K,
    increases: t.increases,
    firstIncreaseAt: t.firstIncreaseAt,
    enteredCertifiedAt: t.enteredCertifiedAt,
  };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['eta', 'eta-frac', 'init', 'out', 'max-iter', 'tail', 'guard', ...PROBLEM_OPTIONS], flags: ['help'] });
  if (args.options.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  checkProblemArgument(args, 'trajectory');
  const out = args.options.get('out');
  const format = out === undefined ? 'csv' : outputFormat(out, ['csv', 'json'] as const);
  if (out !== undefined) checkOutputPath(out);
  const input = loadProblem(args, 'trajectory');
  const { problem } = input;
  const names = problem.parsed.variables;
  const init = listOption(args, 'init') ?? input.config?.starts[0];
  if (!init) throw new UsageError(`missing --init: the start, one number per variable (${names.join(', ')}), e.g. --init ${names.map(() => '0.1').join(',')}`);
  if (init.length !== names.length) throw new UsageError(`--init has ${init.length} numbers but the objective has ${names.length} variables (${names.join(', ')})`);
  const eta = resolveEtaOption(args, input);
  const classify = classifyOptionsFrom(args, input.config);
  const tailSteps = intOption(args, 'tail', 0, 0, 100_000);
  if (classify.maxSteps + tailSteps > MAX_TRAJECTORY_STEPS) {
    throw new UsageError(`--max-iter + --tail is at most ${MAX_TRAJECTORY_STEPS} recorded steps (got ${classify.maxSteps} + ${tailSteps}); lower one of them`);
  }
  const note = thresholdNote(problem, eta);
  if (note) process.stderr.write(note + '\n');

  const t = trajectory(problem, eta, init, { ...classify, tailSteps });
  const view = trajectoryView(t, eta, init);
  const text = format === 'json' ? trajectoryJson(view, names, { expression: problem.parsed.normalized }) : trajectoryCsv(view, names);
  const outcome = t.outcome.kind === 'stable' || t.outcome.kind === 'unstable' ? `${t.outcome.kind} (minimum #${t.outcome.minimum})` : t.outcome.kind.replace('_', ' ');
  const summary = `${outcome} after ${t.decidedAt} steps; ${t.increases} loss increase${t.increases === 1 ? '' : 's'}, K = ${t.K}` +
    (t.firstIncreaseAt !== null ? `, first at step ${t.firstIncreaseAt}` : '') +
    (t.enteredCertifiedAt !== null ? `; entered the certified region at step ${t.enteredCertifiedAt}` : '');
  if (out === undefined) {
    process.stdout.write(text);
  } else {
    writeAtomic(out, text);
    process.stderr.write(`wrote ${out} (${t.steps + 1} iterates)\n`);
  }
  process.stderr.write(summary + '\n');
  return 0;
}
