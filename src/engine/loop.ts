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
 * A start checks the cancel flag every CANCEL_STEPS steps (the basin kernel also checks it every
 * 16 starts). Atomics.load is a call: in a loop that goes on after it, V8 keeps the loop's values
 * in memory instead of registers, which made every step 25% slower; a check no start of the map
 * reaches (maxSteps < CANCEL_STEPS) is never compiled in. A start of 4096 steps takes well under
 * 50 ms even for a large objective.
 */
export const CANCEL_STEPS = 4096;

/**
 * The class a convergence hit sets (the loop's regions, an optimizer's convergence test, a stall
 * at a minimum): the code after the loop ({@link resolveHit}) turns it into Unstable when the loss
 * increased on the way, so the exits themselves carry no arithmetic (see loopSource).
 */
export const HIT_CLASS = PixelClass.Stable;

/** After the loop: a hit is Stable, or Unstable when the loss increased (both operands read at every start). */
export const resolveHit = `{ const rise = incr > 0; cls = cls === ${HIT_CLASS} ? (rise ? ${PixelClass.Unstable} : ${HIT_CLASS}) : cls; }`;

/**
 * The loop for one start, as JS source over locals p0..p(n−1) (the iterate, updated in place),
 * leaving cls / mi / k / last / sharp / per / incr / cert set (a hit as {@link HIT_CLASS}:
 * follow it with {@link resolveHit}). Shared by the basin kernel and the trajectory stepper. The
 * checks are the contract of classify.ts in its order; the update is the rule's. It reads `k0`
 * (the first step index, 0 for a start) and `s2` (STATIONARY_STEP², the stall constant), which
 * the caller declares.
 *
 * One copy of the loop: the last TAIL_WINDOW iterates are recorded in the same loop (k ≥
 * tailStart, a compare per step) and classified when k reaches maxSteps. (A second copy of the
 * loop, entered by a few starts only, ran the hot loop 25–45% slower even warm.)
 *
 * V8 compiles the loop with the type feedback of the paths run so far and deoptimises when a path
 * without feedback is first taken, then recompiles (10–80 ms on a busy core, running the
 * interpreter meanwhile). So the exits of a hit and of a divergence carry no arithmetic (a class
 * constant and `break`), and the paths a start may take late are run once before the map through
 * `k0` and `s2` (basin.ts, primeKernel): k0 near maxSteps runs the recording and the tail
 * classification, s2 = ∞ the stall classifier. The cancel check is left out of that on purpose
 * (see CANCEL_STEPS).
 */
export function loopSource(compiled: CompiledObjective, k: StepConstants, record: boolean): string {
  const n = compiled.n;
  const inputs = Array.from({ length: n }, (_, i) => `p${i}`);
  const line = emitStraightLine([compiled.ir.f, ...compiled.ir.grad], inputs, 't');
  const L = numberLiteral;
  const sumSq = (terms: string[]): string => terms.join(' + ');
  const regionTests = k.convergence ? k.convergence.test : k.regions
    .map((r) => {
      const ds = r.center.map((c, i) => `const d${i} = p${i} - ${L(c)};`).join(' ');
      const d2 = sumSq(r.center.map((_, i) => `d${i} * d${i}`));
      const hit = `mi = ${r.minimum}; cls = ${HIT_CLASS}; sharp = ${L(r.sharpness)};${r.certified ? ' cert = 1;' : ''} break;`;
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
  const stallBound = 's2 * (1 + n2)';
  const stateStall = k.rule.stall?.(n, stallBound) ?? null;
  const recorded = [...inputs, ...Array.from({ length: n }, (_, i) => `g${i}`), ...state];
  return `
for (;;) {
  ${record ? '' : `if ((k & ${CANCEL_STEPS - 1}) === ${CANCEL_STEPS - 1} && cancel !== null && Atomics.load(cancel, 0) !== 0) return -1;`}
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
    cls = mi === ${MinimumCode.None} ? ${PixelClass.Other} : ${HIT_CLASS};
    break;
  }
  if (k >= ${k.tailStart}) {
    const o = (k - ${k.tailStart}) * ${n}; ${saveTail} tf[k - ${k.tailStart}] = f;
    if (k >= ${k.maxSteps}) { cls = tail(tb, tf, k - ${k.tailStart} + 1, ${n}, out); per = out[0] | 0; break; }
  }
  fPrev = f;
  ${k.rule.step(n)}
  k++;
}
${resolveHit}`;
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
const k0 = 0, s2 = ${numberLiteral(constants.stationary2)};
let fPrev = Infinity, incr = 0, last = 0, cls = ${PixelClass.NotConverged}, mi = ${MinimumCode.None}, k = k0, cert = 0, fAt = NaN, sharp = NaN, per = 0;
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

