/**
 * The `model` block of a config, as plain data, and its validator. `validateModelSpec(obj)`
 * returns a complete spec (defaults filled in) or errors with JSON paths relative to the block,
 * so a config layer can put each error on its exact range.
 *
 *   { "kind": "mlp", "hidden": [64, 64], "activation": "tanh", "loss": "mse",
 *     "data": { "generate": "chebyshev", "n": 64, "degree": 4 },
 *     "init": { "seed": 0, "scheme": "lecun", "scale": 1 } }
 *   { "kind": "deep-linear", "depth": 3, "width": 8, "data": { … } }
 *   { "kind": "matrix-factorization", "rank": 2, "target": [[1, 0], [0, 2]] }
 *   data: { "csv": "points.csv", "inputs": ["x"], "targets": ["y"] }
 *       | { "generate": "chebyshev", "n": 64, "degree": 4 }
 *       | { "generate": "two-moons", "n": 200, "noise": 0.1, "seed": 0 }
 *       | { "generate": "teacher", "n": 256, "inputs": 2, "outputs": 1, "hidden": [16], "activation": "tanh", "noise": 0, "seed": 0 }
 */
import { ACTIVATIONS, type Activation } from './activations';
import { GENERATORS, type DataSpec } from './data';
import { INIT_SCHEMES, type InitSpec } from './init';
import { LOSSES, type LossName } from './losses';
import { Checker, type JsonPath, type Plain, type PlainObject, type Validated } from './specCheck';

export const MODEL_KINDS = ['mlp', 'deep-linear', 'matrix-factorization'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

interface Common {
  init: InitSpec;
  /** measure the sharpness every this many steps (0 = never) */
  sharpnessEvery: number;
  /** how many top Hessian eigenvalues to record at each measurement */
  topK: number;
}

export interface MlpSpec extends Common {
  kind: 'mlp';
  hidden: number[];
  activation: Activation;
  bias: boolean;
  loss: LossName;
  data: DataSpec;
}

export interface DeepLinearSpec extends Common {
  kind: 'deep-linear';
  /** number of weight matrices */
  depth: number;
  width: number;
  loss: LossName;
  data: DataSpec;
}

export interface MatrixFactorizationSpec extends Common {
  kind: 'matrix-factorization';
  rank: number;
  /** the m×n target M; the loss is ½‖U Vᵀ − M‖²_F */
  target: number[][];
}

export type ModelSpec = MlpSpec | DeepLinearSpec | MatrixFactorizationSpec;

/** Limits that keep a run within memory and a sensible time. */
export const MODEL_LIMITS = {
  maxWidth: 4096,
  maxLayers: 64,
  maxPoints: 200_000,
  maxParams: 5_000_000,
  /** N × Σ widths: the activations the workspaces hold (each needs ≈ 12 doubles) */
  maxActivations: 20_000_000,
  maxDegree: 64,
  maxMatrixSide: 400,
  maxTopK: 4,
} as const;

export const DEFAULT_SHARPNESS_EVERY = 20;

const RELU_LIKE = ['relu', 'relu6', 'leaky-relu', 'leaky_relu', 'leakyrelu', 'prelu', 'elu', 'selu', 'hardtanh'];
const RELU_HINT = 'is not twice differentiable (no Hessian at its kink, zero curvature elsewhere), so sharpness and Hessian-vector products are meaningless for it; use the smoothed ReLU {"name": "softplus", "beta": 10} (→ ReLU as beta grows) or "gelu"';

export function validateActivation(c: Checker, v: Plain | undefined, path: JsonPath, fallback: Activation): Activation {
  if (v === undefined) return fallback;
  const obj: PlainObject | null = typeof v === 'string' ? { name: v } : c.object(v, path, 'activation');
  if (!obj) return fallback;
  const namePath = typeof v === 'string' ? path : [...path, 'name'];
  if (typeof obj.name === 'string' && RELU_LIKE.includes(obj.name.toLowerCase())) {
    c.error(namePath, `activation "${obj.name}" ${RELU_HINT}`);
    return fallback;
  }
  const name = c.oneOf(obj.name, ACTIVATIONS, namePath, 'activation');
  if (!name) return fallback;
  if (typeof v !== 'string') c.unknownKeys(obj, name === 'softplus' ? ['name', 'beta'] : ['name'], path, `the ${name} activation`);
  const beta = name === 'softplus' ? c.number(obj, 'beta', path, { fallback: 1, above: 0, max: 1000, what: 'softplus sharpness beta' }) : 1;
  return { name, beta };
}

function widthList(c: Checker, v: Plain | undefined, path: JsonPath, what: string, fallback: number[] | null): number[] {
  if (v === undefined) {
    if (fallback) return fallback;
    c.error(path.slice(0, -1), `missing "${String(path[path.length - 1])}" (${what})`);
    return [];
  }
  if (!Array.isArray(v)) {
    c.error(path, `${what} must be a list of layer widths, e.g. [64, 64]`);
    return [];
  }
  if (v.length > MODEL_LIMITS.maxLayers) c.error(path, `${what}: at most ${MODEL_LIMITS.maxLayers} layers, got ${v.length}`);
  return v.map((w, i) => {
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > MODEL_LIMITS.maxWidth) {
      c.error([...path, i], `layer width must be a whole number from 1 to ${MODEL_LIMITS.maxWidth}, got ${JSON.stringify(w)}`);
      return 1;
    }
    return w;
  });
}

function validateInit(c: Checker, v: Plain | undefined, path: JsonPath): InitSpec {
  const fallback: InitSpec = { seed: 0, scheme: 'lecun', scale: 1 };
  if (v === undefined) return fallback;
  const obj = c.object(v, path, 'init');
  if (!obj) return fallback;
  c.unknownKeys(obj, ['seed', 'scheme', 'scale'], path, 'init');
  const seed = c.number(obj, 'seed', path, { fallback: 0, integer: true, min: 0, max: 2 ** 32 - 1, what: 'init.seed' });
  const scheme = obj.scheme === undefined ? 'lecun' : (c.oneOf(obj.scheme, INIT_SCHEMES, [...path, 'scheme'], 'init.scheme') ?? 'lecun');
  const scale = c.number(obj, 'scale', path, { fallback: 1, above: 0, max: 100, what: 'init.scale' });
  return { seed, scheme, scale };
}

function validateData(c: Checker, v: Plain | undefined, path: JsonPath): DataSpec | null {
  if (v === undefined) {
    c.error(path.slice(0, -1), 'missing "data": { "csv": "points.csv", "inputs": ["x"], "targets": ["y"] } or { "generate": "chebyshev", "n": 64 }');
    return null;
  }
  const obj = c.object(v, path, 'data');
  if (!obj) return null;
  if ('csv' in obj) {
    c.unknownKeys(obj, ['csv', 'inputs', 'targets'], path, 'CSV data');
    if (typeof obj.csv !== 'string' || obj.csv.trim() === '') c.error([...path, 'csv'], 'data.csv must be the path of a CSV file, relative to the config file');
    const inputs = c.stringList(obj, 'inputs', path, 'data.inputs');
    const targets = c.stringList(obj, 'targets', path, 'data.targets');
    for (const t of targets) if (inputs.includes(t)) c.error([...path, 'targets'], `column "${t}" is both an input and a target`);
    return typeof obj.csv === 'string' ? { source: 'csv', file: obj.csv, inputs, targets } : null;
  }
  if (!('generate' in obj)) {
    c.error(path, 'data needs "csv" (a file next to the config) or "generate" (one of chebyshev, two-moons, teacher)');
    return null;
  }
  const generator = c.oneOf(obj.generate, GENERATORS, [...path, 'generate'], 'data.generate');
  if (!generator) return null;
  const n = c.number(obj, 'n', path, { fallback: generator === 'chebyshev' ? 64 : 256, integer: true, min: 1, max: MODEL_LIMITS.maxPoints, what: 'data.n (number of points)' });
  const seed = c.number(obj, 'seed', path, { fallback: 0, integer: true, min: 0, max: 2 ** 32 - 1, what: 'data.seed' });
  switch (generator) {
    case 'chebyshev':
      c.unknownKeys(obj, ['generate', 'n', 'degree', 'seed'], path, 'chebyshev data');
      return { source: 'generate', generator, n, degree: c.number(obj, 'degree', path, { fallback: 4, integer: true, min: 0, max: MODEL_LIMITS.maxDegree, what: 'data.degree' }) };
    case 'two-moons':
      c.unknownKeys(obj, ['generate', 'n', 'noise', 'seed'], path, 'two-moons data');
      return { source: 'generate', generator, n, seed, noise: c.number(obj, 'noise', path, { fallback: 0.1, min: 0, max: 10, what: 'data.noise' }) };
    case 'teacher': {
      c.unknownKeys(obj, ['generate', 'n', 'inputs', 'outputs', 'hidden', 'activation', 'noise', 'seed'], path, 'teacher data');
      const dims = { integer: true, min: 1, max: MODEL_LIMITS.maxWidth };
      return {
        source: 'generate', generator, n, seed,
        inputs: c.number(obj, 'inputs', path, { ...dims, fallback: 2, what: 'data.inputs (input dimension)' }),
        outputs: c.number(obj, 'outputs', path, { ...dims, fallback: 1, what: 'data.outputs (output dimension)' }),
        hidden: widthList(c, obj.hidden, [...path, 'hidden'], 'data.hidden', [8]),
        activation: validateActivation(c, obj.activation, [...path, 'activation'], { name: 'tanh', beta: 1 }),
        noise: c.number(obj, 'noise', path, { fallback: 0, min: 0, max: 100, what: 'data.noise' }),
      };
    }
  }
}

function validateMatrix(c: Checker, v: Plain | undefined, path: JsonPath): number[][] {
  if (v === undefined) {
    c.error(path.slice(0, -1), 'missing "target": the matrix to factorize, as a list of rows, e.g. [[1, 0], [0, 2]]');
    return [];
  }
  if (!Array.isArray(v) || v.length === 0 || !v.every(Array.isArray)) {
    c.error(path, 'target must be a matrix: a non-empty list of rows, e.g. [[1, 0], [0, 2]]');
    return [];
  }
  const rows = v as Plain[][];
  const cols = rows[0].length;
  if (cols === 0) c.error([...path, 0], 'target rows must not be empty');
  if (rows.length > MODEL_LIMITS.maxMatrixSide || cols > MODEL_LIMITS.maxMatrixSide) c.error(path, `target: at most ${MODEL_LIMITS.maxMatrixSide} rows and columns`);
  rows.forEach((row, i) => {
    if (row.length !== cols) c.error([...path, i], `target row ${i} has ${row.length} entries, row 0 has ${cols}`);
    row.forEach((x, j) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) c.error([...path, i, j], `target entries must be numbers, got ${JSON.stringify(x)}`);
    });
  });
  return rows as number[][];
}

const COMMON_KEYS = ['kind', 'init', 'sharpnessEvery', 'topK'];
const KEYS: Record<ModelKind, string[]> = {
  mlp: [...COMMON_KEYS, 'hidden', 'activation', 'bias', 'loss', 'data'],
  'deep-linear': [...COMMON_KEYS, 'depth', 'width', 'loss', 'data'],
  'matrix-factorization': [...COMMON_KEYS, 'rank', 'target'],
};

/** Validates a `model` block (plain data). Paths in errors are relative to the block. */
export function validateModelSpec(value: unknown): Validated<ModelSpec> {
  const c = new Checker();
  const obj = c.object(value, [], 'model');
  if (!obj) return { errors: c.errors };
  const kind = c.oneOf(obj.kind, MODEL_KINDS, obj.kind === undefined ? [] : ['kind'], 'model.kind');
  if (!kind) return { errors: c.errors };
  c.unknownKeys(obj, KEYS[kind], [], `a ${kind} model`);
  const common: Common = {
    init: validateInit(c, obj.init, ['init']),
    sharpnessEvery: c.number(obj, 'sharpnessEvery', [], { fallback: DEFAULT_SHARPNESS_EVERY, integer: true, min: 0, max: 1_000_000 }),
    topK: c.number(obj, 'topK', [], { fallback: 1, integer: true, min: 1, max: MODEL_LIMITS.maxTopK }),
  };
  const loss = (): LossName => (obj.loss === undefined ? 'mse' : (c.oneOf(obj.loss, LOSSES, ['loss'], 'loss') ?? 'mse'));
  let spec: ModelSpec | null = null;
  switch (kind) {
    case 'mlp': {
      const hidden = widthList(c, obj.hidden, ['hidden'], 'hidden', null);
      const activation = validateActivation(c, obj.activation, ['activation'], { name: 'tanh', beta: 1 });
      const bias = c.boolean(obj, 'bias', [], true);
      const l = loss();
      const data = validateData(c, obj.data, ['data']);
      if (data) spec = { kind, hidden, activation, bias, loss: l, data, ...common };
      break;
    }
    case 'deep-linear': {
      const depth = c.number(obj, 'depth', [], { integer: true, min: 1, max: MODEL_LIMITS.maxLayers, what: 'depth (number of weight matrices)' });
      const width = c.number(obj, 'width', [], { integer: true, min: 1, max: MODEL_LIMITS.maxWidth, what: 'width (of every hidden layer)' });
      const l = loss();
      const data = validateData(c, obj.data, ['data']);
      if (data) spec = { kind, depth, width, loss: l, data, ...common };
      break;
    }
    case 'matrix-factorization': {
      const rank = c.number(obj, 'rank', [], { integer: true, min: 1, max: MODEL_LIMITS.maxMatrixSide, what: 'rank' });
      const target = validateMatrix(c, obj.target, ['target']);
      spec = { kind, rank, target, ...common };
      break;
    }
  }
  return c.errors.length > 0 || !spec ? { errors: c.errors } : { spec };
}
