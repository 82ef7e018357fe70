/**
 * What the extension host asks the panel to show: one analysis session, as plain data.
 * Produced by src/config (from a config file or a selection), consumed by the panel host and
 * sent to the webview. Nothing executable.
 */
import type { OptimizerSpec } from '../engine/optimizers/spec';
import type { ProblemSpec } from '../engine/types';

export interface AnalysisSession {
  /** shown as the panel title, e.g. "Figure 3: f4" or the selected text */
  title: string;
  problem: ProblemSpec;
  /** learning rate to show first */
  eta: number;
  /** the optimizer the maps and trajectories run (absent: gradient descent) */
  optimizer?: OptimizerSpec;
  /** further learning rates of interest (a config's `learningRates`), may be empty */
  learningRates: number[];
  /** map axes by variable name (default: first two variables) */
  axes?: [string, string];
  /** values of the non-axis variables (default: the first minimum's coordinates) */
  fixed?: Record<string, number>;
  /** starts whose trajectories are drawn on open (a config's `starts`) */
  starts: number[][];
  /** pixels per side of the basin map */
  grid: number;
  maxSteps: number;
  /** relative round-off guard for loss increases (setting / config `tolerance`) */
  roundoffGuard?: number;
  /** the document it came from, for live updates (a URI string), if any */
  sourceUri?: string;
  /** initial map colours (the gdStabilityLab.colorScheme setting); the panel's menu overrides */
  colorScheme?: 'paper' | 'per-minimum' | 'colorblind';
}
