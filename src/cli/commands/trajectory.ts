/**
 * `gdlab trajectory <expression|config> (--eta η | --eta-frac f) --init a,b [--max-iter 2000]
 *  [--tail N] [--guard g] [--out traj.csv|traj.json]`
 * One trajectory (GD or --optimizer): per iterate θ_k, f, ‖∇f‖, sharpness λ_max(∇²f), loss
 * increase, phase; the optimizer's threshold line and preconditioned sharpness.
 */
import { convergedTo, MAX_TRAJECTORY_STEPS, trajectory, type TrajectoryResult } from '../../engine/trajectory';
import { toTrajectoryView, trajectoryCsv, trajectoryJson } from '../../shared/exports';
import type { TrajectoryView } from '../../shared/protocol';
import { intOption, listOption, parseArgs, UsageError } from '../args';
import { analysisNotes } from '../notes';
import { checkOutputPath, writeAtomic } from '../output';
import { OPTIMIZER_FLAGS, OPTIMIZER_HELP, OPTIMIZER_OPTIONS, optimizerFromArgs } from '../optimizerOption';
import { checkProblemArgument, classifyOptionsFrom, guardText, loadProblem, outputFormat, PROBLEM_OPTIONS, resolveEtaOption, thresholdNote } from '../problemInput';

const HELP = `Usage: gdlab trajectory <expression | config.gdlab.json> (--eta η | --eta-frac f) --init a,b [options]

Runs the optimizer (gradient descent unless --optimizer says otherwise) from one start and
records every iterate: coordinates, loss, ‖∇f‖, sharpness λ_max(∇²f), whether the loss
increased, and the phase (unstable before K, tail after the decision); for another optimizer
also its threshold line, and for Adam / RMSProp the preconditioned sharpness λ_max(P⁻¹∇²f). Prints the outcome (stable / unstable convergence, diverged, cycle of period p,
bounded aperiodic, still descending, not converged, other), the step at which it was decided,
K (the step of the last loss increase), the sharpness at the point reached and (GD) a
finite-time Lyapunov exponent.

Options:
  --eta η / --eta-frac f  learning rate (or a fraction of the smallest η_max of the optimizer)
${OPTIMIZER_HELP}
  --init a,b            the start, one number per variable (default: the config's first start)
  --out FILE            traj.csv or traj.json (default: CSV on standard output)
  --max-iter N          GD steps before giving up (default 2000)
  --tail N              extra iterates recorded after convergence, for plotting (default 0);
                        they are not counted in the steps
  --guard g             relative round-off guard for loss increases (default 1e-12)
  --domain, --variables as for gdlab analyze
  --help                this text
  --                    ends the options (for an expression that starts with '-')

Exit codes: 0 ok, 2 bad input, 1 other failure.`;

/** TrajectoryResult → the plain view the exporters take (the engine's steps and K, unchanged). */
export function trajectoryView(t: TrajectoryResult, eta: number, init: number[]): TrajectoryView {
  return toTrajectoryView(t, eta, init);
}

const sig = (v: number): number => Number(v.toPrecision(4));

/** The one-line summary printed on stderr. */
export function trajectorySummary(t: TrajectoryResult): string {
  const o = t.outcome;
  const target = convergedTo(o);
  const outcome = target !== null ? `${o.kind} (${target})` : o.kind === 'cycle' ? `cycle of period ${o.period}` : o.kind === 'aperiodic' ? 'bounded aperiodic' : o.kind === 'descending' ? 'still descending' : o.kind.replace('_', ' ');
  const parts = [
    `${outcome}, decided at step ${t.steps}; ${t.increases} loss increase${t.increases === 1 ? '' : 's'}, K = ${t.K}` +
      (t.firstIncreaseAt !== null ? `, first at step ${t.firstIncreaseAt}` : '') +
      (t.enteredCertifiedAt !== null ? `; entered the certified region at step ${t.enteredCertifiedAt}` : ''),
  ];
  const gd = t.optimizer.name === 'gd';
  const line = gd ? '2/η' : t.preconditionedSharpness ? 'threshold line for λ_max(P⁻¹∇²f)' : 'threshold line';
  if (Number.isFinite(t.limitSharpness)) parts.push(`sharpness at the point reached λ_max = ${sig(t.limitSharpness)} (${line} = ${sig(t.sharpnessLimit)})`);
  const prec = t.preconditionedSharpness;
  if (prec && prec.length > 0) {
    let above = 0;
    for (let k = 0; k <= t.steps; k++) if (prec[k] >= t.sharpnessLimit) above++;
    parts.push(`preconditioned sharpness λ_max(P⁻¹∇²f) at the decision ${sig(prec[t.steps] ?? NaN)}, at or above the line at ${above} of ${t.steps + 1} iterates`);
  }
  if (t.lyapunov !== null && o.kind !== 'diverged') {
    parts.push(`finite-time Lyapunov exponent ${sig(t.lyapunov)} per step${o.kind === 'aperiodic' && t.lyapunov > 1e-3 ? ' (> 0: chaotic)' : ''}`);
  }
  if (o.kind === 'descending') parts.push('raise --max-iter to decide it');
  return parts.join('; ');
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['eta', 'eta-frac', 'init', 'out', 'max-iter', 'tail', 'guard', ...PROBLEM_OPTIONS, ...OPTIMIZER_OPTIONS], flags: ['help', ...OPTIMIZER_FLAGS] });
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
  const optimizer = optimizerFromArgs(args, input.config?.optimizer ?? null);
  const eta = resolveEtaOption(args, input, optimizer);
  const classify = classifyOptionsFrom(args, input.config);
  const tailSteps = intOption(args, 'tail', 0, 0, 100_000);
  if (classify.maxSteps + tailSteps > MAX_TRAJECTORY_STEPS) {
    throw new UsageError(`--max-iter + --tail is at most ${MAX_TRAJECTORY_STEPS} recorded steps (got ${classify.maxSteps} + ${tailSteps}); lower one of them`);
  }
  const note = thresholdNote(problem, eta, optimizer);
  if (note) process.stderr.write(note + '\n');
  for (const line of analysisNotes(problem)) process.stderr.write(line + '\n');

  const t = trajectory(problem, eta, init, { ...classify, tailSteps, optimizer });
  const view = trajectoryView(t, eta, init);
  const text = format === 'json' ? trajectoryJson(view, names, { expression: problem.parsed.normalized, lossIncrease: guardText(classify) }) : trajectoryCsv(view, names);
  const summary = trajectorySummary(t);
  if (out === undefined) {
    process.stdout.write(text);
  } else {
    writeAtomic(out, text);
    process.stderr.write(`wrote ${out} (${t.steps + t.tail + 1} iterates: θ_0 … θ_${t.steps}${t.tail > 0 ? ` and ${t.tail} after the decision` : ''})\n`);
  }
  process.stderr.write(summary + '\n');
  process.stderr.write(guardText(classify) + '\n');
  return 0;
}
