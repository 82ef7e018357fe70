/**
 * What `gdlab basin | trajectory | sweep` share: the problem argument (an expression or a
 * *.gdlab.json / *.gdlab.yaml config file), the learning rate (--eta / --eta-frac / the config's
 * lr), the classification options and atomic file output.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { analyzeProblem, resolveDomain, type AnalyzedProblem } from '../engine/analyze';
import { DEFAULT_CLASSIFY } from '../engine/classify';
import { parseExpression } from '../engine/expression';
import { problemIR } from '../engine/ir';
import { smallestEtaMax } from '../engine/sweep';
import { ExpressionError, type Box, type ClassifyOptions, type ProblemSpec } from '../engine/types';
import { DEFAULT_ADAPTIVE_LR, parseConfig, resolvedLearningRates, type GdlabConfig } from '../config/config';
import { NEIGHBOURHOOD_WINDOW } from '../engine/optimizers/convergence';
import { describeOptimizer, GD, isAdaptive, OPTIMIZER_TITLES, type OptimizerSpec } from '../engine/optimizers/spec';
import { etaMax as optimizerEtaMax, etaMaxRule, sharpnessLimit, thresholdRule } from '../engine/optimizers/thresholds';
import { formatOfFileName } from '../config/tree';
import { echo, escapeControl } from '../config/userText';
import { numberOption, intOption, type ParsedArgs, UsageError } from './args';
import { fsReason } from './output';

export { checkOutputPath, writeAtomic } from './output';

/** Options every problem-taking command accepts (besides its own). */
export const PROBLEM_OPTIONS = ['domain', 'variables'] as const;

export interface ProblemInput {
  problem: AnalyzedProblem;
  /** the config, when the argument was a config file */
  config: GdlabConfig | null;
  /** the argument as given (expression or path) */
  source: string;
}

/** One-line message for a bad expression: what, where (1-based character), and the text (escaped, capped). */
export function describeExpressionError(err: ExpressionError, source: string): string {
  const where = /at character \d+/.test(err.message) ? '' : `; at character ${err.range.start + 1}`;
  return `${echo(err.message, 400)}${where} in: ${echo(source)}`;
}

/** 1-based line:column of offsets in a text (one pass over the text, then a binary search each). */
export function lineColumns(text: string): (offset: number) => string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return `${lo + 1}:${offset - (starts[lo] as number) + 1}`;
  };
}

function looksLikeConfigPath(arg: string): boolean {
  return /\.(json|ya?ml)$/i.test(arg.trim());
}

/** Bytes of a config file read at all (a config is well under 1 KB). */
const MAX_CONFIG_BYTES = 1_000_000;
/** Problems of a config printed by the CLI (the rest are counted). */
const MAX_REPORTED = 5;

/** The text of a config file, or a UsageError that names the file and the problem (encoding, size, folder). */
export function readConfigText(path: string): string {
  const shown = `config file '${echo(path)}'`;
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_CONFIG_BYTES) throw new UsageError(`${shown} is too large (${size} bytes; at most ${MAX_CONFIG_BYTES}): a config holds an objective and a few settings`);
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${shown}: ${fsReason(err)}`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UsageError(`${shown} is UTF-16 (${bytes[0] === 0xff ? 'little' : 'big'}-endian); save it as UTF-8`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new UsageError(nul <= 3 ? `${shown} looks like UTF-16 without a byte-order mark (it has NUL bytes); save it as UTF-8` : `${shown} has a NUL byte at byte ${nul + 1}: is it a text file? A config is UTF-8 text`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${shown} is not valid UTF-8 text; save it as UTF-8`);
  }
}

/**
 * Reads a config file into a problem spec (the config layer validates it). Its warnings (unknown
 * keys with the nearest known one, starts outside the domain, …) go to stderr as
 * `warning: file:line:column: message`; its first errors become one usage error per line.
 * Kept in one function so the CLI has one door to the config vocabulary.
 */
export function loadConfigFile(path: string, warn: (line: string) => void = (line) => process.stderr.write(line + '\n')): GdlabConfig {
  const text = readConfigText(path);
  const config = parseConfig(text, formatOfFileName(path));
  const at = lineColumns(text);
  const where = (offset: number) => `${escapeControl(path)}:${at(offset)}`;
  const warnings = config.issues.filter((i) => i.severity !== 'error');
  for (const w of warnings.slice(0, MAX_REPORTED)) warn(`warning: ${where(w.range.start)}: ${w.message}`);
  if (warnings.length > MAX_REPORTED) warn(`warning: ${escapeControl(path)}: ${warnings.length - MAX_REPORTED} more warnings`);
  const errors = config.issues.filter((i) => i.severity === 'error');
  if (config.fatal || errors.length > 0 || !config.spec) {
    const lines = errors.slice(0, MAX_REPORTED).map((i) => `${where(i.range.start)}: ${i.message}`);
    if (errors.length > MAX_REPORTED) lines.push(`${escapeControl(path)}: ${errors.length - MAX_REPORTED} more errors`);
    throw new UsageError(lines.length > 0 ? lines.join('\n') : `${escapeControl(path)}: not a usable config`);
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
      throw new UsageError(`--domain range ${k + 1} must be two numbers 'lo,hi', got '${echo(p)}'`);
    }
    return [vals[0], vals[1]];
  });
  if (ranges.length === 0) throw new UsageError(`--domain must be 'lo,hi' or one 'lo,hi' per variable separated by ';', got '${echo(raw)}'`);
  if (ranges.length === 1) return variables.map(() => [ranges[0][0], ranges[0][1]]);
  if (ranges.length !== variables.length) {
    throw new UsageError(`--domain gives ${ranges.length} ranges but the objective has ${variables.length} variables (${variables.join(', ')})`);
  }
  return ranges;
}

/** Exactly one problem argument, or a UsageError with a working example (checked before anything else). */
export function checkProblemArgument(args: ParsedArgs, command: string): void {
  if (args.positionals.length !== 1) {
    throw new UsageError(
      args.positionals.length === 0
        ? `missing the problem: an expression in quotes or a config file, e.g. ${exampleCommand(command)}`
        : `expected one expression (quote it) or config file, got ${args.positionals.length} arguments`,
    );
  }
}

/** The positional problem argument → an analysed problem. Bad input → UsageError. */
export function loadProblem(args: ParsedArgs, command: string, analyzeOptions: { seed?: number; starts?: number } = {}): ProblemInput {
  checkProblemArgument(args, command);
  const source = args.positionals[0] as string;
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
    if (variables.some((v) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v))) throw new UsageError(`--variables must be comma-separated names, got '${echo(variablesRaw)}'`);
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
  let problem: AnalyzedProblem;
  try {
    problem = analyzeProblem(spec, analyzeOptions);
  } catch (err) {
    // limits on the work an objective may take (size of its derivatives, …) are bad input too
    if (err instanceof ExpressionError) throw new UsageError(describeExpressionError(err, spec.expression));
    throw err;
  }
  return { problem, config, source };
}

/**
 * η from --eta, or --eta-frac × the smallest η_max (of the optimizer: each against its own
 * threshold), or the config's first learning rate. Exactly one of --eta / --eta-frac; a positive
 * finite value. Adam and RMSProp have no static η_max, so --eta-frac is refused for them.
 */
export function resolveEtaOption(args: ParsedArgs, input: ProblemInput, optimizer: OptimizerSpec = GD): number {
  const eta = numberOption(args, 'eta');
  const frac = numberOption(args, 'eta-frac');
  if (eta !== undefined && frac !== undefined) throw new UsageError('give either --eta or --eta-frac, not both');
  const etaMax = smallestEtaMax(input.problem, optimizer);
  if (eta !== undefined) {
    if (!(eta > 0)) throw new UsageError(`--eta must be a positive learning rate, got ${eta}`);
    return eta;
  }
  if (frac !== undefined) {
    if (!(frac > 0)) throw new UsageError(`--eta-frac must be a positive fraction of η_max, got ${frac}`);
    if (isAdaptive(optimizer)) {
      throw new UsageError(`--eta-frac: ${OPTIMIZER_TITLES[optimizer.name]}'s threshold depends on the trajectory (it bounds the preconditioned sharpness), so there is no η_max to take a fraction of; give --eta, e.g. --eta 0.01`);
    }
    if (etaMax === null) throw new UsageError(`--eta-frac needs a strict minimum (η_max = ${etaMaxRule(optimizer)}), and none was found in the domain; give --eta instead`);
    return frac * etaMax;
  }
  if (input.config) {
    const rates = resolvedLearningRates(input.config, etaMax);
    if (rates.length > 0) return rates[0];
    if (isAdaptive(optimizer)) return DEFAULT_ADAPTIVE_LR;
  }
  throw new UsageError(isAdaptive(optimizer) ? 'missing the learning rate: give --eta 0.01' : 'missing the learning rate: give --eta 0.25 or --eta-frac 0.95 (a fraction of η_max)');
}

/** --max-iter and --guard (or the config's maxSteps / tolerance) over the documented defaults. */
export function classifyOptionsFrom(args: ParsedArgs, config: GdlabConfig | null): ClassifyOptions {
  const maxSteps = intOption(args, 'max-iter', config?.maxSteps ?? DEFAULT_CLASSIFY.maxSteps, 1, 1_000_000);
  const roundoffGuard = numberOption(args, 'guard', config?.tolerance ?? DEFAULT_CLASSIFY.roundoffGuard) as number;
  if (!(roundoffGuard >= 0 && roundoffGuard < 1e-2)) throw new UsageError(`--guard must be a relative tolerance from 0 to 0.01, got ${roundoffGuard}`);
  return { ...DEFAULT_CLASSIFY, maxSteps, roundoffGuard };
}

/**
 * A note on stderr when η is at or past a minimum's threshold (the optimizer cannot converge
 * there): 2/λ_max for GD, the optimizer's own static threshold otherwise; for Adam and RMSProp
 * a note that their threshold is a line along each trajectory.
 */
export function thresholdNote(problem: AnalyzedProblem, eta: number, optimizer: OptimizerSpec = GD): string | null {
  if (isAdaptive(optimizer)) {
    return `note: ${describeOptimizer(optimizer)} at η = ${eta}: its threshold depends on the trajectory — λ_max(P⁻¹∇²f) < ${Number(sharpnessLimit(optimizer, eta).toPrecision(6))} (${thresholdRule(optimizer)}); converged = entered the η√n-ball around a minimum and stayed within one maximal step for ${NEIGHBOURHOOD_WINDOW} iterates`;
  }
  const withMax = problem.minima.map((m, j) => ({ m, j, max: optimizer.name === 'gd' ? m.etaMax : optimizerEtaMax(optimizer, m.lambdaMax) }));
  const past = withMax.filter(({ max }) => max !== null && eta >= max);
  if (past.length === 0) return null;
  const list = past.map(({ m, j, max }) => `#${j} at (${m.point.map((v) => Number(v.toPrecision(4))).join(', ')}) has η_max = ${Number((max as number).toPrecision(4))}`).join('; ');
  const who = optimizer.name === 'gd' ? 'GD' : describeOptimizer(optimizer);
  return `note: η = ${eta} is at or beyond the threshold ${etaMaxRule(optimizer)} of ${past.length === problem.minima.length ? 'every' : 'some'} minimum (${list}); ${who} cannot converge there`;
}

/** The guard statement every output carries: what counts as a loss increase (exact ties do not). */
export function guardText(classify: ClassifyOptions): string {
  return `a loss increase counts when f(θ_k) − f(θ_{k−1}) > ${classify.roundoffGuard}·(|f(θ_{k−1})| + T) (round-off guard; equal consecutive losses are not increases)`;
}

/** The output format from --out's extension, or a UsageError listing the allowed ones. */
export function outputFormat<T extends string>(path: string, allowed: readonly T[]): T {
  const dot = path.lastIndexOf('.');
  const ext = dot >= 0 ? path.slice(dot + 1).toLowerCase() : '';
  if (!(allowed as readonly string[]).includes(ext)) {
    throw new UsageError(`--out must end in ${allowed.map((a) => '.' + a).join(', ')} (got '${echo(path)}')`);
  }
  return ext as T;
}

/**
 * A working example of each problem-taking command (used in "missing …" messages; a unit test
 * runs every one of them).
 */
export const COMMAND_EXAMPLES: Readonly<Record<string, string>> = {
  analyze: 'gdlab analyze "x^2 + y^2 + x^2*y + x^3 + y^3"',
  basin: 'gdlab basin "x^2 + y^2 + x^2*y + x^3 + y^3" --eta 0.95 --out map.png',
  trajectory: 'gdlab trajectory "x^2 + y^2 + x^2*y + x^3 + y^3" --eta 0.95 --init 0.2,0.2',
  sweep: 'gdlab sweep "x^2 + y^2 + x^2*y + x^3 + y^3" --out sweep.csv',
};

function exampleCommand(command: string): string {
  return Object.hasOwn(COMMAND_EXAMPLES, command) ? (COMMAND_EXAMPLES[command] as string) : `gdlab ${command} --help`;
}
