/**
 * Fractal measures of a basin map (pure functions on label arrays and the map geometry).
 *
 * - **Basin entropy** S_b and **boundary basin entropy** S_bb (Daza, Wagemakers, Georgeot,
 *   Guéry-Odelin, Sanjuán 2016): cover the map with boxes of s×s pixels; in box i let p_ij be the
 *   fraction of its pixels with label j and S_i = −Σ_j p_ij ln p_ij. S_b is the mean of S_i over
 *   all N boxes, S_bb the mean over the N_b boxes holding more than one label (the boundary
 *   boxes). S_bb > ln 2 is a sufficient condition for a fractal boundary (the "ln 2 criterion").
 * - **Box-counting dimension** of a boundary: the boundary is the curve between pixel centres of
 *   the two sides (one point per pair of 4-neighbours on different sides, at their midpoint);
 *   N(s) = number of s×s-pixel boxes holding a point of it; D is the least-squares slope of
 *   ln N(s) against ln(1/s) over box sides from 1 pixel to 1/8 of the map, reported with the
 *   slope's standard error, R² and the scales used.
 * - **Uncertainty exponent** α (Grebogi, McDonald, Ott, Yorke 1983): a start x is ε-uncertain when
 *   x, x + ε·e and x − ε·e (e the first map axis) do not all get the same label; the fraction
 *   f(ε) ∝ ε^α, and the boundary's dimension is D = 2 − α. The labels of the shifted starts come
 *   from re-running the classifier (see src/compute/measureJobs.ts); here is the counting and the
 *   fit.
 */
import { boundarySides, defaultBoundaries, partitionLabels, type BoundarySpec, type PartitionName } from './classes';

/** Least-squares line y = slope·x + intercept with the slope's standard error and R². */
export interface LineFit {
  slope: number;
  intercept: number;
  /** standard error of the slope (NaN with fewer than 3 points) */
  slopeStdErr: number;
  rSquared: number;
  points: number;
}

export function fitLine(x: readonly number[], y: readonly number[]): LineFit {
  const n = x.length;
  if (n !== y.length || n < 2) throw new RangeError(`a line fit needs at least two (x, y) pairs, got ${Math.min(n, y.length)}`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) ** 2;
  }
  if (!(sxx > 0)) throw new RangeError('a line fit needs at least two different x values');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - (intercept + slope * x[i])) ** 2;
  const slopeStdErr = n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : NaN;
  const rSquared = syy > 0 ? 1 - rss / syy : 1;
  return { slope, intercept, slopeStdErr, rSquared, points: n };
}

function checkGrid(length: number, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`map size must be whole numbers ≥ 1, got ${width}×${height}`);
  if (length !== width * height) throw new RangeError(`the map has ${length} pixels; ${width}×${height} needs ${width * height}`);
}

/* ------------------------------------------------------------------ basin entropy */

export interface BasinEntropy {
  partition: string;
  /** what each label means */
  labels: string[];
  /** box side in pixels, and the number of whole boxes used (a remainder strip is left out) */
  boxSide: number;
  boxes: number;
  boundaryBoxes: number;
  /** S_b, natural log */
  Sb: number;
  /** S_bb, null when no box holds two labels */
  Sbb: number | null;
  /** S_bb > ln 2 (sufficient for a fractal boundary; false does not prove a smooth one); null without boundary boxes */
  fractalByLn2: boolean | null;
}

/** S_b and S_bb of a label map (labels 0..count−1) with boxes of boxSide×boxSide pixels. */
export function basinEntropy(labels: ArrayLike<number>, count: number, width: number, height: number, boxSide = 5, partition = 'labels', names: string[] = []): BasinEntropy {
  checkGrid(labels.length, width, height);
  if (!Number.isInteger(boxSide) || boxSide < 1) throw new RangeError(`the entropy box side must be a whole number of pixels ≥ 1, got ${boxSide}`);
  const bx = Math.floor(width / boxSide);
  const by = Math.floor(height / boxSide);
  if (bx < 1 || by < 1) throw new RangeError(`a ${width}×${height} map holds no ${boxSide}×${boxSide} box`);
  const counts = new Float64Array(count);
  const area = boxSide * boxSide;
  let sum = 0;
  let boundarySum = 0;
  let boundaryBoxes = 0;
  for (let j = 0; j < by; j++) {
    for (let i = 0; i < bx; i++) {
      counts.fill(0);
      for (let r = j * boxSide; r < (j + 1) * boxSide; r++) {
        const row = r * width;
        for (let c = i * boxSide; c < (i + 1) * boxSide; c++) {
          const v = labels[row + c];
          if (!(v >= 0 && v < count)) throw new RangeError(`label ${v} at pixel (${r}, ${c}) is outside 0..${count - 1}`);
          counts[v]++;
        }
      }
      let s = 0;
      let present = 0;
      for (let k = 0; k < count; k++) {
        if (counts[k] > 0) {
          const p = counts[k] / area;
          s -= p * Math.log(p);
          present++;
        }
      }
      sum += s;
      if (present > 1) {
        boundarySum += s;
        boundaryBoxes++;
      }
    }
  }
  const boxes = bx * by;
  const Sbb = boundaryBoxes > 0 ? boundarySum / boundaryBoxes : null;
  return {
    partition,
    labels: names,
    boxSide,
    boxes,
    boundaryBoxes,
    Sb: sum / boxes,
    Sbb,
    fractalByLn2: Sbb === null ? null : Sbb > Math.LN2,
  };
}

/* ------------------------------------------------------------------ box counting */

/** Box sides from 1 pixel to about 1/8 of the shorter side, spaced by √2 (at least 1, 2, 3, 4). */
export function defaultBoxSides(width: number, height: number): number[] {
  const top = Math.max(4, Math.floor(Math.min(width, height) / 8));
  const out: number[] = [];
  for (let s = 1; Math.round(s) <= top; s *= Math.SQRT2) {
    const r = Math.round(s);
    if (out[out.length - 1] !== r) out.push(r);
  }
  return out;
}

/**
 * The boundary as a curve between pixel centres: one point per pair of 4-neighbouring pixels with
 * different non-zero values (0 = ignored), at the midpoint of the two centres, in doubled pixel
 * coordinates (x2 = 2·column + 2 between columns c and c+1, x2 = 2·column + 1 on a column).
 */
export function boundaryEdges(values: ArrayLike<number>, width: number, height: number): { x2: Int32Array; y2: Int32Array } {
  checkGrid(values.length, width, height);
  let n = 0;
  const pass = (store: boolean, x2: Int32Array, y2: Int32Array): void => {
    for (let r = 0; r < height; r++) {
      const row = r * width;
      for (let c = 0; c < width; c++) {
        const a = values[row + c];
        if (a === 0) continue;
        if (c + 1 < width) {
          const b = values[row + c + 1];
          if (b !== 0 && b !== a) {
            if (store) {
              x2[n] = 2 * c + 2;
              y2[n] = 2 * r + 1;
            }
            n++;
          }
        }
        if (r + 1 < height) {
          const b = values[row + width + c];
          if (b !== 0 && b !== a) {
            if (store) {
              x2[n] = 2 * c + 1;
              y2[n] = 2 * r + 2;
            }
            n++;
          }
        }
      }
    }
  };
  pass(false, new Int32Array(0), new Int32Array(0));
  const x2 = new Int32Array(n);
  const y2 = new Int32Array(n);
  n = 0;
  pass(true, x2, y2);
  return { x2, y2 };
}

/**
 * N(s) for each box side s (pixels): the number of boxes of a grid of s×s boxes aligned with the
 * map's corner that hold a point of the boundary curve (boundaryEdges). A point on a box border
 * belongs to the box after it, so every point is counted in exactly one box.
 */
export function boundaryBoxCounts(edges: { x2: Int32Array; y2: Int32Array }, width: number, height: number, sides: readonly number[]): number[] {
  return sides.map((s) => {
    if (!Number.isInteger(s) || s < 1) throw new RangeError(`box sides must be whole numbers of pixels ≥ 1, got ${s}`);
    const s2 = 2 * s;
    const bx = Math.floor((2 * width) / s2) + 1;
    const by = Math.floor((2 * height) / s2) + 1;
    const seen = new Uint8Array(bx * by);
    let n = 0;
    const { x2, y2 } = edges;
    for (let k = 0; k < x2.length; k++) {
      const b = Math.floor(y2[k] / s2) * bx + Math.floor(x2[k] / s2);
      if (seen[b] === 0) {
        seen[b] = 1;
        n++;
      }
    }
    return n;
  });
}

/** Boundaries shorter than this (in pixel edges) get no dimension: a few pixels are no curve. */
export const MIN_BOUNDARY_EDGES = 16;

export interface BoxDimension {
  boundary: string;
  /** the fitted dimension (slope of ln N against ln 1/s); null when it cannot be fitted */
  dimension: number | null;
  /** standard error of that slope (the fit's uncertainty; not the systematic error of box counting) */
  stdErr: number | null;
  rSquared: number | null;
  /** per box side (pixels): the number of boxes on the boundary; `used` = in the fit */
  scales: { side: number; count: number; used: boolean }[];
  /** the box sides of the fit, in pixels and in units of the first map axis */
  scaleRange: [number, number] | null;
  scaleRangeUnits: [number, number] | null;
  /** pairs of neighbouring pixels on the two sides (the boundary's length in pixel edges) */
  boundaryEdges: number;
  reason?: string;
}

/**
 * Box-counting dimension of the boundary between the non-zero values of `values` (1 and 2 for
 * A | B; labels + 1 for a whole partition). Scales with N(s) = 0 are left out of the fit.
 */
export function boxCountingDimension(
  values: ArrayLike<number>,
  width: number,
  height: number,
  options: { sides?: number[]; pixelSize?: number; boundary?: string } = {},
): BoxDimension {
  const sides = options.sides ?? defaultBoxSides(width, height);
  const edges = boundaryEdges(values, width, height);
  const counts = boundaryBoxCounts(edges, width, height, sides);
  const scales = sides.map((side, i) => ({ side, count: counts[i], used: counts[i] > 0 }));
  const used = scales.filter((s) => s.used);
  const base = { boundary: options.boundary ?? 'boundary', scales, boundaryEdges: edges.x2.length };
  if (edges.x2.length > 0 && edges.x2.length < MIN_BOUNDARY_EDGES) {
    return {
      ...base, dimension: null, stdErr: null, rSquared: null, scaleRange: null, scaleRangeUnits: null,
      reason: `the boundary is only ${edges.x2.length} pixel edge${edges.x2.length === 1 ? '' : 's'} long on this map; at least ${MIN_BOUNDARY_EDGES} are needed to measure a dimension`,
    };
  }
  if (used.length < 3) {
    return {
      ...base, dimension: null, stdErr: null, rSquared: null, scaleRange: null, scaleRangeUnits: null,
      reason: used.length === 0 ? 'the two sides never meet on this map' : `the boundary is seen at only ${used.length} box size${used.length === 1 ? '' : 's'}; at least 3 are needed`,
    };
  }
  const fit = fitLine(used.map((s) => -Math.log(s.side)), used.map((s) => Math.log(s.count)));
  const range: [number, number] = [used[0].side, used[used.length - 1].side];
  const unit = options.pixelSize ?? NaN;
  return {
    ...base,
    dimension: fit.slope,
    stdErr: Number.isFinite(fit.slopeStdErr) ? fit.slopeStdErr : null,
    rSquared: fit.rSquared,
    scaleRange: range,
    scaleRangeUnits: Number.isFinite(unit) ? [range[0] * unit, range[1] * unit] : null,
  };
}

/* ------------------------------------------------------------------ uncertainty exponent */

/** Number of starts whose label differs from that of the start shifted by +ε or by −ε. */
export function uncertainCount(base: ArrayLike<number>, plus: ArrayLike<number>, minus: ArrayLike<number>): number {
  if (plus.length !== base.length || minus.length !== base.length) throw new RangeError('the shifted label maps must have as many starts as the base map');
  let n = 0;
  for (let i = 0; i < base.length; i++) if (plus[i] !== base[i] || minus[i] !== base[i]) n++;
  return n;
}

export interface UncertaintyPoint {
  /** the shift, in units of the first map axis */
  epsilon: number;
  uncertain: number;
  total: number;
  /** f(ε) = uncertain / total */
  fraction: number;
  used: boolean;
}

export interface UncertaintyExponent {
  partition: string;
  /** α (slope of ln f against ln ε); null when it cannot be fitted */
  alpha: number | null;
  stdErr: number | null;
  /** D = 2 − α, the uncertainty dimension of the boundary in the map's plane */
  dimension: number | null;
  rSquared: number | null;
  points: UncertaintyPoint[];
  /** ε of the points in the fit */
  epsilonRange: [number, number] | null;
  reason?: string;
}

/**
 * Fits f(ε) ∝ ε^α. A point is used when it has at least `minUncertain` uncertain starts (fewer is
 * counting noise) and f(ε) ≤ 0.5 (beyond, f saturates).
 */
export function fitUncertainty(points: readonly Omit<UncertaintyPoint, 'fraction' | 'used'>[], partition = 'labels', minUncertain = 10): UncertaintyExponent {
  const all: UncertaintyPoint[] = points
    .map((p) => {
      const fraction = p.total > 0 ? p.uncertain / p.total : NaN;
      return { ...p, fraction, used: p.uncertain >= minUncertain && fraction <= 0.5 && p.epsilon > 0 };
    })
    .sort((a, b) => a.epsilon - b.epsilon);
  const used = all.filter((p) => p.used);
  if (used.length < 3) {
    const none = all.every((p) => p.uncertain === 0);
    return {
      partition, alpha: null, stdErr: null, dimension: null, rSquared: null, points: all, epsilonRange: null,
      reason: none
        ? 'no start is uncertain at any shift (no boundary within reach)'
        : `only ${used.length} of the ${all.length} shifts made at least ${minUncertain} starts (and at most half) uncertain; at least 3 are needed`,
    };
  }
  const fit = fitLine(used.map((p) => Math.log(p.epsilon)), used.map((p) => Math.log(p.fraction)));
  return {
    partition,
    alpha: fit.slope,
    stdErr: Number.isFinite(fit.slopeStdErr) ? fit.slopeStdErr : null,
    dimension: 2 - fit.slope,
    rSquared: fit.rSquared,
    points: all,
    epsilonRange: [used[0].epsilon, used[used.length - 1].epsilon],
  };
}

/**
 * Shifts ε for the uncertainty exponent: `count` values from span·g/8 down by factors of 2, with
 * g = (√5 − 1)/2 irrational so that no shift is a rational multiple of a grid's pixel size (a
 * shift of exactly half a pixel would land shifted starts on pixel edges, e.g. on a symmetry line).
 */
export function defaultEpsilons(span: number, count = 10): number[] {
  const g = (Math.sqrt(5) - 1) / 2;
  return Array.from({ length: count }, (_, k) => span * g * 2 ** -(3 + k));
}

/* ------------------------------------------------------------------ everything for one map */

export interface FractalMeasures {
  width: number;
  height: number;
  entropy: BasinEntropy[];
  dimensions: BoxDimension[];
}

/**
 * Basin entropy (outcome and attractor partitions) and box-counting dimensions (all outcome
 * boundaries together, all attractor boundaries together, then each default boundary) of one map.
 */
export function fractalMeasures(
  classes: Uint8Array,
  minimum: Int8Array | null,
  minimaCount: number,
  width: number,
  height: number,
  options: { boxSide?: number; pixelSize?: number; boundaries?: BoundarySpec[] } = {},
): FractalMeasures {
  checkGrid(classes.length, width, height);
  const boxSide = options.boxSide ?? 5;
  const entropy = (['outcome', 'attractor'] as PartitionName[]).map((p) => {
    const { labels, count, names } = partitionLabels(p, classes, minimum, minimaCount);
    return basinEntropy(labels, count, width, height, boxSide, p, names);
  });
  const plusOne = (p: PartitionName): Uint16Array => partitionLabels(p, classes, minimum, minimaCount).labels.map((v) => v + 1);
  const dimensions = [
    boxCountingDimension(plusOne('outcome'), width, height, { pixelSize: options.pixelSize, boundary: 'all class boundaries' }),
    boxCountingDimension(plusOne('attractor'), width, height, { pixelSize: options.pixelSize, boundary: 'basin boundaries (attractors)' }),
  ];
  for (const spec of options.boundaries ?? defaultBoundaries()) {
    dimensions.push(boxCountingDimension(boundarySides(classes, spec), width, height, { pixelSize: options.pixelSize, boundary: spec.name }));
  }
  return { width, height, entropy, dimensions };
}
