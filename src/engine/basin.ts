/**
 * Basin maps: classify every start of a 2-D grid of initializations (DESIGN.md §1 contract,
 * documented in classify.ts). The hot path of the product: for each (problem, slice, η) one
 * fused JavaScript function is generated from codegen output only — f and ∇f as straight-line
 * code inlined in the GD loop, all coordinates in locals, grid geometry, η, tolerances and
 * certificates as numeric literals, no allocation per step — and run over row ranges.
 *
 * Geometry: row r of a map is y = yRange[1] − (r + 0.5)·(yRange[1]−yRange[0])/height (top row =
 * largest y); column c is x = xRange[0] + (c + 0.5)·(xRange[1]−xRange[0])/width. The start is
 * slice.base with the two axis coordinates replaced by (x, y); GD then moves all n coordinates.
 */
import { numberLiteral } from './codegen';
import { emitStraightLine } from './codegen';
import { checkEta, resolveClassifyOptions, STATIONARY_STEP, termScale, type DynamicsProblem } from './classify';
import { PixelClass, type BasinStats, type CertificateResult, type ClassifyOptions, type CompiledObjective, type SliceSpec } from './types';

export interface BasinRows {
  rowStart: number;
  rowEnd: number;
  width: number;
  /** PixelClass code per pixel, row-major over rows rowStart..rowEnd−1 */
  classes: Uint8Array;
  /** index of the minimum converged to, −1 when none */
  minimum: Int8Array;
  /** GD steps until the outcome was decided */
  steps: Uint32Array;
  /** K: the length of the unstable phase (0 when the loss never increased) */
  unstableSteps: Uint32Array;
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

/** x of column c and y of row r of a slice (the documented pixel-centre geometry). */
export function pixelCenter(slice: SliceSpec, row: number, col: number): [number, number] {
  const dx = (slice.xRange[1] - slice.xRange[0]) / slice.width;
  const dy = (slice.yRange[1] - slice.yRange[0]) / slice.height;
  return [slice.xRange[0] + (col + 0.5) * dx, slice.yRange[1] - (row + 0.5) * dy];
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
  /** roundoffGuard, and roundoffGuard · T (T = termScale) */
  guard: number;
  guardScale: number;
  /** escapeRadius² */
  escape2: number;
  /** η² and STATIONARY_STEP² of the "other" test η²‖∇f‖² < S²·(1 + ‖θ‖²) */
  eta2: number;
  stationary2: number;
  maxSteps: number;
  /** per minimum: centre, squared radius and level (level = +∞ for the fallback ball) */
  regions: { minimum: number; center: number[]; radius2: number; level: number; certified: boolean }[];
}

export function stepConstants(problem: DynamicsProblem, eta: number, options: ClassifyOptions, certificates: readonly CertificateResult[]): StepConstants {
  checkEta(eta);
  const o = resolveClassifyOptions(options);
  const regions: StepConstants['regions'] = [];
  problem.minima.forEach((m, j) => {
    const cert = certificates.find((c) => (c.ok ? c.certificate.minimum === j : c.minimum === j));
    if (cert && cert.ok && cert.certificate.eta === eta) {
      const c = cert.certificate;
      regions.push({ minimum: j, center: c.center.slice(), radius2: c.tPrime * c.tPrime, level: c.c, certified: true });
    } else {
      regions.push({ minimum: j, center: m.point.slice(), radius2: o.fallbackTolerance * o.fallbackTolerance, level: Infinity, certified: false });
    }
  });
  return {
    eta,
    guard: o.roundoffGuard,
    guardScale: o.roundoffGuard * termScale(problem),
    escape2: o.escapeRadius * o.escapeRadius,
    eta2: eta * eta,
    stationary2: STATIONARY_STEP * STATIONARY_STEP,
    maxSteps: o.maxSteps,
    regions,
  };
}

/**
 * The GD loop body for one start, as JS source over locals p0..p(n−1) (the iterate, updated in
 * place), leaving cls / mi / k / last set. Shared by the basin kernel and the trajectory stepper.
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
      const hit = `mi = ${r.minimum}; cls = incr > 0 ? ${PixelClass.Unstable} : ${PixelClass.Stable};${r.certified ? ' cert = 1;' : ''} break;`;
      // certified: the cheap level test first (f is at hand), then the ball
      return r.certified
        ? `if (f < ${L(r.level)}) { ${ds} if (${d2} < ${L(r.radius2)}) { ${hit} } }`
        : `{ ${ds} if (${d2} < ${L(r.radius2)}) { ${hit} } }`;
    })
    .join('\n');
  const grads = Array.from({ length: n }, (_, i) => `const g${i} = ${line.results[i + 1]};`).join(' ');
  const n2 = sumSq(inputs.map((p) => `${p} * ${p}`));
  const gg = sumSq(Array.from({ length: n }, (_, i) => `g${i} * g${i}`));
  const update = inputs.map((p, i) => `${p} -= ${L(k.eta)} * g${i};`).join(' ');
  return `
for (;;) {
  ${line.code}
  const f = ${line.results[0]};
  ${grads}
  ${record ? `rec(k, f, ${inputs.join(', ')}${n > 0 ? ', ' : ''}${Array.from({ length: n }, (_, i) => `g${i}`).join(', ')});` : ''}
  if (f - fPrev > ${L(k.guard)} * Math.abs(fPrev) + ${L(k.guardScale)}) { incr++; last = k; }
  ${regionTests}
  const n2 = ${n2};
  if (!(n2 <= ${L(k.escape2)}) || !(Math.abs(f) < Infinity)) { cls = ${PixelClass.Diverged}; break; }
  if ((${gg}) * ${L(k.eta2)} < ${L(k.stationary2)} * (1 + n2)) { cls = ${PixelClass.Other}; break; }
  if (k === ${k.maxSteps}) { cls = ${PixelClass.NotConverged}; break; }
  ${record ? '' : `if ((k & 255) === 255 && cancel !== null && Atomics.load(cancel, 0) !== 0) return -1;`}
  fPrev = f;
  ${update}
  k++;
}`;
}

type KernelFn = (
  rowStart: number,
  rowEnd: number,
  classes: Uint8Array,
  minimum: Int8Array,
  steps: Uint32Array,
  unstableSteps: Uint32Array,
  cancel: Int32Array | null,
) => number;

/** The generated source of the fused kernel (exported for inspection and tests). */
export function basinKernelSource(problem: DynamicsProblem, slice: SliceSpec, constants: StepConstants): string {
  const { compiled } = problem;
  const n = compiled.n;
  checkSlice(slice, n);
  const L = numberLiteral;
  const dx = (slice.xRange[1] - slice.xRange[0]) / slice.width;
  const dy = (slice.yRange[1] - slice.yRange[0]) / slice.height;
  const init = Array.from({ length: n }, (_, i) =>
    i === slice.axes[0] ? `let p${i} = x;` : i === slice.axes[1] ? `let p${i} = y;` : `let p${i} = ${L(slice.base[i])};`,
  ).join(' ');
  return `"use strict";
let total = 0;
for (let r = rowStart; r < rowEnd; r++) {
  if (cancel !== null && Atomics.load(cancel, 0) !== 0) return -1;
  const y = ${L(slice.yRange[1])} - (r + 0.5) * ${L(dy)};
  const rowOffset = (r - rowStart) * ${slice.width};
  for (let col = 0; col < ${slice.width}; col++) {
    const x = ${L(slice.xRange[0])} + (col + 0.5) * ${L(dx)};
    ${init}
    let fPrev = Infinity, incr = 0, last = -1, cls = ${PixelClass.NotConverged}, mi = -1, k = 0, cert = 0;
    ${loopSource(compiled, constants, false)}
    total += k;
    const idx = rowOffset + col;
    classes[idx] = cls; minimum[idx] = mi; steps[idx] = k; unstableSteps[idx] = last < 0 ? 0 : last + 1;
  }
}
return total;`;
}

/**
 * One fused kernel per (problem, slice, η): see the module comment. `certificates` are those of
 * this η (certifyAll); minima without one use the fallback tolerance ball.
 */
export function createBasinKernel(
  problem: DynamicsProblem,
  slice: SliceSpec,
  eta: number,
  options: ClassifyOptions,
  certificates: CertificateResult[],
): BasinKernel {
  if (problem.minima.length > 127) throw new RangeError(`too many minima for a map (${problem.minima.length}; at most 127)`);
  const constants = stepConstants(problem, eta, options, certificates);
  const source = basinKernelSource(problem, slice, constants);
  // Generated from codegen output and numeric literals only (see codegen.ts).
  const fn = new Function('rowStart', 'rowEnd', 'classes', 'minimum', 'steps', 'unstableSteps', 'cancel', source) as KernelFn;
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
      };
      const done = fn(rowStart, rowEnd, rows.classes, rows.minimum, rows.steps, rows.unstableSteps, cancel ?? null);
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
  minimum: number;
  /** k at which the outcome was decided */
  steps: number;
  /** index of the last counted increase, −1 if none */
  lastIncrease: number;
  increases: number;
  /** 1 when decided by entering a certified set */
  certified: boolean;
  /** the iterate at the decision */
  theta: Float64Array;
  /** f at the decision */
  loss: number;
}

type StepperFn = (theta: Float64Array, rec: StepRecorder) => [number, number, number, number, number, number, number];

const stepperCache = new WeakMap<CompiledObjective, Map<string, StepperFn>>();

/**
 * Runs the kernel's loop for one start with a per-iterate recorder (same generated arithmetic as
 * the basin kernel, so a trajectory and its map pixel agree bit for bit).
 */
export function runStepper(problem: DynamicsProblem, constants: StepConstants, init: ArrayLike<number>, rec: StepRecorder): StepperOutcome {
  const { compiled } = problem;
  const n = compiled.n;
  if (init.length !== n) throw new RangeError(`the start has ${init.length} coordinates; the objective has ${n} variables`);
  const key = JSON.stringify(constants);
  let perObjective = stepperCache.get(compiled);
  if (!perObjective) {
    perObjective = new Map();
    stepperCache.set(compiled, perObjective);
  }
  let fn = perObjective.get(key);
  if (!fn) {
    const load = Array.from({ length: n }, (_, i) => `let p${i} = theta[${i}];`).join(' ');
    const store = Array.from({ length: n }, (_, i) => `theta[${i}] = p${i};`).join(' ');
    const source = `"use strict";
${load}
let fPrev = Infinity, incr = 0, last = -1, cls = ${PixelClass.NotConverged}, mi = -1, k = 0, cert = 0, fAt = NaN;
${loopSource(compiled, constants, true).replace('const f = ', 'const f = fAt = ')}
${store}
return [cls, mi, k, last, incr, cert, fAt];`;
    fn = new Function('theta', 'rec', source) as StepperFn;
    if (perObjective.size > 64) perObjective.clear();
    perObjective.set(key, fn);
  }
  const theta = Float64Array.from(init);
  const [cls, mi, k, last, incr, cert, fAt] = fn(theta, rec);
  return { cls, minimum: mi, steps: k, lastIncrease: last, increases: incr, certified: cert === 1, theta, loss: fAt };
}

/** Area fractions of a (complete or partial) map. */
export function basinStats(classes: Uint8Array, minimum: Int8Array, minimaCount: number): BasinStats {
  const total = classes.length;
  const counts = [0, 0, 0, 0, 0];
  const perMinimum = Array.from({ length: minimaCount }, () => ({ stable: 0, unstable: 0 }));
  for (let i = 0; i < total; i++) {
    const c = classes[i];
    counts[c]++;
    const j = minimum[i];
    if (j >= 0 && j < minimaCount) {
      if (c === PixelClass.Stable) perMinimum[j].stable++;
      else if (c === PixelClass.Unstable) perMinimum[j].unstable++;
    }
  }
  const frac = (v: number): number => (total > 0 ? v / total : 0);
  return {
    total,
    stable: frac(counts[PixelClass.Stable]),
    unstable: frac(counts[PixelClass.Unstable]),
    diverged: frac(counts[PixelClass.Diverged]),
    notConverged: frac(counts[PixelClass.NotConverged]),
    other: frac(counts[PixelClass.Other]),
    perMinimum: perMinimum.map((m) => ({ stable: frac(m.stable), unstable: frac(m.unstable) })),
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
