/**
 * Text → validated expression. mathjs parses (mathjs.ts); this module accepts only a whitelist of
 * node types, operators and functions, and converts the tree to the engine's Expr IR. Every
 * rejection is an ExpressionError naming the problem and its character range in the text the
 * user wrote.
 *
 * Accepted: numbers, variables (any identifier that is not a function name: x, y, w1, theta_2),
 * the constants pi and e, + − * / ^ (and Python's **), unary minus/plus, implicit multiplication
 * (2x), the functions of FUNCTIONS (types.ts) plus pow(a, b), ln(a) and log(a, base), and the
 * prefixes people paste from code: np., numpy., math., torch., jnp.
 *
 * Limits (the same on every path — config, CLI, selection, panel — since all of them call
 * parseExpression): {@link EXPRESSION_LIMITS}. Work is linear in the text: the nesting scan runs
 * before mathjs' (recursive) parser, and the conversion to IR is iterative.
 *
 * Constants: a part of the expression without variables that evaluates to NaN or ±Infinity
 * (1e308*10, 0/0, log(0), 10^400 as an exponent) is refused with its position — it would make
 * the objective NaN or infinite everywhere, or hide behind 0·(…). Nothing that depends on a
 * variable is folded away (0*log(x) stays NaN where log(x) is NaN; see ExprBuilder).
 */
import type { MathNode } from 'mathjs';
import { parseWithLeaves, type ParsedLeaf } from './mathjs';
import { naturalCompare } from './naturalOrder';
import { checkNesting, Locator, leafPositions, normalize, toOriginal } from './sourceText';
import { ExprBuilder, FUNCTION_IMPL } from './expr';
import { EXPRESSION_LIMITS } from './limits';
import { ExpressionError, FUNCTIONS, type Expr, type FunctionName, type ParsedExpression, type SourceRange } from './types';

export { EXPRESSION_LIMITS };
/** Longest accepted input, a guard against pathological text. */
export const MAX_EXPRESSION_LENGTH = EXPRESSION_LIMITS.length;
export { naturalCompare };

const FUNCTION_SET: ReadonlySet<string> = new Set(FUNCTIONS);
const CONSTANTS: ReadonlyMap<string, number> = new Map([['pi', Math.PI], ['PI', Math.PI], ['e', Math.E], ['E', Math.E]]);
/** Names that mathjs gives a meaning we do not support (imaginary unit, literals). */
const RESERVED: ReadonlySet<string> = new Set(['i', 'Infinity', 'NaN', 'null', 'undefined', 'true', 'false']);
const NON_SMOOTH: ReadonlySet<string> = new Set(['abs', 'sign', 'max', 'min', 'floor', 'ceil', 'round', 'relu', 'maximum', 'minimum', 'clip', 'fix']);
const ALIASES: ReadonlyMap<string, FunctionName> = new Map<string, FunctionName>([
  ['ln', 'log'], ['arcsin', 'asin'], ['arccos', 'acos'], ['arctan', 'atan'], ['arcsinh', 'asinh'], ['arccosh', 'acosh'], ['arctanh', 'atanh'],
]);
const OPERATORS: ReadonlyMap<string, 'add' | 'sub' | 'mul' | 'div' | 'pow'> = new Map([
  ['add', 'add'], ['subtract', 'sub'], ['multiply', 'mul'], ['divide', 'div'], ['pow', 'pow'],
] as const);
const VARIABLE_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

function fail(message: string, range: SourceRange): never {
  throw new ExpressionError(message, range);
}

interface Converter {
  builder: ExprBuilder;
  /** variable index of a symbol name, or undefined if it is not a variable */
  variable(name: string): number | undefined;
  at: Locator;
}

/** Value of a constant IR node (no variables), or undefined. */
function constantValue(e: Expr, memo: Map<Expr, number | undefined>): number | undefined {
  if (e.k === 'num') return e.v;
  if (e.k === 'var') return undefined;
  if (memo.has(e)) return memo.get(e);
  let v: number | undefined;
  if (e.k === 'neg' || e.k === 'call') {
    const a = constantValue(e.a, memo);
    v = a === undefined ? undefined : e.k === 'neg' ? -a : FUNCTION_IMPL[e.fn](a);
  } else {
    const a = constantValue(e.a, memo);
    const b = a === undefined ? undefined : constantValue(e.b, memo);
    if (a === undefined || b === undefined) v = undefined;
    else if (e.k === 'add') v = a + b;
    else if (e.k === 'sub') v = a - b;
    else if (e.k === 'mul') v = a * b;
    else if (e.k === 'div') v = a / b;
    else v = Math.pow(a, b);
  }
  memo.set(e, v);
  return v;
}

type Frame = { node: MathNode; kids: MathNode[]; done: Expr[]; exponent: boolean };

/** Checks a node before its children are converted; returns its IR if it is a leaf. */
function enter(node: MathNode, cv: Converter): Expr | MathNode[] {
  const b = cv.builder;
  const at = cv.at;
  switch (node.type) {
    case 'ParenthesisNode':
      return [(node as unknown as { content: MathNode }).content];
    case 'ConstantNode': {
      const value = (node as unknown as { value: unknown }).value;
      if (typeof value === 'number' && Number.isFinite(value)) return b.num(value);
      if (typeof value === 'string') fail(`strings are not allowed in an objective: ${JSON.stringify(value).slice(0, 40)}`, at.token('"'));
      const written = at.text(node) ?? String(value);
      if (typeof value === 'number' && /^[0-9.]/.test(written)) {
        fail(`the number ${written} is outside the range of double-precision numbers (it would be ${String(value)})`, at.node(node, written));
      }
      fail(`only finite numbers are allowed, not '${String(value)}'`, at.node(node, String(value)));
      break;
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      const constant = CONSTANTS.get(name);
      if (constant !== undefined) return b.num(constant);
      const index = VARIABLE_NAME.test(name) ? cv.variable(name) : undefined;
      if (index !== undefined) return b.variable(index);
      const where = at.node(node, name);
      if (FUNCTION_SET.has(name) || ALIASES.has(name) || name === 'pow') fail(`function '${name}' is used without arguments: write ${name}(…)`, where);
      if (RESERVED.has(name)) fail(`'${name}' is not a real variable or number here`, where);
      if (!VARIABLE_NAME.test(name)) fail(`'${name}' is not a valid variable name (letters, digits and _, starting with a letter or _)`, where);
      return fail(`unknown variable '${name}'`, where);
    }
    case 'OperatorNode': {
      const op = node as unknown as { fn: string; op: string; args: MathNode[] };
      if ((op.fn === 'unaryMinus' || op.fn === 'unaryPlus') && op.args.length === 1) return [op.args[0]];
      if (!OPERATORS.has(op.fn) || op.args.length < 2) fail(`operator '${op.op}' is not allowed in an objective (use + - * / ^)`, at.operator(node, op.args, op.op));
      return op.args.slice();
    }
    case 'FunctionNode': {
      const fnNode = node as unknown as { fn: MathNode; args: MathNode[] };
      if (fnNode.fn.type !== 'SymbolNode') fail('only calls of named functions are allowed', at.token('('));
      const raw = (fnNode.fn as unknown as { name: string }).name;
      const args = fnNode.args;
      const where = (): SourceRange => at.node(fnNode.fn, raw);
      if (raw === 'pow') {
        if (args.length !== 2) fail(`pow takes 2 arguments, got ${args.length}`, where());
        return args.slice();
      }
      if (raw === 'log' && args.length === 2) return args.slice();
      if (NON_SMOOTH.has(raw)) {
        fail(`'${raw}' is not twice differentiable; GD Stability Lab needs a C² objective (e.g. sqrt(x^2 + 1e-6) instead of abs(x))`, where());
      }
      const name = ALIASES.get(raw) ?? raw;
      if (!FUNCTION_SET.has(name)) fail(`unknown function '${raw}' (known: ${[...FUNCTIONS, 'pow'].join(', ')})`, where());
      if (args.length !== 1) fail(`${raw} takes 1 argument, got ${args.length}`, where());
      return args.slice();
    }
    case 'AssignmentNode':
      return fail('assignments are not allowed: give just the expression, e.g. x^2 + y^2', at.token('='));
    case 'FunctionAssignmentNode':
      return fail('function definitions are not allowed: give just the expression, e.g. x^2 + y^2', at.token('='));
    case 'AccessorNode':
      return fail(`property access is not allowed: '${(at.text(node) ?? '').slice(0, 40)}'`, at.token('.'));
    case 'IndexNode':
      return fail('indexing is not allowed', at.token('['));
    case 'ArrayNode':
      return fail('matrices and arrays are not allowed: the objective must be a scalar', at.token('['));
    case 'ObjectNode':
      return fail('objects are not allowed: the objective must be a scalar', at.token('{'));
    case 'ConditionalNode':
      return fail("conditionals '? :' are not allowed (the objective must be smooth)", at.token('?'));
    case 'RangeNode':
      return fail("ranges ':' are not allowed", at.token(':'));
    case 'RelationalNode':
      return fail('comparisons are not allowed in an objective', at.token(/[<>=!]/.exec(at.source)?.[0] ?? '<'));
    case 'BlockNode':
      return fail('give a single expression (no ; or line breaks between expressions)', at.token(/[;\n]/.exec(at.source)?.[0] ?? ';'));
    default:
      return fail(`'${node.type}' is not allowed in an objective`, { start: 0, end: Math.max(1, at.source.length) });
  }
}

/** Builds a node's IR from its converted children. */
function build(node: MathNode, kids: readonly Expr[], b: ExprBuilder): Expr {
  switch (node.type) {
    case 'ParenthesisNode':
      return kids[0];
    case 'OperatorNode': {
      const op = node as unknown as { fn: string };
      if (op.fn === 'unaryMinus') return b.neg(kids[0]);
      if (op.fn === 'unaryPlus') return kids[0];
      const kind = OPERATORS.get(op.fn) as 'add' | 'sub' | 'mul' | 'div' | 'pow';
      // mathjs folds a*b*c (implicit products) into one node with several args: left to right.
      let acc = kids[0];
      for (let k = 1; k < kids.length; k++) acc = b.binary(kind, acc, kids[k]);
      return acc;
    }
    default: {
      const raw = ((node as unknown as { fn: MathNode }).fn as unknown as { name: string }).name;
      if (raw === 'pow') return b.pow(kids[0], kids[1]);
      if (raw === 'log' && kids.length === 2) return b.div(b.call('log', kids[0]), b.call('log', kids[1]));
      return b.call(ALIASES.get(raw) ?? (raw as FunctionName), kids[0]);
    }
  }
}

function describeNonFinite(v: number): string {
  return Number.isNaN(v) ? 'is not a real number (NaN)' : `evaluates to ${v > 0 ? 'Infinity' : '-Infinity'} (beyond the largest double, about 1.8e308)`;
}

/** Converts a validated mathjs tree to IR without recursion, rejecting everything off the whitelist. */
function convert(root: MathNode, cv: Converter): Expr {
  const constants = new Map<Expr, number | undefined>();
  const stack: Frame[] = [];
  let result: Expr | null = null;
  const finish = (node: MathNode, e: Expr, exponent: boolean): void => {
    const v = constantValue(e, constants);
    if (v !== undefined && !Number.isFinite(v)) {
      const text = cv.at.text(node) ?? 'a constant';
      const what = exponent ? `the exponent '${text}' overflows: it` : `'${text}'`;
      fail(`${what} ${describeNonFinite(v)}; a constant part of the objective must be a finite number`, cv.at.node(node, text));
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.done.push(e);
    else result = e;
  };
  const open = (node: MathNode, exponent: boolean): void => {
    const r = enter(node, cv);
    if (Array.isArray(r)) stack.push({ node, kids: r, done: [], exponent });
    else finish(node, r, exponent);
  };
  const isPow = (n: MathNode): boolean =>
    (n.type === 'OperatorNode' && (n as unknown as { fn: string }).fn === 'pow') ||
    (n.type === 'FunctionNode' && ((n as unknown as { fn: { name?: string } }).fn.name === 'pow'));
  open(root, false);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.done.length < top.kids.length) {
      const k = top.done.length;
      // an exponent stays an exponent inside parentheses: x^(10^400)
      open(top.kids[k], (k === 1 && isPow(top.node)) || (top.node.type === 'ParenthesisNode' && top.exponent));
      continue;
    }
    stack.pop();
    finish(top.node, build(top.node, top.done, cv.builder), top.exponent);
  }
  return result as unknown as Expr;
}

/**
 * Names that can be variables, from the parser's symbol leaves: not constants, not function
 * names (a call of an unknown function is refused by the conversion anyway).
 */
function collectSymbols(leaves: readonly ParsedLeaf[]): Set<string> {
  const out = new Set<string>();
  for (const { node } of leaves) {
    if (node.type !== 'SymbolNode') continue;
    const name = (node as unknown as { name: string }).name;
    if (!CONSTANTS.has(name) && !FUNCTION_SET.has(name) && !ALIASES.has(name) && !RESERVED.has(name) && !NON_SMOOTH.has(name) && name !== 'pow') out.add(name);
  }
  return out;
}

/** Checks an explicit variable list: names, duplicates, count. */
function checkVariableList(variables: readonly string[], whole: SourceRange): void {
  if (variables.length > EXPRESSION_LIMITS.variables) {
    fail(`too many variables: ${variables.length} are listed, at most ${EXPRESSION_LIMITS.variables} are supported`, whole);
  }
  const seen = new Set<string>();
  for (const v of variables) {
    if (typeof v !== 'string' || !VARIABLE_NAME.test(v)) fail(`the variable list has '${String(v).slice(0, 40)}', which is not a valid variable name (letters, digits and _, starting with a letter or _)`, whole);
    if (FUNCTION_SET.has(v) || ALIASES.has(v) || v === 'pow' || NON_SMOOTH.has(v)) fail(`the variable list has '${v}', which is a function name`, whole);
    if (CONSTANTS.has(v) || RESERVED.has(v)) fail(`the variable list has '${v}', which is a constant or reserved name`, whole);
    if (seen.has(v)) fail(`variable '${v}' is listed twice`, { start: 0, end: 1 });
    seen.add(v);
  }
}

/**
 * Parses and validates an objective. `options.variables` fixes the variable order (every symbol
 * must be among them); otherwise variables are inferred in natural order.
 */
export function parseExpression(source: string, options: { variables?: readonly string[] } = {}): ParsedExpression {
  if (typeof source !== 'string') throw new ExpressionError('the expression must be text', { start: 0, end: 1 });
  if (source.length > EXPRESSION_LIMITS.length) {
    throw new ExpressionError(`the expression is too long (${source.length} characters; at most ${EXPRESSION_LIMITS.length})`, { start: EXPRESSION_LIMITS.length, end: source.length });
  }
  if (source.trim() === '') throw new ExpressionError('the expression is empty', { start: 0, end: Math.max(1, source.length) });
  const whole = { start: 0, end: Math.max(1, source.length) };
  if (options.variables) checkVariableList(options.variables, whole);
  const norm = normalize(source);
  checkNesting(norm);
  let parsed: ReturnType<typeof parseWithLeaves>;
  try {
    parsed = parseWithLeaves(norm.text);
  } catch (err) {
    if (err instanceof RangeError) {
      throw new ExpressionError(`the expression is nested too deeply to parse (at most ${EXPRESSION_LIMITS.nesting} levels)`, whole);
    }
    const message = err instanceof Error ? err.message : String(err);
    const charMatch = /\(char (\d+)\)/.exec(message);
    const at = charMatch ? Math.max(0, Number(charMatch[1]) - 1) : 0;
    const clean = message.replace(/\s*\(char \d+\)/, '');
    const range = toOriginal(norm, at, at + 1);
    const atEnd = range.start >= source.length;
    const shown = atEnd ? 'end of expression' : `'${source.slice(range.start, range.end)}'`;
    // at the end of the text, the range underlines its last character (it stays inside the text)
    const inside = atEnd ? { start: source.length - 1, end: source.length } : range;
    throw new ExpressionError(`${clean.charAt(0).toLowerCase()}${clean.slice(1)} at character ${range.start + 1} (${shown})`, inside);
  }
  const { tree, leaves } = parsed;
  const locator = new Locator(norm, leafPositions(norm, leaves), source);
  let variables: string[];
  if (options.variables) {
    variables = [...options.variables];
  } else {
    variables = [...collectSymbols(leaves)].sort(naturalCompare);
    if (variables.length > EXPRESSION_LIMITS.variables) {
      // point at the first use of the first variable beyond the limit, in reading order
      const seen = new Set<string>();
      let where = whole;
      for (const leaf of leaves) {
        const name = leaf.node.type === 'SymbolNode' ? (leaf.node as unknown as { name: string }).name : null;
        if (name === null || !variables.includes(name) || seen.has(name)) continue;
        seen.add(name);
        if (seen.size > EXPRESSION_LIMITS.variables) {
          where = locator.node(leaf.node, name);
          break;
        }
      }
      fail(`too many variables: the objective has ${variables.length}, at most ${EXPRESSION_LIMITS.variables} are supported`, where);
    }
  }
  const index = new Map(variables.map((v, k) => [v, k]));
  const expr = convert(tree, { builder: new ExprBuilder(), variable: (name) => index.get(name), at: locator });
  if (variables.length === 0) {
    throw new ExpressionError('the expression has no variables: an objective needs at least one (e.g. x)', whole);
  }
  return { source, normalized: norm.text.trim(), variables, expr };
}
