/**
 * Host-side jobs of the dynamics measures that are made of basin maps (each map through the
 * ComputePool, so rows are spread over the workers and everything is cancellable):
 *
 * - the uncertainty exponent: a grid of starts and the same grid shifted by ±ε along the first
 *   map axis, re-classified by the kernel, for a list of ε;
 * - tipping between two learning rates: the same slice at η₁ and at η₂;
 * - a zoom movie: recomputed maps of successive zoom levels into a boundary point.
 *
 * The results are plain data (typed arrays and numbers), ready for files or a panel view.
 */
import { basinStats } from '../engine/basin';
import { partitionLabels, type PartitionName } from '../engine/measures/classes';
import { basinEntropy, fitUncertainty, uncertainCount, type BasinEntropy, type UncertaintyExponent } from '../engine/measures/fractal';
import { tipping, type Tipping } from '../engine/measures/tipping';
import { checkZoomPlan, frameZoom, middleThird, mostMixedPixel, zoomSlice, type MixedPixel } from '../engine/measures/zoom';
import type { BasinStats, ClassifyOptions, ProblemSpec, SliceSpec } from '../engine/types';
import type { BasinJob } from './jobs';
import type { BasinResult, ComputePool } from './pool';

/** A whole class map assembled from the pool's streamed rows. */
export interface ClassMap {
  slice: SliceSpec;
  classes: Uint8Array;
  minimum: Int8Array;
  result: BasinResult;
}

/** One basin map through the pool, assembled (classes and minimum index per pixel). */
export async function classMap(pool: ComputePool, job: BasinJob, signal?: AbortSignal, onRows?: (rowsDone: number, rowsTotal: number) => void): Promise<ClassMap> {
  const { width, height } = job.slice;
  const classes = new Uint8Array(width * height);
  const minimum = new Int8Array(width * height);
  const result = await pool.basin(
    job,
    (rows, progress) => {
      classes.set(rows.classes, rows.rowStart * width);
      minimum.set(rows.minimum, rows.rowStart * width);
      onRows?.(progress.rowsDone, progress.rowsTotal);
    },
    signal,
  );
  return { slice: job.slice, classes, minimum, result };
}

/* ------------------------------------------------------------------ uncertainty exponent */

export interface UncertaintyJob {
  spec: ProblemSpec;
  /** the grid of starts (its window and size: every pixel centre is a start) */
  slice: SliceSpec;
  eta: number;
  classify: ClassifyOptions;
  /** shifts along the first map axis, in its units */
  epsilons: number[];
}

export interface UncertaintyResult {
  /** the number of starts (grid of slice.width × slice.height) */
  starts: number;
  epsilons: number[];
  /** per partition (outcome classes, attractors): the fit of f(ε) ∝ ε^α and D = 2 − α */
  exponents: UncertaintyExponent[];
  /** basin maps computed (1 + 2 per ε) */
  maps: number;
}

/** The slice moved by `dx` along its first axis (same grid). */
export function shiftedSlice(slice: SliceSpec, dx: number): SliceSpec {
  return { ...slice, base: [...slice.base], axes: [slice.axes[0], slice.axes[1]], xRange: [slice.xRange[0] + dx, slice.xRange[1] + dx], yRange: [slice.yRange[0], slice.yRange[1]] };
}

/**
 * Re-classifies the grid of starts shifted by +ε and −ε for every ε (all maps submitted at once,
 * so the workers stay busy), counts the ε-uncertain starts and fits the exponent.
 */
export async function uncertaintyExponents(
  pool: ComputePool,
  job: UncertaintyJob,
  options: { partitions?: PartitionName[]; base?: { classes: Uint8Array; minimum: Int8Array }; signal?: AbortSignal; onMap?: (done: number, total: number) => void } = {},
): Promise<UncertaintyResult> {
  if (job.epsilons.length === 0) throw new RangeError('the uncertainty exponent needs at least one shift ε');
  job.epsilons.forEach((e) => {
    if (!(e > 0 && Number.isFinite(e))) throw new RangeError(`every shift ε must be a positive number, got ${e}`);
  });
  const partitions = options.partitions ?? ['outcome', 'attractor'];
  const total = 1 + 2 * job.epsilons.length;
  let done = options.base ? 1 : 0;
  const run = async (slice: SliceSpec): Promise<ClassMap> => {
    const m = await classMap(pool, { spec: job.spec, slice, eta: job.eta, classify: job.classify }, options.signal);
    options.onMap?.(++done, total);
    return m;
  };
  if (options.base && (options.base.classes.length !== job.slice.width * job.slice.height || options.base.minimum.length !== options.base.classes.length)) {
    throw new RangeError(`the given base map does not have the ${job.slice.width}×${job.slice.height} starts of the grid`);
  }
  const basePromise = options.base ? Promise.resolve(options.base) : run(job.slice);
  const shifted = job.epsilons.map((e) => Promise.all([run(shiftedSlice(job.slice, e)), run(shiftedSlice(job.slice, -e))]));
  const base = await basePromise;
  const pairs = await Promise.all(shifted);
  const minimaCount = pairs[0][0].result.analysis.minima.length;
  const labels = (m: { classes: Uint8Array; minimum: Int8Array }, p: PartitionName): Uint16Array => partitionLabels(p, m.classes, m.minimum, minimaCount).labels;
  const exponents = partitions.map((p) => {
    const b = labels(base, p);
    const points = job.epsilons.map((epsilon, i) => ({
      epsilon,
      uncertain: uncertainCount(b, labels(pairs[i][0], p), labels(pairs[i][1], p)),
      total: b.length,
    }));
    return fitUncertainty(points, p);
  });
  return { starts: job.slice.width * job.slice.height, epsilons: [...job.epsilons], exponents, maps: total };
}

/* ------------------------------------------------------------------ tipping */

export interface TippingJob {
  spec: ProblemSpec;
  slice: SliceSpec;
  eta1: number;
  eta2: number;
  classify: ClassifyOptions;
}

/** Both maps (submitted together) and their comparison. */
export async function tippingMaps(pool: ComputePool, job: TippingJob, signal?: AbortSignal): Promise<{ tipping: Tipping; maps: [ClassMap, ClassMap] }> {
  const [a, b] = await Promise.all([
    classMap(pool, { spec: job.spec, slice: job.slice, eta: job.eta1, classify: job.classify }, signal),
    classMap(pool, { spec: job.spec, slice: job.slice, eta: job.eta2, classify: job.classify }, signal),
  ]);
  const minimaCount = a.result.analysis.minima.length;
  if (JSON.stringify(a.result.analysis.minima.map((m) => m.point)) !== JSON.stringify(b.result.analysis.minima.map((m) => m.point))) {
    throw new Error('the two maps were classified against different minima; the comparison would be meaningless');
  }
  return { tipping: tipping(job.eta1, job.eta2, a, b, job.slice.width, job.slice.height, minimaCount), maps: [a, b] };
}

/* ------------------------------------------------------------------ zoom movie */

export interface ZoomJob {
  spec: ProblemSpec;
  /** frame 0 (zoom 1) */
  slice: SliceSpec;
  eta: number;
  classify: ClassifyOptions;
  frames: number;
  /** zoom per frame (> 1) */
  factor: number;
  /** fixed centre; when absent, the most mixed boundary point is chosen and followed */
  center?: [number, number];
}

export interface ZoomFrame {
  index: number;
  zoom: number;
  /** the centre zoomed into from this frame on (frame 0: the window centre) */
  center: [number, number];
  slice: SliceSpec;
  classes: Uint8Array;
  minimum: Int8Array;
  stats: BasinStats;
  /** basin entropy of the frame's classes (boxes of 5 pixels) */
  entropy: BasinEntropy;
  /** the most mixed pixel of the frame's search region (the next centre when following) */
  mixed: MixedPixel | null;
}

/**
 * The frames of a zoom movie, in order (`onFrame` as each is done). With a fixed centre all maps
 * are submitted at once; when following the boundary each frame's centre comes from the previous
 * frame (its most mixed pixel: in the whole of frame 0, then in the middle third of each frame, or
 * the whole frame when the middle third holds no boundary; a frame with none keeps the centre).
 */
export async function zoomMovie(pool: ComputePool, job: ZoomJob, onFrame?: (frame: ZoomFrame) => void, signal?: AbortSignal): Promise<{ follow: boolean; frames: ZoomFrame[] }> {
  checkZoomPlan(job.frames, job.factor);
  const follow = job.center === undefined;
  const windowCentre: [number, number] = [(job.slice.xRange[0] + job.slice.xRange[1]) / 2, (job.slice.yRange[0] + job.slice.yRange[1]) / 2];
  const frameOf = (index: number, center: [number, number], map: ClassMap, search: boolean): ZoomFrame => {
    const zoom = frameZoom(job.factor, index);
    const outcome = partitionLabels('outcome', map.classes, map.minimum, map.result.analysis.minima.length);
    const entropy = basinEntropy(outcome.labels, outcome.count, map.slice.width, map.slice.height, Math.min(5, map.slice.width, map.slice.height), 'outcome', outcome.names);
    // the middle third first (so the zoom stays on the boundary it follows), then the whole frame
    const mixed = search ? (index === 0 ? null : mostMixedPixel(map.classes, map.slice, { region: middleThird(map.slice) })) ?? mostMixedPixel(map.classes, map.slice) : null;
    return { index, zoom, center, slice: map.slice, classes: map.classes, minimum: map.minimum, stats: basinStats(map.classes, map.minimum, map.result.analysis.minima.length), entropy, mixed };
  };
  const frames: ZoomFrame[] = [];
  if (!follow) {
    const center = job.center as [number, number];
    const slices = Array.from({ length: job.frames }, (_, k) => zoomSlice(job.slice, center, frameZoom(job.factor, k)));
    const pending = slices.map((slice) => classMap(pool, { spec: job.spec, slice, eta: job.eta, classify: job.classify }, signal));
    for (let k = 0; k < slices.length; k++) {
      const frame = frameOf(k, k === 0 ? windowCentre : center, await pending[k], false);
      frames.push(frame);
      onFrame?.(frame);
    }
    return { follow, frames };
  }
  let center = windowCentre;
  for (let k = 0; k < job.frames; k++) {
    const slice = k === 0 ? job.slice : zoomSlice(job.slice, center, frameZoom(job.factor, k));
    const map = await classMap(pool, { spec: job.spec, slice, eta: job.eta, classify: job.classify }, signal);
    const frame = frameOf(k, center, map, true);
    frames.push(frame);
    onFrame?.(frame);
    if (k + 1 < job.frames) {
      // frame 0 without a boundary: nothing to follow; a later frame without one keeps the centre
      if (!frame.mixed && k === 0) throw new Error('every start of the first frame has the same class, so there is no boundary to zoom into; give a centre (--center x,y) or another window');
      if (frame.mixed) center = frame.mixed.point;
    }
  }
  return { follow, frames };
}
