/**
 * The legend's sentences about what a map did not decide or cannot show by colour alone (pure, no
 * DOM): starts converging to a set of minima or to a minimum the search did not list, where f is
 * undefined, and "still descending" dominating (with the exact key to raise), plus the words of
 * the sharpness-at-the-limit statistics. Tested in plain Node.
 */
import type { Definedness } from '../../src/engine/definedness';
import { PixelClass } from '../../src/engine/types';
import type { LiveFractions } from './colors';
import { fmt, pct } from './format';
import type { SharpnessScale } from './limitLayers';

/** Share of still-descending starts from which the legend advises raising the step limit (as the CLI). */
export const DESCENDING_ADVICE_SHARE = 0.05;

/** Where the step limit of the shown map comes from: a config file's `maxSteps`, or the setting. */
export interface StepLimit {
  maxSteps: number;
  /** 'config': a *.gdlab.json/yaml (its `maxSteps` key); 'setting': a selection (gdStabilityLab.maxSteps) */
  source: 'config' | 'setting';
}

/** The step limit to suggest: ten times the current one, at least 1,000, at most 1,000,000 (as the CLI). */
export function suggestedMaxSteps(maxSteps: number): number {
  return Math.min(1_000_000, Math.max(maxSteps * 10, 1000));
}

/**
 * "62.3% of starts (the largest class) are still descending after 2000 steps: raise `maxSteps` …"
 * when at least DESCENDING_ADVICE_SHARE of the computed starts are still descending; null otherwise.
 */
export function descendingAdvice(live: LiveFractions, limit: StepLimit): string | null {
  const share = live.byClass[PixelClass.StillDescending] ?? 0;
  if (!(share >= DESCENDING_ADVICE_SHARE)) return null;
  const largest = live.byClass.every((f, c) => c === PixelClass.StillDescending || f <= share);
  const where = limit.source === 'config'
    ? `raise maxSteps in the config (e.g. "maxSteps": ${suggestedMaxSteps(limit.maxSteps)})`
    : `raise the setting gdStabilityLab.maxSteps (e.g. to ${suggestedMaxSteps(limit.maxSteps)})`;
  return `${pct(share)} of starts ${largest ? '(the largest class) ' : ''}are still descending after ${limit.maxSteps} steps: ${where} to decide them.`;
}

/** The sharpness statistics in words: "λ_max at the limit point 4 to 4.873, median 4.023 (2/η = 5)". */
export function sharpnessWords(scale: SharpnessScale): string {
  const range = scale.max > scale.min ? `${fmt(scale.min)} to ${fmt(scale.max)}, median ${fmt(scale.median)}` : fmt(scale.min);
  return `λ_max at the limit point ${range}${Number.isFinite(scale.edge) ? ` (2/η = ${fmt(scale.edge)})` : ''}`;
}

/**
 * Starts that converged to a point of a set of minima or to an unlisted minimum: their shares,
 * and the sharpness where they landed when known (empty when there are none).
 */
export function limitNotes(live: LiveFractions, scale: SharpnessScale | null): string[] {
  const out: string[] = [];
  const set = live.minimumSet.stable + live.minimumSet.unstable;
  const unlisted = live.unlisted.stable + live.unlisted.unstable;
  if (set > 0) {
    out.push(`${pct(set)} converge to a set of minima (non-isolated: a curve or surface of minima; stable ${pct(live.minimumSet.stable)}, unstable ${pct(live.minimumSet.unstable)})`
      + `${scale ? `; ${sharpnessWords(scale)} — the layer "Sharpness at the limit" maps it` : ''}.`);
  }
  if (unlisted > 0) {
    out.push(`${pct(unlisted)} converge to a strict minimum the search did not list (stable ${pct(live.unlisted.stable)}, unstable ${pct(live.unlisted.unstable)}), drawn like a set of minima.`);
  }
  return out;
}

/** Where f is undefined, in words (null when it is defined everywhere it was looked at). */
export function undefinedNote(d: Definedness | undefined): string | null {
  if (!d) return null;
  if (d.undefinedFraction > 0) {
    const at = d.example ? `, e.g. at (${d.example.map((v) => fmt(v)).join(', ')})` : '';
    return `f is undefined (NaN or ±∞) on about ${pct(d.undefinedFraction)} of the searched region${at}: starts that reach such points count as diverged.`;
  }
  if (d.unproven.length > 0) {
    return `f may be undefined at some points (${d.unproven.join(', ')} not proven defined there): starts that reach such points count as diverged.`;
  }
  return null;
}
