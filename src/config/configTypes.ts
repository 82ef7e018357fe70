/**
 * The shapes a validated config takes (shared by the validators in ./validators and by the
 * callers of parseConfig). Pure types and limits: no vscode, no I/O.
 */
import type { OptimizerSpec, ParameterKey } from '../engine/optimizers/spec';
import type { ParsedExpression, ProblemSpec, SourceRange } from '../engine/types';
import type { NetworkConfig } from './network';
import type { ConfigFormat } from './tree';
import type { ConfigKey } from './validators/registry';

export type { ConfigKey } from './validators/registry';

/** Limits and defaults of the config vocabulary (the schema states the same numbers). */
export const CONFIG_LIMITS = {
  defaultDomain: [-3, 3] as [number, number],
  minGrid: 8,
  /** 1024² ≈ 1 M starts (the panel's largest map); beyond that a map takes minutes */
  maxGrid: 1024,
  maxMaxSteps: 1_000_000,
  maxTolerance: 1e-2,
  maxStarts: 64,
  maxVariables: 20,
  /** characters of config text read at all (a config is well under 1 KB) */
  maxTextLength: 1_000_000,
  /** levels of nested lists / objects (a config needs 3) */
  maxNesting: 64,
} as const;

export type Severity = 'error' | 'warning' | 'information';

export interface ConfigIssue {
  severity: Severity;
  /** one line, no control characters (user text in it is escaped and capped) */
  message: string;
  /** document offsets [start, end), always inside the document */
  range: SourceRange;
  /** stable machine-readable code, e.g. 'expression', 'lr-threshold', 'no-minimum' */
  code: string;
}

/** One learning rate written in the config (a concrete η or a fraction of η_max). */
export interface LearningRateEntry {
  key: 'lr' | 'learningRates' | 'lrFractions';
  /** index in the list, null for `lr` */
  index: number | null;
  /** as written: η, or the fraction of η_max for `lrFractions` */
  value: number;
  fraction: boolean;
  /** range of the value */
  range: SourceRange;
}

export interface GdlabConfig {
  format: ConfigFormat;
  issues: ConfigIssue[];
  /** true when there is no usable problem (objective or domain unusable, syntax broken) */
  fatal: boolean;
  /** the problem, with the variable order and the resolved domain filled in (null if fatal) */
  spec: ProblemSpec | null;
  parsed: ParsedExpression | null;
  name?: string;
  learningRates: LearningRateEntry[];
  starts: number[][];
  grid?: number;
  maxSteps?: number;
  tolerance?: number;
  axes?: [string, string];
  /** values of the non-axis variables (a null-prototype map: keys are user text) */
  fixed?: Record<string, number>;
  /** the optimizer (absent: gradient descent; absent too when "optimizer" has an error) */
  optimizer?: OptimizerSpec;
  /** where the optimizer's name and each parameter's key and value are, for hover */
  optimizerRanges?: { name?: SourceRange; params: Partial<Record<ParameterKey, { key: SourceRange; value: SourceRange }>> };
  /** ranges of each top-level key and of its value */
  keyRanges: Partial<Record<ConfigKey, SourceRange>>;
  valueRanges: Partial<Record<ConfigKey, SourceRange>>;
  /** where the objective's text is, for hover and CodeLens */
  objectiveRange?: SourceRange;
  /** the objective string node: maps ranges in the expression (e.g. from a worker) to the document */
  objectiveSource?: { range: SourceRange; value: string; contentOffsets: number[] | null };
  /** a network config (a "model" block, validators/model.ts): the validated network part */
  network?: NetworkConfig;
}
