/**
 * What the extension host asks the panel to show for a config with a `model` block: a network,
 * its data and how to train it, as plain data. Produced from a config (src/config), consumed by
 * the panel host (which reads the CSV file and runs the jobs) and sent to the webview. Nothing
 * executable; the CSV text never goes to the webview.
 */
import type { ModelSpec } from '../engine/nn/spec';
import type { OptimizerSpec } from '../engine/optimizers/spec';

export interface NetworkSession {
  kind: 'network';
  /** the panel title, e.g. the config's "name" */
  title: string;
  /** the validated `model` block (defaults filled in) */
  model: ModelSpec;
  /** the learning rates trained, in order (a config's lr and learningRates) */
  learningRates: number[];
  /** optimizer steps per learning rate */
  steps: number;
  optimizer: OptimizerSpec;
  /** 'GD', 'Adam β₁ = 0.9, …' */
  optimizerLabel: string;
  /** the threshold line of each learning rate (2/η for GD; the optimizer's otherwise), same order */
  thresholds: number[];
  /** true when the optimizer is adaptive: its line is for λ_max(P⁻¹H) */
  preconditioned: boolean;
  /** the CSV file of the data (a URI string), when the data is a file */
  csvUri?: string;
  /** the config document it came from (a URI string), if any */
  sourceUri?: string;
}

/** The name of an optimizer's threshold line, for labels ('2/η' for GD and RMSProp). */
export function thresholdName(optimizer: { name: string }): string {
  switch (optimizer.name) {
    case 'momentum': return '2(1+β)/η';
    case 'nesterov': return '(2+2β)/((1+2β)η)';
    case 'adam': return '(2+2β₁)/((1−β₁)η)';
    default: return '2/η';
  }
}
