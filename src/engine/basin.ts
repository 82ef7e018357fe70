/**
 * Basin maps: classify every start of a 2-D grid of initializations (DESIGN.md §1 contract,
 * documented in classify.ts). The hot path of the product: for each (problem, slice, η) one
 * fused JavaScript function is generated from codegen output only — f and ∇f as straight-line
 * code inlined in the GD loop, all coordinates in locals, η, tolerances and certificates as
 * numeric literals, no allocation per step — and run over row ranges; the starts' coordinates
 * come from two arrays (gridAxes). Before the map it is run once on a few single starts that take
 * each of its paths (primeKernel), so V8 compiles it once instead of recompiling as the map
 * first meets each kind of start.
 *
 * Geometry (slice.gridMode): 'centers' (default) samples pixel centres — row r of a map is
 * y = yRange[1] − (r + 0.5)·(yRange[1]−yRange[0])/height (top row = largest y), column c is
 * x = xRange[0] + (c + 0.5)·(xRange[1]−xRange[0])/width; 'edges' samples endpoint-inclusive,
 * exactly the points of np.linspace — column c is np.linspace(x_lo, x_hi, width)[c], row r is
 * np.linspace(y_lo, y_hi, height)[height − 1 − r] (top row = largest y). The start is slice.base
 * with the two axis coordinates replaced by (x, y); GD then moves all n coordinates.
 */
import { numberLiteral } from './codegen';
import type { DynamicsProblem } from './classify';
import { HELPER_PARAMS, helperArgs, loopHelpers, loopSource, startDeclarations, stepConstants, type StepConstants } from './loop';
import { loopParts } from './optimizers/loopParts';
import { NO_TABLE } from './update';
import type { OptimizerSpec } from './optimizers/spec';
import { CLASS_COUNT, INCREASE_BINS, MinimumCode, PixelClass, type BasinStats, type CertificateResult, type ClassifyOptions, type IncreaseStats, type SliceSpec } from './types';

export { loopHelpers, runStepper, stepConstants, type LoopHelpers, type StepConstants, type StepperOutcome, type StepRecorder } from './loop';

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
  /** loss increases counted up to the decision (saturating at 65535) — under momentum most starts have some */
  increases: Uint16Array;
}

export interface BasinKernel {
  /** total GD steps run so far (for benchmarks) */
  readonly stepsDone: number;
  /** classifies rows [rowStart, rowEnd); null if cancel[0] != 0 was seen (checked every 16 starts and every CANCEL_STEPS = 4096 steps of a start) */
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

/** `let p0 = …; let p1 = …;` of a start: x and y on the slice's axes, the base elsewhere. */
function startSource(slice: SliceSpec, n: number): string {
  return Array.from({ length: n }, (_, i) =>
    i === slice.axes[0] ? `let p${i} = x;` : i === slice.axes[1] ? `let p${i} = y;` : `let p${i} = ${numberLiteral(slice.base[i])};`,
  ).join(' ');
}

type KernelFn = (
  rowStart: number,
  rowEnd: number,
  width: number,
  xs: Float64Array,
  ys: Float64Array,
  k0: number,
  s2: number,
  classes: Uint8Array,
  minimum: Int8Array,
  steps: Uint32Array,
  unstableSteps: Uint32Array,
  limitSharpness: Float32Array,
  period: Uint8Array,
  increases: Uint16Array,
  cancel: Int32Array | null,
  rd: Float64Array,
  ...helpers: unknown[]
) => number;

const KERNEL_PARAMS = [
  'rowStart', 'rowEnd', 'width', 'xs', 'ys', 'k0', 's2', 'classes', 'minimum', 'steps', 'unstableSteps', 'limitSharpness', 'period', 'increases', 'cancel', 'rd', ...HELPER_PARAMS,
] as const;

/**
 * The x of every column and the y of every row of a slice (the documented geometry: the very
 * arithmetic of {@link pixelCenter}), which the kernel reads as xs[col] and ys[r].
 */
export function gridAxes(slice: SliceSpec): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(slice.width);
  const ys = new Float64Array(slice.height);
  for (let col = 0; col < slice.width; col++) xs[col] = pixelCenter(slice, 0, col)[0];
  for (let r = 0; r < slice.height; r++) ys[r] = pixelCenter(slice, r, 0)[1];
  return { xs, ys };
}

/**
 * The generated source of the fused kernel (exported for inspection and tests): rows
 * [rowStart, rowEnd) of `width` starts (xs[col], ys[r]) each run by the loop of loop.ts from step
 * k0 (0 for a map) with the stall constant s2 (STATIONARY_STEP²); the outcome of each start is
 * stored at once, and the number of steps run is returned (−1 when cancelled).
 */
export function basinKernelSource(problem: DynamicsProblem, slice: SliceSpec, constants: StepConstants): string {
  const { compiled } = problem;
  const n = compiled.n;
  checkSlice(slice, n);
  return `"use strict";
let total = 0;
for (let r = rowStart; r < rowEnd; r++) {
  const y = ys[r];
  const rowOffset = (r - rowStart) * width;
  for (let col = 0; col < width; col++) {
    if ((col & 15) === 0 && cancel !== null && Atomics.load(cancel, 0) !== 0) return -1;
    const x = xs[col];
    ${startSource(slice, n)} ${startDeclarations(constants, n)}
    let fPrev = Infinity, incr = 0, last = 0, cls = ${PixelClass.NotConverged}, mi = ${MinimumCode.None}, k = k0, cert = 0, sharp = NaN, per = 0;
    ${loopSource(compiled, constants, false)}
    total += k${constants.convergence ? ` + ${constants.convergence.extraSteps}` : ''};
    const idx = rowOffset + col;
    classes[idx] = cls; minimum[idx] = mi; steps[idx] = k; unstableSteps[idx] = last; limitSharpness[idx] = sharp; period[idx] = per; increases[idx] = incr < 65535 ? incr : 65535;
  }
}
return total;`;
}

/** The per-pixel output arrays of `count` pixels. */
function outputArrays(count: number): Omit<BasinRows, 'rowStart' | 'rowEnd' | 'width'> {
  return {
    classes: new Uint8Array(count),
    minimum: new Int8Array(count),
    steps: new Uint32Array(count),
    unstableSteps: new Uint32Array(count),
    limitSharpness: new Float32Array(count),
    period: new Uint8Array(count),
    increases: new Uint16Array(count),
  };
}

/** Stand-ins for the stall and tail classifiers in one priming pass (see primeKernel). */
const STAND_INS = {
  stall(_at: Float64Array, out: Float64Array): void {
    out[0] = MinimumCode.None;
    out[1] = NaN;
  },
  tail(_tb: Float64Array, _tf: Float64Array, _m: number, _n: number, out: Float64Array): number {
    out[0] = 0;
    return PixelClass.NotConverged;
  },
};

/**
 * Runs every path of a new kernel on single starts before the map, so that V8 compiles it once,
 * with type feedback for all of them, and does not deoptimise and recompile when a start first
 * takes one (see loopSource). The starts: each minimum (its convergence test and hit), then
 * ordinary points of the window (the first whose first step passes every check) from
 * k0 = maxSteps − 8 (the recording and the tail classification) and with s2 = ∞ (the stall
 * classifier). Three passes: V8 records feedback only once a function has run a little (the
 * first pass), and the second calls stand-ins for the stall and tail classifiers, so that those
 * calls stay calls in the compiled kernel — they are rare, and inlining them made its compile
 * several times longer. The outcomes are thrown away; nothing the map computes depends on them.
 */
function primeKernel(fn: KernelFn, problem: DynamicsProblem, slice: SliceSpec, xs: Float64Array, ys: Float64Array, constants: StepConstants, table: Float64Array, helpers: unknown[]): void {
  const out = outputArrays(1);
  const px = new Float64Array(1);
  const py = new Float64Array(1);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const [a, b] = slice.axes;
  const cols = [0, xs.length - 1, xs.length >> 1];
  const rows = [0, ys.length - 1, ys.length >> 1];
  const standIns = helpers.slice(0, -2).concat([STAND_INS.stall, STAND_INS.tail]);
  for (const h of [helpers, standIns, helpers]) {
    const run = (x: number, y: number, k0: number, s2: number): void => {
      px[0] = x;
      py[0] = y;
      fn(0, 1, 1, px, py, k0, s2, out.classes, out.minimum, out.steps, out.unstableSteps, out.limitSharpness, out.period, out.increases, flag, table, ...h);
    };
    for (const m of problem.minima) run(m.point[a], m.point[b], 0, constants.stationary2);
    let tail = false;
    let stall = false;
    for (let i = 0; i < rows.length * cols.length && !(tail && stall); i++) {
      const x = xs[cols[i % cols.length]];
      const y = ys[rows[Math.floor(i / cols.length)]];
      if (!tail) {
        run(x, y, Math.max(0, constants.maxSteps - 8), 0);
        const cls = out.classes[0];
        tail = cls === PixelClass.NotConverged || cls >= PixelClass.Cycle;
      }
      if (!stall) {
        run(x, y, 0, Infinity);
        stall = out.minimum[0] < 0 && out.classes[0] !== PixelClass.Diverged;
      }
    }
  }
}

/**
 * One fused kernel per (problem, slice, η, optimizer): see the module comment. `certificates` are
 * GD's Theorem 2 certificates of this η (certifyAll); minima without one use the fallback
 * tolerance ball. `optimizer` (default gradient descent) plugs in another update rule and its
 * convergence test (src/engine/optimizers); the GD certificates are then not used.
 */
export function createBasinKernel(
  problem: DynamicsProblem,
  slice: SliceSpec,
  eta: number,
  options: ClassifyOptions,
  certificates: CertificateResult[],
  optimizer?: OptimizerSpec,
): BasinKernel {
  if (problem.minima.length > 127) throw new RangeError(`too many minima for a map (${problem.minima.length}; at most 127)`);
  const parts = loopParts(problem, optimizer, eta, options);
  const constants = parts ? stepConstants(problem, eta, options, [], parts.rule, parts.convergence) : stepConstants(problem, eta, options, certificates);
  const source = basinKernelSource(problem, slice, constants);
  // Generated from codegen output and numeric literals only (see codegen.ts).
  const fn = new Function(...KERNEL_PARAMS, source) as KernelFn;
  const table = constants.rule.table ?? NO_TABLE;
  const helpers = helperArgs(loopHelpers(problem));
  const { xs, ys } = gridAxes(slice);
  primeKernel(fn, problem, slice, xs, ys, constants, table, helpers);
  const s2 = constants.stationary2;
  let stepsDone = 0;
  return {
    get stepsDone() {
      return stepsDone;
    },
    runRows(rowStart: number, rowEnd: number, cancel?: Int32Array): BasinRows | null {
      if (!Number.isInteger(rowStart) || !Number.isInteger(rowEnd) || rowStart < 0 || rowEnd > slice.height || rowStart > rowEnd) {
        throw new RangeError(`rows [${rowStart}, ${rowEnd}) are outside the map's 0..${slice.height}`);
      }
      const rows: BasinRows = { rowStart, rowEnd, width: slice.width, ...outputArrays((rowEnd - rowStart) * slice.width) };
      const done = fn(
        rowStart, rowEnd, slice.width, xs, ys, 0, s2,
        rows.classes, rows.minimum, rows.steps, rows.unstableSteps, rows.limitSharpness, rows.period, rows.increases, cancel ?? null, table, ...helpers,
      );
      if (done < 0) return null;
      stepsDone += done;
      return rows;
    },
  };
}

/** Increase-count statistics of a map (see IncreaseStats). */
export function increaseStats(classes: Uint8Array, increases: Uint16Array): IncreaseStats {
  const total = classes.length;
  let any = 0;
  // counts are uint16: a histogram of every value gives the median without sorting (linear time)
  const byCount = new Uint32Array(65536);
  let m = 0;
  let sum = 0;
  let max = 0;
  for (let i = 0; i < total; i++) {
    const c = increases[i];
    if (c > 0) any++;
    const cls = classes[i];
    if (cls !== PixelClass.Stable && cls !== PixelClass.Unstable) continue;
    byCount[c]++;
    m++;
    sum += c;
    if (c > max) max = c;
  }
  const bins = new Array<number>(INCREASE_BINS.length).fill(0);
  for (let c = 0; c <= max; c++) {
    if (byCount[c] === 0) continue;
    let b = INCREASE_BINS.length - 1;
    while (b > 0 && c < INCREASE_BINS[b]) b--;
    bins[b] += byCount[c];
  }
  /** the k-th smallest count (0-based) among the converged starts */
  const kth = (k: number): number => {
    let seen = 0;
    for (let c = 0; c <= max; c++) {
      seen += byCount[c];
      if (seen > k) return c;
    }
    return max;
  };
  const median = m === 0 ? 0 : m % 2 ? kth((m - 1) / 2) : (kth(m / 2 - 1) + kth(m / 2)) / 2;
  return {
    anyIncrease: total > 0 ? any / total : 0,
    meanConverged: m === 0 ? 0 : sum / m,
    medianConverged: median,
    maxConverged: max,
    histogram: bins.map((b) => (m > 0 ? b / m : 0)),
  };
}

/** Area fractions of a (complete or partial) map; with the per-pixel increase counts, their statistics too. */
export function basinStats(classes: Uint8Array, minimum: Int8Array, minimaCount: number, increases?: Uint16Array): BasinStats {
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
    ...(increases ? { increases: increaseStats(classes, increases) } : {}),
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
  optimizer?: OptimizerSpec,
): (BasinRows & { stepsDone: number }) | null {
  const kernel = createBasinKernel(problem, slice, eta, options, certificates, optimizer);
  const rows = kernel.runRows(0, slice.height, cancel);
  return rows ? { ...rows, stepsDone: kernel.stepsDone } : null;
}
