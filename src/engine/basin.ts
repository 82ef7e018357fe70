/**
 * Basin maps: classify every start of a 2-D grid of initializations (DESIGN.md §1 contract,
 * documented in classify.ts). The hot path of the product: for each (problem, slice, η) one
 * fused JavaScript function is generated from codegen output only — f and ∇f as straight-line
 * code inlined in the GD loop, all coordinates in locals, grid geometry, η, tolerances and
 * certificates as numeric literals, no allocation per step — and run over row ranges.
 *
 * Geometry (slice.gridMode): 'centers' (default) samples pixel centres — row r of a map is
 * y = yRange[1] − (r + 0.5)·(yRange[1]−yRange[0])/height (top row = largest y), column c is
 * x = xRange[0] + (c + 0.5)·(xRange[1]−xRange[0])/width; 'edges' samples endpoint-inclusive,
 * exactly the points of np.linspace — column c is np.linspace(x_lo, x_hi, width)[c], row r is
 * np.linspace(y_lo, y_hi, height)[height − 1 − r] (top row = largest y). The start is slice.base
 * with the two axis coordinates replaced by (x, y); GD then moves all n coordinates.
 */
import { emitStraightLine, numberLiteral } from './codegen';
import { checkEta, resolveClassifyOptions, STATIONARY_STEP, termScale, type DynamicsProblem } from './classify';
import { createStallClassifier } from './stall';
import { classifyTail, TAIL_WINDOW } from './orbits';
import { gradientDescent, type UpdateRule } from './update';
import { CLASS_COUNT, MinimumCode, PixelClass, type BasinStats, type CertificateResult, type ClassifyOptions, type CompiledObjective, type SliceSpec } from './types';

export interface BasinRows {
  rowStart: number;
  rowEnd: number;
  width: number;
  /** PixelClass code per pixel, row-major over rows rowStart..rowEnd−1 */
  classes: Uint8Array;
  /** index of the minimum converged to; −1 none, −2 a point of a set of minima, −3 an unlisted minimum (MinimumCode) */
  minimum: Int8Array;
  /** `steps`: the index k of the iterate at which the outcome was decided (classify.ts) */
  steps: Uint32Array;
  /** K: the index of the last loss increase, 0 when the loss never increased (classify.ts) */
  unstableSteps: Uint32Array;
  /**
   * sharpness at the limit point: λ_max(∇²f) where the start converged (λ_max(θ*_j) for minimum j;
   * at the point reached on a set of minima), NaN when it did not converge — compare with 2/η
   */
  limitSharpness: Float32Array;
  /** the period p of class-5 (cycle) pixels, 0 otherwise */
  period: Uint8Array;
}

export interface BasinKernel {
  /** total GD steps run so far (for benchmarks) */
  readonly stepsDone: number;
  /** classifies rows [rowStart, rowEnd); null if cancel[0] != 0 was seen (checked at every row and every 256 steps) */
  runRows(rowStart: number, rowEnd: number, cancel?: Int32Array): BasinRows | null;
}

export type { BasinStats } from './types';

/** Largest number of pixels a single map may have (4096²). */
export const MAX_MAP_PIXELS = 4096 * 4096;

/** Throws a RangeError naming what is wrong with a slice for an n-variable problem. */
export function checkSlice(slice: SliceSpec, n: number): void {
  const [a, b] = slice.axes;
  if (n < 2) throw new RangeError(`a basin map needs at least two variables; the objective has ${n}`);
  for (const axis of [a, b]) {
    if (!Number.isInteger(axis) || axis < 0 || axis >= n) throw new RangeError(`map axis ${axis} is not a variable index (0..${n - 1})`);
  }
  if (a === b) throw new RangeError('the two map axes must be different variables');
  if (!Array.isArray(slice.base) || slice.base.length !== n) throw new RangeError(`the slice base point must have ${n} coordinates`);
  for (let i = 0; i < n; i++) {
    if (i !== a && i !== b && !Number.isFinite(slice.base[i])) throw new RangeError(`the fixed value of variable ${i} must be a finite number`);
  }
  for (const [name, r] of [['x', slice.xRange], ['y', slice.yRange]] as const) {
    if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1])) throw new RangeError(`the ${name} range [${r[0]}, ${r[1]}] is empty, inverted or not finite`);
  }
  for (const [name, v] of [['width', slice.width], ['height', slice.height]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`the map ${name} must be a positive whole number, got ${v}`);
  }
  if (slice.width * slice.height > MAX_MAP_PIXELS) {
    throw new RangeError(`the map has ${slice.width}×${slice.height} pixels; at most ${MAX_MAP_PIXELS} (4096²) are allowed`);
  }
}

/**
 * Coordinate of grid index i (0 … count−1) on [lo, hi]: 'centers' lo + (i + ½)·(hi − lo)/count;
 * 'edges' exactly np.linspace(lo, hi, count)[i] — lo + i·(hi − lo)/(count − 1), the last one hi
 * (a single point is lo). The kernel emits the same arithmetic.
 */
export function gridCoordinate(lo: number, hi: number, count: number, i: number, mode: SliceSpec['gridMode']): number {
  if (mode !== 'edges') return lo + (i + 0.5) * ((hi - lo) / count);
  if (count === 1) return lo;
  return i === count - 1 ? hi : lo + i * ((hi - lo) / (count - 1));
}

/** x of column c and y of row r of a slice (the documented geometry, module comment; row 0 = largest y). */
export function pixelCenter(slice: SliceSpec, row: number, col: number): [number, number] {
  const x = gridCoordinate(slice.xRange[0], slice.xRange[1], slice.width, col, slice.gridMode);
  const y = slice.gridMode === 'edges'
    ? gridCoordinate(slice.yRange[0], slice.yRange[1], slice.height, slice.height - 1 - row, 'edges')
    : slice.yRange[1] - (row + 0.5) * ((slice.yRange[1] - slice.yRange[0]) / slice.height);
  return [x, y];
}

/** The start θ_0 of pixel (row, col): the slice base with the axis coordinates replaced. */
export function pixelStart(slice: SliceSpec, row: number, col: number): number[] {
  const [x, y] = pixelCenter(slice, row, col);
  const start = slice.base.slice();
  start[slice.axes[0]] = x;
  start[slice.axes[1]] = y;
  return start;
}

/** Axes 0 and 1; the other variables fixed at the first minimum (or the domain centre); ranges = domain. */
export function defaultSlice(problem: DynamicsProblem, grid: number): SliceSpec {
  const n = problem.compiled.n;
  const first = problem.minima[0];
  const base = first ? first.point.slice() : problem.domain.map(([lo, hi]) => (lo + hi) / 2);
  return {
    axes: [0, 1],
    base,
    xRange: [problem.domain[0][0], problem.domain[0][1]],
    yRange: [problem.domain[1 < n ? 1 : 0][0], problem.domain[1 < n ? 1 : 0][1]],
    width: grid,
    height: grid,
  };
}

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
}

export function stepConstants(problem: DynamicsProblem, eta: number, options: ClassifyOptions, certificates: readonly CertificateResult[], rule?: UpdateRule): StepConstants {
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
  };
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
const HELPER_PARAMS = ['at', 'out', 'tb', 'tf', 'stall', 'tail'] as const;
const helperArgs = (h: LoopHelpers): unknown[] => [h.at, h.out, h.tb, h.tf, h.stall, h.tail];

/**
 * The loop for one start, as JS source over locals p0..p(n−1) (the iterate, updated in place),
 * leaving cls / mi / k / last / sharp / per set. Shared by the basin kernel and the trajectory
 * stepper. The checks are the contract of classify.ts in its order; the update is the rule's.
 */
function loopSource(compiled: CompiledObjective, k: StepConstants, record: boolean): string {
  const n = compiled.n;
  const inputs = Array.from({ length: n }, (_, i) => `p${i}`);
  const line = emitStraightLine([compiled.ir.f, ...compiled.ir.grad], inputs, 't');
  const L = numberLiteral;
  const sumSq = (terms: string[]): string => terms.join(' + ');
  const regionTests = k.regions
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
  const body = `
  ${line.code}
  const f = ${line.results[0]};
  ${grads}
  ${record ? `rec(k, f, ${inputs.join(', ')}${n > 0 ? ', ' : ''}${Array.from({ length: n }, (_, i) => `g${i}`).join(', ')});` : ''}
  if (f - fPrev > ${L(k.guard)} * Math.abs(fPrev) + ${L(k.guardScale)}) { incr++; last = k; }
  ${regionTests}
  const n2 = ${n2};
  if (!(n2 <= ${L(k.escape2)}) || !(Math.abs(f) < Infinity)) { cls = ${PixelClass.Diverged}; break; }
  if ((${gg}) * ${L(k.eta2)} < ${L(k.stationary2)} * (1 + n2)) {
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
  return `
for (;;) {
  if (k === ${k.tailStart}) { tailing = 1; break; }
  ${body}
  ${next}
}
if (tailing === 1) {
  for (;;) {
    ${body}
    const o = (k - ${k.tailStart}) * ${n}; ${saveTail} tf[k - ${k.tailStart}] = f;
    if (k === ${k.maxSteps}) { cls = tail(tb, tf, k - ${k.tailStart} + 1, ${n}, out); per = out[0] | 0; break; }
    ${next}
  }
}`;
}

type KernelFn = (
  rowStart: number,
  rowEnd: number,
  classes: Uint8Array,
  minimum: Int8Array,
  steps: Uint32Array,
  unstableSteps: Uint32Array,
  limitSharpness: Float32Array,
  period: Uint8Array,
  cancel: Int32Array | null,
  ...helpers: unknown[]
) => number;

/** The generated source of the fused kernel (exported for inspection and tests). */
export function basinKernelSource(problem: DynamicsProblem, slice: SliceSpec, constants: StepConstants): string {
  const { compiled } = problem;
  const n = compiled.n;
  checkSlice(slice, n);
  const L = numberLiteral;
  const edges = slice.gridMode === 'edges';
  const [x0, x1] = slice.xRange;
  const [y0, y1] = slice.yRange;
  // the arithmetic of gridCoordinate / pixelCenter, with the spacings as literals
  const yOf = edges
    ? slice.height === 1 ? L(y0) : `r === 0 ? ${L(y1)} : ${L(y0)} + (${slice.height - 1} - r) * ${L((y1 - y0) / (slice.height - 1))}`
    : `${L(y1)} - (r + 0.5) * ${L((y1 - y0) / slice.height)}`;
  const xOf = edges
    ? slice.width === 1 ? L(x0) : `col === ${slice.width - 1} ? ${L(x1)} : ${L(x0)} + col * ${L((x1 - x0) / (slice.width - 1))}`
    : `${L(x0)} + (col + 0.5) * ${L((x1 - x0) / slice.width)}`;
  const init = Array.from({ length: n }, (_, i) =>
    i === slice.axes[0] ? `let p${i} = x;` : i === slice.axes[1] ? `let p${i} = y;` : `let p${i} = ${L(slice.base[i])};`,
  ).join(' ');
  return `"use strict";
let total = 0;
for (let r = rowStart; r < rowEnd; r++) {
  if (cancel !== null && Atomics.load(cancel, 0) !== 0) return -1;
  const y = ${yOf};
  const rowOffset = (r - rowStart) * ${slice.width};
  for (let col = 0; col < ${slice.width}; col++) {
    const x = ${xOf};
    ${init} ${constants.rule.init(n)}
    let fPrev = Infinity, incr = 0, last = 0, cls = ${PixelClass.NotConverged}, mi = ${MinimumCode.None}, k = 0, cert = 0, sharp = NaN, per = 0, tailing = 0;
    ${loopSource(compiled, constants, false)}
    total += k;
    const idx = rowOffset + col;
    classes[idx] = cls; minimum[idx] = mi; steps[idx] = k; unstableSteps[idx] = last; limitSharpness[idx] = sharp; period[idx] = per;
  }
}
return total;`;
}

/**
 * One fused kernel per (problem, slice, η): see the module comment. `certificates` are those of
 * this η (certifyAll); minima without one use the fallback tolerance ball. `rule` defaults to
 * gradient descent at η.
 */
export function createBasinKernel(
  problem: DynamicsProblem,
  slice: SliceSpec,
  eta: number,
  options: ClassifyOptions,
  certificates: CertificateResult[],
  rule?: UpdateRule,
): BasinKernel {
  if (problem.minima.length > 127) throw new RangeError(`too many minima for a map (${problem.minima.length}; at most 127)`);
  const constants = stepConstants(problem, eta, options, certificates, rule);
  const source = basinKernelSource(problem, slice, constants);
  // Generated from codegen output and numeric literals only (see codegen.ts).
  const fn = new Function('rowStart', 'rowEnd', 'classes', 'minimum', 'steps', 'unstableSteps', 'limitSharpness', 'period', 'cancel', ...HELPER_PARAMS, source) as KernelFn;
  const helpers = helperArgs(loopHelpers(problem));
  let stepsDone = 0;
  return {
    get stepsDone() {
      return stepsDone;
    },
    runRows(rowStart: number, rowEnd: number, cancel?: Int32Array): BasinRows | null {
      if (!Number.isInteger(rowStart) || !Number.isInteger(rowEnd) || rowStart < 0 || rowEnd > slice.height || rowStart > rowEnd) {
        throw new RangeError(`rows [${rowStart}, ${rowEnd}) are outside the map's 0..${slice.height}`);
      }
      const count = (rowEnd - rowStart) * slice.width;
      const rows: BasinRows = {
        rowStart,
        rowEnd,
        width: slice.width,
        classes: new Uint8Array(count),
        minimum: new Int8Array(count),
        steps: new Uint32Array(count),
        unstableSteps: new Uint32Array(count),
        limitSharpness: new Float32Array(count),
        period: new Uint8Array(count),
      };
      const done = fn(rowStart, rowEnd, rows.classes, rows.minimum, rows.steps, rows.unstableSteps, rows.limitSharpness, rows.period, cancel ?? null, ...helpers);
      if (done < 0) return null;
      stepsDone += done;
      return rows;
    },
  };
}

/** Recorder called by the trajectory stepper at every iterate: (k, f, θ…, ∇f…). */
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
}

type StepperFn = (theta: Float64Array, rec: StepRecorder, ...helpers: unknown[]) => [number, number, number, number, number, number, number, number, number];

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
    const source = `"use strict";
${load} ${constants.rule.init(n)}
let fPrev = Infinity, incr = 0, last = 0, cls = ${PixelClass.NotConverged}, mi = ${MinimumCode.None}, k = 0, cert = 0, fAt = NaN, sharp = NaN, per = 0, tailing = 0;
${loopSource(compiled, constants, true).replaceAll('const f = ', 'const f = fAt = ')}
${store}
return [cls, mi, k, last, incr, cert, fAt, sharp, per];`;
    const fn = new Function('theta', 'rec', ...HELPER_PARAMS, source) as StepperFn;
    entry = { fn, helpers: helperArgs(loopHelpers(problem)) };
    if (perObjective.size > 64) perObjective.clear();
    perObjective.set(key, entry);
  }
  const theta = Float64Array.from(init);
  const [cls, mi, k, last, incr, cert, fAt, sharp, per] = entry.fn(theta, rec, ...entry.helpers);
  return { cls, minimum: mi, steps: k, lastIncrease: last, increases: incr, certified: cert === 1, theta, loss: fAt, sharpness: sharp, period: per };
}

/** Area fractions of a (complete or partial) map. */
export function basinStats(classes: Uint8Array, minimum: Int8Array, minimaCount: number): BasinStats {
  const total = classes.length;
  const counts = new Array<number>(CLASS_COUNT).fill(0);
  const perMinimum = Array.from({ length: minimaCount }, () => ({ stable: 0, unstable: 0 }));
  const minimumSet = { stable: 0, unstable: 0 };
  const unlisted = { stable: 0, unstable: 0 };
  for (let i = 0; i < total; i++) {
    const c = classes[i];
    if (c < CLASS_COUNT) counts[c]++;
    if (c !== PixelClass.Stable && c !== PixelClass.Unstable) continue;
    const key = c === PixelClass.Stable ? 'stable' : 'unstable';
    const j = minimum[i];
    if (j >= 0 && j < minimaCount) perMinimum[j][key]++;
    else if (j === MinimumCode.Set) minimumSet[key]++;
    else if (j === MinimumCode.Unlisted) unlisted[key]++;
  }
  const frac = (v: number): number => (total > 0 ? v / total : 0);
  const pair = (m: { stable: number; unstable: number }): { stable: number; unstable: number } => ({ stable: frac(m.stable), unstable: frac(m.unstable) });
  return {
    total,
    stable: frac(counts[PixelClass.Stable]),
    unstable: frac(counts[PixelClass.Unstable]),
    diverged: frac(counts[PixelClass.Diverged]),
    notConverged: frac(counts[PixelClass.NotConverged]),
    other: frac(counts[PixelClass.Other]),
    cycle: frac(counts[PixelClass.Cycle]),
    aperiodic: frac(counts[PixelClass.BoundedAperiodic]),
    descending: frac(counts[PixelClass.StillDescending]),
    perMinimum: perMinimum.map(pair),
    minimumSet: pair(minimumSet),
    unlisted: pair(unlisted),
  };
}

/** A whole map in one call (single-threaded): rows 0..height, null if cancelled. */
export function computeBasinMap(
  problem: DynamicsProblem,
  slice: SliceSpec,
  eta: number,
  options: ClassifyOptions,
  certificates: CertificateResult[],
  cancel?: Int32Array,
): (BasinRows & { stepsDone: number }) | null {
  const kernel = createBasinKernel(problem, slice, eta, options, certificates);
  const rows = kernel.runRows(0, slice.height, cancel);
  return rows ? { ...rows, stepsDone: kernel.stepsDone } : null;
}
