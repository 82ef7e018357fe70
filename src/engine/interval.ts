/**
 * Interval arithmetic with outward rounding over the engine's Expr IR.
 *
 * JavaScript has no directed rounding modes, so every computed bound is pushed outwards after
 * the operation: basic operations (+ − × ÷, correctly rounded to nearest by IEEE 754) are widened
 * by at least one ulp, Math.* library functions (not correctly rounded, but accurate to about one
 * ulp) by at least four ulps. The result of `evalInterval(e, box)` therefore encloses the exact
 * range of e over the box. Points where e is undefined or not smooth enough (log of a box that
 * reaches 0 or below, a pole of tan or 1/x inside the box, …) give an unbounded interval, so
 * anything built on top (the Theorem 2 certificate) fails safely instead of certifying nonsense.
 */
import type { Expr, FunctionName } from './types';

/** A closed interval [lo, hi]; lo may be −∞ and hi +∞ (the whole line). */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

/** Thrown for an IR node this module cannot bound (kept for IR extensions; all FUNCTIONS are supported). */
export class IntervalUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntervalUnsupportedError';
  }
}

const EPS = 2 ** -52;
const TINY = Number.MIN_VALUE;
/** widening of Math.* results: |x|·2⁻⁵⁰ ≥ 4 ulps (plus the smallest subnormal) */
const LIB = 2 ** -50;

/** A number ≥ the next double above x (at least one ulp up); ±∞ and NaN stay. */
export function roundUp(x: number): number {
  return x + (Math.abs(x) * EPS + TINY);
}
/** A number ≤ the next double below x (at least one ulp down). */
export function roundDown(x: number): number {
  return x - (Math.abs(x) * EPS + TINY);
}
function libUp(x: number): number {
  return x + (Math.abs(x) * LIB + TINY);
}
function libDown(x: number): number {
  return x - (Math.abs(x) * LIB + TINY);
}

export const ENTIRE: Interval = { lo: -Infinity, hi: Infinity };

export function interval(lo: number, hi: number = lo): Interval {
  return { lo, hi };
}

/** An interval with a NaN bound is replaced by the whole line (never falsely tight). */
function make(lo: number, hi: number): Interval {
  if (Number.isNaN(lo) || Number.isNaN(hi)) return ENTIRE;
  return { lo, hi };
}

export function isBounded(a: Interval): boolean {
  return Number.isFinite(a.lo) && Number.isFinite(a.hi);
}

export function iAdd(a: Interval, b: Interval): Interval {
  return make(roundDown(a.lo + b.lo), roundUp(a.hi + b.hi));
}

export function iSub(a: Interval, b: Interval): Interval {
  return make(roundDown(a.lo - b.hi), roundUp(a.hi - b.lo));
}

export function iNeg(a: Interval): Interval {
  return { lo: -a.hi, hi: -a.lo };
}

/** product of two bounds with 0·∞ = 0 (the limit that keeps enclosures valid) */
function mulBound(x: number, y: number): number {
  if (x === 0 || y === 0) return 0;
  return x * y;
}

export function iMul(a: Interval, b: Interval): Interval {
  const p1 = mulBound(a.lo, b.lo);
  const p2 = mulBound(a.lo, b.hi);
  const p3 = mulBound(a.hi, b.lo);
  const p4 = mulBound(a.hi, b.hi);
  return make(roundDown(Math.min(p1, p2, p3, p4)), roundUp(Math.max(p1, p2, p3, p4)));
}

/** a / b; a divisor interval that contains 0 gives the whole line. */
export function iDiv(a: Interval, b: Interval): Interval {
  if (b.lo <= 0 && b.hi >= 0) return ENTIRE;
  const q = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi].map((v) => (Number.isNaN(v) ? 0 : v));
  return make(roundDown(Math.min(...q)), roundUp(Math.max(...q)));
}

export function iSqr(a: Interval): Interval {
  return iPowInt(a, 2);
}

/** a^n for an integer n, by repeated squaring with outward rounding (exact enclosure). */
export function iPowInt(a: Interval, n: number): Interval {
  if (n === 0) return { lo: 1, hi: 1 };
  if (n < 0) return iDiv({ lo: 1, hi: 1 }, iPowInt(a, -n));
  if (n === 1) return a;
  return make(powIntLo(a.lo, a.hi, n), powIntHi(a.lo, a.hi, n));
}

/** x ≥ 0: an upper bound of x^n (n ≥ 1), by squaring with upward rounding */
function upPow(x: number, n: number): number {
  let result = 1;
  let base = x;
  let e = n;
  while (e > 0) {
    if (e & 1) result = roundUp(result * base);
    e = Math.floor(e / 2);
    if (e > 0) base = roundUp(base * base);
  }
  return result;
}

/** x ≥ 0: a lower bound of x^n (n ≥ 1, never below 0) */
function downPow(x: number, n: number): number {
  let result = 1;
  let base = x;
  let e = n;
  while (e > 0) {
    if (e & 1) result = Math.max(0, roundDown(result * base));
    e = Math.floor(e / 2);
    if (e > 0) base = Math.max(0, roundDown(base * base));
  }
  return result;
}

/** lower end of [lo, hi]^n for an integer n ≥ 2 */
function powIntLo(lo: number, hi: number, n: number): number {
  if (n % 2 === 0) {
    const absLo = lo >= 0 ? lo : hi <= 0 ? -hi : 0;
    return absLo === 0 ? 0 : downPow(absLo, n);
  }
  return lo >= 0 ? downPow(lo, n) : -upPow(-lo, n);
}

/** upper end of [lo, hi]^n for an integer n ≥ 2 */
function powIntHi(lo: number, hi: number, n: number): number {
  if (n % 2 === 0) return upPow(Math.max(Math.abs(lo), Math.abs(hi)), n);
  return hi >= 0 ? upPow(hi, n) : -downPow(-hi, n);
}

/** a monotone non-decreasing library function applied to [lo, hi] inside its domain */
function increasing(fn: (x: number) => number, a: Interval): Interval {
  return make(libDown(fn(a.lo)), libUp(fn(a.hi)));
}

/** a^b for a real (non-integer or non-constant) exponent: defined here for a > 0 only. */
export function iPow(a: Interval, b: Interval): Interval {
  if (b.lo === b.hi && Number.isInteger(b.lo) && Math.abs(b.lo) <= 1024) return iPowInt(a, b.lo);
  if (b.lo === b.hi) {
    const p = b.lo;
    if (a.lo < 0) return ENTIRE; // not real-valued on the whole box
    if (p > 0) {
      // x^p increasing on [0, ∞); near 0 with p < 2 it is not C² but still bounded
      return make(Math.max(0, libDown(Math.pow(a.lo, p))), libUp(Math.pow(a.hi, p)));
    }
    if (a.lo === 0) return ENTIRE;
    return make(Math.max(0, libDown(Math.pow(a.hi, p))), libUp(Math.pow(a.lo, p)));
  }
  if (a.lo <= 0) return ENTIRE;
  return iCall('exp', iMul(b, iCall('log', a)));
}

/**
 * Enclosure of sin or cos over a: the end values rounded outwards, widened to ±1 where an
 * extremum phase + kπ lies inside (even k → +1, odd k → −1). The search is enlarged slightly
 * because π is inexact.
 */
function iUnitWave(a: Interval, wave: (x: number) => number, phase: number): Interval {
  if (!isBounded(a)) return { lo: -1, hi: 1 };
  if (a.hi - a.lo >= 2 * Math.PI) return { lo: -1, hi: 1 };
  const kLo = Math.ceil((a.lo - phase) / Math.PI - 1e-9);
  const kHi = Math.floor((a.hi - phase) / Math.PI + 1e-9);
  let lo = Math.min(libDown(wave(a.lo)), libDown(wave(a.hi)));
  let hi = Math.max(libUp(wave(a.lo)), libUp(wave(a.hi)));
  for (let k = kLo; k <= kHi; k++) {
    if (k % 2 === 0) hi = 1;
    else lo = -1;
  }
  return { lo: Math.max(-1, lo), hi: Math.min(1, hi) };
}

/** cos: extrema at kπ. */
const iCos = (a: Interval): Interval => iUnitWave(a, Math.cos, 0);
/** sin: extrema at π/2 + kπ. */
const iSin = (a: Interval): Interval => iUnitWave(a, Math.sin, Math.PI / 2);

function iTan(a: Interval): Interval {
  if (!isBounded(a) || a.hi - a.lo >= Math.PI) return ENTIRE;
  // poles at π/2 + kπ (searched with a small margin: π is inexact)
  const kLo = Math.ceil((a.lo - Math.PI / 2) / Math.PI - 1e-9);
  const kHi = Math.floor((a.hi - Math.PI / 2) / Math.PI + 1e-9);
  if (kLo <= kHi) return ENTIRE;
  return increasing(Math.tan, a);
}

const ONE: Interval = { lo: 1, hi: 1 };

/** f(a) for a whitelisted function, enclosing the exact range; outside the domain → whole line. */
export function iCall(fn: FunctionName, a: Interval): Interval {
  switch (fn) {
    case 'exp':
      return make(Math.max(0, libDown(Math.exp(a.lo))), libUp(Math.exp(a.hi)));
    case 'expm1':
      return make(Math.max(-1, libDown(Math.expm1(a.lo))), libUp(Math.expm1(a.hi)));
    case 'log':
      return a.lo > 0 ? increasing(Math.log, a) : ENTIRE;
    case 'log2':
      return a.lo > 0 ? increasing(Math.log2, a) : ENTIRE;
    case 'log10':
      return a.lo > 0 ? increasing(Math.log10, a) : ENTIRE;
    case 'log1p':
      return a.lo > -1 ? increasing(Math.log1p, a) : ENTIRE;
    case 'sqrt':
      // (∇² of sqrt contains 1/sqrt(x)³, whose divisor then contains 0: the whole line)
      return a.lo >= 0 ? make(Math.max(0, libDown(Math.sqrt(a.lo))), libUp(Math.sqrt(a.hi))) : ENTIRE;
    case 'sin':
      return iSin(a);
    case 'cos':
      return iCos(a);
    case 'tan':
      return iTan(a);
    case 'sec':
      return iDiv(ONE, iCos(a));
    case 'csc':
      return iDiv(ONE, iSin(a));
    case 'cot':
      return iDiv(ONE, iTan(a));
    case 'sinh':
      return increasing(Math.sinh, a);
    case 'cosh': {
      const m = Math.max(Math.abs(a.lo), Math.abs(a.hi));
      const lo = a.lo <= 0 && a.hi >= 0 ? 1 : Math.max(1, libDown(Math.cosh(Math.min(Math.abs(a.lo), Math.abs(a.hi)))));
      return make(lo, libUp(Math.cosh(m)));
    }
    case 'tanh':
      return make(Math.max(-1, libDown(Math.tanh(a.lo))), Math.min(1, libUp(Math.tanh(a.hi))));
    case 'sech':
      return iDiv(ONE, iCall('cosh', a));
    case 'csch':
      return iDiv(ONE, increasing(Math.sinh, a));
    case 'coth':
      return iDiv(ONE, iCall('tanh', a));
    case 'asin':
      return a.lo >= -1 && a.hi <= 1 ? increasing(Math.asin, a) : ENTIRE;
    case 'acos':
      return a.lo >= -1 && a.hi <= 1 ? make(Math.max(0, libDown(Math.acos(a.hi))), libUp(Math.acos(a.lo))) : ENTIRE;
    case 'atan':
      return increasing(Math.atan, a);
    case 'asinh':
      return increasing(Math.asinh, a);
    case 'acosh':
      return a.lo >= 1 ? make(Math.max(0, libDown(Math.acosh(a.lo))), libUp(Math.acosh(a.hi))) : ENTIRE;
    case 'atanh':
      return a.lo > -1 && a.hi < 1 ? increasing(Math.atanh, a) : ENTIRE;
    default: {
      const name: never = fn;
      throw new IntervalUnsupportedError(`no interval enclosure for function '${String(name)}'`);
    }
  }
}

/**
 * Encloses the range of `e` over the box (one interval per variable index).
 * Shared subtrees are evaluated once per call (cached by node identity).
 */
export function evalInterval(e: Expr, box: readonly Interval[], cache: Map<Expr, Interval> = new Map()): Interval {
  const hit = cache.get(e);
  if (hit) return hit;
  let r: Interval;
  switch (e.k) {
    case 'num':
      r = { lo: e.v, hi: e.v };
      break;
    case 'var': {
      const v = box[e.i];
      if (!v) throw new IntervalUnsupportedError(`variable index ${e.i} has no interval`);
      r = v;
      break;
    }
    case 'neg':
      r = iNeg(evalInterval(e.a, box, cache));
      break;
    case 'add':
      r = iAdd(evalInterval(e.a, box, cache), evalInterval(e.b, box, cache));
      break;
    case 'sub':
      r = iSub(evalInterval(e.a, box, cache), evalInterval(e.b, box, cache));
      break;
    case 'mul':
      // x·x is a square: enclose it as such (tighter than the product of two independent copies)
      r = e.a === e.b ? iSqr(evalInterval(e.a, box, cache)) : iMul(evalInterval(e.a, box, cache), evalInterval(e.b, box, cache));
      break;
    case 'div':
      r = iDiv(evalInterval(e.a, box, cache), evalInterval(e.b, box, cache));
      break;
    case 'pow':
      r = iPow(evalInterval(e.a, box, cache), evalInterval(e.b, box, cache));
      break;
    case 'call':
      r = iCall(e.fn, evalInterval(e.a, box, cache));
      break;
    default: {
      const node: never = e;
      throw new IntervalUnsupportedError(`unknown IR node ${JSON.stringify(node)}`);
    }
  }
  cache.set(e, r);
  return r;
}

/** Encloses several expressions over one box, sharing subtrees between them. */
export function evalIntervals(es: readonly Expr[], box: readonly Interval[]): Interval[] {
  const cache = new Map<Expr, Interval>();
  return es.map((e) => evalInterval(e, box, cache));
}

/* ------------------------------------------------------------------ compiled programs */

const OP_NUM = 0;
const OP_VAR = 1;
const OP_NEG = 2;
const OP_ADD = 3;
const OP_SUB = 4;
const OP_MUL = 5;
const OP_SQR = 6;
const OP_DIV = 7;
const OP_POWINT = 8;
const OP_POW = 9;
const OP_CALL = 10;

/**
 * Several expressions flattened into one instruction list over their shared DAG, evaluated over
 * a box into preallocated lo/hi arrays (the same enclosures as evalInterval, without allocating
 * per node): what the certificate runs thousands of times.
 */
export class IntervalProgram {
  private readonly op: Int32Array;
  private readonly argA: Int32Array;
  private readonly argB: Int32Array;
  private readonly value: Float64Array;
  private readonly fn: (FunctionName | null)[];
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** slot of each output expression in lo/hi */
  readonly outputs: Int32Array;

  constructor(exprs: readonly Expr[]) {
    const slot = new Map<Expr, number>();
    const op: number[] = [];
    const argA: number[] = [];
    const argB: number[] = [];
    const value: number[] = [];
    const fn: (FunctionName | null)[] = [];
    const emit = (code: number, a: number, b: number, v: number, f: FunctionName | null): number => {
      op.push(code);
      argA.push(a);
      argB.push(b);
      value.push(v);
      fn.push(f);
      return op.length - 1;
    };
    // iterative post-order walk (Hessians of long expressions can be deep)
    const visit = (root: Expr): number => {
      const stack: Array<{ e: Expr; expanded: boolean }> = [{ e: root, expanded: false }];
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const e = top.e;
        if (slot.has(e)) {
          stack.pop();
          continue;
        }
        const children: Expr[] = e.k === 'num' || e.k === 'var' ? [] : e.k === 'neg' || e.k === 'call' ? [e.a] : [e.a, e.b];
        if (!top.expanded) {
          top.expanded = true;
          for (const c of children) if (!slot.has(c)) stack.push({ e: c, expanded: false });
          continue;
        }
        stack.pop();
        let index: number;
        switch (e.k) {
          case 'num': index = emit(OP_NUM, 0, 0, e.v, null); break;
          case 'var': index = emit(OP_VAR, e.i, 0, 0, null); break;
          case 'neg': index = emit(OP_NEG, slot.get(e.a) as number, 0, 0, null); break;
          case 'add': index = emit(OP_ADD, slot.get(e.a) as number, slot.get(e.b) as number, 0, null); break;
          case 'sub': index = emit(OP_SUB, slot.get(e.a) as number, slot.get(e.b) as number, 0, null); break;
          case 'mul':
            index = e.a === e.b
              ? emit(OP_SQR, slot.get(e.a) as number, 0, 0, null)
              : emit(OP_MUL, slot.get(e.a) as number, slot.get(e.b) as number, 0, null);
            break;
          case 'div': index = emit(OP_DIV, slot.get(e.a) as number, slot.get(e.b) as number, 0, null); break;
          case 'pow':
            if (e.b.k === 'num' && Number.isInteger(e.b.v) && e.b.v >= 2 && e.b.v <= 1024) index = emit(OP_POWINT, slot.get(e.a) as number, 0, e.b.v, null);
            else index = emit(OP_POW, slot.get(e.a) as number, slot.get(e.b) as number, 0, null);
            break;
          case 'call': index = emit(OP_CALL, slot.get(e.a) as number, 0, 0, e.fn); break;
          default: {
            const node: never = e;
            throw new IntervalUnsupportedError(`unknown IR node ${JSON.stringify(node)}`);
          }
        }
        slot.set(e, index);
      }
      return slot.get(root) as number;
    };
    const outputs = exprs.map(visit);
    this.op = Int32Array.from(op);
    this.argA = Int32Array.from(argA);
    this.argB = Int32Array.from(argB);
    this.value = Float64Array.from(value);
    this.fn = fn;
    this.lo = new Float64Array(op.length);
    this.hi = new Float64Array(op.length);
    this.outputs = Int32Array.from(outputs);
  }

  /** Evaluates every output over the box [boxLo_i, boxHi_i]; results in lo/hi at `outputs`. */
  run(boxLo: ArrayLike<number>, boxHi: ArrayLike<number>): void {
    const { op, argA, argB, value, fn, lo, hi } = this;
    for (let i = 0; i < op.length; i++) {
      const a = argA[i];
      const b = argB[i];
      let l: number;
      let h: number;
      switch (op[i]) {
        case OP_NUM: l = h = value[i]; break;
        case OP_VAR: l = boxLo[a]; h = boxHi[a]; break;
        case OP_NEG: l = -hi[a]; h = -lo[a]; break;
        case OP_ADD: l = roundDown(lo[a] + lo[b]); h = roundUp(hi[a] + hi[b]); break;
        case OP_SUB: l = roundDown(lo[a] - hi[b]); h = roundUp(hi[a] - lo[b]); break;
        case OP_MUL: {
          const p1 = mulBound(lo[a], lo[b]);
          const p2 = mulBound(lo[a], hi[b]);
          const p3 = mulBound(hi[a], lo[b]);
          const p4 = mulBound(hi[a], hi[b]);
          l = roundDown(Math.min(p1, p2, p3, p4));
          h = roundUp(Math.max(p1, p2, p3, p4));
          break;
        }
        case OP_SQR: l = powIntLo(lo[a], hi[a], 2); h = powIntHi(lo[a], hi[a], 2); break;
        case OP_POWINT: l = powIntLo(lo[a], hi[a], value[i]); h = powIntHi(lo[a], hi[a], value[i]); break;
        case OP_DIV: {
          const bl = lo[b];
          const bh = hi[b];
          if (bl <= 0 && bh >= 0) {
            l = -Infinity;
            h = Infinity;
          } else {
            let q1 = lo[a] / bl;
            let q2 = lo[a] / bh;
            let q3 = hi[a] / bl;
            let q4 = hi[a] / bh;
            if (q1 !== q1) q1 = 0;
            if (q2 !== q2) q2 = 0;
            if (q3 !== q3) q3 = 0;
            if (q4 !== q4) q4 = 0;
            l = roundDown(Math.min(q1, q2, q3, q4));
            h = roundUp(Math.max(q1, q2, q3, q4));
          }
          break;
        }
        case OP_POW: {
          const r = iPow({ lo: lo[a], hi: hi[a] }, { lo: lo[b], hi: hi[b] });
          l = r.lo;
          h = r.hi;
          break;
        }
        default: {
          const r = iCall(fn[i] as FunctionName, { lo: lo[a], hi: hi[a] });
          l = r.lo;
          h = r.hi;
        }
      }
      if (l !== l || h !== h) {
        l = -Infinity;
        h = Infinity;
      }
      lo[i] = l;
      hi[i] = h;
    }
  }
}
