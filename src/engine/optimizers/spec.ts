/**
 * Which optimizer runs, as plain data: the names, the parameters with their defaults and valid
 * ranges, and one validator that fills in defaults and rejects bad values with a message naming
 * the parameter. Shared by the expression kernels (this folder), the config file, the CLI and
 * the network trainer; nothing here is executable.
 *
 * Defaults, and why:
 * - momentum (heavy-ball) and Nesterov: β = 0.9, the value almost every training recipe uses;
 * - RMSProp: β₂ = 0.99, ε = 1e-8, no bias correction — PyTorch's RMSprop (its α is our β₂),
 *   Keras' and Tieleman & Hinton's original have none, so maps match what users run;
 * - Adam: β₁ = 0.9, β₂ = 0.999, ε = 1e-8, bias correction on — Kingma & Ba's algorithm as
 *   PyTorch, Optax and TensorFlow implement it. Without it the first steps are ~(1−β₁)/√(1−β₂)
 *   ≈ 3× longer than with (m and v start at 0 and are divided by different powers), so turning it
 *   off changes the early, unstable phase this tool is about; it is available for comparison.
 */

export const OPTIMIZER_NAMES = ['gd', 'momentum', 'nesterov', 'rmsprop', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** A fully resolved optimizer (every parameter present and valid). */
export type OptimizerSpec =
  | { name: 'gd' }
  /** heavy-ball: θ_{k+1} = θ_k − η∇f(θ_k) + β(θ_k − θ_{k−1}) */
  | { name: 'momentum'; beta: number }
  /** Nesterov: y_k = θ_k + β(θ_k − θ_{k−1}), θ_{k+1} = y_k − η∇f(y_k) */
  | { name: 'nesterov'; beta: number }
  | { name: 'rmsprop'; beta2: number; epsilon: number; biasCorrection: boolean }
  | { name: 'adam'; beta1: number; beta2: number; epsilon: number; biasCorrection: boolean };

export type ParameterKey = 'beta' | 'beta1' | 'beta2' | 'epsilon' | 'biasCorrection';

/** What a user may write: a name and any subset of the parameters (validated by resolveOptimizer). */
export interface OptimizerInput {
  name: string;
  beta?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  biasCorrection?: boolean;
}

export const OPTIMIZER_DEFAULTS = {
  momentum: { beta: 0.9 },
  nesterov: { beta: 0.9 },
  rmsprop: { beta2: 0.99, epsilon: 1e-8, biasCorrection: false },
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, biasCorrection: true },
} as const;

export interface ParameterInfo {
  key: ParameterKey;
  /** the symbol used in text: β, β₁, β₂, ε */
  symbol: string;
  kind: 'number' | 'boolean';
  /** the valid set in words and as a test */
  range: string;
  valid(v: number): boolean;
  description: string;
}

const unitInterval = (v: number): boolean => Number.isFinite(v) && v >= 0 && v < 1;

const BETA: ParameterInfo = {
  key: 'beta', symbol: 'β', kind: 'number', range: 'in [0, 1)', valid: unitInterval,
  description: 'momentum coefficient β: the fraction of the previous step carried into the next (0 = plain gradient descent)',
};
const BETA1: ParameterInfo = {
  key: 'beta1', symbol: 'β₁', kind: 'number', range: 'in [0, 1)', valid: unitInterval,
  description: 'decay rate β₁ of the first-moment (gradient) average m',
};
const BETA2: ParameterInfo = {
  key: 'beta2', symbol: 'β₂', kind: 'number', range: 'in [0, 1)', valid: unitInterval,
  description: 'decay rate β₂ of the second-moment (squared gradient) average v, whose square root preconditions the step (PyTorch RMSprop calls it α)',
};
const EPSILON: ParameterInfo = {
  key: 'epsilon', symbol: 'ε', kind: 'number', range: 'positive and finite', valid: (v) => Number.isFinite(v) && v > 0,
  description: 'ε added to √v in the denominator: the largest preconditioner gain is 1/ε, reached as the gradient vanishes',
};
const BIAS: ParameterInfo = {
  key: 'biasCorrection', symbol: 'bias correction', kind: 'boolean', range: 'true or false', valid: () => true,
  description: 'divide the moment averages by 1 − βᵗ so the first steps are not shrunk by the zero initial state',
};

/** The parameters each optimizer takes, in display order. */
export const OPTIMIZER_PARAMETERS: Readonly<Record<OptimizerName, readonly ParameterInfo[]>> = {
  gd: [],
  momentum: [BETA],
  nesterov: [BETA],
  rmsprop: [BETA2, EPSILON, { ...BIAS, description: `${BIAS.description} (default off, as in PyTorch and Keras)` }],
  adam: [BETA1, BETA2, EPSILON, { ...BIAS, description: `${BIAS.description} (default on, as in Kingma & Ba and PyTorch)` }],
};

/** Display titles. */
export const OPTIMIZER_TITLES: Readonly<Record<OptimizerName, string>> = {
  gd: 'gradient descent',
  momentum: 'heavy-ball momentum',
  nesterov: 'Nesterov momentum',
  rmsprop: 'RMSProp',
  adam: 'Adam',
};

/** Other spellings accepted for a name (lower-case, after removing spaces, '-' and '_'). */
const ALIASES: Readonly<Record<string, OptimizerName>> = {
  gd: 'gd', gradientdescent: 'gd', sgd: 'gd',
  momentum: 'momentum', heavyball: 'momentum', polyak: 'momentum',
  nesterov: 'nesterov', nag: 'nesterov',
  rmsprop: 'rmsprop',
  adam: 'adam',
};

/** The canonical name of `raw` (case, '-', '_' and spaces ignored; a few aliases), or null. */
export function canonicalOptimizerName(raw: string): OptimizerName | null {
  return ALIASES[raw.toLowerCase().replace(/[\s_-]/g, '')] ?? null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** The closest name (canonical or alias) to an unknown one, for "did you mean" hints; null if none is close. */
export function nearestOptimizerName(raw: string): OptimizerName | null {
  const key = raw.toLowerCase().replace(/[\s_-]/g, '');
  let best: OptimizerName | null = null;
  let bestDistance = Infinity;
  for (const [alias, name] of Object.entries(ALIASES)) {
    const d = editDistance(key, alias);
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : null;
}

/** A bad optimizer setting; `parameter` names it ('name' for the optimizer's name). */
export class OptimizerError extends RangeError {
  constructor(message: string, public readonly parameter: ParameterKey | 'name') {
    super(message);
    this.name = 'OptimizerError';
  }
}

/**
 * Fills in defaults and validates. Throws an OptimizerError naming the bad parameter: unknown
 * name (with the nearest name), a parameter the optimizer does not take (naming the ones it
 * does), a value out of range (with the range).
 */
export function resolveOptimizer(input: OptimizerInput): OptimizerSpec {
  const name = canonicalOptimizerName(String(input.name));
  if (name === null) {
    const near = nearestOptimizerName(String(input.name));
    throw new OptimizerError(
      `unknown optimizer '${input.name}'${near ? ` (did you mean '${near}'?)` : ''}; use one of ${OPTIMIZER_NAMES.join(', ')}`,
      'name',
    );
  }
  const params = OPTIMIZER_PARAMETERS[name];
  const given = (Object.keys(input) as (keyof OptimizerInput)[]).filter((k) => k !== 'name' && input[k] !== undefined);
  for (const key of given) {
    if (!params.some((p) => p.key === key)) {
      const takes = params.length === 0 ? 'takes no parameters' : `takes ${params.map((p) => p.key).join(', ')}`;
      throw new OptimizerError(`${OPTIMIZER_TITLES[name]} has no parameter '${key}' (it ${takes})`, key as ParameterKey);
    }
  }
  const values: Record<string, number | boolean> = { ...(name === 'gd' ? {} : OPTIMIZER_DEFAULTS[name]) };
  for (const p of params) {
    const v = input[p.key];
    if (v === undefined) continue;
    if (p.kind === 'boolean') {
      if (typeof v !== 'boolean') throw new OptimizerError(`${p.key} must be true or false, got ${String(v)}`, p.key);
    } else if (typeof v !== 'number' || !p.valid(v)) {
      throw new OptimizerError(`${p.key} (${p.symbol}) must be ${p.range}, got ${String(v)}`, p.key);
    }
    values[p.key] = v;
  }
  return { name, ...values } as OptimizerSpec;
}

/** The default optimizer: plain gradient descent. */
export const GD: OptimizerSpec = Object.freeze({ name: 'gd' });

/** One-line description, e.g. "Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, bias correction on)". */
export function describeOptimizer(spec: OptimizerSpec): string {
  const params = OPTIMIZER_PARAMETERS[spec.name];
  if (params.length === 0) return OPTIMIZER_TITLES[spec.name];
  const record = spec as unknown as Record<string, number | boolean>;
  const parts = params.map((p) => (p.kind === 'boolean' ? `${p.symbol} ${record[p.key] ? 'on' : 'off'}` : `${p.symbol} = ${record[p.key]}`));
  return `${OPTIMIZER_TITLES[spec.name]} (${parts.join(', ')})`;
}

/** True for the methods whose threshold is on the preconditioned sharpness λ_max(P⁻¹∇²f). */
export function isAdaptive(spec: OptimizerSpec): spec is Extract<OptimizerSpec, { name: 'rmsprop' | 'adam' }> {
  return spec.name === 'rmsprop' || spec.name === 'adam';
}

/** A stable cache/identity key of a resolved spec. */
export function optimizerKey(spec: OptimizerSpec): string {
  const record = spec as unknown as Record<string, number | boolean | string>;
  return [spec.name, ...OPTIMIZER_PARAMETERS[spec.name].map((p) => `${p.key}=${String(record[p.key])}`)].join(':');
}
