/**
 * The bounds on an objective, in one place: the parser (expression.ts) enforces them on text,
 * the worker (ir.ts) on data it receives, the compiler (compile.ts) on derivative size. Config,
 * CLI, selection and panel all go through these, so the limits are the same on every path.
 */
export const EXPRESSION_LIMITS = Object.freeze({
  /** characters of the expression */
  length: 20_000,
  /** distinct variables (inferred or listed) */
  variables: 200,
  /** brackets, function calls, chained ^ and unary signs nested in one another */
  nesting: 100,
  /** IR nodes of a parsed objective received as data (text of `length` characters has fewer) */
  irNodes: 40_000,
});
