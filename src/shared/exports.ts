/**
 * Export text of panel results (pure; used by the panel host): trajectories and LR sweeps as
 * CSV and JSON. Non-finite numbers become empty CSV cells / JSON null.
 */
import { describeOptimizer } from '../engine/optimizers/spec';
import type { TrajectoryResult } from '../engine/trajectory';
import type { SweepPointView, TrajectoryView } from './protocol';

/** An engine trajectory as the plain view every output uses (CLI, panel, exports): the engine's steps and K, unchanged. */
export function toTrajectoryView(t: TrajectoryResult, eta: number, init: number[]): TrajectoryView {
  const outcome = t.outcome;
  return {
    eta,
    init,
    n: t.n,
    steps: t.steps,
    tail: t.tail,
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
    limitSharpness: Number.isFinite(t.limitSharpness) ? t.limitSharpness : null,
    lyapunov: t.lyapunov,
    period: outcome.kind === 'cycle' ? outcome.period : null,
    ...(t.optimizer && t.optimizer.name !== 'gd' ? { optimizer: describeOptimizer(t.optimizer) } : {}),
    ...(t.sharpnessLimit !== undefined ? { sharpnessLimit: t.sharpnessLimit } : {}),
    ...(t.preconditionedSharpness ? { preconditionedSharpness: Array.from(t.preconditionedSharpness) } : {}),
  };
}

function csvNumber(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
}

/**
 * One row per recorded iterate: step, coordinates, loss, ‖∇f‖, λ_max, whether the loss increased,
 * phase (k < K: unstable; then stable; iterates after the decision: tail).
 */
export function trajectoryCsv(t: TrajectoryView, variables: readonly string[]): string {
  const names = Array.from({ length: t.n }, (_, i) => variables[i] ?? `x${i}`);
  // another optimizer than GD: its threshold line, and Adam / RMSProp's preconditioned sharpness
  const extra = t.optimizer !== undefined ? (t.preconditionedSharpness ? ['preconditioned_sharpness', 'threshold'] : ['threshold']) : [];
  const lines = [['step', ...names, 'loss', 'grad_norm', 'sharpness', 'loss_increased', 'phase', ...extra].join(',')];
  for (let k = 0; k < t.loss.length; k++) {
    const coords = Array.from({ length: t.n }, (_, i) => csvNumber(t.theta[k * t.n + i]));
    const more = extra.length === 0 ? [] : [...(t.preconditionedSharpness ? [csvNumber(t.preconditionedSharpness[k])] : []), csvNumber(t.sharpnessLimit)];
    lines.push([String(k), ...coords, csvNumber(t.loss[k]), csvNumber(t.gradNorm[k]), csvNumber(t.sharpness[k]),
      t.increased[k] ? '1' : '0', k > t.steps ? 'tail' : k < t.K ? 'unstable' : 'stable', ...more].join(','));
  }
  return lines.join('\n') + '\n';
}

/** JSON of a trajectory with named coordinates per iterate. */
export function trajectoryJson(t: TrajectoryView, variables: readonly string[], extra: Record<string, unknown> = {}): string {
  const iterates = Array.from({ length: t.loss.length }, (_, k) => t.theta.slice(k * t.n, (k + 1) * t.n));
  return JSON.stringify({
    ...extra,
    variables: variables.slice(0, t.n), eta: t.eta, init: t.init, outcome: t.outcome, minimum: t.minimum,
    period: t.period ?? null, K: t.K, increases: t.increases, firstIncreaseAt: t.firstIncreaseAt, enteredCertifiedAt: t.enteredCertifiedAt,
    limitSharpness: t.limitSharpness ?? null, lyapunov: t.lyapunov ?? null,
    optimizer: t.optimizer ?? 'gradient descent', sharpnessLimit: t.sharpnessLimit ?? 2 / t.eta,
    ...(t.preconditionedSharpness ? { preconditionedSharpness: t.preconditionedSharpness } : {}),
    steps: t.steps, tail: t.tail ?? 0, iterates, loss: t.loss, gradNorm: t.gradNorm, sharpness: t.sharpness, increased: t.increased,
  }, null, 2) + '\n';
}

/**
 * One row per learning rate: η, η/η_max and the area fractions (of all pixels): the eight classes,
 * the converged starts that reached a set of minima or an unlisted minimum (stable_set /
 * unstable_set, included in stable / unstable), then per listed minimum.
 */
export function sweepCsv(points: readonly SweepPointView[]): string {
  const minima = points.reduce((m, p) => Math.max(m, p.stats.perMinimum.length), 0);
  const perMin: string[] = [];
  for (let j = 0; j < minima; j++) perMin.push(`stable_min${j}`, `unstable_min${j}`);
  // the loss-increase statistics, when every point has them (the share of starts with any increase, and how many)
  const withIncreases = points.length > 0 && points.every((p) => p.stats.increases !== undefined);
  const increaseCols = withIncreases ? ['any_increase', 'mean_increases_converged', 'median_increases_converged'] : [];
  const lines = [['eta', 'eta_fraction', 'stable', 'unstable', 'diverged', 'not_converged', 'other', 'cycle', 'bounded_aperiodic', 'still_descending', 'stable_set', 'unstable_set', ...perMin, ...increaseCols].join(',')];
  for (const p of points) {
    const s = p.stats;
    const cells = [
      p.eta, p.etaFraction, s.stable, s.unstable, s.diverged, s.notConverged, s.other,
      s.cycle, s.aperiodic, s.descending, (s.minimumSet?.stable ?? 0) + (s.unlisted?.stable ?? 0), (s.minimumSet?.unstable ?? 0) + (s.unlisted?.unstable ?? 0),
    ].map(csvNumber);
    for (let j = 0; j < minima; j++) cells.push(csvNumber(s.perMinimum[j]?.stable), csvNumber(s.perMinimum[j]?.unstable));
    if (withIncreases && s.increases) cells.push(csvNumber(s.increases.anyIncrease), csvNumber(s.increases.meanConverged), csvNumber(s.increases.medianConverged));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

export function sweepJson(points: readonly SweepPointView[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, points }, null, 2) + '\n';
}
