/**
 * Export text of panel results (pure; used by the panel host): trajectories and LR sweeps as
 * CSV and JSON. Non-finite numbers become empty CSV cells / JSON null.
 */
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
  const lines = [['step', ...names, 'loss', 'grad_norm', 'sharpness', 'loss_increased', 'phase'].join(',')];
  for (let k = 0; k < t.loss.length; k++) {
    const coords = Array.from({ length: t.n }, (_, i) => csvNumber(t.theta[k * t.n + i]));
    lines.push([String(k), ...coords, csvNumber(t.loss[k]), csvNumber(t.gradNorm[k]), csvNumber(t.sharpness[k]),
      t.increased[k] ? '1' : '0', k > t.steps ? 'tail' : k < t.K ? 'unstable' : 'stable'].join(','));
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
  const lines = [['eta', 'eta_fraction', 'stable', 'unstable', 'diverged', 'not_converged', 'other', 'cycle', 'bounded_aperiodic', 'still_descending', 'stable_set', 'unstable_set', ...perMin].join(',')];
  for (const p of points) {
    const s = p.stats;
    const cells = [
      p.eta, p.etaFraction, s.stable, s.unstable, s.diverged, s.notConverged, s.other,
      s.cycle, s.aperiodic, s.descending, (s.minimumSet?.stable ?? 0) + (s.unlisted?.stable ?? 0), (s.minimumSet?.unstable ?? 0) + (s.unlisted?.unstable ?? 0),
    ].map(csvNumber);
    for (let j = 0; j < minima; j++) cells.push(csvNumber(s.perMinimum[j]?.stable), csvNumber(s.perMinimum[j]?.unstable));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

export function sweepJson(points: readonly SweepPointView[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, points }, null, 2) + '\n';
}
