/**
 * `gdlab analyze "<expression>" | <config file> [--domain lo,hi | --domain "lo,hi;lo,hi;…"] [--variables x,y]
 *  [--seed N] [--starts N] [--json]`
 * Prints the critical points of the objective in the domain: type, point, f, Hessian
 * eigenvalues and η_max = 2/λ_max (minima), as a table or as JSON.
 */
import type { CriticalPoint } from '../../engine/types';
import { intOption, parseArgs } from '../args';
import { analysisNotes } from '../notes';
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
  --starts N            number of starts (default depends on the number of variables)
  --json                machine-readable output
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
  const args = parseArgs(argv, { values: ['domain', 'variables', 'seed', 'starts'], flags: ['json', 'help'] });
  if (args.options.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const seed = intOption(args, 'seed', 1, 0, 2 ** 31 - 1);
  const starts = args.options.has('starts') ? intOption(args, 'starts', 1, 1, 100_000) : undefined;
  const { problem, source: expression } = loadProblem(args, 'analyze', starts === undefined ? { seed } : { seed, starts });
  const names = problem.parsed.variables;

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
    const rows: string[][] = [['type', `(${names.join(', ')})`, 'f', 'eigenvalues', 'η_max = 2/λ_max', 'note']];
    for (const c of cps) rows.push(row(c));
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
  } else {
    const smallest = Math.min(...problem.minima.map((m) => m.etaMax ?? Infinity));
    lines.push(`smallest η_max: ${formatNumber(smallest)} (for η > 2/λ_max(θ*), GD reaches the minimum θ* from almost no initialization)`);
  }
  lines.push(...analysisNotes(problem));
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

/** Indented JSON with arrays of plain numbers/strings kept on one line (points, eigenvalues). */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*((?:-?[\d.eE+-]+|"[^"\\]*"|null)(?:,\s*(?:-?[\d.eE+-]+|"[^"\\]*"|null))*)\s*\]/g, (_m, body: string) => `[${body.replace(/,\n\s*/g, ', ')}]`);
}

function row(c: CriticalPoint): string[] {
  const note = c.outside ? 'outside the domain' : c.semidefinite ? 'Hessian ≥ 0: may be part of a set of minima' : '';
  return [
    c.kind,
    `(${c.point.map(formatNumber).join(', ')})`,
    formatNumber(c.value),
    c.eigenvalues.map(formatNumber).join(', '),
    c.etaMax === null ? '' : formatNumber(c.etaMax),
    note,
  ];
}
