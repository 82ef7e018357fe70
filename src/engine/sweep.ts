/**
 * Learning-rate sweeps: area fractions of stable / unstable / diverged / not converged / other
 * starts of one slice over a list of η (single-threaded here; the worker pool runs one point
 * per task with the same functions).
 */
import { basinStats, computeBasinMap, type BasinStats } from './basin';
import { certifyAll } from './certificate';
import type { DynamicsProblem } from './classify';
import { isAdaptive, OPTIMIZER_TITLES, type OptimizerSpec } from './optimizers/spec';
import { etaMax as optimizerEtaMax } from './optimizers/thresholds';
import type { ClassifyOptions, SliceSpec } from './types';

export interface SweepPoint {
  eta: number;
  /** η divided by the smallest η_max over the minima — the optimizer's own threshold (NaN when there is no minimum, or for Adam / RMSProp) */
  etaFraction: number;
  stats: BasinStats;
}

/** Default number of learning rates and their range, as fractions of the smallest η_max. */
export const DEFAULT_SWEEP_COUNT = 20;
export const DEFAULT_SWEEP_FROM = 0.05;
export const DEFAULT_SWEEP_TO = 0.99;

/**
 * The smallest η_max over the strict minima, or null when there is none: 2/λ_max for GD (the
 * default), the optimizer's own threshold otherwise (2(1+β)/λ_max for heavy-ball, …); null for
 * Adam and RMSProp, whose threshold depends on the trajectory.
 */
export function smallestEtaMax(problem: DynamicsProblem, optimizer?: OptimizerSpec): number | null {
  let best: number | null = null;
  for (const m of problem.minima) {
    const e = optimizer && optimizer.name !== 'gd' ? optimizerEtaMax(optimizer, m.lambdaMax) : m.etaMax ?? (m.lambdaMax > 0 ? 2 / m.lambdaMax : null);
    if (e !== null && Number.isFinite(e) && e > 0 && (best === null || e < best)) best = e;
  }
  return best;
}

/** Evenly spaced fractions from..to (inclusive) of the smallest η_max (of `optimizer`). Throws without a minimum, and for Adam / RMSProp. */
export function sweepEtas(problem: DynamicsProblem, count = DEFAULT_SWEEP_COUNT, from = DEFAULT_SWEEP_FROM, to = DEFAULT_SWEEP_TO, optimizer?: OptimizerSpec): number[] {
  if (optimizer && isAdaptive(optimizer)) {
    throw new Error(`${OPTIMIZER_TITLES[optimizer.name]}'s threshold depends on the trajectory (it bounds the preconditioned sharpness), so there is no η_max to sweep fractions of; give the learning rates explicitly`);
  }
  const etaMax = smallestEtaMax(problem, optimizer);
  if (etaMax === null) throw new Error('no strict minimum was found, so there is no threshold η_max to sweep against; give the learning rates explicitly');
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`the number of learning rates must be a positive whole number, got ${count}`);
  if (count === 1) return [from * etaMax];
  return Array.from({ length: count }, (_, i) => (from + ((to - from) * i) / (count - 1)) * etaMax);
}

/** 20 values from 0.05 to 0.99 of the smallest η_max (of `optimizer`: each optimizer against its own threshold). */
export function defaultSweepEtas(problem: DynamicsProblem, optimizer?: OptimizerSpec): number[] {
  return sweepEtas(problem, DEFAULT_SWEEP_COUNT, DEFAULT_SWEEP_FROM, DEFAULT_SWEEP_TO, optimizer);
}

/** One point of a sweep: the whole slice at one η under `optimizer` (default GD). Null if cancelled. */
export function sweepPoint(
  problem: DynamicsProblem,
  slice: SliceSpec,
  eta: number,
  options: ClassifyOptions,
  cancel?: Int32Array,
  optimizer?: OptimizerSpec,
): (SweepPoint & { stepsDone: number }) | null {
  const gd = !optimizer || optimizer.name === 'gd';
  const map = computeBasinMap(problem, slice, eta, options, gd ? certifyAll(problem, eta) : [], cancel, optimizer);
  if (!map) return null;
  const etaMax = smallestEtaMax(problem, optimizer);
  return {
    eta,
    etaFraction: etaMax === null ? NaN : eta / etaMax,
    stats: basinStats(map.classes, map.minimum, problem.minima.length, map.increases),
    stepsDone: map.stepsDone,
  };
}

/** A whole sweep, in the order of `etas`; `onPoint` after each. Null if cancelled. */
export function runSweep(
  problem: DynamicsProblem,
  slice: SliceSpec,
  etas: readonly number[],
  options: ClassifyOptions,
  onPoint?: (p: SweepPoint, done: number, total: number) => void,
  cancel?: Int32Array,
  optimizer?: OptimizerSpec,
): SweepPoint[] | null {
  const points: SweepPoint[] = [];
  for (const eta of etas) {
    const p = sweepPoint(problem, slice, eta, options, cancel, optimizer);
    if (!p) return null;
    const point: SweepPoint = { eta: p.eta, etaFraction: p.etaFraction, stats: p.stats };
    points.push(point);
    onPoint?.(point, points.length, etas.length);
  }
  return points;
}
