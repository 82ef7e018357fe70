/**
 * The fractal measures that `gdlab basin --stats` prints after the area fractions: basin entropy
 * and boundary basin entropy, box-counting dimensions of the class boundaries, and the
 * uncertainty exponent (which re-classifies a grid of at most 128² starts shifted by ±ε, through
 * the worker pool).
 */
import type { AnalyzedProblem } from '../engine/analyze';
import { defaultEpsilons, fractalMeasures, type BasinEntropy, type BoxDimension, type FractalMeasures, type UncertaintyExponent } from '../engine/measures/fractal';
import type { ClassifyOptions, SliceSpec } from '../engine/types';
import { uncertaintyExponents, type UncertaintyResult } from '../compute/measureJobs';
import { ComputePool } from '../compute/pool';

/** Largest side of the grid of starts for the uncertainty exponent (its cost is 1 + 2·10 maps of it). */
export const UNCERTAINTY_GRID = 128;

function g(v: number, digits = 4): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v);
}

function entropyLine(e: BasinEntropy): string {
  const what = e.partition === 'attractor' ? 'attractors (which minimum, or diverged / not converged / …)' : 'outcome classes';
  if (e.Sbb === null) return `  basin entropy, ${what}: S_b = ${g(e.Sb)}; no box of ${e.boxSide}×${e.boxSide} pixels holds two of them (no boundary)`;
  const verdict = e.fractalByLn2 ? 'S_bb > ln 2: the boundary is fractal' : 'S_bb ≤ ln 2: no proof of a fractal boundary either way';
  return `  basin entropy, ${what}: S_b = ${g(e.Sb)}, S_bb = ${g(e.Sbb)} over ${e.boundaryBoxes} of ${e.boxes} boxes of ${e.boxSide}×${e.boxSide} pixels (${verdict})`;
}

function dimensionLine(d: BoxDimension): string {
  if (d.dimension === null) return `  box-counting dimension, ${d.boundary}: none (${d.reason})`;
  const range = d.scaleRange as [number, number];
  const units = d.scaleRangeUnits ? ` = ${g(d.scaleRangeUnits[0], 3)} – ${g(d.scaleRangeUnits[1], 3)} in x` : '';
  return `  box-counting dimension, ${d.boundary}: D = ${g(d.dimension)} ± ${g(d.stdErr ?? NaN, 2)} (R² = ${g(d.rSquared ?? NaN, 4)}, box sides ${range[0]}–${range[1]} pixels${units}, ${d.boundaryEdges} boundary edges)`;
}

function uncertaintyLine(u: UncertaintyExponent, r: UncertaintyResult): string {
  const what = u.partition === 'attractor' ? 'attractors' : 'outcome classes';
  if (u.alpha === null) return `  uncertainty exponent, ${what}: none (${u.reason})`;
  const range = u.epsilonRange as [number, number];
  return `  uncertainty exponent, ${what}: α = ${g(u.alpha)} ± ${g(u.stdErr ?? NaN, 2)} → D = 2 − α = ${g(u.dimension ?? NaN)} (${r.starts} starts shifted by ±ε along x, ε = ${g(range[0], 3)} … ${g(range[1], 3)}, ${u.points.filter((p) => p.used).length} of ${u.points.length} shifts fitted)`;
}

/** The measures of a computed map plus the uncertainty exponent (extra maps through a pool). */
export async function fractalStats(
  problem: AnalyzedProblem,
  slice: SliceSpec,
  eta: number,
  classify: ClassifyOptions,
  map: { classes: Uint8Array; minimum: Int8Array },
  workers: number | ComputePool,
): Promise<{ measures: FractalMeasures; uncertainty: UncertaintyResult }> {
  const pixelSize = (slice.xRange[1] - slice.xRange[0]) / slice.width;
  const measures = fractalMeasures(map.classes, map.minimum, problem.minima.length, slice.width, slice.height, { pixelSize });
  const grid: SliceSpec = { ...slice, width: Math.min(slice.width, UNCERTAINTY_GRID), height: Math.min(slice.height, UNCERTAINTY_GRID) };
  const reuse = grid.width === slice.width && grid.height === slice.height;
  // a pool given is reused (gdlab basin --stats: the map's workers) and left open
  const pool = typeof workers === 'number' ? new ComputePool({ workers }) : workers;
  try {
    const uncertainty = await uncertaintyExponents(
      pool,
      { spec: problem.spec, slice: grid, eta, classify, epsilons: defaultEpsilons(slice.xRange[1] - slice.xRange[0]) },
      reuse ? { base: map } : {},
    );
    return { measures, uncertainty };
  } finally {
    if (pool !== workers) pool.dispose();
  }
}

/** The lines `gdlab basin --stats` adds. */
export function fractalStatsText(stats: { measures: FractalMeasures; uncertainty: UncertaintyResult }): string {
  const { measures, uncertainty } = stats;
  return [
    'fractal measures:',
    ...measures.entropy.map(entropyLine),
    ...measures.dimensions.map(dimensionLine),
    ...uncertainty.exponents.map((u) => uncertaintyLine(u, uncertainty)),
  ].join('\n') + '\n';
}
