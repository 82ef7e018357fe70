/**
 * `gdlab analyze "<expression>" | <config file> [--domain lo,hi | --domain "lo,hi;lo,hi;…"] [--variables x,y]
 *  [--seed N] [--starts N] [--json]`
 * Prints the critical points of the objective in the domain: type, point, f, Hessian
 * eigenvalues and η_max = 2/λ_max (minima) — or the --optimizer's own thresholds — as a table
 * or as JSON.
 */
import type { AnalyzedProblem } from '../../engine/analyze';
import { optimizerAnalysis, type OptimizerAnalysis } from '../../engine/optimizers/analysis';
import { describeOptimizer, isAdaptive, type OptimizerSpec } from '../../engine/optimizers/spec';
import { etaMax, etaMaxRule, pointEtaMax, thresholdRule } from '../../engine/optimizers/thresholds';
import { smallestEtaMax } from '../../engine/sweep';
import type { CriticalPoint } from '../../engine/types';
import { intOption, numberOption, parseArgs, UsageError } from '../args';
import { OPTIMIZER_FLAGS, OPTIMIZER_HELP, OPTIMIZER_OPTIONS, optimizerFromArgs } from '../optimizerOption';
import { analysisNotes, searchLine } from '../notes';
import { loadProblem } from '../problemInput';

const HELP = `Usage: gdlab analyze "<expression>" | <config.gdlab.json|yaml> [options]

Finds the critical points of the objective in a box and prints, for each, its type
(minimum, saddle, maximum, degenerate), f, the Hessian eigenvalues and, for strict minima,
the learning-rate threshold eta_max = 2/lambda_max. Every point is verified against the
floating-point error of the gradient; minima that descent from the box leads to outside it are
listed too (marked "outside the domain"); notes say where f is undefined and when the search
could not cover the box.

Options:
  --domain lo,hi        the same range for every variable (default -3,3)
  --domain "a,b;c,d"    one range per variable, in variable order
  --variables x,y       variable order (default: natural order of the names)
  --seed N              seed of the multi-start search (default 1)
  --starts N            number of starts (default: 64 for 1 variable, 196 for 2, 512 for 3,
                        100n + 200 up to 800 for n <= 20, 10000/n (at least 64) beyond)
  --json                machine-readable output
${OPTIMIZER_HELP}
                        (the thresholds are then the optimizer's own: 2(1+β)/λ_max for
                        momentum, (2+2β)/((1+2β)λ_max) for Nesterov; Adam and RMSProp bound
                        the preconditioned sharpness along a trajectory instead)
  --eta η               also print the threshold line at η and, for momentum and Nesterov,
                        the certified convergence region of each minimum
  --help                this text
  --                    ends the options: gdlab analyze -- "--x^2 + y^2"

Exit codes: 0 ok, 2 bad input (expression, domain or option).`;

/** 6 significant digits, no trailing zeros, 0 for ±0. */
export function formatNumber(v: number | null): string {
  if (v === null) return '—';
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1e-4 && abs < 1e9) return String(Number(v.toPrecision(6)));
  const [mant, exp] = v.toExponential(5).split('e');
  return `${String(Number(mant))}e${exp}`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export { describeExpressionError } from '../problemInput';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['domain', 'variables', 'seed', 'starts', 'eta', ...OPTIMIZER_OPTIONS], flags: ['json', 'help', ...OPTIMIZER_FLAGS] });
  if (args.options.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const seed = intOption(args, 'seed', 1, 0, 2 ** 31 - 1);
  const starts = args.options.has('starts') ? intOption(args, 'starts', 1, 1, 100_000) : undefined;
  const input = loadProblem(args, 'analyze', starts === undefined ? { seed } : { seed, starts });
  const { problem, source: expression } = input;
  const names = problem.parsed.variables;
  const optimizer = optimizerFromArgs(args, input.config?.optimizer ?? null);
  const eta = numberOption(args, 'eta');
  if (eta !== undefined && !(eta > 0)) throw new UsageError(`--eta must be a positive learning rate, got ${eta}`);
  const thresholds = thresholdReport(problem, optimizer, eta);

  if (args.options.has('json')) {
    const out = {
      expression,
      normalized: problem.parsed.normalized,
      variables: names,
      domain: problem.domain,
      searched: problem.searched,
      criticalPoints: problem.criticalPoints,
      minima: problem.minima,
      search: problem.search,
      definedness: problem.definedness,
      thresholds,
    };
    process.stdout.write(compactJson(out) + '\n');
    return 0;
  }

  const lines: string[] = [];
  lines.push(`f(${names.join(', ')}) = ${problem.parsed.normalized}`);
  lines.push(`domain: ${names.map((v, i) => `${v} ∈ [${formatNumber(problem.domain[i][0])}, ${formatNumber(problem.domain[i][1])}]`).join(', ')}`);
  lines.push('');
  const cps = problem.criticalPoints;
  if (cps.length === 0) {
    lines.push('no critical points found in the domain, and descent from it reaches no minimum');
  } else {
    const header = isAdaptive(optimizer) ? `η below which it can settle at θ* = ${etaMaxRule(optimizer)}` : `η_max = ${etaMaxRule(optimizer)}`;
    const rows: string[][] = [['type', `(${names.join(', ')})`, 'f', 'eigenvalues', header, 'note']];
    for (const c of cps) rows.push(row(c, optimizer));
    lines.push(table(rows));
  }
  lines.push('');
  const count = (k: CriticalPoint['kind']): number => cps.filter((c) => c.kind === k).length;
  const outside = problem.minima.filter((m) => m.outside).length;
  lines.push(
    `${plural(count('minimum'), 'strict minimum', 'strict minima')}${outside > 0 ? ` (${outside} outside the domain)` : ''}, ${plural(count('saddle'), 'saddle', 'saddles')}, ` +
      `${plural(count('maximum'), 'maximum', 'maxima')}, ${plural(count('degenerate'), 'degenerate point', 'degenerate points')}` +
      (count('degenerate') > 0 ? ' (a connected set of degenerate points is listed once)' : ''),
  );
  if (problem.minima.length === 0) {
    lines.push('no strict minimum in or reached from the domain: there is no learning-rate threshold to report');
  } else if (optimizer.name === 'gd') {
    const smallest = Math.min(...problem.minima.map((m) => m.etaMax ?? Infinity));
    lines.push(`smallest η_max: ${formatNumber(smallest)} (for η > 2/λ_max(θ*), GD reaches the minimum θ* from almost no initialization)`);
  } else {
    lines.push(...thresholdLines(thresholds));
  }
  if (optimizer.name === 'gd' && eta !== undefined) lines.push(`at η = ${formatNumber(eta)}: the threshold line is 2/η = ${formatNumber(2 / eta)}`);
  const search = searchLine(problem);
  if (search) lines.push(search);
  lines.push(...analysisNotes(problem));
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

/** Indented JSON with arrays of plain numbers/strings kept on one line (points, eigenvalues). */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*((?:-?[\d.eE+-]+|"[^"\\]*"|null)(?:,\s*(?:-?[\d.eE+-]+|"[^"\\]*"|null))*)\s*\]/g, (_m, body: string) => `[${body.replace(/,\n\s*/g, ', ')}]`);
}

function row(c: CriticalPoint, optimizer: OptimizerSpec): string[] {
  const note = c.outside ? 'outside the domain' : c.semidefinite ? 'Hessian ≥ 0: may be part of a set of minima' : '';
  const threshold = c.kind !== 'minimum' ? null : optimizer.name === 'gd' ? c.etaMax : pointEtaMax(optimizer, c.lambdaMax);
  return [
    c.kind,
    `(${c.point.map(formatNumber).join(', ')})`,
    formatNumber(c.value),
    c.eigenvalues.map(formatNumber).join(', '),
    threshold === null ? '' : formatNumber(threshold),
    note,
  ];
}

/** The optimizer's thresholds as data (the --json `thresholds` object). */
export interface ThresholdReport {
  optimizer: OptimizerSpec;
  description: string;
  rule: string;
  etaMaxRule: string;
  /** per minimum: its static η_max (null for Adam / RMSProp) and the η below which the iterate can settle at it */
  perMinimum: { point: number[]; lambdaMax: number; etaMax: number | null; pointEtaMax: number | null }[];
  smallestEtaMax: number | null;
  /** with --eta: the line, and the convergence regions (momentum) or the neighbourhood test (Adam / RMSProp) */
  atEta?: OptimizerAnalysis;
}

export function thresholdReport(problem: AnalyzedProblem, optimizer: OptimizerSpec, eta?: number): ThresholdReport {
  return {
    optimizer,
    description: describeOptimizer(optimizer),
    rule: thresholdRule(optimizer),
    etaMaxRule: etaMaxRule(optimizer),
    perMinimum: problem.minima.map((m) => ({ point: m.point, lambdaMax: m.lambdaMax, etaMax: etaMax(optimizer, m.lambdaMax), pointEtaMax: pointEtaMax(optimizer, m.lambdaMax) })),
    smallestEtaMax: smallestEtaMax(problem, optimizer),
    ...(eta !== undefined ? { atEta: optimizerAnalysis(problem, optimizer, eta) } : {}),
  };
}

/** The text lines of a threshold report (another optimizer than GD). */
function thresholdLines(r: ThresholdReport): string[] {
  const lines = [`${r.description}: stable iff ${r.rule}`];
  if (r.smallestEtaMax !== null) {
    lines.push(`smallest η_max = ${r.etaMaxRule}: ${formatNumber(r.smallestEtaMax)} (beyond it the minimum repels the iterate along its sharpest direction)`);
  } else {
    const point = Math.min(...r.perMinimum.map((m) => m.pointEtaMax ?? Infinity));
    lines.push(
      `no static η_max: P = diag(√v̂ + ε) follows the gradients' history, so the threshold is a line λ_max(P⁻¹∇²f(θ_k)) is compared with along each trajectory. ` +
        `At a minimum itself P → ε, so the iterate can settle at θ* only for η < ${r.etaMaxRule} = ${formatNumber(point)} (sharpest minimum); above it the method hovers near θ* at the edge of stability`,
    );
  }
  const a = r.atEta;
  if (a) {
    lines.push(`at η = ${formatNumber(a.eta)}: the threshold line is ${a.preconditioned ? 'λ_max(P⁻¹∇²f)' : 'λ_max'} < ${formatNumber(a.sharpnessLimit)}`);
    a.momentumCertificates?.forEach((c, j) => {
      lines.push(c.ok
        ? `  minimum #${j}: certified convergence region (state (θ_k, θ_{k−1}), Lyapunov function) within radius ${formatNumber(c.certificate.radius)}, √V contracts by γ = ${formatNumber(c.certificate.gamma)} per step`
        : `  minimum #${j}: no certified region (${c.reason}); convergence is judged by position and velocity within the tolerance`);
    });
    if (a.neighbourhood) {
      lines.push(`  converged = inside ${formatNumber(a.neighbourhood.inner)} of a minimum, then within ${formatNumber(a.neighbourhood.outer)} for ${a.neighbourhood.window} iterates`);
    }
  }
  return lines;
}
