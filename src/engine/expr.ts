/**
 * The Expr IR: hash-consed construction with NaN-preserving folding, a reference interpreter
 * (for tests, the webview's contours and one-off evaluations) and a printer to mathjs text.
 * Nothing here recurses over the IR: every walk is iterative, so a long flat sum or a deep
 * chain cannot overflow the stack.
 */
import type { Expr, FunctionName } from './types';

/** Reference implementations of the whitelisted functions (also the interpreter's). */
export const FUNCTION_IMPL: Readonly<Record<FunctionName, (a: number) => number>> = Object.freeze(Object.assign(Object.create(null) as Record<FunctionName, (a: number) => number>, {
  sin: Math.sin, cos: Math.cos, tan: Math.tan,
  sec: (a: number) => 1 / Math.cos(a), csc: (a: number) => 1 / Math.sin(a), cot: (a: number) => 1 / Math.tan(a),
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh,
  sech: (a: number) => 1 / Math.cosh(a), csch: (a: number) => 1 / Math.sinh(a), coth: (a: number) => 1 / Math.tanh(a),
  asin: Math.asin, acos: Math.acos, atan: Math.atan,
  asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh,
  exp: Math.exp, expm1: Math.expm1, log: Math.log, log1p: Math.log1p, log2: Math.log2, log10: Math.log10,
  sqrt: Math.sqrt,
}));

/** Thrown by an ExprBuilder that has created more nodes than its budget allows. */
export class ExprSizeError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} distinct operations`);
    this.name = 'ExprSizeError';
  }
}

/** Children of a node (0, 1 or 2). */
export function children(e: Expr): readonly Expr[] {
  switch (e.k) {
    case 'num': case 'var': return [];
    case 'neg': case 'call': return [e.a];
    default: return [e.a, e.b];
  }
}

/**
 * Every node reachable from `roots`, children before parents (each node once), without
 * recursion. Roots appear in the order given (a root already reached is not repeated).
 */
export function topologicalOrder(roots: readonly Expr[]): Expr[] {
  const order: Expr[] = [];
  const done = new Set<Expr>();
  const stack: Expr[] = [];
  const expanded = new Set<Expr>();
  for (const root of roots) {
    if (done.has(root)) continue;
    stack.push(root);
    while (stack.length > 0) {
      const e = stack[stack.length - 1];
      if (done.has(e)) {
        stack.pop();
        continue;
      }
      if (!expanded.has(e)) {
        expanded.add(e);
        const c = children(e);
        // push b then a, so a is finished first (left-to-right post-order)
        for (let k = c.length - 1; k >= 0; k--) if (!done.has(c[k])) stack.push(c[k]);
        continue;
      }
      stack.pop();
      done.add(e);
      order.push(e);
    }
  }
  return order;
}

/**
 * Builds IR nodes, interning structurally equal nodes (so equal subtrees are the same object)
 * and folding only what cannot hide a NaN or an infinity:
 * - numeric constants combined with numeric constants (computed exactly as the generated code
 *   would, in double precision);
 * - exact identities of IEEE arithmetic: x + 0, x − 0, 0 − x → −x, x·1, x·(−1), x/1, x^1, x^0 = 1
 *   (pow(NaN, 0) is 1 in JavaScript too), −(−x), and sign moves (a·(−b) → −(a·b), a + (−b) → a − b);
 * - constants first in products, and c₁·(c₂·x) → (c₁c₂)·x when c₁c₂ is finite and non-zero
 *   (a re-association that may move the last bit; kept because the generated code has always
 *   done it).
 * It never folds 0·x, x − x, 0/x or 1^x with a non-constant x: each is NaN where x is NaN or
 * infinite (0·log(x) is NaN for x < 0), and the objective must stay NaN where it is written NaN.
 */
export class ExprBuilder {
  private readonly table = new Map<string, Expr>();
  private readonly ids = new WeakMap<Expr, number>();

  /** `maxNodes`: throw an ExprSizeError beyond this many distinct nodes (default: no limit). */
  constructor(private readonly maxNodes = Infinity) {}

  /** Number of distinct nodes created so far. */
  get size(): number {
    return this.table.size;
  }

  private id(e: Expr): number {
    const id = this.ids.get(e);
    if (id !== undefined) return id;
    // A node from elsewhere (another builder): re-intern it structurally.
    return this.ids.get(this.intern(e)) as number;
  }

  /** Re-intern an arbitrary DAG into this builder (iteratively; shared nodes once). */
  intern(root: Expr): Expr {
    if (this.ids.has(root)) return root;
    const mapped = new Map<Expr, Expr>();
    const get = (e: Expr): Expr => mapped.get(e) ?? e;
    for (const e of topologicalOrder([root])) {
      if (this.ids.has(e)) continue;
      let out: Expr;
      switch (e.k) {
        case 'num': out = this.num(e.v); break;
        case 'var': out = this.variable(e.i); break;
        case 'neg': out = this.neg(get(e.a)); break;
        case 'call': out = this.call(e.fn, get(e.a)); break;
        default: out = this.binary(e.k, get(e.a), get(e.b));
      }
      mapped.set(e, out);
    }
    return get(root);
  }

  private make(key: string, build: () => Expr): Expr {
    let node = this.table.get(key);
    if (!node) {
      if (this.table.size >= this.maxNodes) throw new ExprSizeError(this.maxNodes);
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
    if (b.k === 'neg') return this.add(a, b.a);
    return this.make(`sub:${this.id(a)}:${this.id(b)}`, () => ({ k: 'sub', a, b }));
  }

  mul(a: Expr, b: Expr): Expr {
    if (a.k === 'num' && b.k === 'num') return this.num(a.v * b.v);
    if (this.isNum(a, 1)) return b;
    if (this.isNum(b, 1)) return a;
    if (this.isNum(a, -1)) return this.neg(b);
    if (this.isNum(b, -1)) return this.neg(a);
    if (a.k === 'neg' && b.k === 'neg') return this.mul(a.a, b.a);
    if (a.k === 'neg') return this.neg(this.mul(a.a, b));
    if (b.k === 'neg') return this.neg(this.mul(a, b.a));
    // Constants first, so 2*x and x*2 intern to the same node.
    if (b.k === 'num' && a.k !== 'num') return this.mul(b, a);
    if (a.k === 'num' && b.k === 'mul' && b.a.k === 'num') {
      const c = a.v * b.a.v;
      if (Number.isFinite(c) && c !== 0) return this.mul(this.num(c), b.b);
    }
    return this.make(`mul:${this.id(a)}:${this.id(b)}`, () => ({ k: 'mul', a, b }));
  }

  div(a: Expr, b: Expr): Expr {
    if (a.k === 'num' && b.k === 'num') return this.num(a.v / b.v);
    if (this.isNum(b, 1)) return a;
    if (a.k === 'neg') return this.neg(this.div(a.a, b));
    return this.make(`div:${this.id(a)}:${this.id(b)}`, () => ({ k: 'div', a, b }));
  }

  pow(a: Expr, b: Expr): Expr {
    if (a.k === 'num' && b.k === 'num') return this.num(Math.pow(a.v, b.v));
    if (this.isNum(b, 1)) return a;
    if (this.isNum(b, 0)) return this.num(1);
    return this.make(`pow:${this.id(a)}:${this.id(b)}`, () => ({ k: 'pow', a, b }));
  }
}

/** One evaluation step of a node whose operands are known. */
function apply(e: Expr, a: number, b: number, x: ArrayLike<number>): number {
  switch (e.k) {
    case 'num': return e.v;
    case 'var': return x[e.i];
    case 'neg': return -a;
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
    case 'pow': return Math.pow(a, b);
    case 'call': return FUNCTION_IMPL[e.fn](a);
  }
}

interface Program {
  nodes: Expr[];
  argA: Int32Array;
  argB: Int32Array;
  values: Float64Array;
}

const programs = new WeakMap<Expr, Program>();

function programOf(root: Expr): Program {
  let p = programs.get(root);
  if (!p) {
    const nodes = topologicalOrder([root]);
    const slot = new Map<Expr, number>(nodes.map((e, k) => [e, k]));
    const argA = new Int32Array(nodes.length).fill(-1);
    const argB = new Int32Array(nodes.length).fill(-1);
    nodes.forEach((e, k) => {
      const c = children(e);
      if (c.length > 0) argA[k] = slot.get(c[0]) as number;
      if (c.length > 1) argB[k] = slot.get(c[1]) as number;
    });
    p = { nodes, argA, argB, values: new Float64Array(nodes.length) };
    programs.set(root, p);
  }
  return p;
}

/**
 * Evaluates an Expr at x: each distinct node once, in topological order (the flat program is
 * built on the first call and cached per root). The reference interpreter: same operations as
 * the generated code, no code generation (usable under the webview's CSP).
 */
export function evaluateExpr(e: Expr, x: ArrayLike<number>): number {
  const { nodes, argA, argB, values } = programOf(e);
  for (let k = 0; k < nodes.length; k++) {
    const a = argA[k] >= 0 ? values[argA[k]] : 0;
    const b = argB[k] >= 0 ? values[argB[k]] : 0;
    values[k] = apply(nodes[k], a, b, x);
  }
  return values[nodes.length - 1];
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '(-Infinity)';
  const s = String(v);
  return v < 0 || Object.is(v, -0) ? `(${s})` : s;
}

/**
 * Prints an Expr as mathjs text, fully parenthesised. `name(i)` gives variable i's name.
 * Used for display and by the tests to hand an IR tree to mathjs (its `derivative` is the
 * independent oracle). The text is a tree: shared nodes are printed at every use.
 */
export function toMathText(e: Expr, name: (i: number) => string): string {
  const memo = new Map<Expr, string>();
  for (const n of topologicalOrder([e])) {
    const w = (c: Expr): string => memo.get(c) as string;
    let s: string;
    switch (n.k) {
      case 'num': s = formatNumber(n.v); break;
      case 'var': s = name(n.i); break;
      case 'neg': s = `(-${w(n.a)})`; break;
      case 'add': s = `(${w(n.a)} + ${w(n.b)})`; break;
      case 'sub': s = `(${w(n.a)} - ${w(n.b)})`; break;
      case 'mul': s = `(${w(n.a)} * ${w(n.b)})`; break;
      case 'div': s = `(${w(n.a)} / ${w(n.b)})`; break;
      case 'pow': s = `(${w(n.a)} ^ ${w(n.b)})`; break;
      case 'call': s = `${n.fn}(${w(n.a)})`; break;
    }
    memo.set(n, s);
  }
  return memo.get(e) as string;
}

/** Number of distinct nodes in a set of trees (a size measure for shared DAGs). */
export function dagSize(roots: readonly Expr[]): number {
  return topologicalOrder(roots).length;
}

/** Largest number of edges from a root to a leaf (iterative). */
export function dagDepth(roots: readonly Expr[]): number {
  const depth = new Map<Expr, number>();
  let max = 0;
  for (const e of topologicalOrder(roots)) {
    let d = 0;
    for (const c of children(e)) d = Math.max(d, (depth.get(c) as number) + 1);
    depth.set(e, d);
    if (d > max) max = d;
  }
  return max;
}
