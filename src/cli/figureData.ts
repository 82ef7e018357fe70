/**
 * Computes what a composed figure shows, with the engine and the worker pool: the landscape of a
 * slice and one basin map per learning rate (a Figure 2 row), and trajectories on a map (Figure 3).
 * Shared by `gdlab reproduce` and `gdlab figure`.
 */
import type { AnalyzedProblem } from '../engine/analyze';
import type { ComputePool } from '../compute/pool';
import type { BasinStats, CertificateResult, ClassifyOptions, SliceSpec } from '../engine/types';
import { classFractions, figureMapRgba, type ClassStyle } from '../figures/classes';
import {
  belowMinimumOutline, contourLevels, contourLines, landscapeRgba, logScaleOf, looksUnboundedBelow, lowestPoint, sampleLandscape,
} from '../figures/landscape';
import type { BasinPanelData, Figure2Row, LandscapeData } from '../figures/figure2';
import type { Figure3Trajectory } from '../figures/figure3';
import { assertSameMinima } from './commands/basin';
import { GD, type OptimizerSpec } from '../engine/optimizers/spec';
import { smallestEtaMax } from '../engine/sweep';

export interface ComputedMap {
  eta: number;
  fraction: number | null;
  classes: Uint8Array;
  minimum: Int8Array;
  /** fractions per class code (index = code) */
  fractions: number[];
  stats: BasinStats;
  certificates: CertificateResult[];
  seconds: number;
  panel: BasinPanelData;
}

/** The slice's view of a full-length point: its two axis coordinates. */
export function onAxes(slice: SliceSpec, point: ArrayLike<number>): [number, number] {
  return [point[slice.axes[0]], point[slice.axes[1]]];
}

/** Minima in the map window, projected on its axes. */
export function minimaOnMap(problem: AnalyzedProblem, slice: SliceSpec): [number, number][] {
  return problem.minima.map((m) => onAxes(slice, m.point));
}

export function certifiedOnMap(slice: SliceSpec, certificates: readonly CertificateResult[]): { center: [number, number]; radius: number }[] {
  return certificates.flatMap((c) => (c.ok ? [{ center: onAxes(slice, c.certificate.center), radius: c.certificate.tPrime }] : []));
}

/** The landscape panel: f − f(θ*) on the slice, log colours, contours, the region below f(θ*). */
export function computeLandscape(problem: AnalyzedProblem, slice: SliceSpec): LandscapeData {
  const value = (p: number[]) => problem.compiled.value(p);
  const fStar = problem.minima.length > 0 ? Math.min(...problem.minima.map((m) => m.value)) : NaN;
  let field = sampleLandscape(value, slice, Number.isFinite(fStar) ? fStar : 0);
  if (!Number.isFinite(fStar)) {
    // No minimum: colour f − min f over the window instead.
    const lo = Math.min(...Array.from(field.gap).filter(Number.isFinite));
    field = { ...field, gap: field.gap.map((v) => v - lo), fStar: lo };
  }
  const scale = logScaleOf(field);
  const below = belowMinimumOutline(field, slice);
  let belowLabel: string | null = null;
  if (below.length > 0) {
    const lowest = lowestPoint(field, slice);
    const best = problem.minima.reduce((a, b) => (b.value < a.value ? b : a));
    const unbounded = lowest !== null && looksUnboundedBelow(value, best.point, lowest, field.fStar);
    belowLabel = unbounded ? 'f < f(θ*), hatched: below the minimum (f → −∞ along a ray through it)' : 'f < f(θ*), hatched: below the minimum';
  }
  return {
    image: { width: field.width, height: field.height, rgba: landscapeRgba(field, scale) },
    scale,
    contours: contourLines(field, slice, contourLevels(scale)),
    below,
    belowLabel,
  };
}

/** One basin map through the pool, as a figure panel plus its numbers. */
export async function computeMap(
  pool: ComputePool, problem: AnalyzedProblem, slice: SliceSpec, eta: number, fraction: number | null, classify: ClassifyOptions, classes: ClassStyle[],
  onRows?: (rows: number) => void, optimizer: OptimizerSpec = GD,
): Promise<ComputedMap> {
  const t0 = performance.now();
  const count = slice.width * slice.height;
  const codes = new Uint8Array(count);
  const minimum = new Int8Array(count);
  let rowsSeen = 0;
  const result = await pool.basin({ spec: problem.spec, slice, eta, classify, ...(optimizer.name === 'gd' ? {} : { optimizer }) }, (chunk) => {
    codes.set(chunk.classes, chunk.rowStart * slice.width);
    minimum.set(chunk.minimum, chunk.rowStart * slice.width);
    rowsSeen += chunk.rowEnd - chunk.rowStart;
    onRows?.(chunk.rowEnd - chunk.rowStart);
  });
  if (rowsSeen !== slice.height) throw new Error(`internal: the map received ${rowsSeen} of ${slice.height} rows`);
  assertSameMinima(problem, result.analysis.minima);
  const failed = result.certificates.find((c) => !c.ok);
  return {
    eta,
    fraction,
    classes: codes,
    minimum,
    fractions: classFractions(codes, classes),
    stats: result.stats,
    certificates: result.certificates,
    seconds: (performance.now() - t0) / 1000,
    panel: {
      eta,
      fraction,
      image: { width: slice.width, height: slice.height, rgba: figureMapRgba(codes, slice.width, slice.height, classes) },
      certified: certifiedOnMap(slice, result.certificates),
      certificateNote: failed && !failed.ok ? failed.reason : null,
    },
  };
}

/** A Figure 2 row: the landscape and one map per η (computed one after another on the pool). */
export async function computeRow(
  pool: ComputePool, problem: AnalyzedProblem, slice: SliceSpec, etas: { eta: number; fraction: number | null }[], classify: ClassifyOptions,
  classes: ClassStyle[], label: { name: string; formula: string }, onRows?: (rows: number, what: string) => void, optimizer: OptimizerSpec = GD,
): Promise<{ row: Figure2Row; maps: ComputedMap[] }> {
  const landscape = computeLandscape(problem, slice);
  const maps: ComputedMap[] = [];
  for (const { eta, fraction } of etas) {
    maps.push(await computeMap(pool, problem, slice, eta, fraction, classify, classes, (n) => onRows?.(n, `${label.name} η=${eta.toPrecision(3)}`), optimizer));
  }
  // the optimizer's own threshold (null for Adam / RMSProp)
  const etaMax = smallestEtaMax(problem, optimizer);
  const variables = problem.parsed.variables;
  return {
    row: {
      name: label.name,
      formula: label.formula,
      etaMax,
      xRange: slice.xRange,
      yRange: slice.yRange,
      xLabel: variables[slice.axes[0]],
      yLabel: variables[slice.axes[1]],
      minima: minimaOnMap(problem, slice),
      landscape,
      panels: maps.map((m) => m.panel),
    },
    maps,
  };
}

/** A trajectory from the pool as Figure 3 draws it (K, steps and the certified entry from the engine). */
export function figureTrajectory(
  t: { n: number; steps: number; theta: Float64Array; loss: Float64Array; K: number; enteredCertifiedAt: number | null; outcome: { kind: string; minimum?: number } },
  problem: AnalyzedProblem, slice: SliceSpec, init: [number, number],
): Figure3Trajectory {
  // f(θ*) of the minimum reached; on a set of minima (minimum code < 0) the loss where it was reached
  const m = t.outcome.minimum;
  const fStar = m !== undefined && m >= 0 ? problem.minima[m].value
    : m !== undefined ? t.loss[t.steps]
    : problem.minima.length > 0 ? Math.min(...problem.minima.map((c) => c.value)) : Math.min(...Array.from(t.loss).filter(Number.isFinite));
  const points: [number, number][] = [];
  // every recorded iterate: θ_0 … θ_steps and the drawing tail after the decision
  for (let k = 0; k < t.loss.length; k++) points.push(onAxes(slice, t.theta.subarray(k * t.n, (k + 1) * t.n)));
  return { init, outcome: t.outcome.kind, K: t.K, enteredCertifiedAt: t.enteredCertifiedAt, points, gap: Array.from(t.loss, (v) => v - fStar) };
}
