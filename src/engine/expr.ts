/**
 * The Expr IR: hash-consed construction with light algebraic folding, a slow reference
 * interpreter (for tests and one-off evaluations) and a printer to mathjs text.
 */
import type { Expr, FunctionName } from './types';

/** Reference implementations of the whitelisted functions (also the interpreter's). */
export const FUNCTION_IMPL: Readonly<Record<FunctionName, (a: number) => number>> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan,
  sec: (a) => 1 / Math.cos(a), csc: (a) => 1 / Math.sin(a), cot: (a) => 1 / Math.tan(a),
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh,
  sech: (a) => 1 / Math.cosh(a), csch: (a) => 1 / Math.sinh(a), coth: (a) => 1 / Math.tanh(a),
  asin: Math.asin, acos: Math.acos, atan: Math.atan,
  asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh,
  exp: Math.exp, expm1: Math.expm1, log: Math.log, log1p: Math.log1p, log2: Math.log2, log10: Math.log10,
  sqrt: Math.sqrt,
};

/**
 * Builds IR nodes, interning structurally equal nodes (so equal subtrees are the same object)
 * and folding the obvious identities (constants, x+0, x*1, x*0, x^1, x^0, −(−x)).
 */
export class ExprBuilder {
  private readonly table = new Map<string, Expr>();
  private readonly ids = new WeakMap<Expr, number>();

  private id(e: Expr): number {
    const id = this.ids.get(e);
    if (id !== undefined) return id;
    // A node from elsewhere (another builder): re-intern it structurally.
    return this.ids.get(this.intern(e)) as number;
  }

  /** Re-intern an arbitrary tree into this builder. */
  intern(e: Expr): Expr {
    if (this.ids.has(e)) return e;
    switch (e.k) {
      case 'num': return this.num(e.v);
      case 'var': return this.variable(e.i);
      case 'neg': return this.neg(this.intern(e.a));
      case 'call': return this.call(e.fn, this.intern(e.a));
      default: return this.binary(e.k, this.intern(e.a), this.intern(e.b));
    }
  }

  private make(key: string, build: () => Expr): Expr {
    let node = this.table.get(key);
    if (!node) {
      node = build();
      this.table.set(key, node);
      this.ids.set(node, this.table.size);
    }
    return node;
  }

  num(v: number): Expr {
    // Object.is keeps 0 and −0 apart so folding never changes a sign.
    const key = Object.is(v, -0) ? 'n:-0' : `n:${v}`;
    return this.make(key, () => ({ k: 'num', v }));
  }

  variable(i: number): Expr {
    return this.make(`v:${i}`, () => ({ k: 'var', i }));
  }

  neg(a: Expr): Expr {
    if (a.k === 'num') return this.num(-a.v);
    if (a.k === 'neg') return a.a;
    return this.make(`neg:${this.id(a)}`, () => ({ k: 'neg', a }));
  }

  call(fn: FunctionName, a: Expr): Expr {
    if (a.k === 'num') {
      const v = FUNCTION_IMPL[fn](a.v);
      if (Number.isFinite(v) && Number.isInteger(v)) return this.num(v);
    }
    return this.make(`${fn}:${this.id(a)}`, () => ({ k: 'call', fn, a }));
  }

  binary(k: 'add' | 'sub' | 'mul' | 'div' | 'pow', a: Expr, b: Expr): Expr {
    switch (k) {
      case 'add': return this.add(a, b);
      case 'sub': return this.sub(a, b);
      case 'mul': return this.mul(a, b);
      case 'div': return this.div(a, b);
      case 'pow': return this.pow(a, b);
    }
  }

  private isNum(e: Expr, v: number): boolean {
    return e.k === 'num' && e.v === v;
  }

  add(a: Expr, b: Expr): Expr {
    if (a.k === 'num' && b.k === 'num') return this.num(a.v + b.v);
    if (this.isNum(a, 0)) return b;
    if (this.isNum(b, 0)) return a;
    if (b.k === 'neg') return this.sub(a, b.a);
    if (a.k === 'neg') return this.sub(b, a.a);
    return this.make(`add:${this.id(a)}:${this.id(b)}`, () => ({ k: 'add', a, b }));
  }

  sub(a: Expr, b: Expr): Expr {
    if (a.k === 'num' && b.k === 'num') return this.num(a.v - b.v);
    if (this.isNum(b, 0)) return a;
    if (this.isNum(a, 0)) return this.neg(b);
    if (a === b) return this.num(0);
    if (b.k === 'neg') return this.add(a, b.a);
    return this.make(`sub:${this.id(a)}:${this.id(b)}`, () => ({ k: 'sub', a, b }));
  }

  mul(a: Expr, b: Expr): Expr {
    if (a.k === 'num' && b.k === 'num') return this.num(a.v * b.v);
    if (this.isNum(a, 0) || this.isNum(b, 0)) return this.num(0);
    if (this.isNum(a, 1)) return b;
    if (this.isNum(b, 1)) return a;
    if (this.isNum(a, -1)) return this.neg(b);
    if (this.isNum(b, -1)) return this.neg(a);
    if (a.k === 'neg' && b.k === 'neg') return this.mul(a.a, b.a);
    if (a.k === 'neg') return this.neg(this.mul(a.a, b));
    if (b.k === 'neg') return this.neg(this.mul(a, b.a));
    // Constants first, so 2*x and x*2 intern to the same node.
    if (b.k === 'num' && a.k !== 'num') return this.mul(b, a);
    if (a.k === 'num' && b.k === 'mul' && b.a.k === 'num') return this.mul(this.num(a.v * b.a.v), b.b);
    return this.make(`mul:${this.id(a)}:${this.id(b)}`, () => ({ k: 'mul', a, b }));
  }

  div(a: Expr, b: Expr): Expr {
    if (a.k === 'num' && b.k === 'num' && b.v !== 0) return this.num(a.v / b.v);
    if (this.isNum(b, 1)) return a;
    if (this.isNum(a, 0) && b.k === 'num' && b.v !== 0) return this.num(0);
    if (a.k === 'neg') return this.neg(this.div(a.a, b));
    return this.make(`div:${this.id(a)}:${this.id(b)}`, () => ({ k: 'div', a, b }));
  }

  pow(a: Expr, b: Expr): Expr {
    if (a.k === 'num' && b.k === 'num') {
      const v = Math.pow(a.v, b.v);
      if (Number.isFinite(v)) return this.num(v);
    }
    if (this.isNum(b, 1)) return a;
    if (this.isNum(b, 0)) return this.num(1);
    if (this.isNum(a, 1)) return this.num(1);
    return this.make(`pow:${this.id(a)}:${this.id(b)}`, () => ({ k: 'pow', a, b }));
  }
}

/** Slow tree-walking evaluation of an Expr at x (reference for tests and one-off values). */
export function evaluateExpr(e: Expr, x: ArrayLike<number>): number {
  switch (e.k) {
    case 'num': return e.v;
    case 'var': return x[e.i];
    case 'neg': return -evaluateExpr(e.a, x);
    case 'add': return evaluateExpr(e.a, x) + evaluateExpr(e.b, x);
    case 'sub': return evaluateExpr(e.a, x) - evaluateExpr(e.b, x);
    case 'mul': return evaluateExpr(e.a, x) * evaluateExpr(e.b, x);
    case 'div': return evaluateExpr(e.a, x) / evaluateExpr(e.b, x);
    case 'pow': return Math.pow(evaluateExpr(e.a, x), evaluateExpr(e.b, x));
    case 'call': return FUNCTION_IMPL[e.fn](evaluateExpr(e.a, x));
  }
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '(-Infinity)';
  const s = String(v);
  return v < 0 || Object.is(v, -0) ? `(${s})` : s;
}

/**
 * Prints an Expr as mathjs text, fully parenthesised. `name(i)` gives variable i's name.
 * Used for display and to hand an IR tree back to mathjs (`derivative`).
 */
export function toMathText(e: Expr, name: (i: number) => string): string {
  const memo = new Map<Expr, string>();
  const walk = (n: Expr): string => {
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    let s: string;
    switch (n.k) {
      case 'num': s = formatNumber(n.v); break;
      case 'var': s = name(n.i); break;
      case 'neg': s = `(-${walk(n.a)})`; break;
      case 'add': s = `(${walk(n.a)} + ${walk(n.b)})`; break;
      case 'sub': s = `(${walk(n.a)} - ${walk(n.b)})`; break;
      case 'mul': s = `(${walk(n.a)} * ${walk(n.b)})`; break;
      case 'div': s = `(${walk(n.a)} / ${walk(n.b)})`; break;
      case 'pow': s = `(${walk(n.a)} ^ ${walk(n.b)})`; break;
      case 'call': s = `${n.fn}(${walk(n.a)})`; break;
    }
    memo.set(n, s);
    return s;
  };
  return walk(e);
}

/** Number of distinct nodes in a set of trees (a size measure for shared DAGs). */
export function dagSize(roots: readonly Expr[]): number {
  const seen = new Set<Expr>();
  const stack: Expr[] = [...roots];
  while (stack.length) {
    const n = stack.pop() as Expr;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.k === 'neg' || n.k === 'call') stack.push(n.a);
    else if (n.k !== 'num' && n.k !== 'var') stack.push(n.a, n.b);
  }
  return seen.size;
}
