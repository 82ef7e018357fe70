/**
 * A problem as the rest of the product sees it: compiled, its domain resolved and its critical
 * points found. "Minimum index j" everywhere (certificates, basin maps, trajectories) means an
 * index into {@link AnalyzedProblem.minima}. Parser-free: compute workers analyse a problem they
 * received as data (ProblemSpec.ir) through this module; analyze.ts adds parsing from text.
 *
 * The search covers everything a map draws: the domain, and every map window of the spec
 * (`spec.windows`) that is not inside the domain, each searched as its own box. Then minima that
 * descent from those boxes leads to are added, also when they lie outside every box (flagged
 * `outside`; src/engine/discover.ts). And f is checked for points where it is undefined
 * (src/engine/definedness.ts).
 */
import { compileObjective } from './compile';
import { checkBox, searchCriticalPoints, type CriticalSearchOptions, type SearchReport } from './critical';
import { checkDefinedness, type Definedness } from './definedness';
import { discoverMinima, insideBox } from './discover';
import { parsedFromIR } from './ir';
import { compareCriticalPoints, samePoint } from './stationary';
import type { Box, CompiledObjective, CriticalPoint, ParsedExpression, ProblemSpec } from './types';
import { boxInside } from './window';

/** The range used for every variable the spec gives no domain for. */
export const DEFAULT_RANGE: readonly [number, number] = [-3, 3];

export interface AnalyzedProblem {
  spec: ProblemSpec;
  parsed: ParsedExpression;
  compiled: CompiledObjective;
  /** resolved (default [-3, 3] per variable) */
  domain: Box;
  /** the boxes the critical-point search covered: the domain, then each window of spec.windows not inside it */
  searched: Box[];
  /** all critical points found, ordered minimum, saddle, maximum, degenerate, then by f */
  criticalPoints: CriticalPoint[];
  /** strict minima only (including those found outside the searched boxes), sorted by value then coordinates */
  minima: CriticalPoint[];
  /** what the search did, summed over the boxes (all zero when the spec carried its critical points) */
  search: SearchReport;
  /** where f is undefined on the searched boxes */
  definedness: Definedness;
}

/** Adds the points of `more` that are not already in `into` (nondegenerate by resolution; degenerate by 1e-3 of the box). */
function mergeInto(into: CriticalPoint[], more: readonly CriticalPoint[], box: Box): void {
  for (const c of more) {
    const same = into.some((d) => {
      if ((c.kind === 'degenerate') !== (d.kind === 'degenerate')) return false;
      if (c.kind !== 'degenerate') return samePoint(c.point, c.resolution ?? 0, d.point, d.resolution ?? 0);
      return c.point.every((v, i) => Math.abs(v - d.point[i]) <= 1e-3 * (box[i][1] - box[i][0]));
    });
    if (!same) into.push(c);
  }
}

/** The domain, then each window of the spec that is not inside a box before it (validated). */
export function searchedBoxes(spec: ProblemSpec, domain: Box, variables: readonly string[]): Box[] {
  const searched: Box[] = [domain];
  for (const window of spec.windows ?? []) {
    checkBox(window, variables.length, variables);
    if (!searched.some((b) => boxInside(window, b))) searched.push(window.map((r): [number, number] => [r[0], r[1]]));
  }
  return searched;
}

/** Critical points over every searched box, plus the minima descent from them reaches. */
function searchAll(compiled: CompiledObjective, searched: readonly Box[], options: CriticalSearchOptions): { criticalPoints: CriticalPoint[]; search: SearchReport } {
  const criticalPoints: CriticalPoint[] = [];
  const search: SearchReport = { starts: 0, abandoned: 0, accepted: 0, unverified: 0, outside: 0 };
  for (const box of searched) {
    const { points, report } = searchCriticalPoints(compiled, box, options);
    mergeInto(criticalPoints, points, box);
    for (const key of Object.keys(search) as (keyof SearchReport)[]) search[key] += report[key];
  }
  for (const m of discoverMinima(compiled, searched, criticalPoints, options.seed ?? 1)) {
    if (!searched.some((b) => insideBox(m.point, b))) m.outside = true;
    criticalPoints.push(m);
  }
  criticalPoints.sort(compareCriticalPoints);
  return { criticalPoints, search };
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
    const out: CriticalPoint = {
      kind: p.kind as CriticalPoint['kind'],
      point: vector('point'),
      value: p.value as number,
      eigenvalues: vector('eigenvalues'),
      lambdaMin: p.lambdaMin as number,
      lambdaMax: p.lambdaMax as number,
      etaMax: p.etaMax as number | null,
      gradientNorm: p.gradientNorm as number,
    };
    // the optional facts of the search (stationary.ts, discover.ts), kept when well-formed
    for (const key of ['gradientBound', 'resolution'] as const) {
      if (p[key] === undefined) continue;
      if (!(typeof p[key] === 'number' && (p[key] as number) >= 0)) fail(`[${k}].${key} must be a non-negative number`);
      out[key] = p[key] as number;
    }
    for (const key of ['semidefinite', 'outside'] as const) {
      if (p[key] === undefined) continue;
      if (typeof p[key] !== 'boolean') fail(`[${k}].${key} must be true or false`);
      out[key] = p[key] as boolean;
    }
    return out;
  });
}

/**
 * Compiles and searches an already parsed problem (or takes the critical points the spec
 * carries, validated). Deterministic for a seed.
 */
export function analyzeParsed(spec: ProblemSpec, parsed: ParsedExpression, options: CriticalSearchOptions = {}): AnalyzedProblem {
  const domain = resolveDomain(spec, parsed.variables);
  const searched = searchedBoxes(spec, domain, parsed.variables);
  const compiled = compileObjective(parsed);
  const { criticalPoints, search } = spec.criticalPoints !== undefined
    ? { criticalPoints: validCriticalPoints(spec.criticalPoints, parsed.variables.length), search: { starts: 0, abandoned: 0, accepted: 0, unverified: 0, outside: 0 } }
    : searchAll(compiled, searched, options);
  const minima = criticalPoints.filter((c) => c.kind === 'minimum');
  return { spec, parsed, compiled, domain, searched, criticalPoints, minima, search, definedness: checkDefinedness(compiled, searched) };
}

/** Analyses a problem from its IR (ProblemSpec.ir, validated); no parser. */
export function analyzeProblemData(spec: ProblemSpec, options: CriticalSearchOptions = {}): AnalyzedProblem {
  return analyzeParsed(spec, parsedFromIR(spec), options);
}
