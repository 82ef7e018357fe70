/**
 * What `gdlab basin | trajectory | sweep` share: the problem argument (an expression or a
 * *.gdlab.json / *.gdlab.yaml config file), the learning rate (--eta / --eta-frac / the config's
 * lr), the classification options and atomic file output.
 */
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { analyzeProblem, resolveDomain, type AnalyzedProblem } from '../engine/analyze';
import { DEFAULT_CLASSIFY } from '../engine/classify';
import { parseExpression } from '../engine/expression';
import { problemIR } from '../engine/ir';
import { smallestEtaMax } from '../engine/sweep';
import { ExpressionError, type Box, type ClassifyOptions, type ProblemSpec } from '../engine/types';
import { parseConfig, resolvedLearningRates, type GdlabConfig } from '../config/config';
import { formatOfFileName } from '../config/tree';
import { numberOption, intOption, type ParsedArgs, UsageError } from './args';

/** Options every problem-taking command accepts (besides its own). */
export const PROBLEM_OPTIONS = ['domain', 'variables'] as const;

export interface ProblemInput {
  problem: AnalyzedProblem;
  /** the config, when the argument was a config file */
  config: GdlabConfig | null;
  /** the argument as given (expression or path) */
  source: string;
}

/** One-line message for a bad expression: what, where (1-based character), and the text. */
export function describeExpressionError(err: ExpressionError, source: string): string {
  const oneLine = source.replace(/\s*[\r\n]+\s*/g, ' ');
  const where = /at character \d+/.test(err.message) ? '' : `; at character ${err.range.start + 1}`;
  return `${err.message}${where} in: ${oneLine}`;
}

/** 1-based line:column of an offset in text. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

function looksLikeConfigPath(arg: string): boolean {
  return /\.(json|ya?ml)$/i.test(arg.trim());
}

/**
 * Reads a config file into a problem spec (the config layer validates it; its first errors
 * become one usage error with file:line:column). Kept in one function so the CLI has one door
 * to the config vocabulary.
 */
export function loadConfigFile(path: string): GdlabConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file '${path}': ${err instanceof Error ? err.message : String(err)}`);
  }
  const config = parseConfig(text, formatOfFileName(path));
  const errors = config.issues.filter((i) => i.severity === 'error');
  if (config.fatal || errors.length > 0 || !config.spec) {
    const lines = errors.slice(0, 5).map((i) => `${path}:${lineColumn(text, i.range.start)}: ${i.message}`);
    throw new UsageError(lines.length > 0 ? lines.join('\n') : `${path}: not a usable config`);
  }
  return config;
}

/** --domain: 'lo,hi' for every variable or 'a,b;c,d' one range per variable. */
export function parseDomainOption(raw: string | undefined, variables: readonly string[]): Box | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(';').map((s) => s.trim()).filter((s) => s !== '');
  const ranges = parts.map((p, k): [number, number] => {
    const nums = p.split(',').map((s) => s.trim());
    const vals = nums.map(Number);
    if (nums.length !== 2 || nums.some((s) => s === '') || vals.some((v) => !Number.isFinite(v))) {
      throw new UsageError(`--domain range ${k + 1} must be two numbers 'lo,hi', got '${p}'`);
    }
    return [vals[0], vals[1]];
  });
  if (ranges.length === 0) throw new UsageError(`--domain must be 'lo,hi' or one 'lo,hi' per variable separated by ';', got '${raw}'`);
  if (ranges.length === 1) return variables.map(() => [ranges[0][0], ranges[0][1]]);
  if (ranges.length !== variables.length) {
    throw new UsageError(`--domain gives ${ranges.length} ranges but the objective has ${variables.length} variables (${variables.join(', ')})`);
  }
  return ranges;
}

/** The positional problem argument → an analysed problem. Bad input → UsageError. */
export function loadProblem(args: ParsedArgs, command: string, analyzeOptions: { seed?: number; starts?: number } = {}): ProblemInput {
  if (args.positionals.length !== 1) {
    throw new UsageError(
      args.positionals.length === 0
        ? `missing the problem: an expression in quotes or a config file, e.g. gdlab ${command} "x^2 + y^2 + x^2*y + x^3 + y^3" --eta 0.95`
        : `expected one expression (quote it) or config file, got ${args.positionals.length} arguments`,
    );
  }
  const source = args.positionals[0];
  let spec: ProblemSpec;
  let config: GdlabConfig | null = null;
  if (looksLikeConfigPath(source) && (existsSync(source) || !/[\s^*+()]/.test(source))) {
    config = loadConfigFile(source);
    spec = { ...(config.spec as ProblemSpec) };
  } else {
    spec = { expression: source };
  }
  const variablesRaw = args.options.get('variables');
  if (variablesRaw !== undefined) {
    const variables = variablesRaw.split(',').map((s) => s.trim());
    if (variables.some((v) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v))) throw new UsageError(`--variables must be comma-separated names, got '${variablesRaw}'`);
    spec.variables = variables;
  }
  let variables: readonly string[];
  try {
    // parsed once here; the spec then carries the parsed objective (ir) to the analysis and the workers
    const parsed = parseExpression(spec.expression, spec.variables ? { variables: spec.variables } : {});
    variables = parsed.variables;
    spec.variables = [...parsed.variables];
    spec.ir = problemIR(parsed);
  } catch (err) {
    if (err instanceof ExpressionError) throw new UsageError(describeExpressionError(err, spec.expression));
    throw err;
  }
  const domain = parseDomainOption(args.options.get('domain'), variables);
  if (domain) spec.domain = domain;
  try {
    resolveDomain(spec, variables);
  } catch (err) {
    throw new UsageError(`${domain ? '--domain' : 'domain'}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const problem = analyzeProblem(spec, analyzeOptions);
  return { problem, config, source };
}

/**
 * η from --eta, or --eta-frac × the smallest η_max, or the config's first learning rate.
 * Exactly one of --eta / --eta-frac; a positive finite value.
 */
export function resolveEtaOption(args: ParsedArgs, input: ProblemInput): number {
  const eta = numberOption(args, 'eta');
  const frac = numberOption(args, 'eta-frac');
  if (eta !== undefined && frac !== undefined) throw new UsageError('give either --eta or --eta-frac, not both');
  const etaMax = smallestEtaMax(input.problem);
  if (eta !== undefined) {
    if (!(eta > 0)) throw new UsageError(`--eta must be a positive learning rate, got ${eta}`);
    return eta;
  }
  if (frac !== undefined) {
    if (!(frac > 0)) throw new UsageError(`--eta-frac must be a positive fraction of η_max, got ${frac}`);
    if (etaMax === null) throw new UsageError('--eta-frac needs a strict minimum (η_max = 2/λ_max), and none was found in the domain; give --eta instead');
    return frac * etaMax;
  }
  if (input.config) {
    const rates = resolvedLearningRates(input.config, etaMax);
    if (rates.length > 0) return rates[0];
  }
  throw new UsageError('missing the learning rate: give --eta 0.25 or --eta-frac 0.95 (a fraction of η_max)');
}

/** --max-iter and --guard (or the config's maxSteps / tolerance) over the documented defaults. */
export function classifyOptionsFrom(args: ParsedArgs, config: GdlabConfig | null): ClassifyOptions {
  const maxSteps = intOption(args, 'max-iter', config?.maxSteps ?? DEFAULT_CLASSIFY.maxSteps, 1, 1_000_000);
  const roundoffGuard = numberOption(args, 'guard', config?.tolerance ?? DEFAULT_CLASSIFY.roundoffGuard) as number;
  if (!(roundoffGuard >= 0 && roundoffGuard < 1e-2)) throw new UsageError(`--guard must be a relative tolerance from 0 to 0.01, got ${roundoffGuard}`);
  return { ...DEFAULT_CLASSIFY, maxSteps, roundoffGuard };
}

/** A note on stderr when η is at or past a minimum's threshold (GD cannot converge there). */
export function thresholdNote(problem: AnalyzedProblem, eta: number): string | null {
  const past = problem.minima.map((m, j) => ({ m, j })).filter(({ m }) => m.etaMax !== null && eta >= m.etaMax);
  if (past.length === 0) return null;
  const list = past.map(({ m, j }) => `#${j} at (${m.point.map((v) => Number(v.toPrecision(4))).join(', ')}) has η_max = ${Number((m.etaMax as number).toPrecision(4))}`).join('; ');
  return `note: η = ${eta} is at or beyond the threshold 2/λ_max of ${past.length === problem.minima.length ? 'every' : 'some'} minimum (${list}); GD cannot converge there`;
}

/** The output format from --out's extension, or a UsageError listing the allowed ones. */
export function outputFormat<T extends string>(path: string, allowed: readonly T[]): T {
  const m = /\.([A-Za-z0-9]+)$/.exec(path);
  const ext = m ? m[1].toLowerCase() : '';
  if (!(allowed as readonly string[]).includes(ext)) {
    throw new UsageError(`--out must end in ${allowed.map((a) => '.' + a).join(', ')} (got '${path}')`);
  }
  return ext as T;
}

/** Writes a file atomically: to a temp file beside it, then rename; no partial file on failure. */
export function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temp file was never created
    }
    throw new Error(`cannot write '${path}': ${err instanceof Error ? err.message : String(err)}`);
  }
}
