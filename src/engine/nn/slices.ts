/**
 * 2-D slices of a network's loss landscape around a trained point θ*, as basin maps: each pixel
 * (α, β) is a start θ_0 = θ* + α·d₁ + β·d₂ in a plane, from which gradient descent runs in the
 * full parameter space and is classified like the expression maps (PixelClass codes).
 *
 * Planes (both directions scaled to the length ‖θ*‖, so α = 0.1 is 10 % of the weights' size):
 *   'hessian'            the top two Hessian eigenvectors at θ* (Lanczos)
 *   'filter-normalized'  two seeded Gaussian directions, filter-normalised as in Li et al. 2018:
 *                        every row of every weight matrix (one unit's incoming weights, the "filter"
 *                        of a dense layer) rescaled to the norm of that row in θ*; biases get 0.
 *                        (Here without the rescaling to ‖θ*‖: the rows already carry it.)
 *
 * What "converged" means for a network start. Minima of a network are not isolated (they form
 * valleys), so a start converges when GD reaches the trained loss level and settles there:
 *   converged at step k  ⇔  L(θ_j) ≤ L*·(1 + lossTolerance) + 1e-12 for j = k, …, k + settleSteps − 1
 * (L* = L(θ*)); it is stable when no loss increase (L_j − L_{j−1} > guard·|L_{j−1}|) happened up to
 * k, unstable otherwise (K = index of the last increase). diverged: loss or gradient not finite, or
 * L > divergeFactor·max(L(θ_0), L*). other: the gradient is numerically zero
 * (‖∇L‖ ≤ stallGradient) with the loss above the band — a saddle, plateau or worse minimum.
 * not converged: none of these within maxSteps.
 */
import { PixelClass, type PixelClassCode } from '../types';
import { normalSampler } from './init';
import type { Network } from './network';
import { SharpnessMeter } from './sharpness';

export type SlicePlane = 'hessian' | 'filter-normalized';

export interface SliceOptions {
  plane: SlicePlane;
  /** learning rate of the GD runs */
  eta: number;
  width: number;
  height: number;
  /** range of both plane coordinates (default [−0.25, 0.25]) */
  range?: [number, number];
  /** seed of the random directions (default 0) */
  seed?: number;
  maxSteps?: number;
  /** relative band above L* that counts as the trained level (default 0.1) */
  lossTolerance?: number;
  /** consecutive steps in the band before a start counts as converged (default 10) */
  settleSteps?: number;
  roundoffGuard?: number;
  divergeFactor?: number;
  stallGradient?: number;
}

export interface SliceSetup {
  plane: SlicePlane;
  eta: number;
  width: number;
  height: number;
  range: [number, number];
  center: Float64Array;
  d1: Float64Array;
  d2: Float64Array;
  centerLoss: number;
  centerGradNorm: number;
  /** the two top Hessian eigenvalues at θ* ('hessian' plane), else empty */
  eigenvalues: number[];
  maxSteps: number;
  lossTolerance: number;
  settleSteps: number;
  roundoffGuard: number;
  divergeFactor: number;
  stallGradient: number;
}

export interface SliceRow {
  row: number;
  /** PixelClass codes, left to right */
  classes: Uint8Array;
  /** the step of the decision (convergence: entry into the band) */
  steps: Int32Array;
  K: Int32Array;
  increases: Int32Array;
  finalLoss: Float64Array;
}

/** Pixel centres: α grows to the right, β grows upwards (row 0 is the top, the largest β). */
export function slicePixel(setup: Pick<SliceSetup, 'range' | 'width' | 'height'>, row: number, col: number): [number, number] {
  const [lo, hi] = setup.range;
  return [lo + ((col + 0.5) * (hi - lo)) / setup.width, hi - ((row + 0.5) * (hi - lo)) / setup.height];
}

/**
 * The plane and the rules of a slice: directions (Lanczos for 'hessian'), θ*'s loss and the
 * classification settings. Plain data: compute it once and hand it to every worker.
 */
export function sliceSetup(network: Network, center: Float64Array, options: SliceOptions): SliceSetup {
  const n = network.nParams;
  if (center.length !== n) throw new RangeError(`the trained point has ${center.length} entries, the network ${n}`);
  if (!(options.eta > 0)) throw new RangeError('the learning rate must be positive');
  for (const [name, v] of [['width', options.width], ['height', options.height]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 1024) throw new RangeError(`${name} must be a whole number from 1 to 1024`);
  }
  const range = options.range ?? [-0.25, 0.25];
  if (!(range[0] < range[1])) throw new RangeError('the slice range is empty or inverted');
  const grad = new Float64Array(n);
  const centerLoss = network.lossAndGradient(center, grad);
  const centerGradNorm = norm(grad);
  const scale = norm(center);
  let d1: Float64Array;
  let d2: Float64Array;
  let eigenvalues: number[] = [];
  if (options.plane === 'hessian') {
    const meter = new SharpnessMeter(network, { k: 2, tol: 1e-8, maxIter: Math.min(80, n) });
    eigenvalues = meter.hessian(center, 2).values;
    const v = meter.hessianVectors;
    d1 = v.slice(0, n).map((x) => x * scale);
    d2 = n > 1 ? v.slice(n, 2 * n).map((x) => x * scale) : new Float64Array(n);
  } else {
    d1 = filterNormalizedDirection(network, center, options.seed ?? 0);
    d2 = filterNormalizedDirection(network, center, (options.seed ?? 0) + 7919);
  }
  return {
    plane: options.plane, eta: options.eta, width: options.width, height: options.height, range: [range[0], range[1]],
    center: center.slice(), d1, d2, centerLoss, centerGradNorm, eigenvalues,
    maxSteps: options.maxSteps ?? 1000, lossTolerance: options.lossTolerance ?? 0.1,
    settleSteps: options.settleSteps ?? 10, roundoffGuard: options.roundoffGuard ?? 1e-12,
    divergeFactor: options.divergeFactor ?? 1e6, stallGradient: options.stallGradient ?? 1e-10,
  };
}

/** Runs the starts of a slice, a row at a time, with preallocated buffers. */
export class SliceMap {
  readonly setup: SliceSetup;
  private readonly theta: Float64Array;
  private readonly grad: Float64Array;

  /** From a setup ({@link sliceSetup}), or from the trained point and options (computes the setup). */
  constructor(private readonly network: Network, centerOrSetup: Float64Array | SliceSetup, options?: SliceOptions) {
    if (centerOrSetup instanceof Float64Array) {
      if (!options) throw new RangeError('slice options are needed with a trained point');
      this.setup = sliceSetup(network, centerOrSetup, options);
    } else {
      this.setup = centerOrSetup;
    }
    if (this.setup.center.length !== network.nParams) throw new RangeError('the slice setup is for another network');
    this.theta = new Float64Array(network.nParams);
    this.grad = new Float64Array(network.nParams);
  }

  /** Runs one row of starts; returns null when `shouldCancel` said so (asked every 64 steps). */
  runRow(row: number, shouldCancel?: () => boolean): SliceRow | null {
    const { width } = this.setup;
    const out: SliceRow = {
      row, classes: new Uint8Array(width), steps: new Int32Array(width), K: new Int32Array(width),
      increases: new Int32Array(width), finalLoss: new Float64Array(width),
    };
    for (let col = 0; col < width; col++) {
      const r = this.classify(row, col, shouldCancel);
      if (!r) return null;
      out.classes[col] = r.cls;
      out.steps[col] = r.steps;
      out.K[col] = r.K;
      out.increases[col] = r.increases;
      out.finalLoss[col] = r.loss;
    }
    return out;
  }

  private classify(row: number, col: number, shouldCancel?: () => boolean): { cls: PixelClassCode; steps: number; K: number; increases: number; loss: number } | null {
    const s = this.setup;
    const { theta, grad, network } = this;
    const [alpha, beta] = slicePixel(s, row, col);
    for (let i = 0; i < theta.length; i++) theta[i] = s.center[i] + alpha * s.d1[i] + beta * s.d2[i];
    const band = s.centerLoss * (1 + s.lossTolerance) + 1e-12;
    let prev = NaN;
    let first = NaN;
    let increases = 0;
    let lastIncrease = -1;
    let entry = -1;
    let entryIncreases = 0;
    let entryLast = -1;
    for (let k = 0; k <= s.maxSteps; k++) {
      if (k % 64 === 63 && shouldCancel?.()) return null;
      const L = network.lossAndGradient(theta, grad);
      const g = norm(grad);
      if (k === 0) first = L;
      if (!Number.isFinite(L) || !Number.isFinite(g) || L > s.divergeFactor * Math.max(first, s.centerLoss)) {
        return { cls: PixelClass.Diverged, steps: k, K: Math.max(0, lastIncrease), increases, loss: L };
      }
      if (k > 0 && L - prev > s.roundoffGuard * Math.abs(prev)) {
        increases++;
        lastIncrease = k;
      }
      if (L <= band) {
        if (entry < 0) {
          entry = k;
          entryIncreases = increases;
          entryLast = lastIncrease;
        }
        if (k - entry + 1 >= s.settleSteps) {
          return { cls: entryIncreases === 0 ? PixelClass.Stable : PixelClass.Unstable, steps: entry, K: Math.max(0, entryLast), increases: entryIncreases, loss: L };
        }
      } else {
        entry = -1;
        if (g <= s.stallGradient) return { cls: PixelClass.Other, steps: k, K: Math.max(0, lastIncrease), increases, loss: L };
      }
      prev = L;
      if (k < s.maxSteps) for (let i = 0; i < theta.length; i++) theta[i] -= s.eta * grad[i];
    }
    return { cls: PixelClass.NotConverged, steps: s.maxSteps, K: Math.max(0, lastIncrease), increases, loss: prev };
  }
}

/** A seeded Gaussian direction with every weight row scaled to the norm of that row in θ*, biases 0. */
export function filterNormalizedDirection(network: Network, center: Float64Array, seed: number): Float64Array {
  const normal = normalSampler(seed);
  const d = new Float64Array(network.nParams);
  for (const b of network.layout) {
    if (b.kind !== 'weight') continue;
    for (let r = 0; r < b.rows; r++) {
      const off = b.offset + r * b.cols;
      let dn = 0;
      let wn = 0;
      for (let c = 0; c < b.cols; c++) {
        const x = normal();
        d[off + c] = x;
        dn += x * x;
        wn += center[off + c] * center[off + c];
      }
      const f = dn > 0 ? Math.sqrt(wn / dn) : 0;
      for (let c = 0; c < b.cols; c++) d[off + c] *= f;
    }
  }
  return d;
}

/** Pixel counts per class code (index = code), over every code PixelClass defines. */
export function classCounts(classes: Uint8Array): number[] {
  const codes = Object.values(PixelClass) as number[];
  const counts = new Array<number>(Math.max(...codes) + 1).fill(0);
  for (const c of classes) counts[c]++;
  return counts;
}

/** The whole map, row by row (single-threaded; the pool can call runRow per row instead). */
export function sliceMap(network: Network, center: Float64Array, options: SliceOptions, shouldCancel?: () => boolean): { setup: SliceSetup; classes: Uint8Array; rows: SliceRow[]; cancelled: boolean } {
  const map = new SliceMap(network, center, options);
  const { width, height } = map.setup;
  const classes = new Uint8Array(width * height);
  const rows: SliceRow[] = [];
  for (let r = 0; r < height; r++) {
    const row = map.runRow(r, shouldCancel);
    if (!row) return { setup: map.setup, classes, rows, cancelled: true };
    classes.set(row.classes, r * width);
    rows.push(row);
  }
  return { setup: map.setup, classes, rows, cancelled: false };
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
