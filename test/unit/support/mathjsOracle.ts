/**
 * A full mathjs instance as an independent oracle for the engine's own differentiation:
 * `mathjs.derivative` (its rules, its tree) and `mathjs.evaluate`. Also the derivative path the
 * engine used before it differentiated its own IR (IR → text → mathjs.derivative → IR through one
 * ExprBuilder), to check that small problems still get exactly the same derivative IR.
 */
import { create, all, type MathNode } from 'mathjs';
import { ExprBuilder, toMathText } from '../../../src/engine/expr';
import { FUNCTIONS, type Expr, type FunctionName } from '../../../src/engine/types';

export const math = create(all, {});

const FUNCTION_SET: ReadonlySet<string> = new Set(FUNCTIONS);

/** mathjs' derivative of `text` with respect to `variable`, as an evaluator over a scope. */
export function mathjsDerivative(text: string, variable: string): (scope: Record<string, number>) => number {
  const d = math.derivative(math.parse(text), variable, { simplify: false });
  const code = d.compile();
  return (scope) => code.evaluate(scope) as number;
}

/** mathjs' value of `text`. */
export function mathjsEvaluate(text: string): (scope: Record<string, number>) => number {
  const code = math.parse(text).compile();
  return (scope) => code.evaluate(scope) as number;
}

const OPS: Record<string, 'add' | 'sub' | 'mul' | 'div' | 'pow'> = { add: 'add', subtract: 'sub', multiply: 'mul', divide: 'div', pow: 'pow' };

/** A mathjs tree produced from our own printed IR (variables v0, v1, …) → IR in `b`. */
function toIR(node: MathNode, b: ExprBuilder): Expr {
  switch (node.type) {
    case 'ParenthesisNode':
      return toIR((node as unknown as { content: MathNode }).content, b);
    case 'ConstantNode':
      return b.num((node as unknown as { value: number }).value);
    case 'SymbolNode': {
      const m = /^v(\d+)$/.exec((node as unknown as { name: string }).name);
      if (!m) throw new Error(`oracle: unexpected symbol ${node.toString()}`);
      return b.variable(Number(m[1]));
    }
    case 'OperatorNode': {
      const op = node as unknown as { fn: string; args: MathNode[] };
      if (op.fn === 'unaryMinus') return b.neg(toIR(op.args[0], b));
      const kind = OPS[op.fn];
      if (!kind) throw new Error(`oracle: unexpected operator ${op.fn}`);
      let acc = toIR(op.args[0], b);
      for (let k = 1; k < op.args.length; k++) acc = b.binary(kind, acc, toIR(op.args[k], b));
      return acc;
    }
    case 'FunctionNode': {
      const fn = node as unknown as { fn: { name: string }; args: MathNode[] };
      if (!FUNCTION_SET.has(fn.fn.name)) throw new Error(`oracle: unexpected function ${fn.fn.name}`);
      return b.call(fn.fn.name as FunctionName, toIR(fn.args[0], b));
    }
    default:
      throw new Error(`oracle: unexpected node ${node.type}`);
  }
}

/**
 * ∂e/∂x_i the way the engine took it before: print the IR, let mathjs differentiate the text
 * (no simplification), convert back into the same builder.
 */
export function mathjsPartialIR(b: ExprBuilder, e: Expr, i: number): Expr {
  const text = toMathText(e, (k) => `v${k}`);
  return toIR(math.derivative(math.parse(text), `v${i}`, { simplify: false }), b);
}
