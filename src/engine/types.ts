/**
 * Types shared by the whole engine (and, as plain data, by config, compute, CLI and the webview).
 * Pure data: no vscode, no I/O. Everything that crosses a worker or webview boundary is here
 * or in src/shared/protocol.ts and is structured-clone friendly.
 */

/* ------------------------------------------------------------------ expressions */

/** Whitelisted elementary functions (the only names generated code may call). */
export const FUNCTIONS = [
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot',
  'sinh', 'cosh', 'tanh', 'sech', 'csch', 'coth',
  'asin', 'acos', 'atan', 'asinh', 'acosh', 'atanh',
  'exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'sqrt',
] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/**
 * The engine's own expression IR, produced only from a validated mathjs AST.
 * Variables are referred to by index into the problem's variable list; constants are numbers.
 * Code generation and interval arithmetic work on this IR, never on user text.
 */
export type Expr =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'var'; readonly i: number }
  | { readonly k: 'neg'; readonly a: Expr }
  | { readonly k: 'add' | 'sub' | 'mul' | 'div'; readonly a: Expr; readonly b: Expr }
  /** a^b; when b is { k: 'num' } with an integer value, codegen expands small powers */
  | { readonly k: 'pow'; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'call'; readonly fn: FunctionName; readonly a: Expr };

/**
 * One IR node as plain data: [kind, operands…], operands being indices of earlier nodes.
 * An Expr serialises to such a list in topological order (children first, the root last),
 * which structured clone and JSON carry without expanding shared subtrees.
 */
export type IRNode =
  | readonly ['num', number]
  | readonly ['var', number]
  | readonly ['neg', number]
  | readonly ['add' | 'sub' | 'mul' | 'div' | 'pow', number, number]
  | readonly ['call', FunctionName, number];

/** A parsed objective as data (see ProblemSpec.ir). */
export interface ProblemIR {
  /** variable names, in the order of the IR's variable indices */
  variables: string[];
  /** normalised text, for display */
  normalized: string;
  /** the objective f, topologically ordered, root last */
  nodes: IRNode[];
}

/** A character range [start, end) in the text the user wrote (not the normalised text). */
export interface SourceRange {
  start: number;
  end: number;
}

/** Control, bidirectional and invisible format characters, shown escaped in messages. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** `text` with unprintable characters as \uXXXX escapes (one line, nothing that moves the cursor). */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Thrown for every bad expression: names the problem and where it is in the user's text. The
 * message is always one line: user text quoted in it has its control and invisible characters
 * escaped (ESC, NUL, RLO, zero-width space → \u001b, \u0000, \u202e, \u200b).
 */
export class ExpressionError extends Error {
  constructor(
    message: string,
    /** 0-based character offsets into the original text */
    public readonly range: SourceRange,
  ) {
    super(escapeUnprintable(message));
    this.name = 'ExpressionError';
  }
}

export interface ParsedExpression {
  /** the text as the user wrote it */
  readonly source: string;
  /** normalised mathjs text (`**`→`^`, `np.` prefixes removed), for display */
  readonly normalized: string;
  /** variable names, in canonical order (natural sort: x < y, w2 < w10) unless given */
  readonly variables: readonly string[];
  /** the objective as IR */
  readonly expr: Expr;
}

/* ------------------------------------------------------------------ compiled objective */

/** f, ∇f and ∇²f of one objective, compiled to straight-line JavaScript from the IR. */
export interface CompiledObjective {
  readonly n: number;
  readonly variables: readonly string[];
  /**
   * How the derivatives were taken (compile.ts): forward symbolic partials and a symbolic
   * Hessian for small problems; a reverse-mode gradient and Hessian-vector products for many
   * variables. Absent for hand-written objectives.
   */
  readonly mode?: { readonly gradient: 'forward' | 'reverse'; readonly hessian: 'symbolic' | 'hvp' };
  /** IR of f, ∂f/∂x_i and the Hessian (symbolic, folded, sharing subexpressions) */
  readonly ir: {
    readonly f: Expr;
    readonly grad: readonly Expr[];
    /** hess[i][j]; hess[j][i] === hess[i][j] (may be built on first read, for many variables) */
    readonly hess: readonly (readonly Expr[])[];
  };
  value(x: ArrayLike<number>): number;
  /** fills `out` (length n) with ∇f(x) and returns f(x) (value and gradient fused) */
  valueAndGradient(x: ArrayLike<number>, out: Float64Array): number;
  /** fills `out` (length n*n, row-major, symmetric) with ∇²f(x) */
  hessian(x: ArrayLike<number>, out: Float64Array): void;
  /** fills `out` (length n) with ∇²f(x)·v (absent for hand-written objectives) */
  hessianVectorProduct?(x: ArrayLike<number>, v: ArrayLike<number>, out: Float64Array): void;
}

/* ------------------------------------------------------------------ critical points */

export type CriticalKind = 'minimum' | 'saddle' | 'maximum' | 'degenerate';

export interface CriticalPoint {
  kind: CriticalKind;
  /** coordinates, in the problem's variable order */
  point: number[];
  /** f at the point */
  value: number;
  /** Hessian eigenvalues, ascending */
  eigenvalues: number[];
  lambdaMin: number;
  lambdaMax: number;
  /** for strict minima: the learning-rate threshold 2/λ_max; otherwise null */
  etaMax: number | null;
  /** ‖∇f‖ at the reported point (how well it was resolved) */
  gradientNorm: number;
  /**
   * the verified-stationarity bound: ‖∇f‖ at or below it is floating-point round-off of ∇f at
   * this point (src/engine/stationary.ts); every reported minimum, saddle and maximum passes it
   */
  gradientBound?: number;
  /** nondegenerate points: the true stationary point lies within this distance (Newton bound) */
  resolution?: number;
  /** degenerate points whose Hessian has no negative eigenvalue beyond round-off (e.g. a curve of minima) */
  semidefinite?: boolean;
  /**
   * true when the point lies outside every searched region: a minimum that descent from starts
   * inside the searched regions led to (src/engine/discover.ts)
   */
  outside?: boolean;
}

/** Closed box per variable, [lo, hi], in the problem's variable order. */
export type Box = Array<[number, number]>;

/* ------------------------------------------------------------------ problems */

/**
 * A problem as plain data: what crosses to workers (they compile it themselves) and what the
 * config layer produces. Nothing executable.
 */
export interface ProblemSpec {
  /** the objective as the user wrote it */
  expression: string;
  /** variable order; inferred from the expression when absent */
  variables?: string[];
  /** search / map domain per variable, in variable order; default [-3, 3] each */
  domain?: Box;
  /**
   * the parsed objective as data (ir.ts `problemSpec`): what compute workers compile, so they
   * never load a parser. Required by the worker pool; validated again by the worker.
   */
  ir?: ProblemIR;
  /**
   * the critical points of the objective in `domain`, when the sender already searched for them
   * (analyzeProblem attaches them): a worker then uses them (validated) instead of searching
   * again, so every thread classifies against the very same minima (searched over the domain and
   * `windows`, with the minima descent leads to)
   */
  criticalPoints?: CriticalPoint[];
  /**
   * map windows drawn beyond the domain (full boxes, one range per variable): the critical-point
   * search covers each window that is not inside the domain too, so a map never shows starts
   * whose minima were not searched for (see windowSpec in src/engine/analyze.ts)
   */
  windows?: Box[];
}

/** A 2-D slice of a problem for basin maps: two axes, other variables held fixed. */
export interface SliceSpec {
  /** indices (into the variable list) of the horizontal and vertical axes */
  axes: [number, number];
  /** full-length point giving the values of the non-axis variables (axis entries ignored) */
  base: number[];
  /** ranges of the two axes */
  xRange: [number, number];
  yRange: [number, number];
  /** pixels across (x) and down (y) */
  width: number;
  height: number;
  /**
   * where the starts sit: 'centers' (default) at pixel centres, 'edges' endpoint-inclusive like
   * np.linspace(lo, hi, width) (src/engine/basin.ts); the top row is the largest y in both
   */
  gridMode?: 'centers' | 'edges';
}

/* ------------------------------------------------------------------ classification */

/**
 * Per-start outcome codes. Stored as uint8 in maps and .npy exports (documented in README).
 * Codes 0–4 keep their original meaning; 5–7 split what used to be "not converged" (the exact
 * rules, tolerances and order are in src/engine/classify.ts and src/engine/orbits.ts).
 */
export const PixelClass = {
  /** θ or f became non-finite (f undefined there, overflow), or ‖θ‖ exceeded the escape radius */
  Diverged: 0,
  /** maxSteps reached and none of 5–7 applies: barely moving without measurable descent, or drifting away too slowly to escape */
  NotConverged: 1,
  /** stalled at a stationary point that is not a minimum: a saddle, a maximum, or a flat point with a descent direction */
  Other: 2,
  /** converged to a minimum with the loss decreasing at every step */
  Stable: 3,
  /** converged to a minimum after at least one loss increase */
  Unstable: 4,
  /** maxSteps reached on a period-p orbit, 2 ≤ p ≤ 64 (the period is stored per pixel) */
  Cycle: 5,
  /** maxSteps reached still moving, bounded, neither periodic nor descending (chaotic or quasi-periodic) */
  BoundedAperiodic: 6,
  /** maxSteps reached with the loss still falling (slow creep): more steps would decide it */
  StillDescending: 7,
} as const;
export type PixelClassCode = (typeof PixelClass)[keyof typeof PixelClass];

/** Number of class codes (0 … CLASS_COUNT − 1). */
export const CLASS_COUNT = 8;

/**
 * The `minimum` of a start: j ≥ 0 is an index into the strict minima; the negative codes say
 * what else it converged to (or that it did not converge to a minimum).
 */
export const MinimumCode = {
  /** not converged to a minimum */
  None: -1,
  /** converged to a point of a non-isolated set of minima (a flat direction: e.g. the curve xy = 1 of (1 − xy)²) */
  Set: -2,
  /** converged to an isolated strict minimum that is not in the list (the search missed it) */
  Unlisted: -3,
} as const;

export type Outcome =
  /** minimum: an index into the strict minima, or MinimumCode.Set / MinimumCode.Unlisted */
  | { kind: 'stable'; minimum: number }
  | { kind: 'unstable'; minimum: number }
  | { kind: 'diverged' }
  | { kind: 'not_converged' }
  | { kind: 'other' }
  | { kind: 'cycle'; period: number }
  | { kind: 'aperiodic' }
  | { kind: 'descending' };

/** Tolerances of the classification contract (src/engine/classify.ts); every one documented in README. */
export interface ClassifyOptions {
  maxSteps: number;
  /** relative round-off guard for counting a loss increase */
  roundoffGuard: number;
  /** escape radius: ‖θ‖ beyond it counts as diverged */
  escapeRadius: number;
  /** fallback tolerance ball radius for minima with no certificate */
  fallbackTolerance: number;
}

/** Area fractions of a basin map (every field a fraction of all pixels). */
export interface BasinStats {
  total: number;
  /** converged stably / unstably, to any minimum (listed, a set of minima, or unlisted) */
  stable: number;
  unstable: number;
  diverged: number;
  notConverged: number;
  other: number;
  /** classes 5–7 */
  cycle: number;
  aperiodic: number;
  descending: number;
  /** per listed minimum */
  perMinimum: { stable: number; unstable: number }[];
  /** converged to a point of a non-isolated set of minima (minimum code −2) */
  minimumSet: { stable: number; unstable: number };
  /** converged to an isolated minimum that is not listed (minimum code −3) */
  unlisted: { stable: number; unstable: number };
  /** how many loss increases the starts had up to their decision (when the per-pixel counts are known) */
  increases?: IncreaseStats;
}

/** Edges of the increase-count bins of IncreaseStats.histogram: 0, 1, 2–3, 4–7, 8–15, 16–31, ≥ 32. */
export const INCREASE_BINS = [0, 1, 2, 4, 8, 16, 32] as const;

/**
 * The stable / unstable split in numbers: under momentum almost every converging start has some
 * loss increase, so the map alone (nearly all "unstable") says little — how many increases says more.
 */
export interface IncreaseStats {
  /** fraction of all starts whose loss increased at least once before the decision */
  anyIncrease: number;
  /** over the starts that converged (stable or unstable): mean, median and largest number of increases */
  meanConverged: number;
  medianConverged: number;
  maxConverged: number;
  /** fractions of the converged starts per bin of INCREASE_BINS (0, 1, 2–3, 4–7, 8–15, 16–31, ≥ 32) */
  histogram: number[];
}

/** Theorem 2's certified forward-invariant set U = {‖θ−θ*‖ < tPrime, f(θ) < c}. */
export interface Certificate {
  minimum: number;
  eta: number;
  /** λ_max(θ*) < M < 2/η */
  M: number;
  /** C = 1 − ηM/2: guaranteed decrease f(θ_{k+1}) ≤ f(θ_k) − Cη‖∇f‖² inside U */
  C: number;
  t1: number;
  tPrime: number;
  c: number;
  center: number[];
}

export type CertificateResult =
  | { ok: true; certificate: Certificate }
  | { ok: false; minimum: number; reason: string };
