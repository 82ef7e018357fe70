/**
 * Pure helpers for drawing one GD trajectory (no DOM): the split into the unstable phase
 * (red, iterates θ_0..θ_K) and the stable phase (black, θ_K..θ_steps) of the paper's Figure 3,
 * the tail after the decision (lighter), values safe for a log-scale chart, and the summary line.
 */
import { MinimumCode } from '../../src/engine/types';
import type { TrajectoryView } from '../../src/shared/protocol';

export type Phase = 'unstable' | 'stable';

/** A run of consecutive iterates [from, to] (inclusive) drawn in one colour. */
export interface PhaseSegment {
  phase: Phase;
  from: number;
  to: number;
}

/**
 * Splits iterates 0..count−1 at K (the length of the unstable phase): the step from θ_k to
 * θ_{k+1} is unstable iff k < K. Both segments share the iterate θ_K so the line is continuous.
 * K ≤ 0 → all stable; K ≥ count−1 → all unstable.
 */
export function splitAtK(count: number, K: number): PhaseSegment[] {
  if (count <= 0) return [];
  if (count === 1) return [{ phase: K > 0 ? 'unstable' : 'stable', from: 0, to: 0 }];
  const k = Math.max(0, Math.min(count - 1, Math.floor(K)));
  const segments: PhaseSegment[] = [];
  if (k > 0) segments.push({ phase: 'unstable', from: 0, to: k });
  if (k < count - 1) segments.push({ phase: 'stable', from: k, to: count - 1 });
  return segments;
}

/** Phase of the step that starts at iterate k (what colours the chart segment k → k+1). */
export function stepPhase(k: number, K: number): Phase {
  return k < K ? 'unstable' : 'stable';
}

/**
 * Values for a log-scale axis: non-finite → null (a gap), values ≤ 0 replaced by `floor`
 * (a tenth of the smallest positive value, so exact zeros at a minimum still show).
 * Returns the values and whether a log axis is meaningful (some positive value, none negative).
 */
export function logSafe(values: ArrayLike<number | null>): { values: (number | null)[]; logOk: boolean } {
  let minPositive = Infinity;
  let negative = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) continue;
    if (v > 0 && v < minPositive) minPositive = v;
    if (v < 0) negative = true;
  }
  const logOk = !negative && Number.isFinite(minPositive);
  const floor = Number.isFinite(minPositive) ? minPositive / 10 : 1e-300;
  const out: (number | null)[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) out.push(null);
    else out.push(logOk && v <= 0 ? floor : v);
  }
  return { values: out, logOk };
}

/** The outcome of a trajectory in words, with the minimum (index, a set of minima, an unlisted one) it reached. */
export function outcomeWords(outcome: string, minimum: number | null, period: number | null | undefined): string {
  const to = minimum === null ? '' : minimum >= 0 ? ` to minimum ${minimum}` : minimum === MinimumCode.Set ? ' to a point of a set of minima' : minimum === MinimumCode.Unlisted ? ' to an unlisted minimum' : '';
  switch (outcome) {
    case 'stable': return `stable convergence${to}`;
    case 'unstable': return `unstable convergence${to}`;
    case 'diverged': return 'diverged';
    case 'not_converged': return 'not converged';
    case 'other': return 'stalled at a saddle or other stationary point';
    case 'cycle': return period ? `cycle of period ${period}` : 'cycle';
    case 'aperiodic': return 'bounded aperiodic (neither converging, periodic nor escaping)';
    case 'descending': return 'still descending at the step limit';
    default: return outcome.replace('_', ' ');
  }
}

/**
 * The summary line of a trajectory: outcome, then `steps` and K as the engine defines them (steps =
 * the index of the iterate at which the outcome was decided; K = the index of the last loss
 * increase, 0 if none), the sharpness at the limit point against 2/η, the Lyapunov estimate for
 * bounded aperiodic starts, and the iterates drawn after the decision.
 */
export function trajectorySummary(t: TrajectoryView, fmt: (v: number) => string): string {
  const parts = [outcomeWords(t.outcome, t.minimum, t.period)];
  parts.push(`decided at θ_${t.steps} (steps = ${t.steps})`);
  parts.push(t.K > 0 ? `K = ${t.K} (last loss increase: f(θ_${t.K}) > f(θ_${t.K - 1}))` : 'K = 0 (the loss never increased)');
  if (t.firstIncreaseAt !== null && t.increases > 1) parts.push(`${t.increases} increases, the first at step ${t.firstIncreaseAt}`);
  if (t.enteredCertifiedAt !== null) parts.push(`entered the certified region at step ${t.enteredCertifiedAt}`);
  const sharp = t.limitSharpness;
  if (sharp !== null && sharp !== undefined && Number.isFinite(sharp)) parts.push(`λ_max at the limit point ${fmt(sharp)} (2/η = ${fmt(2 / t.eta)})`);
  const ly = t.lyapunov;
  if (t.outcome === 'aperiodic' && ly !== null && ly !== undefined && Number.isFinite(ly)) {
    parts.push(`finite-time Lyapunov exponent ${fmt(ly)} per step (${ly > 0 ? '> 0: chaotic' : '≤ 0: not chaotic, e.g. quasi-periodic'})`);
  }
  const tail = t.tail ?? 0;
  if (tail > 0) parts.push(`the ${tail} iterates after the decision drawn lighter`);
  return `— ${parts.join('; ')}; η = ${fmt(t.eta)}`;
}

/** A CSS colour at the given opacity (for the tail drawn after the decision): #rgb/#rrggbb/rgb() → rgba(). */
export function withAlpha(color: string, alpha: number, parse: (c: string) => readonly [number, number, number] | null): string {
  const c = parse(color);
  return c ? `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})` : color;
}

/** Whether the chart segment starting at iterate k is part of the tail (after the decision at `steps`). */
export function inTail(k: number, steps: number): boolean {
  return k >= steps;
}
