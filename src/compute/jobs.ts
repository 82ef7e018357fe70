/**
 * Plain-data job descriptions for the compute pool. Everything here is structured-clone friendly:
 * a worker receives the problem as data (the parsed objective as IR nodes — ProblemSpec.ir —
 * variables, domain, η, grid), validates and compiles it itself, so nothing executable ever
 * crosses a thread boundary and no worker loads a parser.
 */
import type { OptimizerAnalysis } from '../engine/optimizers/analysis';
import type { OptimizerSpec } from '../engine/optimizers/spec';
import type { Box, CertificateResult, ClassifyOptions, CriticalPoint, ProblemSpec, SliceSpec } from '../engine/types';
import type { TrajectoryResult } from '../engine/trajectory';
import type { SearchReport } from '../engine/critical';
import type { Definedness } from '../engine/definedness';

/** One basin map: classify every pixel of `slice` for learning rate `eta`. */
export interface BasinJob {
  spec: ProblemSpec;
  slice: SliceSpec;
  eta: number;
  classify: ClassifyOptions;
  /** the optimizer (absent: gradient descent); validated spec (resolveOptimizer) */
  optimizer?: OptimizerSpec;
}

/** A learning-rate sweep: area fractions of the same slice for each η in `etas`. */
export interface SweepJob {
  spec: ProblemSpec;
  slice: SliceSpec;
  etas: number[];
  classify: ClassifyOptions;
  /** the optimizer (absent: gradient descent) */
  optimizer?: OptimizerSpec;
}

/** One trajectory from `init` (full-length point, in variable order). */
export interface TrajectoryJob {
  spec: ProblemSpec;
  eta: number;
  init: number[];
  classify: ClassifyOptions;
  /** the optimizer (absent: gradient descent) */
  optimizer?: OptimizerSpec;
  /** keep iterating this many steps after the classification is final (for drawing curves) */
  tailSteps?: number;
}

/** The plain data of an AnalyzedProblem (what the host and the panel need to show it). */
export interface AnalysisResult {
  variables: string[];
  /** normalised expression text, for display */
  normalized: string;
  /** resolved domain (default [-3, 3] per variable) */
  domain: Box;
  criticalPoints: CriticalPoint[];
  /** strict minima, sorted; "minimum index j" everywhere is an index into this array (some may be `outside` the searched boxes) */
  minima: CriticalPoint[];
  /** the boxes the critical-point search covered: the domain, then the spec's windows not inside it */
  searched: Box[];
  /** what the search did (starts abandoned, unverified, …), summed over the boxes */
  search: SearchReport;
  /** where f is undefined on the searched boxes (sampled and by interval arithmetic) */
  definedness: Definedness;
  /** Theorem 2 certificates for each requested η (gradient descent's; empty for a map of another optimizer) */
  certificates: { eta: number; results: CertificateResult[] }[];
  /** a map of another optimizer than GD: its thresholds and convergence regions at the map's η */
  optimizer?: OptimizerAnalysis;
}

/**
 * A trajectory as plain data. TrajectoryResult holds only numbers, typed arrays and plain objects,
 * so it crosses the worker boundary unchanged (its typed arrays are transferred, not copied).
 */
export type TrajectoryData = TrajectoryResult;
