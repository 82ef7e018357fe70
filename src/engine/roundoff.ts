/**
 * Running error bounds of floating-point evaluation (Higham, *Accuracy and Stability of
 * Numerical Algorithms*, §3.3): every IR node is evaluated in double precision together with a
 * bound e on |computed − exact| at that point, propagated to first order:
 *
 *   a ± b : e_a + e_b + u|v|              a · b : |a|e_b + |b|e_a + e_a e_b + u|v|
 *   a / b : (e_a + |v| e_b)/(|b| − e_b) + u|v|
 *   a^p (integer p, by squaring: c ≤ 2·log₂|p| + 2 roundings) : |p|(|a|+e_a)^{|p|−1} e_a·(scale of a^{−1} when p < 0) + c·u|v|
 *   fn(a) : the largest |fn(a ± e_a) − fn(a)| (a monotone or 1-Lipschitz function moves at most that
 *           far on [a − e_a, a + e_a]; a pole or a domain edge inside gives ∞) + 2u|v| (Math.* are
 *           accurate to about one ulp)
 *
 * with u = 2⁻⁵³, plus an absolute 2⁻¹⁰⁷⁴ per rounding (gradual underflow). Inputs (the variables)
 * and literals are taken as exact. The bound is what "equal within round-off" means for the
 * critical-point search: a gradient smaller than its own error bound is zero as far as floating
 * point can tell, and a Hessian eigenvalue smaller than the Hessian's error bound cannot be told
 * from zero (src/engine/critical.ts).
 */
import { numberLiteral } from './codegen';
import { FUNCTION_IMPL } from './expr';
import type { Expr, FunctionName } from './types';

/** unit round-off of IEEE double (round to nearest) */
export const UNIT_ROUNDOFF = 2 ** -53;
/** absolute error of one rounding in the subnormal range */
const UNDERFLOW = Number.MIN_VALUE;

export interface Bounded {
  /** the value computed in double precision */
  value: number;
  /** a bound on |value − exact value| (first order; ∞ when none can be given) */
  error: number;
}

function rounding(v: number): number {
  return UNIT_ROUNDOFF * Math.abs(v) + UNDERFLOW;
}

/** Value and error bound of each expression at x (shared subexpressions evaluated once). */
export function boundedEval(exprs: readonly Expr[], x: ArrayLike<number>): Bounded[] {
  const memo = new Map<Expr, Bounded>();
  const walk = (e: Expr): Bounded => {
    const hit = memo.get(e);
    if (hit) return hit;
    let r: Bounded;
    switch (e.k) {
      case 'num':
        r = { value: e.v, error: 0 };
        break;
      case 'var':
        r = { value: x[e.i], error: 0 };
        break;
      case 'neg': {
        const a = walk(e.a);
        r = { value: -a.value, error: a.error };
        break;
      }
      case 'add':
      case 'sub': {
        const a = walk(e.a);
        const b = walk(e.b);
        const v = e.k === 'add' ? a.value + b.value : a.value - b.value;
        r = { value: v, error: a.error + b.error + rounding(v) };
        break;
      }
      case 'mul': {
        const a = walk(e.a);
        const b = walk(e.b);
        const v = a.value * b.value;
        r = { value: v, error: Math.abs(a.value) * b.error + Math.abs(b.value) * a.error + a.error * b.error + rounding(v) };
        break;
      }
      case 'div': {
        const a = walk(e.a);
        const b = walk(e.b);
        const v = a.value / b.value;
        const room = Math.abs(b.value) - b.error;
        r = { value: v, error: room > 0 ? (a.error + Math.abs(v) * b.error) / room + rounding(v) : Infinity };
        break;
      }
      case 'pow':
        r = powBound(walk(e.a), e.b, walk);
        break;
      case 'call':
        r = boundedCall(e.fn, walk(e.a));
        break;
    }
    if (!Number.isFinite(r.value)) r = { value: r.value, error: Infinity };
    memo.set(e, r);
    return r;
  };
  return exprs.map(walk);
}

function boundedCall(name: FunctionName, a: Bounded): Bounded {
  const fn = FUNCTION_IMPL[name];
  const v = fn(a.value);
  let spread = 0;
  if (a.error > 0) {
    const up = fn(a.value + a.error);
    const down = fn(a.value - a.error);
    spread = Math.max(Math.abs(up - v), Math.abs(down - v));
    // sin and cos are 1-Lipschitz: never more than e_a (nor than their range, 2)
    if (name === 'sin' || name === 'cos') spread = Math.min(a.error, 2);
    if (Number.isNaN(spread)) spread = Infinity;
  }
  return { value: v, error: spread + 2 * rounding(v) };
}

function powBound(a: Bounded, exponent: Expr, walk: (e: Expr) => Bounded): Bounded {
  if (exponent.k === 'num') {
    const p = exponent.v;
    const v = Math.pow(a.value, p);
    if (Number.isInteger(p) && Math.abs(p) <= 16) {
      const q = Math.abs(p);
      const roundings = q <= 1 ? 0 : 2 * Math.ceil(Math.log2(q)) + 1;
      let propagated = q === 0 ? 0 : q * Math.pow(Math.abs(a.value) + a.error, q - 1) * a.error;
      if (p < 0) {
        // 1/a^q: relative error of a^q carries over, plus the division
        const room = Math.abs(a.value) - a.error;
        propagated = room > 0 ? (propagated / Math.pow(Math.abs(a.value), q)) * Math.abs(v) * Math.pow(Math.abs(a.value) / room, q) : Infinity;
      }
      return { value: v, error: propagated + (roundings + (p < 0 ? 1 : 0)) * rounding(v) + UNDERFLOW };
    }
    if (p === 0.5) {
      // |√a − √b| ≤ min(√|a − b|, |a − b|/(√a + √b))
      const lo = Math.max(0, a.value - a.error);
      const moved = a.error > 0 ? Math.min(Math.sqrt(a.error), a.error / (Math.sqrt(Math.max(0, a.value)) + Math.sqrt(lo))) : 0;
      return { value: v, error: (a.value - a.error < 0 ? Infinity : moved) + rounding(v) };
    }
    // a^p, p not a small integer: |d/da| = |p a^{p−1}| at the endpoint farther from 0 bounds the change
    const spread = a.error > 0 ? Math.max(Math.abs(Math.pow(a.value + a.error, p) - v), Math.abs(Math.pow(a.value - a.error, p) - v)) : 0;
    return { value: v, error: (Number.isNaN(spread) ? Infinity : spread) + 2 * rounding(v) };
  }
  const b = walk(exponent);
  const v = Math.pow(a.value, b.value);
  // the base moves the value at most to an endpoint; the exponent by the factor a^{±e_b}
  const da = a.error > 0 ? Math.max(Math.abs(Math.pow(a.value + a.error, b.value) - v), Math.abs(Math.pow(a.value - a.error, b.value) - v)) : 0;
  const db = b.error > 0 ? Math.abs(v) * Math.expm1(Math.abs(Math.log(Math.abs(a.value))) * b.error) : 0;
  const err = da + db + 2 * rounding(v);
  return { value: v, error: Number.isNaN(err) ? Infinity : err };
}

/** ‖v‖₂ with scaling (no overflow or underflow of the squares). */
export function scaledNorm(v: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > scale || Number.isNaN(a)) scale = a;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const t = v[i] / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

/* ------------------------------------------------------------------ compiled program */

const OP_NUM = 0;
const OP_VAR = 1;
const OP_NEG = 2;
const OP_ADD = 3;
const OP_SUB = 4;
const OP_MUL = 5;
const OP_DIV = 6;
const OP_POW = 7;
const OP_CALL = 8;
const OP_POWN = 9;

/** Programs up to this many nodes are compiled to straight-line JavaScript (about 3 statements a node). */
export const BOUNDED_COMPILE_NODES = 500;

type CompiledRun = (x: ArrayLike<number>, values: Float64Array, errors: Float64Array, other: (k: number, va: number, ea: number, vb: number, eb: number) => number, out: Float64Array) => void;

/**
 * {@link boundedEval} flattened into one instruction list over the expressions' shared DAG and
 * run into preallocated arrays: the same values and bounds, without allocating per call (what a
 * basin map runs at every stalled pixel). Non-integer and variable powers fall back to the
 * interpreter's formulas through the same helper. Programs of up to {@link BOUNDED_COMPILE_NODES}
 * nodes also run as generated straight-line code (from the IR and numeric literals only) doing the
 * very same floating-point operations in the same order, so values and bounds are identical.
 */
export class BoundedProgram {
  private readonly op: Int32Array;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly num: Float64Array;
  private readonly nodes: Expr[];
  private readonly v: Float64Array;
  private readonly e: Float64Array;
  /** slot of each output */
  private readonly outputs: Int32Array;
  /** per small-integer power node: the roundings of exponentiation by squaring */
  private readonly roundings: Float64Array;
  private readonly compiled: CompiledRun | null;
  /** value and error of an interpreted node of the compiled program (out[0], out[1]) */
  private readonly pair = new Float64Array(2);
  private readonly other: (k: number, va: number, ea: number, vb: number, eb: number) => number;

  /** `compile: false` keeps the interpreter (tests compare the two). */
  constructor(exprs: readonly Expr[], options: { compile?: boolean } = {}) {
    const slot = new Map<Expr, number>();
    const op: number[] = [];
    const a: number[] = [];
    const b: number[] = [];
    const num: number[] = [];
    const nodes: Expr[] = [];
    const visit = (e: Expr): number => {
      const hit = slot.get(e);
      if (hit !== undefined) return hit;
      let code = OP_NUM;
      let x = -1;
      let y = -1;
      let c = 0;
      switch (e.k) {
        case 'num': c = e.v; break;
        case 'var': code = OP_VAR; x = e.i; break;
        case 'neg': code = OP_NEG; x = visit(e.a); break;
        case 'add': code = OP_ADD; x = visit(e.a); y = visit(e.b); break;
        case 'sub': code = OP_SUB; x = visit(e.a); y = visit(e.b); break;
        case 'mul': code = OP_MUL; x = visit(e.a); y = visit(e.b); break;
        case 'div': code = OP_DIV; x = visit(e.a); y = visit(e.b); break;
        case 'pow':
          x = visit(e.a);
          if (e.b.k === 'num' && Number.isInteger(e.b.v) && e.b.v >= 0 && e.b.v <= 16) {
            code = OP_POWN;
            c = e.b.v;
          } else {
            code = OP_POW;
            y = e.b.k === 'num' ? -1 : visit(e.b);
          }
          break;
        case 'call': code = OP_CALL; x = visit(e.a); break;
      }
      const k = op.length;
      op.push(code);
      a.push(x);
      b.push(y);
      num.push(c);
      nodes.push(e);
      slot.set(e, k);
      return k;
    };
    this.outputs = Int32Array.from(exprs.map(visit));
    this.op = Int32Array.from(op);
    this.a = Int32Array.from(a);
    this.b = Int32Array.from(b);
    this.num = Float64Array.from(num);
    this.nodes = nodes;
    this.roundings = Float64Array.from(op, (code, k) => (code === OP_POWN && num[k] > 1 ? 2 * Math.ceil(Math.log2(num[k])) + 1 : 0));
    this.v = new Float64Array(op.length);
    this.e = new Float64Array(op.length);
    this.other = (k, va, ea, vb, eb) => {
      const r = this.otherNode(k, va, ea, vb, eb);
      this.pair[0] = r.value;
      this.pair[1] = r.error;
      return 0;
    };
    this.compiled = options.compile !== false && op.length <= BOUNDED_COMPILE_NODES ? this.generate() : null;
  }

  /** A pow (not a small integer power) or call node, by the interpreter's formulas. */
  private otherNode(k: number, va: number, ea: number, vb: number, eb: number): Bounded {
    const node = this.nodes[k] as Extract<Expr, { k: 'pow' | 'call' }>;
    const arg: Bounded = { value: va, error: ea };
    if (node.k === 'call') return boundedCall(node.fn, arg);
    const expo: Bounded = this.b[k] >= 0 ? { value: vb, error: eb } : { value: (node.b as { v: number }).v, error: 0 };
    return powBound(arg, node.b, () => expo);
  }

  /** The straight-line program: the interpreter's loop body unrolled, node by node. */
  private generate(): CompiledRun {
    const { op, a, b, num } = this;
    const L = numberLiteral;
    const U = L(UNIT_ROUNDOFF);
    const M = L(UNDERFLOW);
    const r = (v: string): string => `(${U} * Math.abs(${v}) + ${M})`;
    const lines: string[] = [];
    for (let k = 0; k < op.length; k++) {
      const v = `v${k}`;
      const e = `e${k}`;
      const [va, ea, vb, eb] = [`v${a[k]}`, `e${a[k]}`, `v${b[k]}`, `e${b[k]}`];
      switch (op[k]) {
        case OP_NUM: lines.push(`const ${v} = ${L(num[k])}; let ${e} = 0;`); break;
        case OP_VAR: lines.push(`const ${v} = x[${a[k]}]; let ${e} = 0;`); break;
        case OP_NEG: lines.push(`const ${v} = -${va}; let ${e} = ${ea};`); break;
        case OP_ADD: lines.push(`const ${v} = ${va} + ${vb}; let ${e} = ${ea} + ${eb} + ${r(v)};`); break;
        case OP_SUB: lines.push(`const ${v} = ${va} - ${vb}; let ${e} = ${ea} + ${eb} + ${r(v)};`); break;
        case OP_MUL: lines.push(`const ${v} = ${va} * ${vb}; let ${e} = Math.abs(${va}) * ${eb} + Math.abs(${vb}) * ${ea} + ${ea} * ${eb} + ${r(v)};`); break;
        case OP_DIV:
          lines.push(`const ${v} = ${va} / ${vb}; const room${k} = Math.abs(${vb}) - ${eb}; let ${e} = room${k} > 0 ? (${ea} + Math.abs(${v}) * ${eb}) / room${k} + ${r(v)} : Infinity;`);
          break;
        case OP_POWN: {
          const q = num[k];
          const propagated = q === 0 ? '0' : `${L(q)} * Math.pow(Math.abs(${va}) + ${ea}, ${L(q - 1)}) * ${ea}`;
          lines.push(`const ${v} = Math.pow(${va}, ${L(q)}); let ${e} = ${propagated} + ${L(this.roundings[k])} * ${r(v)} + ${M};`);
          break;
        }
        default:
          lines.push(`other(${k}, ${va}, ${ea}, ${b[k] >= 0 ? vb : '0'}, ${b[k] >= 0 ? eb : '0'}); const ${v} = out[0]; let ${e} = out[1];`);
      }
      lines.push(`if (!Number.isFinite(${v})) ${e} = Infinity;`);
    }
    Array.from(this.outputs).forEach((slot, k) => lines.push(`values[${k}] = v${slot}; errors[${k}] = e${slot};`));
    // Generated from the IR's numeric literals and node indices only.
    return new Function('x', 'values', 'errors', 'other', 'out', `"use strict";\n${lines.join('\n')}`) as CompiledRun;
  }

  /** Writes value and error bound of output k into values[k], errors[k]. */
  run(x: ArrayLike<number>, values: Float64Array, errors: Float64Array): void {
    if (this.compiled) {
      this.compiled(x, values, errors, this.other, this.pair);
      return;
    }
    const { op, a, b, num, v, e } = this;
    for (let k = 0; k < op.length; k++) {
      let val: number;
      let err: number;
      switch (op[k]) {
        case OP_NUM: val = num[k]; err = 0; break;
        case OP_VAR: val = x[a[k]]; err = 0; break;
        case OP_NEG: val = -v[a[k]]; err = e[a[k]]; break;
        case OP_ADD: val = v[a[k]] + v[b[k]]; err = e[a[k]] + e[b[k]] + rounding(val); break;
        case OP_SUB: val = v[a[k]] - v[b[k]]; err = e[a[k]] + e[b[k]] + rounding(val); break;
        case OP_MUL: {
          const p = v[a[k]], q = v[b[k]], ep = e[a[k]], eq = e[b[k]];
          val = p * q;
          err = Math.abs(p) * eq + Math.abs(q) * ep + ep * eq + rounding(val);
          break;
        }
        case OP_DIV: {
          const p = v[a[k]], q = v[b[k]], ep = e[a[k]], eq = e[b[k]];
          val = p / q;
          const room = Math.abs(q) - eq;
          err = room > 0 ? (ep + Math.abs(val) * eq) / room + rounding(val) : Infinity;
          break;
        }
        case OP_POWN: {
          // a^q, q a small non-negative integer: powBound's formula, without allocating
          const q = num[k];
          const x = v[a[k]];
          const ex = e[a[k]];
          val = Math.pow(x, q);
          const propagated = q === 0 ? 0 : q * Math.pow(Math.abs(x) + ex, q - 1) * ex;
          err = propagated + this.roundings[k] * rounding(val) + UNDERFLOW;
          break;
        }
        default: {
          // other powers and calls: the interpreter's formulas on this node's arguments
          const r = this.otherNode(k, v[a[k]], e[a[k]], b[k] >= 0 ? v[b[k]] : 0, b[k] >= 0 ? e[b[k]] : 0);
          val = r.value;
          err = r.error;
        }
      }
      if (!Number.isFinite(val)) err = Infinity;
      v[k] = val;
      e[k] = err;
    }
    const outputs = this.outputs;
    for (let k = 0; k < outputs.length; k++) {
      values[k] = v[outputs[k]];
      errors[k] = e[outputs[k]];
    }
  }
}
