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
import { FUNCTION_IMPL } from './expr';
import type { Expr } from './types';

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
      case 'call': {
        const a = walk(e.a);
        const fn = FUNCTION_IMPL[e.fn];
        const v = fn(a.value);
        let spread = 0;
        if (a.error > 0) {
          const up = fn(a.value + a.error);
          const down = fn(a.value - a.error);
          spread = Math.max(Math.abs(up - v), Math.abs(down - v));
          // sin and cos are 1-Lipschitz: never more than e_a (nor than their range, 2)
          if (e.fn === 'sin' || e.fn === 'cos') spread = Math.min(a.error, 2);
          if (Number.isNaN(spread)) spread = Infinity;
        }
        r = { value: v, error: spread + 2 * rounding(v) };
        break;
      }
    }
    if (!Number.isFinite(r.value)) r = { value: r.value, error: Infinity };
    memo.set(e, r);
    return r;
  };
  return exprs.map(walk);
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
