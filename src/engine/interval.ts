/**
 * Interval arithmetic with outward rounding: the Interval type, the elementary operations and
 * enclosures of every whitelisted function (evaluation of the Expr IR over a box is in
 * intervalEval.ts).
 *
 * JavaScript has no directed rounding modes, so every computed bound is pushed outwards after
 * the operation: basic operations (+ − × ÷, correctly rounded to nearest by IEEE 754) are widened
 * by at least one ulp, Math.* library functions (not correctly rounded, but accurate to about one
 * ulp) by at least four ulps. Each result therefore encloses the exact range of the operation
 * over its argument intervals. Where a function is undefined or not smooth enough (log of an
 * interval that reaches 0 or below, a pole of tan or 1/x inside it, …) the result is the whole
 * line, so anything built on top (the Theorem 2 certificate) fails safely instead of certifying
 * nonsense.
 */
import type { FunctionName } from './types';

/** A closed interval [lo, hi]; lo may be −∞ and hi +∞ (the whole line). */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

/** Thrown for an IR node or function the interval code cannot bound (kept for IR extensions; all FUNCTIONS are supported). */
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
export function mulBound(x: number, y: number): number {
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
export function powIntLo(lo: number, hi: number, n: number): number {
  if (n % 2 === 0) {
    const absLo = lo >= 0 ? lo : hi <= 0 ? -hi : 0;
    return absLo === 0 ? 0 : downPow(absLo, n);
  }
  return lo >= 0 ? downPow(lo, n) : -upPow(-lo, n);
}

/** upper end of [lo, hi]^n for an integer n ≥ 2 */
export function powIntHi(lo: number, hi: number, n: number): number {
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
