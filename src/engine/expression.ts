/**
 * Text → validated expression. mathjs parses; this module accepts only a whitelist of node types,
 * operators and functions, and converts the tree to the engine's Expr IR. Every rejection is an
 * ExpressionError naming the problem and its character range in the text the user wrote.
 *
 * Accepted: numbers, variables (any identifier that is not a function name: x, y, w1, theta_2),
 * the constants pi and e, + − * / ^ (and Python's **), unary minus/plus, implicit multiplication
 * (2x), the functions of FUNCTIONS (types.ts) plus pow(a, b), ln(a) and log(a, base), and the
 * prefixes people paste from code: np., numpy., math., torch., jnp.
 */
import type { MathNode } from 'mathjs';
import { parse } from './mathjs';
import { ExprBuilder } from './expr';
import { ExpressionError, FUNCTIONS, type Expr, type FunctionName, type ParsedExpression, type SourceRange } from './types';

const FUNCTION_SET: ReadonlySet<string> = new Set(FUNCTIONS);
const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, PI: Math.PI, e: Math.E, E: Math.E };
/** Names that mathjs gives a meaning we do not support (imaginary unit, literals). */
const RESERVED = new Set(['i', 'Infinity', 'NaN', 'null', 'undefined', 'true', 'false']);
const NON_SMOOTH = new Set(['abs', 'sign', 'max', 'min', 'floor', 'ceil', 'round', 'relu', 'maximum', 'minimum', 'clip', 'fix']);
const ALIASES: Readonly<Record<string, FunctionName>> = { ln: 'log', arcsin: 'asin', arccos: 'acos', arctan: 'atan', arcsinh: 'asinh', arccosh: 'acosh', arctanh: 'atanh' };
const VARIABLE_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const CODE_PREFIXES = ['numpy.', 'np.', 'math.', 'torch.', 'jnp.'];
/** Longest accepted input, a guard against pathological text. */
export const MAX_EXPRESSION_LENGTH = 10_000;

interface Normalized {
  text: string;
  /** map[i] = index in the original text of normalized character i; map[text.length] = source length */
  map: number[];
}

const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_$]/u.test(c);

/** `**` → `^`, code prefixes dropped; keeps a map back to the original positions. */
function normalize(source: string): Normalized {
  let text = '';
  const map: number[] = [];
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('**', i)) {
      text += '^';
      map.push(i);
      i += 2;
      continue;
    }
    if (!isIdentChar(source[i - 1]) && source[i - 1] !== '.') {
      const prefix = CODE_PREFIXES.find((p) => source.startsWith(p, i) && /[\p{L}_]/u.test(source[i + p.length] ?? ''));
      if (prefix) {
        i += prefix.length;
        continue;
      }
    }
    text += source[i];
    map.push(i);
    i++;
  }
  map.push(source.length);
  return { text, map };
}

function toOriginal(n: Normalized, start: number, end: number): SourceRange {
  const clamp = (k: number) => Math.max(0, Math.min(k, n.map.length - 1));
  const s = n.map[clamp(start)];
  const e = end <= start ? s + 1 : n.map[clamp(end - 1)] + 1;
  return { start: s, end: Math.max(e, s + 1) };
}

/** Finds the first occurrence of a token in the normalized text (as a whole word if it is a name). */
function locate(n: Normalized, token: string, fallback = 0): SourceRange {
  let at = -1;
  if (/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(token)) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}_$.])${token.replace(/\$/g, '\\$')}(?![\\p{L}\\p{N}_$])`, 'u');
    at = n.text.search(re);
  } else {
    at = n.text.indexOf(token);
  }
  if (at < 0) return toOriginal(n, fallback, fallback + 1);
  return toOriginal(n, at, at + token.length);
}

/** Natural order: x < y, w2 < w10, theta_1 < theta_2. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'variant' });
}

interface Converter {
  builder: ExprBuilder;
  /** variable index of a symbol name, or undefined if it is not a variable */
  variable(name: string): number | undefined;
  /** where a token is (for messages) */
  where(token: string): SourceRange;
  /** how the user wrote it (for messages) */
  display: string;
}

const OPERATORS: Readonly<Record<string, 'add' | 'sub' | 'mul' | 'div' | 'pow'>> = {
  add: 'add', subtract: 'sub', multiply: 'mul', divide: 'div', pow: 'pow',
};

function fail(message: string, range: SourceRange): never {
  throw new ExpressionError(message, range);
}

/** Converts a (user or derivative) mathjs tree to IR, rejecting everything off the whitelist. */
function convert(node: MathNode, cv: Converter): Expr {
  const b = cv.builder;
  switch (node.type) {
    case 'ParenthesisNode':
      return convert((node as unknown as { content: MathNode }).content, cv);
    case 'ConstantNode': {
      const value = (node as unknown as { value: unknown }).value;
      if (typeof value === 'number' && Number.isFinite(value)) return b.num(value);
      if (typeof value === 'string') fail(`strings are not allowed in an objective: ${JSON.stringify(value).slice(0, 40)}`, cv.where('"'));
      fail(`only finite numbers are allowed, not '${String(value)}'`, cv.where(String(value)));
      break;
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      if (name in CONSTANTS) return b.num(CONSTANTS[name]);
      if (FUNCTION_SET.has(name) || name in ALIASES || name === 'pow') fail(`function '${name}' is used without arguments: write ${name}(…)`, cv.where(name));
      if (RESERVED.has(name)) fail(`'${name}' is not a real variable or number here`, cv.where(name));
      if (!VARIABLE_NAME.test(name)) fail(`'${name}' is not a valid variable name (letters, digits and _, starting with a letter or _)`, cv.where(name));
      const index = cv.variable(name);
      if (index === undefined) fail(`unknown variable '${name}'`, cv.where(name));
      return b.variable(index);
    }
    case 'OperatorNode': {
      const op = node as unknown as { fn: string; op: string; args: MathNode[]; implicit?: boolean };
      if (op.fn === 'unaryMinus' && op.args.length === 1) return b.neg(convert(op.args[0], cv));
      if (op.fn === 'unaryPlus' && op.args.length === 1) return convert(op.args[0], cv);
      const kind = OPERATORS[op.fn];
      if (!kind || op.args.length < 2) fail(`operator '${op.op}' is not allowed in an objective (use + - * / ^)`, cv.where(op.op));
      // mathjs folds a*b*c into one multiply node with several args.
      let acc = convert(op.args[0], cv);
      for (let k = 1; k < op.args.length; k++) acc = b.binary(kind, acc, convert(op.args[k], cv));
      return acc;
    }
    case 'FunctionNode': {
      const fnNode = node as unknown as { fn: MathNode; args: MathNode[] };
      if (fnNode.fn.type !== 'SymbolNode') fail('only calls of named functions are allowed', cv.where('('));
      const raw = (fnNode.fn as unknown as { name: string }).name;
      const args = fnNode.args;
      if (raw === 'pow') {
        if (args.length !== 2) fail(`pow takes 2 arguments, got ${args.length}`, cv.where(raw));
        return b.pow(convert(args[0], cv), convert(args[1], cv));
      }
      if (raw === 'log' && args.length === 2) {
        return b.div(b.call('log', convert(args[0], cv)), b.call('log', convert(args[1], cv)));
      }
      if (NON_SMOOTH.has(raw)) {
        fail(`'${raw}' is not twice differentiable; GD Stability Lab needs a C² objective (e.g. sqrt(x^2 + 1e-6) instead of abs(x))`, cv.where(raw));
      }
      const name = ALIASES[raw] ?? raw;
      if (!FUNCTION_SET.has(name)) fail(`unknown function '${raw}' (known: ${[...FUNCTIONS, 'pow'].join(', ')})`, cv.where(raw));
      if (args.length !== 1) fail(`${raw} takes 1 argument, got ${args.length}`, cv.where(raw));
      return b.call(name as FunctionName, convert(args[0], cv));
    }
    case 'AssignmentNode':
      fail('assignments are not allowed: give just the expression, e.g. x^2 + y^2', cv.where('='));
      break;
    case 'FunctionAssignmentNode':
      fail('function definitions are not allowed: give just the expression, e.g. x^2 + y^2', cv.where('='));
      break;
    case 'AccessorNode':
      fail(`property access is not allowed: '${node.toString().slice(0, 40)}'`, cv.where('.'));
      break;
    case 'IndexNode':
      fail('indexing is not allowed', cv.where('['));
      break;
    case 'ArrayNode':
      fail('matrices and arrays are not allowed: the objective must be a scalar', cv.where('['));
      break;
    case 'ObjectNode':
      fail('objects are not allowed: the objective must be a scalar', cv.where('{'));
      break;
    case 'ConditionalNode':
      fail("conditionals '? :' are not allowed (the objective must be smooth)", cv.where('?'));
      break;
    case 'RangeNode':
      fail("ranges ':' are not allowed", cv.where(':'));
      break;
    case 'RelationalNode':
      fail('comparisons are not allowed in an objective', cv.where(/[<>=!]/.exec(cv.display)?.[0] ?? '<'));
      break;
    case 'BlockNode':
      fail('give a single expression (no ; or line breaks between expressions)', cv.where(';'));
      break;
    default:
      fail(`'${node.type}' is not allowed in an objective`, { start: 0, end: Math.max(1, cv.display.length) });
  }
}

/** Collects symbol names used as variables (not constants, not function names). */
function collectSymbols(node: MathNode, out: Set<string>): void {
  node.traverse((child, path) => {
    if (child.type === 'SymbolNode' && path !== 'fn') {
      const name = (child as unknown as { name: string }).name;
      if (!(name in CONSTANTS)) out.add(name);
    }
  });
}

/**
 * Parses and validates an objective. `options.variables` fixes the variable order (every symbol
 * must be among them); otherwise variables are inferred in natural order.
 */
export function parseExpression(source: string, options: { variables?: readonly string[] } = {}): ParsedExpression {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`the expression is too long (${source.length} characters; at most ${MAX_EXPRESSION_LENGTH})`, { start: MAX_EXPRESSION_LENGTH, end: source.length });
  }
  if (source.trim() === '') throw new ExpressionError('the expression is empty', { start: 0, end: Math.max(1, source.length) });
  const norm = normalize(source);
  let tree: MathNode;
  try {
    tree = parse(norm.text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const charMatch = /\(char (\d+)\)/.exec(message);
    const at = charMatch ? Math.max(0, Number(charMatch[1]) - 1) : 0;
    const clean = message.replace(/\s*\(char \d+\)/, '');
    const range = toOriginal(norm, at, at + 1);
    const shown = range.start >= source.length ? 'end of expression' : `'${source.slice(range.start, range.end)}'`;
    throw new ExpressionError(`${clean.charAt(0).toLowerCase()}${clean.slice(1)} at character ${range.start + 1} (${shown})`, range);
  }
  const symbols = new Set<string>();
  collectSymbols(tree, symbols);
  const cvBase = { where: (token: string) => locate(norm, token), display: source };
  let variables: string[];
  if (options.variables) {
    variables = [...options.variables];
    const dup = variables.find((v, k) => variables.indexOf(v) !== k);
    if (dup) throw new ExpressionError(`variable '${dup}' is listed twice`, { start: 0, end: 1 });
  } else {
    // Validate first (so "foo(x)" reports the function, not a variable), then infer.
    variables = [...symbols].filter((s) => !FUNCTION_SET.has(s) && !(s in ALIASES) && !RESERVED.has(s)).sort(naturalCompare);
  }
  const index = new Map(variables.map((v, k) => [v, k]));
  const expr = convert(tree, { ...cvBase, builder: new ExprBuilder(), variable: (name) => index.get(name) });
  if (variables.length === 0) {
    throw new ExpressionError('the expression has no variables: an objective needs at least one (e.g. x)', { start: 0, end: Math.max(1, source.length) });
  }
  return { source, normalized: norm.text.trim(), variables, expr };
}

/**
 * Converts a mathjs tree produced by our own code (derivatives, with variables named v0, v1, …)
 * to IR in the given builder. Exported for compile.ts.
 */
export function convertInternal(node: MathNode, builder: ExprBuilder, variableCount: number): Expr {
  return convert(node, {
    builder,
    variable: (name) => {
      const m = /^v(\d+)$/.exec(name);
      const k = m ? Number(m[1]) : -1;
      return k >= 0 && k < variableCount ? k : undefined;
    },
    where: () => ({ start: 0, end: 1 }),
    display: '',
  });
}
