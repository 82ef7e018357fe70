/**
 * Pure helpers of the panel host (no vscode): which slice of the problem a map shows, and the
 * AnalysisView sent to the webview. Kept free of vscode so they are unit-tested in plain Node.
 */
import type { AnalysisSession } from '../../shared/session';
import type { AnalysisView } from '../../shared/protocol';
import type { Box, CriticalPoint, ParsedExpression, ProblemIR, SliceSpec } from '../../engine/types';
import type { Definedness } from '../../engine/definedness';
import type { OptimizerSpec } from '../../engine/optimizers/spec';
import { panelEtaMax } from '../../shared/optimizerMessages';

/** Largest map side the panel asks for (a 1024² map is ~1 M starts). */
export const MAX_PANEL_GRID = 1024;

/** The analysed problem as the pool returns it (structural subset of AnalysisResult). */
export interface AnalysisLike {
  variables: string[];
  normalized: string;
  domain: Box;
  criticalPoints: CriticalPoint[];
  minima: CriticalPoint[];
  /** where f is undefined on the searched boxes (AnalysisResult.definedness) */
  definedness?: Definedness;
}

/** Axis indices of the session's map axes (by name; default the first two variables). */
export function resolveAxes(variables: readonly string[], axes?: readonly [string, string]): [number, number] {
  if (variables.length === 0) throw new Error('the objective has no variables to draw a map over');
  if (!axes) return variables.length >= 2 ? [0, 1] : [0, 0];
  const idx = axes.map((name) => {
    const i = variables.indexOf(name);
    if (i < 0) throw new Error(`map axis "${name}" is not a variable of the objective (variables: ${variables.join(', ')})`);
    return i;
  });
  if (idx[0] === idx[1] && variables.length > 1) throw new Error(`the two map axes must differ (both are "${axes[0]}")`);
  return [idx[0], idx[1]];
}

/**
 * Full-length base point: session.fixed values, else the first minimum's coordinates, else the
 * domain centre. Unknown names in `fixed` are an error naming them.
 */
export function resolveBase(analysis: AnalysisLike, fixed?: Record<string, number>): number[] {
  const base = analysis.minima.length > 0
    ? analysis.minima[0].point.slice()
    : analysis.domain.map(([lo, hi]) => (lo + hi) / 2);
  if (fixed) {
    for (const [name, value] of Object.entries(fixed)) {
      const i = analysis.variables.indexOf(name);
      if (i < 0) throw new Error(`fixed value for "${name}": not a variable of the objective (variables: ${analysis.variables.join(', ')})`);
      if (!Number.isFinite(value)) throw new Error(`fixed value for "${name}" is not a finite number`);
      base[i] = value;
    }
  }
  return base;
}

/**
 * Smallest η_max over the minima under `optimizer` (default GD: 2/λ_max; heavy-ball 2(1+β)/λ_max,
 * …): the threshold the slider is marked at; null without minima, and for Adam / RMSProp.
 */
export function smallestEtaMax(minima: readonly { lambdaMax: number }[], optimizer?: OptimizerSpec): number | null {
  return panelEtaMax(minima, optimizer);
}

export function analysisView(analysis: AnalysisLike, session: AnalysisSession): AnalysisView {
  return {
    variables: analysis.variables.slice(),
    normalized: analysis.normalized,
    domain: analysis.domain,
    axes: resolveAxes(analysis.variables, session.axes),
    base: resolveBase(analysis, session.fixed),
    criticalPoints: analysis.criticalPoints,
    minima: analysis.minima,
    etaMax: smallestEtaMax(analysis.minima, session.optimizer),
    ...(analysis.definedness ? { definedness: analysis.definedness } : {}),
  };
}

/** What sessionWithIR needs of the text bundle (src/config/index.ts: `expression` and `ir`). */
export interface IRBuilder {
  expression: { parseExpression(source: string, options: { variables?: readonly string[] }): ParsedExpression };
  ir: { problemIR(parsed: ParsedExpression): ProblemIR };
}

/**
 * The session with its problem's parsed objective (ProblemSpec.ir) attached, which the compute
 * pool requires. A session restored from state saved before sessions carried the IR (or any
 * session without it) is parsed again from its expression; a session that has it is returned as
 * it is. Throws the parser's ExpressionError (naming the position) if the expression is bad.
 */
export function sessionWithIR(session: AnalysisSession, text: IRBuilder): AnalysisSession {
  const problem = session.problem;
  if (problem.ir) return session;
  const parsed = text.expression.parseExpression(problem.expression, problem.variables ? { variables: problem.variables } : {});
  return { ...session, problem: { ...problem, variables: [...parsed.variables], ir: text.ir.problemIR(parsed) } };
}

/** The slice for a map window: a square grid of `grid` pixels per side (clamped to 2..MAX_PANEL_GRID). */
export function sliceFor(view: AnalysisView, xRange: [number, number], yRange: [number, number], grid: number): SliceSpec {
  if (!(xRange[0] < xRange[1]) || !(yRange[0] < yRange[1])) {
    throw new Error(`empty map window x ∈ [${xRange.join(', ')}], y ∈ [${yRange.join(', ')}]`);
  }
  const side = Math.max(2, Math.min(MAX_PANEL_GRID, Math.round(grid)));
  return { axes: view.axes, base: view.base.slice(), xRange, yRange, width: side, height: side };
}

/**
 * Learning rates of an LR sweep: `count` values evenly spaced from 0.05·η_max to 0.99·η_max
 * (the same range as the engine's defaultSweepEtas).
 */
export function sweepEtas(etaMax: number, count = 20, from = 0.05, to = 0.99): number[] {
  if (!(etaMax > 0) || !Number.isFinite(etaMax)) throw new Error(`η_max must be a positive number, got ${etaMax}`);
  if (count < 2) return [to * etaMax];
  return Array.from({ length: count }, (_, i) => (from + ((to - from) * i) / (count - 1)) * etaMax);
}
