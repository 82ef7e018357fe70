/**
 * Pure helpers for drawing one GD trajectory (no DOM): the split into the unstable phase
 * (red, iterates θ_0..θ_K) and the stable phase (black, θ_K..θ_steps) of the paper's Figure 3,
 * and values safe for a log-scale chart.
 */
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
