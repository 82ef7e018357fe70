/**
 * Text → analysed problem: parses the objective (expression.ts, mathjs' parser) unless the spec
 * already carries it as data, then compiles and searches it (problem.ts). Workers use problem.ts
 * directly and never load the parser.
 */
import { compileObjective } from './compile';
import { parseExpression } from './expression';
import { parsedFromIR, problemIR } from './ir';
import { analyzeParsed, type AnalyzedProblem } from './problem';
import type { CompiledObjective, ParsedExpression, ProblemSpec } from './types';
import type { CriticalSearchOptions } from './critical';

export { analyzeParsed, analyzeProblemData, DEFAULT_RANGE, resolveDomain, type AnalyzedProblem } from './problem';
export { boxInside, sliceWindow, windowSpec } from './window';

/** The parsed objective of a spec: from its IR when present, else parsed from its text. */
export function parseSpec(spec: ProblemSpec): ParsedExpression {
  if (spec.ir) return parsedFromIR(spec);
  return parseExpression(spec.expression, spec.variables ? { variables: spec.variables } : {});
}

/** The spec with its parsed objective attached (ProblemSpec.ir), ready for the worker pool. */
export function withIR(spec: ProblemSpec, parsed: ParsedExpression = parseSpec(spec)): ProblemSpec {
  if (spec.ir) return spec;
  return { ...spec, variables: [...parsed.variables], ir: problemIR(parsed) };
}

/**
 * Parses, compiles and searches a problem. Throws ExpressionError (with a source range) for a
 * bad expression and Error (naming the variable) for a bad domain. Deterministic for a seed.
 * The returned problem's `spec` carries the parsed objective (ir) and the critical points found,
 * so it can go to the pool: the workers neither parse nor search again.
 */
export function analyzeProblem(spec: ProblemSpec, options: CriticalSearchOptions = {}): AnalyzedProblem {
  const parsed = parseSpec(spec);
  const problem = analyzeParsed(withIR(spec, parsed), parsed, options);
  return { ...problem, spec: { ...problem.spec, criticalPoints: problem.criticalPoints } };
}

/** Parse + compile in one call. */
export function compileProblemText(text: string, variables?: string[]): CompiledObjective {
  return compileObjective(parseExpression(text, variables ? { variables } : {}));
}
