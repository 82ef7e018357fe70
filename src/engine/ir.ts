/**
 * The objective as data: Expr ⇄ a flat node list (types.ts IRNode), and the ProblemSpec that
 * carries it to compute workers. Deserialisation validates everything (node kinds, whitelisted
 * functions, finite constants, operand indices pointing backwards, variable indices, sizes), so a
 * worker generates code only from IR it has checked itself — whoever sent it.
 * No parser here: this module is what lets the worker bundle leave mathjs out.
 */
import { ExprBuilder, topologicalOrder } from './expr';
import { EXPRESSION_LIMITS } from './limits';
import { FUNCTIONS, type Box, type Expr, type FunctionName, type IRNode, type ParsedExpression, type ProblemIR, type ProblemSpec } from './types';

const FUNCTION_SET: ReadonlySet<string> = new Set(FUNCTIONS);
const BINARY: ReadonlySet<string> = new Set(['add', 'sub', 'mul', 'div', 'pow']);

/** Expr → nodes in topological order, root last. */
export function serializeExpr(root: Expr): IRNode[] {
  const order = topologicalOrder([root]);
  const index = new Map<Expr, number>(order.map((e, k) => [e, k]));
  return order.map((e): IRNode => {
    switch (e.k) {
      case 'num': return ['num', e.v];
      case 'var': return ['var', e.i];
      case 'neg': return ['neg', index.get(e.a) as number];
      case 'call': return ['call', e.fn, index.get(e.a) as number];
      default: return [e.k, index.get(e.a) as number, index.get(e.b) as number];
    }
  });
}

/** Thrown for IR data that is not a valid objective (names the node). */
export class InvalidIRError extends Error {
  constructor(message: string) {
    super(`invalid problem data: ${message}`);
    this.name = 'InvalidIRError';
  }
}

/** Nodes → Expr (interned in `builder`), checking every node; variables must be < variableCount. */
export function deserializeExpr(nodes: unknown, variableCount: number, builder = new ExprBuilder()): Expr {
  if (!Array.isArray(nodes) || nodes.length === 0) throw new InvalidIRError('the objective must be a non-empty list of nodes');
  if (nodes.length > EXPRESSION_LIMITS.irNodes) throw new InvalidIRError(`more than ${EXPRESSION_LIMITS.irNodes} nodes`);
  const built: Expr[] = [];
  const operand = (v: unknown, k: number): Expr => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= k) throw new InvalidIRError(`node ${k} refers to ${String(v)}, not an earlier node`);
    return built[v];
  };
  nodes.forEach((node: unknown, k) => {
    if (!Array.isArray(node) || typeof node[0] !== 'string') throw new InvalidIRError(`node ${k} is not [kind, …]`);
    const kind = node[0];
    if (kind === 'num') {
      if (node.length !== 2 || typeof node[1] !== 'number' || !Number.isFinite(node[1])) throw new InvalidIRError(`node ${k}: a constant must be one finite number`);
      built.push(builder.num(node[1]));
    } else if (kind === 'var') {
      const i = node[1];
      if (node.length !== 2 || typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= variableCount) throw new InvalidIRError(`node ${k}: variable ${String(i)} of ${variableCount}`);
      built.push(builder.variable(i));
    } else if (kind === 'neg') {
      if (node.length !== 2) throw new InvalidIRError(`node ${k}: neg takes one operand`);
      built.push(builder.neg(operand(node[1], k)));
    } else if (kind === 'call') {
      if (node.length !== 3 || typeof node[1] !== 'string' || !FUNCTION_SET.has(node[1])) throw new InvalidIRError(`node ${k}: '${String(node[1]).slice(0, 20)}' is not a whitelisted function`);
      built.push(builder.call(node[1] as FunctionName, operand(node[2], k)));
    } else if (BINARY.has(kind)) {
      if (node.length !== 3) throw new InvalidIRError(`node ${k}: ${kind} takes two operands`);
      built.push(builder.binary(kind as 'add', operand(node[1], k), operand(node[2], k)));
    } else {
      throw new InvalidIRError(`node ${k}: unknown kind '${kind.slice(0, 20)}'`);
    }
  });
  return built[built.length - 1];
}

/** The data of a parsed objective. */
export function problemIR(parsed: ParsedExpression): ProblemIR {
  return { variables: [...parsed.variables], normalized: parsed.normalized, nodes: serializeExpr(parsed.expr) };
}

/** A ProblemSpec carrying its parsed objective (what the worker pool requires). */
export function problemSpec(parsed: ParsedExpression, domain?: Box): ProblemSpec {
  const spec: ProblemSpec = { expression: parsed.source, variables: [...parsed.variables], ir: problemIR(parsed) };
  if (domain) spec.domain = domain.map((r): [number, number] => [r[0], r[1]]);
  return spec;
}

/** The parsed objective from a spec's IR, validated (no parser involved). */
export function parsedFromIR(spec: ProblemSpec): ParsedExpression {
  const ir = spec.ir;
  if (!ir || typeof ir !== 'object') throw new InvalidIRError('the problem has no parsed objective (ir)');
  const { variables } = ir;
  if (!Array.isArray(variables) || variables.length === 0 || !variables.every((v) => typeof v === 'string')) throw new InvalidIRError('ir.variables must be a non-empty list of names');
  if (variables.length > EXPRESSION_LIMITS.variables) throw new InvalidIRError(`more than ${EXPRESSION_LIMITS.variables} variables`);
  if (new Set(variables).size !== variables.length) throw new InvalidIRError('ir.variables has a duplicate name');
  if (spec.variables && (spec.variables.length !== variables.length || spec.variables.some((v, i) => v !== variables[i]))) {
    throw new InvalidIRError('spec.variables and ir.variables differ');
  }
  const expr = deserializeExpr(ir.nodes, variables.length);
  const normalized = typeof ir.normalized === 'string' ? ir.normalized : String(spec.expression);
  return { source: String(spec.expression), normalized, variables: [...variables], expr };
}
