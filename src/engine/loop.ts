/**
 * The generated GD loop shared by the basin kernel (basin.ts) and the trajectory stepper: the
 * constants it is specialised with (StepConstants), the helpers it calls at a decision (the stall
 * and tail classifiers) and its source. The checks follow the contract of classify.ts in its
 * order; the update is the pluggable rule of update.ts. A trajectory and the map pixel of the
 * same start run the very same floating-point operations.
 */
import { emitStraightLine, numberLiteral } from './codegen';
import { checkEta, resolveClassifyOptions, STATIONARY_STEP, termScale, type DynamicsProblem } from './classify';
import { classifyTail, TAIL_WINDOW } from './orbits';
import { createStallClassifier } from './stall';
import { gradientDescent, NO_TABLE, type ConvergenceTest, type UpdateRule } from './update';
import { MinimumCode, PixelClass, type CertificateResult, type ClassifyOptions, type CompiledObjective } from './types';

/**
 * The literals that both the kernel and trajectory() use, computed once so the two run the very
 * same floating-point operations.
 */
export interface StepConstants {
  eta: number;
  /** the update rule (gradient descent unless a caller plugs in another) */
  rule: UpdateRule;
  /** roundoffGuard, and roundoffGuard · T (T = termScale) */
  guard: number;
  guardScale: number;
  /** escapeRadius² */
  escape2: number;
  /** s² (s = rule.stationaryScale, η for GD) and STATIONARY_STEP² of the stall test s²‖∇f‖² < S²·(1 + ‖θ‖²) */
  eta2: number;
  stationary2: number;
  maxSteps: number;
  /** first k whose iterate is recorded for the tail classification (orbits.ts) */
  tailStart: number;
  /** per minimum: centre, squared radius, level (+∞ for the fallback ball) and λ_max (the limit sharpness) */
  regions: { minimum: number; center: number[]; radius2: number; level: number; certified: boolean; sharpness: number }[];
  /** the optimizer's own convergence test, replacing `regions` (src/engine/optimizers/convergence.ts) */
  convergence?: ConvergenceTest;
}

export function stepConstants(
  problem: DynamicsProblem,
  eta: number,
  options: ClassifyOptions,
  certificates: readonly CertificateResult[],
  rule?: UpdateRule,
  convergence?: ConvergenceTest | null,
): StepConstants {
  checkEta(eta);
  const o = resolveClassifyOptions(options);
  const update = rule ?? gradientDescent(eta);
  const regions: StepConstants['regions'] = [];
  problem.minima.forEach((m, j) => {
    const cert = certificates.find((c) => (c.ok ? c.certificate.minimum === j : c.minimum === j));
    if (cert && cert.ok && cert.certificate.eta === eta) {
      const c = cert.certificate;
      regions.push({ minimum: j, center: c.center.slice(), radius2: c.tPrime * c.tPrime, level: c.c, certified: true, sharpness: m.lambdaMax });
    } else {
      regions.push({ minimum: j, center: m.point.slice(), radius2: o.fallbackTolerance * o.fallbackTolerance, level: Infinity, certified: false, sharpness: m.lambdaMax });
    }
  });
  return {
    eta,
    rule: update,
    guard: o.roundoffGuard,
    guardScale: o.roundoffGuard * termScale(problem),
    escape2: o.escapeRadius * o.escapeRadius,
    eta2: update.stationaryScale * update.stationaryScale,
    stationary2: STATIONARY_STEP * STATIONARY_STEP,
    maxSteps: o.maxSteps,
    tailStart: Math.max(0, o.maxSteps - TAIL_WINDOW + 1),
    regions,
    ...(convergence ? { convergence } : {}),
  };
}

/** Declarations every generated start needs besides the iterate: the rule's state and the convergence test's. */
export function startDeclarations(constants: StepConstants, n: number): string {
  return `${constants.rule.init(n)} ${constants.convergence?.declare ?? ''}`;
}

/**
 * The helpers the generated loop calls at a decision (never per step): the stall classifier
 * (stall.ts) and the tail classifier (orbits.ts), with their scratch arrays.
 */
export interface LoopHelpers {
  /** θ at a stall, read by stall() */
  at: Float64Array;
  /** stall: [minimum code, sharpness]; tail: [period] */
  out: Float64Array;
  /** the recorded tail: θ (TAIL_WINDOW·n) and f (TAIL_WINDOW) */
  tb: Float64Array;
  tf: Float64Array;
  stall(at: Float64Array, out: Float64Array): void;
  tail(tb: Float64Array, tf: Float64Array, m: number, n: number, out: Float64Array): number;
}

export function loopHelpers(problem: DynamicsProblem): LoopHelpers {
  const n = problem.compiled.n;
  return {
    at: new Float64Array(n),
    out: new Float64Array(3),
    tb: new Float64Array(TAIL_WINDOW * n),
    tf: new Float64Array(TAIL_WINDOW),
    stall: createStallClassifier(problem),
    tail: classifyTail,
  };
}

/** Parameter names of the helpers in generated code (in this order). */
export const HELPER_PARAMS = ['at', 'out', 'tb', 'tf', 'stall', 'tail'] as const;
export const helperArgs = (h: LoopHelpers): unknown[] => [h.at, h.out, h.tb, h.tf, h.stall, h.tail];

/**
 * The loop for one start, as JS source over locals p0..p(n−1) (the iterate, updated in place),
 * leaving cls / mi / k / last / sharp / per set. Shared by the basin kernel and the trajectory
 * stepper. The checks are the contract of classify.ts in its order; the update is the rule's.
 *
 * With `rerunTail` (the basin kernel), a start that reaches the tail window leaves the loop and
 * runs that code instead of the recording copy: the kernel re-runs such a start from its start in
 * a function of its own that has the recording copy (the very same operations), so the kernel
 * function holds one copy of the loop. A
 * second copy, entered by a few starts only, made V8 compile the kernel without type feedback for
 * it, deoptimise at each of its first uses (five rounds of recompiling for f3) and run the hot
 * loop 25–45% slower even when warm.
 */
export function loopSource(compiled: CompiledObjective, k: StepConstants, record: boolean, rerunTail?: string): string {
  const n = compiled.n;
  const inputs = Array.from({ length: n }, (_, i) => `p${i}`);
  const line = emitStraightLine([compiled.ir.f, ...compiled.ir.grad], inputs, 't');
  const L = numberLiteral;
  const sumSq = (terms: string[]): string => terms.join(' + ');
  const regionTests = k.convergence ? k.convergence.test : k.regions
    .map((r) => {
      const ds = r.center.map((c, i) => `const d${i} = p${i} - ${L(c)};`).join(' ');
      const d2 = sumSq(r.center.map((_, i) => `d${i} * d${i}`));
      const hit = `mi = ${r.minimum}; cls = incr > 0 ? ${PixelClass.Unstable} : ${PixelClass.Stable}; sharp = ${L(r.sharpness)};${r.certified ? ' cert = 1;' : ''} break;`;
      // certified: the cheap level test first (f is at hand), then the ball
      return r.certified
        ? `if (f < ${L(r.level)}) { ${ds} if (${d2} < ${L(r.radius2)}) { ${hit} } }`
        : `{ ${ds} if (${d2} < ${L(r.radius2)}) { ${hit} } }`;
    })
    .join('\n');
  const grads = Array.from({ length: n }, (_, i) => `const g${i} = ${line.results[i + 1]};`).join(' ');
  const n2 = sumSq(inputs.map((p) => `${p} * ${p}`));
  const gg = sumSq(Array.from({ length: n }, (_, i) => `g${i} * g${i}`));
  const saveAt = inputs.map((p, i) => `at[${i}] = ${p};`).join(' ');
  const saveTail = inputs.map((p, i) => `tb[o + ${i}] = ${p};`).join(' ');
  const state = k.rule.stateNames?.(n) ?? [];
  const stallBound = `${L(k.stationary2)} * (1 + n2)`;
  const stateStall = k.rule.stall?.(n, stallBound) ?? null;
  const recorded = [...inputs, ...Array.from({ length: n }, (_, i) => `g${i}`), ...state];
  const body = `
  ${line.code}
  const f = ${line.results[0]};
  ${grads}
  ${record ? `rec(k, f${recorded.length > 0 ? ', ' : ''}${recorded.join(', ')});` : ''}
  if (f - fPrev > ${L(k.guard)} * Math.abs(fPrev) + ${L(k.guardScale)}) { incr++; last = k; }
  ${regionTests}
  const n2 = ${n2};
  if (!(n2 <= ${L(k.escape2)}) || !(Math.abs(f) < Infinity)) { cls = ${PixelClass.Diverged}; break; }
  if ((${gg}) * ${L(k.eta2)} < ${stallBound}${stateStall ? ` && ${stateStall}` : ''}) {
    ${saveAt} stall(at, out); mi = out[0] | 0; sharp = out[1];
    cls = mi === ${MinimumCode.None} ? ${PixelClass.Other} : incr > 0 ? ${PixelClass.Unstable} : ${PixelClass.Stable};
    break;
  }`;
  const next = `
  ${record ? '' : `if ((k & 255) === 255 && cancel !== null && Atomics.load(cancel, 0) !== 0) return -1;`}
  fPrev = f;
  ${k.rule.step(n)}
  k++;`;
  // Two copies of the loop: the first runs up to the tail window with the original single
  // per-step check; the second records the last iterates for the tail classification (keeping
  // the recording stores out of the hot loop keeps it as fast as before).
  const head = `
for (;;) {
  if (k === ${k.tailStart}) { tailing = 1; break; }
  ${body}
  ${next}
}`;
  if (rerunTail !== undefined) return `${head}
if (tailing === 1) { ${rerunTail} }`;
  return `${head}
if (tailing === 1) {
  for (;;) {
    ${body}
    const o = (k - ${k.tailStart}) * ${n}; ${saveTail} tf[k - ${k.tailStart}] = f;
    if (k === ${k.maxSteps}) { cls = tail(tb, tf, k - ${k.tailStart} + 1, ${n}, out); per = out[0] | 0; break; }
    ${next}
  }
}`;
}

/** Recorder called by the trajectory stepper at every iterate: (k, f, θ…, ∇f…, the rule's state before the update…). */
export type StepRecorder = (k: number, f: number, ...thetaThenGrad: number[]) => void;

/** Result of {@link runStepper}. */
export interface StepperOutcome {
  cls: number;
  /** minimum index, or a MinimumCode */
  minimum: number;
  /** k at which the outcome was decided */
  steps: number;
  /** K: index of the last counted increase, 0 if none */
  lastIncrease: number;
  increases: number;
  /** 1 when decided by entering a certified set */
  certified: boolean;
  /** the iterate at the decision */
  theta: Float64Array;
  /** f at the decision */
  loss: number;
  /** λ_max at the limit point (converged), else NaN */
  sharpness: number;
  /** period of a cycle, else 0 */
  period: number;
  /** iterates computed after the decision's date (the convergence test's extraSteps; `theta` and `state` are at steps + extra) */
  extra: number;
  /** the rule's state at the end (stateNames order; empty for GD) */
  state: Float64Array;
}

type StepperFn = (theta: Float64Array, stateOut: Float64Array, rec: StepRecorder, rd: Float64Array, ...helpers: unknown[]) => [number, number, number, number, number, number, number, number, number, number];

const stepperCache = new WeakMap<CompiledObjective, Map<string, { fn: StepperFn; helpers: unknown[] }>>();

/**
 * Runs the kernel's loop for one start with a per-iterate recorder (same generated arithmetic as
 * the basin kernel, so a trajectory and its map pixel agree bit for bit).
 */
export function runStepper(problem: DynamicsProblem, constants: StepConstants, init: ArrayLike<number>, rec: StepRecorder): StepperOutcome {
  const { compiled } = problem;
  const n = compiled.n;
  if (init.length !== n) throw new RangeError(`the start has ${init.length} coordinates; the objective has ${n} variables`);
  const key = JSON.stringify(constants) + '|' + JSON.stringify(problem.domain);
  let perObjective = stepperCache.get(compiled);
  if (!perObjective) {
    perObjective = new Map();
    stepperCache.set(compiled, perObjective);
  }
  let entry = perObjective.get(key);
  if (!entry) {
    const load = Array.from({ length: n }, (_, i) => `let p${i} = theta[${i}];`).join(' ');
    const store = Array.from({ length: n }, (_, i) => `theta[${i}] = p${i};`).join(' ');
    const storeState = (constants.rule.stateNames?.(n) ?? []).map((s, j) => `stateOut[${j}] = ${s};`).join(' ');
    const source = `"use strict";
${load} ${startDeclarations(constants, n)}
let fPrev = Infinity, incr = 0, last = 0, cls = ${PixelClass.NotConverged}, mi = ${MinimumCode.None}, k = 0, cert = 0, fAt = NaN, sharp = NaN, per = 0, tailing = 0;
${loopSource(compiled, constants, true).replaceAll('const f = ', 'const f = fAt = ')}
${store} ${storeState}
return [cls, mi, k, last, incr, cert, fAt, sharp, per, ${constants.convergence?.extraSteps ?? '0'}];`;
    const fn = new Function('theta', 'stateOut', 'rec', 'rd', ...HELPER_PARAMS, source) as StepperFn;
    entry = { fn, helpers: helperArgs(loopHelpers(problem)) };
    if (perObjective.size > 64) perObjective.clear();
    perObjective.set(key, entry);
  }
  const theta = Float64Array.from(init);
  const state = new Float64Array(constants.rule.stateNames?.(n).length ?? 0);
  const [cls, mi, k, last, incr, cert, fAt, sharp, per, extra] = entry.fn(theta, state, rec, constants.rule.table ?? NO_TABLE, ...entry.helpers);
  return { cls, minimum: mi, steps: k, lastIncrease: last, increases: incr, certified: cert === 1, theta, loss: fAt, sharpness: sharp, period: per, extra, state };
}

