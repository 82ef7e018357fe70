/**
 * Data sets for networks: generated ones (seeded, deterministic) and CSV tables (csv.ts),
 * turned into the layout the network reads (network.ts `Dataset`).
 *
 *   chebyshev  n points evenly spaced on [−1, 1] labelled by the Chebyshev polynomial T_degree
 *              (the synthetic regression of Cohen et al. 2021)
 *   two-moons  two interleaved half circles with Gaussian noise, labels 0 / 1, n/2 each
 *   teacher    x ~ N(0, I), labels from a random network (LeCun init, its own seed) plus noise
 */
import { activate, type Activation } from './activations';
import { parseCsv, type CsvColumnKind, type CsvError } from './csv';
import { initParameters, normalSampler } from './init';
import type { LossName } from './losses';
import type { Dataset } from './network';

export type DataSpec =
  | { source: 'csv'; file: string; inputs: string[]; targets: string[] }
  | { source: 'generate'; generator: 'chebyshev'; n: number; degree: number }
  | { source: 'generate'; generator: 'two-moons'; n: number; noise: number; seed: number }
  | { source: 'generate'; generator: 'teacher'; n: number; inputs: number; outputs: number; hidden: number[]; activation: Activation; noise: number; seed: number };

export const GENERATORS = ['chebyshev', 'two-moons', 'teacher'] as const;

/** T_k(x) by the three-term recurrence. */
export function chebyshevT(k: number, x: number): number {
  if (k === 0) return 1;
  let prev = 1;
  let cur = x;
  for (let i = 1; i < k; i++) {
    const next = 2 * x * cur - prev;
    prev = cur;
    cur = next;
  }
  return cur;
}

/** Raw points: inputs N×d and real-valued targets N×c (before the loss decides the encoding). */
interface RawData {
  n: number;
  inputDim: number;
  targetDim: number;
  inputs: Float64Array;
  targets: Float64Array;
  inputNames: string[];
  targetNames: string[];
  /** targets are class labels 0..k−1 (two-moons) rather than real values */
  labels: boolean;
}

function generate(spec: Extract<DataSpec, { source: 'generate' }>): RawData {
  switch (spec.generator) {
    case 'chebyshev': {
      const { n, degree } = spec;
      const inputs = new Float64Array(n);
      const targets = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = n === 1 ? 0 : -1 + (2 * i) / (n - 1);
        inputs[i] = x;
        targets[i] = chebyshevT(degree, x);
      }
      return { n, inputDim: 1, targetDim: 1, inputs, targets, inputNames: ['x'], targetNames: [`T${degree}(x)`], labels: false };
    }
    case 'two-moons': {
      const { n, noise } = spec;
      const normal = normalSampler(spec.seed);
      const inputs = new Float64Array(2 * n);
      const targets = new Float64Array(n);
      const outer = Math.ceil(n / 2);
      for (let i = 0; i < n; i++) {
        const isOuter = i < outer;
        const count = isOuter ? outer : n - outer;
        const j = isOuter ? i : i - outer;
        const t = count === 1 ? 0 : (Math.PI * j) / (count - 1);
        inputs[2 * i] = (isOuter ? Math.cos(t) : 1 - Math.cos(t)) + noise * normal();
        inputs[2 * i + 1] = (isOuter ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * normal();
        targets[i] = isOuter ? 0 : 1;
      }
      return { n, inputDim: 2, targetDim: 1, inputs, targets, inputNames: ['x1', 'x2'], targetNames: ['label'], labels: true };
    }
    case 'teacher': {
      const { n, inputs: d, outputs: c, hidden, activation, noise } = spec;
      const normal = normalSampler(spec.seed);
      const inputs = new Float64Array(n * d);
      for (let i = 0; i < inputs.length; i++) inputs[i] = normal();
      const arch = { widths: [d, ...hidden, c], activation, bias: true, loss: 'mse' as const, reduction: 'mean' as const };
      const params = initParameters(arch, { seed: spec.seed + 1, scheme: 'lecun', scale: 1 });
      const targets = teacherOutputs(params, inputs, arch.widths, activation, n);
      for (let i = 0; i < targets.length; i++) targets[i] += noise * normal();
      const inputNames = Array.from({ length: d }, (_, i) => `x${i + 1}`);
      const targetNames = Array.from({ length: c }, (_, i) => `y${i + 1}`);
      return { n, inputDim: d, targetDim: c, inputs, targets, inputNames, targetNames, labels: false };
    }
  }
}

/** The teacher's outputs: a plain per-point forward pass over the layout W1, b1, W2, b2, … */
function teacherOutputs(params: Float64Array, inputs: Float64Array, widths: number[], act: Activation, n: number): Float64Array {
  let a = inputs;
  let offset = 0;
  for (let l = 1; l < widths.length; l++) {
    const P = widths[l - 1];
    const Q = widths[l];
    const z = new Float64Array(n * Q);
    for (let s = 0; s < n; s++) {
      for (let q = 0; q < Q; q++) {
        let sum = params[offset + Q * P + q];
        for (let p = 0; p < P; p++) sum += params[offset + q * P + p] * a[s * P + p];
        z[s * Q + q] = sum;
      }
    }
    offset += Q * P + Q;
    if (l < widths.length - 1) {
      const out = new Float64Array(n * Q);
      activate(act, z, out, null, n * Q);
      a = out;
    } else {
      a = z;
    }
  }
  return a;
}

/** Raw data → the network's layout for a loss, or a message naming what does not fit. */
function encode(raw: RawData, loss: LossName): Dataset | string {
  const base = { n: raw.n, inputDim: raw.inputDim, inputs: raw.inputs, inputNames: raw.inputNames, targetNames: raw.targetNames };
  if (loss === 'mse') return { ...base, outputDim: raw.targetDim, targets: raw.targets };
  if (raw.targetDim !== 1) return `the ${loss} loss needs one target column (${loss === 'logistic' ? '0/1 labels' : 'class indices'}), the data has ${raw.targetDim}`;
  if (loss === 'logistic') {
    if (!raw.labels && raw.targets.some((v) => v !== 0 && v !== 1)) {
      // teacher outputs → labels by sign
      return { ...base, outputDim: 1, targets: raw.targets.map((v) => (v > 0 ? 1 : 0)) };
    }
    return { ...base, outputDim: 1, targets: raw.targets };
  }
  let classes = 0;
  for (const v of raw.targets) {
    if (!(Number.isInteger(v) && v >= 0)) return 'the cross-entropy loss needs class indices 0, 1, 2, … as targets';
    classes = Math.max(classes, v + 1);
  }
  if (classes < 2) return 'the cross-entropy loss needs at least two classes in the targets';
  return { ...base, outputDim: classes, targets: raw.targets };
}

/** What a CSV target column must hold under a loss. */
function targetKind(loss: LossName): CsvColumnKind {
  return loss === 'logistic' ? 'binary' : loss === 'cross-entropy' ? 'label' : 'real';
}

export type DataResult = { dataset: Dataset; errors?: undefined } | { dataset?: undefined; errors: CsvError[] | string[] };

/**
 * A generated data set, or a CSV one from its text (`csv` = the file's name as to be shown in
 * errors, and its text; the caller does the reading). Errors: CSV problems with file:line:column,
 * or messages about the encoding.
 */
export function loadDataset(spec: DataSpec, loss: LossName, csv?: { name: string; text: string }): DataResult {
  let raw: RawData;
  if (spec.source === 'csv') {
    if (!csv) return { errors: [`data.csv: the text of ${spec.file} was not provided`] };
    const kind = targetKind(loss);
    const wanted = [...spec.inputs.map((name) => ({ name, kind: 'real' as const })), ...spec.targets.map((name) => ({ name, kind }))];
    const parsed = parseCsv(csv.name, csv.text, wanted);
    if (parsed.errors) return { errors: parsed.errors };
    const { table } = parsed;
    const n = table.rows;
    const d = spec.inputs.length;
    const c = spec.targets.length;
    const inputs = new Float64Array(n * d);
    const targets = new Float64Array(n * c);
    for (let s = 0; s < n; s++) {
      for (let j = 0; j < d; j++) inputs[s * d + j] = table.columns[j][s];
      for (let j = 0; j < c; j++) targets[s * c + j] = table.columns[d + j][s];
    }
    raw = { n, inputDim: d, targetDim: c, inputs, targets, inputNames: spec.inputs, targetNames: spec.targets, labels: loss !== 'mse' };
  } else {
    raw = generate(spec);
  }
  const encoded = encode(raw, loss);
  return typeof encoded === 'string' ? { errors: [encoded] } : { dataset: encoded };
}
