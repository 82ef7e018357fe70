/**
 * One start under two optimizers, pure (no DOM): what each run's sharpness chart compares with
 * its own threshold line (λ_max(∇²f) against 2/η, 2(1+β)/η, …; Adam / RMSProp's preconditioned
 * λ_max(P⁻¹∇²f) against (2+2β₁)/((1−β₁)η)), and the one-line summary of each run.
 */
import { describeOptimizer, isAdaptive, type OptimizerSpec } from '../../src/engine/optimizers/spec';
import { sharpnessLimit } from '../../src/engine/optimizers/thresholds';
import { thresholdName } from '../../src/shared/networkSession';
import type { TrajectoryView } from '../../src/shared/protocol';
import { fmt } from './format';

/** The series a run's sharpness chart shows and the line it is compared with. */
export interface SharpnessSeries {
  /** per iterate (NaN / null where not computed) */
  values: readonly (number | null)[];
  /** 'λ_max(∇²f)' or 'λ_max(P⁻¹∇²f)' */
  label: string;
  /** the threshold line's value at the run's η and its formula, e.g. 3.8 and '2(1+β)/η' */
  limit: number;
  limitName: string;
}

/**
 * The compared sharpness of a run under `spec`: the preconditioned one for Adam / RMSProp (the
 * trajectory carries it), else λ_max(∇²f); the line is the trajectory's own threshold (the
 * engine's), else the optimizer's at the run's η.
 */
export function sharpnessSeries(t: TrajectoryView, spec: OptimizerSpec): SharpnessSeries {
  const pre = isAdaptive(spec) && t.preconditionedSharpness ? t.preconditionedSharpness : null;
  return {
    values: pre ?? t.sharpness,
    label: pre ? 'λ_max(P⁻¹∇²f)' : 'λ_max(∇²f)',
    limit: t.sharpnessLimit ?? sharpnessLimit(spec, t.eta),
    limitName: thresholdName(spec),
  };
}

/** The outcome in words, with the minimum reached. */
export function outcomeText(t: TrajectoryView): string {
  const to = t.minimum !== null && t.minimum >= 0 ? ` to minimum ${t.minimum}` : '';
  return `${t.outcome.replace('_', ' ')}${to}`;
}

/** "heavy-ball momentum (β = 0.9): unstable to minimum 1 — 412 steps, K = 380, 97 loss increases". */
export function runSummary(t: TrajectoryView, spec: OptimizerSpec): string {
  const inc = `${t.increases} loss increase${t.increases === 1 ? '' : 's'}`;
  return `${describeOptimizer(spec)}: ${outcomeText(t)} — ${t.steps} steps, K = ${t.K}, ${inc}`;
}

/** The line's legend text, e.g. "2(1+β)/η = 3.8". */
export function limitText(s: SharpnessSeries): string {
  return `${s.limitName} = ${fmt(s.limit)}`;
}

/**
 * The top of a sharpness chart's axis: 1.5 times the line, or 1.2 times the 90th percentile of the
 * finite values if higher — so a run that diverges (λ_max growing like 1e24 in its last steps)
 * still shows where it stood against its line before that (the last values run off the top).
 */
export function sharpnessAxisMax(values: readonly (number | null)[], limit: number): number {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  const p90 = finite.length > 0 ? finite[Math.floor(0.9 * (finite.length - 1))] : 0;
  return Math.max(1.5 * limit, 1.2 * p90);
}
