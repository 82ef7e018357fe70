/**
 * Expr IR → straight-line JavaScript. The only tokens ever emitted are: numeric literals printed
 * from numbers, the caller's input identifiers, generated temporaries, arithmetic operators and
 * calls of whitelisted Math functions. User text never reaches generated code.
 */
import { topologicalOrder } from './expr';
import type { Expr, FunctionName } from './types';

const MATH_CALL: Readonly<Record<FunctionName, (a: string) => string>> = {
  sin: (a) => `Math.sin(${a})`, cos: (a) => `Math.cos(${a})`, tan: (a) => `Math.tan(${a})`,
  sec: (a) => `(1 / Math.cos(${a}))`, csc: (a) => `(1 / Math.sin(${a}))`, cot: (a) => `(1 / Math.tan(${a}))`,
  sinh: (a) => `Math.sinh(${a})`, cosh: (a) => `Math.cosh(${a})`, tanh: (a) => `Math.tanh(${a})`,
  sech: (a) => `(1 / Math.cosh(${a}))`, csch: (a) => `(1 / Math.sinh(${a}))`, coth: (a) => `(1 / Math.tanh(${a}))`,
  asin: (a) => `Math.asin(${a})`, acos: (a) => `Math.acos(${a})`, atan: (a) => `Math.atan(${a})`,
  asinh: (a) => `Math.asinh(${a})`, acosh: (a) => `Math.acosh(${a})`, atanh: (a) => `Math.atanh(${a})`,
  exp: (a) => `Math.exp(${a})`, expm1: (a) => `Math.expm1(${a})`, log: (a) => `Math.log(${a})`,
  log1p: (a) => `Math.log1p(${a})`, log2: (a) => `Math.log2(${a})`, log10: (a) => `Math.log10(${a})`,
  sqrt: (a) => `Math.sqrt(${a})`,
};

/** A JS numeric literal for v (parenthesised when negative; non-finite values as arithmetic). */
export function numberLiteral(v: number): string {
  if (Number.isNaN(v)) return '(0 / 0)';
  if (v === Infinity) return '(1 / 0)';
  if (v === -Infinity) return '(-1 / 0)';
  if (Object.is(v, -0)) return '(-0)';
  const s = String(v);
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) throw new Error(`internal: unexpected number text ${s}`);
  return v < 0 ? `(${s})` : s;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** One generated statement: `const name = rhs;`, rhs reading `operands` (temporaries or inputs). */
export interface Statement {
  readonly name: string;
  readonly rhs: string;
  readonly operands: readonly string[];
}

export interface StraightLine {
  /** `const` statements, one per distinct non-leaf node */
  code: string;
  /** the statements of `code`, in order */
  statements: Statement[];
  /** per output: a JS expression (identifier or literal) */
  results: string[];
  /**
   * with `variant`: the statements that depend on a variant input (to run inside a loop after
   * `code`, which then holds only the invariant ones); otherwise ''
   */
  loopCode: string;
}

/**
 * Emits `const` statements computing every output, each distinct subexpression once (the IR is
 * interned, so equal subtrees are usually the same object; a structural key catches the rest).
 * inputs[i] is the JS identifier holding variable i; temporaries are `${prefix}${k}`.
 * `variant(i)`: inputs that change inside a loop; statements depending on them go to `loopCode`
 * (e.g. the Hessian from n Hessian-vector products: f, ∇f and everything that depends on x
 * only are computed once, the directional part once per column).
 * Iterative over a topological order: no recursion, whatever the depth of the IR.
 */
export function emitStraightLine(outputs: readonly Expr[], inputs: readonly string[], prefix = 't', variant?: (i: number) => boolean): StraightLine {
  for (const name of inputs) if (!IDENT.test(name)) throw new Error(`internal: bad input identifier ${name}`);
  if (!IDENT.test(prefix)) throw new Error(`internal: bad temporary prefix ${prefix}`);
  const outer: string[] = [];
  const inner: string[] = [];
  const statements: Statement[] = [];
  const byNode = new Map<Expr, string>();
  const byKey = new Map<string, string>();
  /** temporaries (and inputs) whose value changes inside the loop */
  const varying = new Set<string>();
  let counter = 0;

  const temp = (key: string, rhs: string, operands: readonly string[]): string => {
    const existing = byKey.get(key);
    if (existing) return existing;
    const name = `${prefix}${counter++}`;
    const inLoop = operands.some((o) => varying.has(o));
    (inLoop ? inner : outer).push(`const ${name} = ${rhs};`);
    if (inLoop) varying.add(name);
    else statements.push({ name, rhs, operands });
    byKey.set(key, name);
    return name;
  };

  inputs.forEach((name, i) => {
    if (variant?.(i)) varying.add(name);
  });

  const powInteger = (base: string, p: number): string => {
    if (p === 0) return '1';
    if (p === 1) return base;
    const half = powInteger(base, Math.floor(p / 2));
    const sq = half === base ? temp(`sq:${base}`, `${base} * ${base}`, [base]) : temp(`sq:${half}`, `${half} * ${half}`, [half]);
    return p % 2 === 0 ? sq : temp(`mul:${sq}:${base}`, `${sq} * ${base}`, [sq, base]);
  };

  const emitPow = (base: string, e: Expr): string => {
    if (e.k === 'num') {
      const p = e.v;
      if (Number.isInteger(p) && Math.abs(p) <= 16) {
        // Exponentiation by squaring with temporaries: x^5 = (x^2)^2 * x.
        const positive = powInteger(base, Math.abs(p));
        return p < 0 ? temp(`inv:${positive}`, `1 / ${positive}`, [positive]) : positive;
      }
      if (p === 0.5) return temp(`sqrt:${base}`, `Math.sqrt(${base})`, [base]);
      if (p === -0.5) return temp(`rsqrt:${base}`, `1 / Math.sqrt(${base})`, [base]);
      return temp(`pow:${base}:${p}`, `Math.pow(${base}, ${numberLiteral(p)})`, [base]);
    }
    const exponent = byNode.get(e) as string;
    return temp(`pow:${base}:${exponent}`, `Math.pow(${base}, ${exponent})`, [base, exponent]);
  };

  const OPS = { add: '+', sub: '-', mul: '*', div: '/' } as const;
  for (const e of topologicalOrder(outputs)) {
    let out: string;
    switch (e.k) {
      case 'num':
        out = numberLiteral(e.v);
        break;
      case 'var':
        if (e.i < 0 || e.i >= inputs.length) throw new Error(`internal: variable ${e.i} out of range`);
        out = inputs[e.i];
        break;
      case 'neg': {
        const a = byNode.get(e.a) as string;
        out = temp(`neg:${a}`, `-${a}`, [a]);
        break;
      }
      case 'add': case 'sub': case 'mul': case 'div': {
        const a = byNode.get(e.a) as string;
        const b = byNode.get(e.b) as string;
        out = temp(`${e.k}:${a}:${b}`, `${a} ${OPS[e.k]} ${b}`, [a, b]);
        break;
      }
      case 'pow':
        out = emitPow(byNode.get(e.a) as string, e.b);
        break;
      case 'call': {
        const a = byNode.get(e.a) as string;
        const call = Object.hasOwn(MATH_CALL, e.fn) ? MATH_CALL[e.fn] : undefined;
        if (!call) throw new Error(`internal: function ${String(e.fn)} is not whitelisted`);
        out = temp(`${e.fn}:${a}`, call(a), [a]);
        break;
      }
    }
    byNode.set(e, out);
  }

  const results = outputs.map((e) => byNode.get(e) as string);
  return { code: outer.join('\n'), statements, loopCode: inner.join('\n'), results };
}
