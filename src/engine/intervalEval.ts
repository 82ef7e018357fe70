/**
 * Enclosures of Expr IR expressions over a box, built on the outward-rounded operations of
 * interval.ts: `evalInterval(e, box)` encloses the exact range of e over the box (a tree walk with
 * shared subtrees evaluated once), and IntervalProgram flattens several expressions into one
 * instruction list evaluated without allocation (what the certificate runs thousands of times).
 * Points where e is undefined or not smooth enough give an unbounded interval.
 */
import type { Expr, FunctionName } from './types';
import {
  iAdd, iCall, iDiv, iMul, iNeg, iPow, iSqr, iSub, IntervalUnsupportedError, mulBound, powIntHi, powIntLo, roundDown, roundUp, type Interval,
} from './interval';

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
