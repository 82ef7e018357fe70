/**
 * A validated model spec plus its data → a ready network and its initial parameters.
 *
 *   mlp                   widths [inputs, …hidden, outputs], the spec's activation, biases
 *   deep-linear           widths [inputs, width × (depth − 1), outputs], linear, no biases
 *   matrix-factorization  L(U, V) = ½‖U Vᵀ − M‖²_F as the two-layer linear network on one-hot
 *                         inputs e_1…e_n (targets: the columns of M), summed over the columns.
 *                         Flat layout: W1 = Vᵀ (r × n, row-major), then W2 = U (m × r).
 */
import type { CsvError } from './csv';
import { loadDataset } from './data';
import { initParameters } from './init';
import { Network, type Architecture, type Dataset } from './network';
import { MODEL_LIMITS, type ModelSpec } from './spec';
import type { SpecError } from './specCheck';

export interface ModelSummary {
  kind: ModelSpec['kind'];
  /** d_0 … d_L */
  widths: number[];
  nParams: number;
  /** data points N */
  points: number;
  activation: string;
  loss: string;
  /** e.g. 'mlp 1→64→64→1 tanh, mse, 4289 parameters, 64 points' */
  description: string;
}

export interface BuiltModel {
  spec: ModelSpec;
  network: Network;
  /** θ_0 from the spec's init (seed, scheme, scale) */
  initial: Float64Array;
  summary: ModelSummary;
}

export type BuildResult =
  | { model: BuiltModel; errors?: undefined; csvErrors?: undefined }
  /** spec-level problems (paths relative to the model block) */
  | { model?: undefined; errors: SpecError[]; csvErrors?: undefined }
  /** problems in the CSV file, with file:line:column */
  | { model?: undefined; errors?: undefined; csvErrors: CsvError[] };

/** The one-hot data set of a matrix factorization: point j = e_j, target j = column j of M. */
export function matrixFactorizationData(target: number[][]): Dataset {
  const m = target.length;
  const n = target[0].length;
  const inputs = new Float64Array(n * n);
  const targets = new Float64Array(n * m);
  for (let j = 0; j < n; j++) {
    inputs[j * n + j] = 1;
    for (let i = 0; i < m; i++) targets[j * m + i] = target[i][j];
  }
  return { n, inputDim: n, outputDim: m, inputs, targets, inputNames: Array.from({ length: n }, (_, j) => `e${j + 1}`), targetNames: Array.from({ length: m }, (_, i) => `M${i + 1}`) };
}

function architecture(spec: ModelSpec, data: Dataset): Architecture {
  switch (spec.kind) {
    case 'mlp':
      return { widths: [data.inputDim, ...spec.hidden, data.outputDim], activation: spec.activation, bias: spec.bias, loss: spec.loss, reduction: 'mean' };
    case 'deep-linear':
      return { widths: [data.inputDim, ...new Array<number>(spec.depth - 1).fill(spec.width), data.outputDim], activation: { name: 'linear', beta: 1 }, bias: false, loss: spec.loss, reduction: 'mean' };
    case 'matrix-factorization':
      return { widths: [data.inputDim, spec.rank, data.outputDim], activation: { name: 'linear', beta: 1 }, bias: false, loss: 'mse', reduction: 'sum' };
  }
}

/** Builds the network for a spec on a data set (limits checked). */
export function buildModel(spec: ModelSpec, data: Dataset): BuildResult {
  const arch = architecture(spec, data);
  const { widths } = arch;
  let nParams = 0;
  for (let l = 1; l < widths.length; l++) nParams += widths[l] * widths[l - 1] + (arch.bias ? widths[l] : 0);
  const activations = data.n * widths.reduce((s, w) => s + w, 0);
  const errors: SpecError[] = [];
  const where = spec.kind === 'mlp' ? ['hidden'] : spec.kind === 'deep-linear' ? ['width'] : ['target'];
  if (data.n > MODEL_LIMITS.maxPoints) errors.push({ path: ['data'], message: `${data.n} data points; the limit is ${MODEL_LIMITS.maxPoints}` });
  if (nParams > MODEL_LIMITS.maxParams) errors.push({ path: where, message: `the network has ${nParams} parameters; the limit is ${MODEL_LIMITS.maxParams}` });
  if (activations > MODEL_LIMITS.maxActivations) errors.push({ path: where, message: `${data.n} points × ${widths.reduce((s, w) => s + w, 0)} units is too much to hold (limit ${MODEL_LIMITS.maxActivations} activations); use fewer points or narrower layers` });
  if (errors.length > 0) return { errors };
  const network = new Network(arch, data);
  const initial = initParameters(arch, spec.init);
  const activation = spec.kind === 'mlp' ? (spec.activation.name === 'softplus' ? `softplus(β=${spec.activation.beta})` : spec.activation.name) : 'linear';
  const summary: ModelSummary = {
    kind: spec.kind,
    widths: widths.slice(),
    nParams: network.nParams,
    points: data.n,
    activation,
    loss: arch.loss,
    description: `${spec.kind} ${widths.join('→')} ${activation}, ${arch.loss}${arch.reduction === 'sum' ? ' (sum)' : ''}, ${network.nParams} parameters, ${data.n} point${data.n === 1 ? '' : 's'}`,
  };
  return { model: { spec, network, initial, summary } };
}

/**
 * Spec → data → network in one call. `csv` is the text of the spec's CSV file (the caller reads
 * it; `name` is how errors should name the file).
 */
export function prepareModel(spec: ModelSpec, csv?: { name: string; text: string }): BuildResult {
  if (spec.kind === 'matrix-factorization') return buildModel(spec, matrixFactorizationData(spec.target));
  const loaded = loadDataset(spec.data, spec.loss, csv);
  if (loaded.errors) {
    const [first] = loaded.errors;
    if (typeof first === 'string') return { errors: (loaded.errors as string[]).map((message) => ({ path: ['data'], message })) };
    return { csvErrors: loaded.errors as CsvError[] };
  }
  return buildModel(spec, loaded.dataset);
}
