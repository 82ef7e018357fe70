/**
 * The notes `gdlab analyze | basin | trajectory | sweep` print about what the analysis could not
 * see or did not decide: minima outside the window, regions where f is undefined, a search that
 * mostly failed (window too wide), starts still descending at the step limit. Each note names
 * the fix, as an option that works for the command.
 */
import type { AnalyzedProblem } from '../engine/analyze';
import { missedBasinShare } from '../engine/criticalSeeds';
import type { BasinStats } from '../engine/types';

/** 6 significant digits, no trailing zeros. */
function num(v: number): string {
  return String(Number(v.toPrecision(6)));
}

export function pointText(p: readonly number[]): string {
  return `(${p.map((v) => num(v)).join(', ')})`;
}

function pct(v: number): string {
  return `${(100 * v).toFixed(v > 0 && v < 0.001 ? 2 : 1)}%`;
}

/** Share of the search's starts that ended nowhere verifiable above which the search is called unreliable. */
export const SEARCH_FAILURE_SHARE = 0.25;

/**
 * What the critical-point search covered, one line: starts run and the basin share a critical
 * point needs to be found with 95% probability (criticalSeeds.ts, missedBasinShare), or null when the
 * critical points came with the problem (no search).
 */
export function searchLine(problem: AnalyzedProblem): string | null {
  const s = problem.search;
  if (s.starts === 0) return null;
  const boxes = problem.searched.length;
  const n = problem.parsed.variables.length;
  const share = missedBasinShare(Math.floor(s.starts / boxes));
  return (
    `search: ${s.starts} starts${boxes > 1 ? ` over ${boxes} boxes` : ''} (${n} variable${n === 1 ? '' : 's'}); a critical point whose basin under the search ` +
    `covers less than ${pct(share)} of ${boxes > 1 ? 'a box' : 'the domain'} may have been missed (--starts N searches more)`
  );
}

/** Notes on the analysis (outside minima, undefined regions, an unreliable search), one line each. */
export function analysisNotes(problem: AnalyzedProblem): string[] {
  const notes: string[] = [];
  const where = problem.searched.length > 1 ? 'the domain and the map window' : 'the domain';
  problem.minima.forEach((m, j) => {
    if (m.outside) notes.push(`note: minimum #${j} at ${pointText(m.point)} lies outside ${where}: descent from starts inside leads there (η_max = ${m.etaMax === null ? '—' : num(m.etaMax)})`);
  });
  const d = problem.definedness;
  const bad = Math.round(d.undefinedFraction * d.samples);
  if (bad > 0) {
    notes.push(
      `note: f is undefined (NaN or ±∞) on about ${pct(d.undefinedFraction)} of ${where} (${bad} of ${d.samples} sample points${d.example ? `, e.g. at ${pointText(d.example)}` : ''}); starts that reach such points count as diverged`,
    );
  } else if (d.unproven.length > 0) {
    notes.push(
      `note: f may be undefined or infinite at points of ${where} the samples missed (${d.unproven.join(', ')}: interval arithmetic could not prove ${d.unproven.length === 1 ? 'it' : 'them'} defined there); starts that reach such points count as diverged`,
    );
  }
  const s = problem.search;
  const failed = s.abandoned + s.unverified;
  if (s.starts > 0 && failed / s.starts > SEARCH_FAILURE_SHARE) {
    notes.push(
      `note: ${failed} of ${s.starts} starts of the critical-point search found no critical point (${s.abandoned} ran into non-finite values or far outside, ${s.unverified} stopped at a residual round-off cannot explain): ` +
        'if you expect critical points here, the domain may be too wide for the search or f flat or undefined on much of it; narrow --domain around them or raise --starts',
    );
  }
  return notes;
}

/**
 * "62.3% of starts still descending after 2000 steps: …" when at least 5% of the map is still
 * descending; `fix` is how to raise the step limit where the result came from.
 */
export function stillDescendingNote(stats: BasinStats, maxSteps: number, fix: (suggested: number) => string): string | null {
  const share = stats.descending;
  if (!(share >= 0.05)) return null;
  const largest = share >= Math.max(stats.stable, stats.unstable, stats.diverged, stats.notConverged, stats.other, stats.cycle, stats.aperiodic);
  const suggested = Math.min(1_000_000, Math.max(maxSteps * 10, 1000));
  return `note: ${pct(share)} of starts ${largest ? '(the largest class) ' : ''}are still descending after ${maxSteps} steps: ${fix(suggested)} to decide them`;
}
