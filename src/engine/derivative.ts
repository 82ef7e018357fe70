/**
 * Symbolic differentiation on the engine's own IR, hash-consed in the caller's ExprBuilder (so
 * f, ∇f and ∇²f share every common subexpression). Three passes, all iterative over a
 * topological order (no recursion proportional to the expression):
 *
 * - forward({ roots, seed }): the directional derivative Σᵢ seedᵢ·∂root/∂xᵢ of each root. With
 *   seed = eⱼ it is ∂/∂xⱼ; with seedᵢ = vᵢ (extra IR variables) it is a Jacobian-vector product,
 *   so forward over the gradient is the Hessian-vector product (forward-over-reverse).
 *   The rules are those of mathjs' `derivative` (same products, same operand order, same folding),
 *   so for every expression mathjs can differentiate, the partial derivatives are the very IR the
 *   engine built from mathjs' output before this module existed — bit for bit in value (a test
 *   checks it structurally). A subexpression that does not depend on the direction has a
 *   structural zero derivative (null), never a 0·(…) node.
 * - reverse(f): the gradient by adjoint accumulation (reverse mode): O(size of f) nodes for any
 *   number of variables, where n forward passes cost O(n · size).
 */
import type { ExprBuilder } from './expr';
import { topologicalOrder } from './expr';
import type { Expr, FunctionName } from './types';

/**
 * f'(a) of each whitelisted function as used by the chain rule: the derivative of fn(a) is
 * op(±a', fd) with op = × or ÷ (`div`), `negative` negating a'. `node` is fn(a) itself.
 * (mathjs' table, with expm1, log1p and log2 written out.)
 */
interface FunctionRule {
  readonly div: boolean;
  readonly negative: boolean;
  fd(b: ExprBuilder, a: Expr, node: Expr): Expr;
}

const sq = (b: ExprBuilder, a: Expr): Expr => b.pow(a, b.num(2));

const RULES: Readonly<Record<FunctionName, FunctionRule>> = Object.freeze(Object.assign(Object.create(null) as Record<FunctionName, FunctionRule>, {
  sin: { div: false, negative: false, fd: (b: ExprBuilder, a: Expr) => b.call('cos', a) },
  cos: { div: false, negative: false, fd: (b: ExprBuilder, a: Expr) => b.neg(b.call('sin', a)) },
  tan: { div: false, negative: false, fd: (b: ExprBuilder, a: Expr) => sq(b, b.call('sec', a)) },
  sec: { div: false, negative: false, fd: (b: ExprBuilder, a: Expr, node: Expr) => b.mul(node, b.call('tan', a)) },
  csc: { div: false, negative: true, fd: (b: ExprBuilder, a: Expr, node: Expr) => b.mul(node, b.call('cot', a)) },
  cot: { div: false, negative: true, fd: (b: ExprBuilder, a: Expr) => sq(b, b.call('csc', a)) },
  sinh: { div: false, negative: false, fd: (b: ExprBuilder, a: Expr) => b.call('cosh', a) },
  cosh: { div: false, negative: false, fd: (b: ExprBuilder, a: Expr) => b.call('sinh', a) },
  tanh: { div: false, negative: false, fd: (b: ExprBuilder, a: Expr) => sq(b, b.call('sech', a)) },
  sech: { div: false, negative: true, fd: (b: ExprBuilder, a: Expr, node: Expr) => b.mul(node, b.call('tanh', a)) },
  csch: { div: false, negative: true, fd: (b: ExprBuilder, a: Expr, node: Expr) => b.mul(node, b.call('coth', a)) },
  coth: { div: false, negative: true, fd: (b: ExprBuilder, a: Expr) => sq(b, b.call('csch', a)) },
  asin: { div: true, negative: false, fd: (b: ExprBuilder, a: Expr) => b.call('sqrt', b.sub(b.num(1), sq(b, a))) },
  acos: { div: true, negative: true, fd: (b: ExprBuilder, a: Expr) => b.call('sqrt', b.sub(b.num(1), sq(b, a))) },
  atan: { div: true, negative: false, fd: (b: ExprBuilder, a: Expr) => b.add(sq(b, a), b.num(1)) },
  asinh: { div: true, negative: false, fd: (b: ExprBuilder, a: Expr) => b.call('sqrt', b.add(sq(b, a), b.num(1))) },
  acosh: { div: true, negative: false, fd: (b: ExprBuilder, a: Expr) => b.call('sqrt', b.sub(sq(b, a), b.num(1))) },
  atanh: { div: true, negative: false, fd: (b: ExprBuilder, a: Expr) => b.sub(b.num(1), sq(b, a)) },
  exp: { div: false, negative: false, fd: (_b: ExprBuilder, _a: Expr, node: Expr) => node },
  expm1: { div: false, negative: false, fd: (b: ExprBuilder, a: Expr) => b.call('exp', a) },
  log: { div: true, negative: false, fd: (_b: ExprBuilder, a: Expr) => a },
  log1p: { div: true, negative: false, fd: (b: ExprBuilder, a: Expr) => b.add(b.num(1), a) },
  log2: { div: true, negative: false, fd: (b: ExprBuilder, a: Expr) => b.mul(a, b.num(Math.LN2)) },
  log10: { div: true, negative: false, fd: (b: ExprBuilder, a: Expr) => b.mul(a, b.call('log', b.num(10))) },
  sqrt: { div: true, negative: false, fd: (b: ExprBuilder, _a: Expr, node: Expr) => b.mul(b.num(2), node) },
}));

/** The chain rule for fn(a) with inner derivative `inner` (a' or an adjoint). */
function chain(b: ExprBuilder, node: Expr & { k: 'call' }, inner: Expr): Expr {
  const rule = RULES[node.fn];
  const c = rule.negative ? b.neg(inner) : inner;
  const fd = rule.fd(b, node.a, node);
  return rule.div ? b.div(c, fd) : b.mul(c, fd);
}

/** log2 differentiates as log(a)/ln 2 in mathjs' form: (a'/a)/ln 2. */
function log2Chain(b: ExprBuilder, a: Expr, inner: Expr): Expr {
  return b.div(b.div(inner, a), b.num(Math.LN2));
}

export interface ForwardOptions {
  /** the expressions to differentiate */
  roots: readonly Expr[];
  /** derivative of variable i along the direction (null: 0) */
  seed(i: number): Expr | null;
  /**
   * memo shared between calls with the same seed (a Hessian column differentiates every
   * gradient entry along the same direction); node → derivative, null = structurally zero
   */
  memo?: Map<Expr, Expr | null>;
}

/** Directional derivative of each root (null where it is structurally zero). */
export function forward(b: ExprBuilder, options: ForwardOptions): (Expr | null)[] {
  const t = options.memo ?? new Map<Expr, Expr | null>();
  const zero = b.num(0);
  for (const e of topologicalOrder(options.roots)) {
    if (t.has(e)) continue;
    t.set(e, tangent(b, e, t, options.seed, zero));
  }
  return options.roots.map((r) => t.get(r) as Expr | null);
}

function tangent(b: ExprBuilder, e: Expr, t: Map<Expr, Expr | null>, seed: (i: number) => Expr | null, zero: Expr): Expr | null {
  switch (e.k) {
    case 'num': return null;
    case 'var': return seed(e.i);
    case 'neg': {
      const ta = t.get(e.a) as Expr | null;
      return ta === null ? null : b.neg(ta);
    }
    case 'add': case 'sub': {
      const ta = t.get(e.a) as Expr | null;
      const tb = t.get(e.b) as Expr | null;
      if (ta === null && tb === null) return null;
      return e.k === 'add' ? b.add(ta ?? zero, tb ?? zero) : b.sub(ta ?? zero, tb ?? zero);
    }
    case 'mul': {
      const ta = t.get(e.a) as Expr | null;
      const tb = t.get(e.b) as Expr | null;
      if (ta === null && tb === null) return null;
      if (ta === null) return b.mul(e.a, tb as Expr); // c·g' (mathjs: constants first)
      if (tb === null) return b.mul(e.b, ta);
      return b.add(b.mul(ta, e.b), b.mul(e.a, tb));
    }
    case 'div': {
      const ta = t.get(e.a) as Expr | null;
      const tb = t.get(e.b) as Expr | null;
      if (ta === null && tb === null) return null;
      if (tb === null) return b.div(ta as Expr, e.b);
      if (ta === null) return b.mul(b.neg(e.a), b.div(tb, b.pow(e.b, b.num(2))));
      return b.div(b.sub(b.mul(ta, e.b), b.mul(e.a, tb)), b.pow(e.b, b.num(2)));
    }
    case 'pow': {
      const ta = t.get(e.a) as Expr | null;
      const tb = t.get(e.b) as Expr | null;
      if (ta === null && tb === null) return null;
      if (ta === null) {
        // c^g: 0^g and 1^g are constant (0 or 1, as JavaScript computes them)
        if (e.a.k === 'num' && (e.a.v === 0 || e.a.v === 1)) return null;
        return b.mul(e, b.mul(b.call('log', e.a), tb as Expr));
      }
      if (tb === null) {
        if (e.b.k === 'num' && e.b.v === 0) return null;
        if (e.b.k === 'num' && e.b.v === 1) return ta;
        return b.mul(e.b, b.mul(ta, b.pow(e.a, b.sub(e.b, b.num(1)))));
      }
      return b.mul(e, b.add(b.mul(ta, b.div(e.b, e.a)), b.mul(tb, b.call('log', e.a))));
    }
    case 'call': {
      const ta = t.get(e.a) as Expr | null;
      if (ta === null) return null;
      return e.fn === 'log2' ? log2Chain(b, e.a, ta) : chain(b, e, ta);
    }
  }
}

/** ∂e/∂x_i (num 0 where it vanishes structurally). */
export function partial(b: ExprBuilder, e: Expr, i: number, memo?: Map<Expr, Expr | null>): Expr {
  const one = b.num(1);
  const [d] = forward(b, { roots: [e], seed: (k) => (k === i ? one : null), memo });
  return d ?? b.num(0);
}

/** Does each node depend on some variable? (constants get no adjoint) */
function variableDependence(order: readonly Expr[]): Set<Expr> {
  const dep = new Set<Expr>();
  for (const e of order) {
    if (e.k === 'var') dep.add(e);
    else if (e.k !== 'num' && (dep.has(e.a) || (e.k !== 'neg' && e.k !== 'call' && dep.has(e.b)))) dep.add(e);
  }
  return dep;
}

/**
 * ∇f by reverse-mode accumulation: adjoints flow from f to the variables through the DAG in
 * reverse topological order; each node's adjoint is the sum of its parents' contributions
 * (in a fixed order, so the result is deterministic). Entries for variables f does not use are 0.
 */
export function reverse(b: ExprBuilder, f: Expr, n: number): Expr[] {
  const order = topologicalOrder([f]);
  const dep = variableDependence(order);
  const contributions = new Map<Expr, Expr[]>();
  const add = (node: Expr, c: () => Expr): void => {
    if (!dep.has(node)) return;
    const list = contributions.get(node);
    if (list) list.push(c());
    else contributions.set(node, [c()]);
  };
  const adjointOf = (node: Expr): Expr | null => {
    const list = contributions.get(node);
    if (!list) return null;
    let s = list[0];
    for (let k = 1; k < list.length; k++) s = b.add(s, list[k]);
    return s;
  };
  const grad: Expr[] = Array.from({ length: n }, () => b.num(0));
  if (dep.has(f)) contributions.set(f, [b.num(1)]);
  for (let k = order.length - 1; k >= 0; k--) {
    const e = order[k];
    const A = adjointOf(e);
    contributions.delete(e); // no longer needed
    if (A === null) continue;
    switch (e.k) {
      case 'num': break;
      case 'var': grad[e.i] = A; break;
      case 'neg': add(e.a, () => b.neg(A)); break;
      case 'add': add(e.a, () => A); add(e.b, () => A); break;
      case 'sub': add(e.a, () => A); add(e.b, () => b.neg(A)); break;
      case 'mul': add(e.a, () => b.mul(A, e.b)); add(e.b, () => b.mul(A, e.a)); break;
      case 'div':
        add(e.a, () => b.div(A, e.b));
        add(e.b, () => b.neg(b.mul(A, b.div(e, e.b))));
        break;
      case 'pow': {
        const constantExponent = !dep.has(e.b);
        if (dep.has(e.a)) {
          const local = constantExponent ? b.mul(e.b, b.pow(e.a, b.sub(e.b, b.num(1)))) : b.mul(e, b.div(e.b, e.a));
          add(e.a, () => b.mul(A, local));
        }
        if (!constantExponent && !(e.a.k === 'num' && (e.a.v === 0 || e.a.v === 1))) add(e.b, () => b.mul(A, b.mul(e, b.call('log', e.a))));
        break;
      }
      case 'call':
        add(e.a, () => (e.fn === 'log2' ? log2Chain(b, e.a, A) : chain(b, e, A)));
        break;
    }
  }
  return grad;
}
