/**
 * A problem as the rest of the product sees it: compiled, its domain resolved and its critical
 * points found. "Minimum index j" everywhere (certificates, basin maps, trajectories) means an
 * index into {@link AnalyzedProblem.minima}. Parser-free: compute workers analyse a problem they
 * received as data (ProblemSpec.ir) through this module; analyze.ts adds parsing from text.
 */
import { compileObjective } from './compile';
import { checkBox, findCriticalPoints, type CriticalSearchOptions } from './critical';
import { parsedFromIR } from './ir';
import type { Box, CompiledObjective, CriticalPoint, ParsedExpression, ProblemSpec } from './types';

/** The range used for every variable the spec gives no domain for. */
export const DEFAULT_RANGE: readonly [number, number] = [-3, 3];

export interface AnalyzedProblem {
  spec: ProblemSpec;
  parsed: ParsedExpression;
  compiled: CompiledObjective;
  /** resolved (default [-3, 3] per variable) */
  domain: Box;
  /** all critical points found in the domain, ordered minimum, saddle, maximum, degenerate, then by f */
  criticalPoints: CriticalPoint[];
  /** strict minima only, sorted by value then coordinates */
  minima: CriticalPoint[];
}

/**
 * The search box of a problem, in the order of `variables`: `spec.domain` when given (it must
 * have one [lo, hi] per variable, finite, lo < hi), else [-3, 3] for every variable.
 * Throws an Error naming the offending variable.
 */
export function resolveDomain(spec: ProblemSpec, variables: readonly string[]): Box {
  if (spec.domain === undefined) return variables.map(() => [DEFAULT_RANGE[0], DEFAULT_RANGE[1]]);
  if (!Array.isArray(spec.domain)) throw new Error('the domain must be a list of [lo, hi] ranges, one per variable');
  if (spec.domain.length !== variables.length) {
    throw new Error(
      `the domain has ${spec.domain.length} range${spec.domain.length === 1 ? '' : 's'} but the objective has ${variables.length} variable${variables.length === 1 ? '' : 's'} (${variables.join(', ')})`,
    );
  }
  checkBox(spec.domain, variables.length, variables);
  return spec.domain.map((r): [number, number] => [r[0], r[1]]);
}

const KINDS: ReadonlySet<string> = new Set(['minimum', 'saddle', 'maximum', 'degenerate']);

/** Critical points received as data, checked field by field (finite numbers, n coordinates). */
export function validCriticalPoints(value: unknown, n: number): CriticalPoint[] {
  const fail = (what: string): never => {
    throw new Error(`invalid problem data: criticalPoints ${what}`);
  };
  if (!Array.isArray(value) || value.length > 10_000) return fail('must be a list');
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  return value.map((c: unknown, k): CriticalPoint => {
    if (!c || typeof c !== 'object') return fail(`[${k}] is not an object`);
    const p = c as Record<string, unknown>;
    const vector = (key: string): number[] => {
      const v = p[key];
      if (!Array.isArray(v) || v.length !== n || !v.every(finite)) return fail(`[${k}].${key} must be ${n} finite numbers`);
      return v.slice();
    };
    if (typeof p.kind !== 'string' || !KINDS.has(p.kind)) return fail(`[${k}].kind`);
    for (const key of ['value', 'lambdaMin', 'lambdaMax', 'gradientNorm']) if (!finite(p[key])) fail(`[${k}].${key} must be a finite number`);
    if (p.etaMax !== null && !(finite(p.etaMax) && p.etaMax > 0)) fail(`[${k}].etaMax`);
    if (p.kind === 'minimum' && p.etaMax === null) fail(`[${k}]: a minimum needs etaMax`);
    return {
      kind: p.kind as CriticalPoint['kind'],
      point: vector('point'),
      value: p.value as number,
      eigenvalues: vector('eigenvalues'),
      lambdaMin: p.lambdaMin as number,
      lambdaMax: p.lambdaMax as number,
      etaMax: p.etaMax as number | null,
      gradientNorm: p.gradientNorm as number,
    };
  });
}

/**
 * Compiles and searches an already parsed problem (or takes the critical points the spec
 * carries, validated). Deterministic for a seed.
 */
export function analyzeParsed(spec: ProblemSpec, parsed: ParsedExpression, options: CriticalSearchOptions = {}): AnalyzedProblem {
  const domain = resolveDomain(spec, parsed.variables);
  const compiled = compileObjective(parsed);
  const criticalPoints = spec.criticalPoints !== undefined ? validCriticalPoints(spec.criticalPoints, parsed.variables.length) : findCriticalPoints(compiled, domain, options);
  const minima = criticalPoints.filter((c) => c.kind === 'minimum');
  return { spec, parsed, compiled, domain, criticalPoints, minima };
}

/** Analyses a problem from its IR (ProblemSpec.ir, validated); no parser. */
export function analyzeProblemData(spec: ProblemSpec, options: CriticalSearchOptions = {}): AnalyzedProblem {
  return analyzeParsed(spec, parsedFromIR(spec), options);
}
