/**
 * Small, strict argument parsing shared by the `gdlab` subcommands. `--` ends the options: what
 * follows is positional even when it starts with '-' (an expression such as "--x^2 + y^2").
 * Echoed user text is escaped and capped (../config/userText).
 */
import { editDistance } from '../config/keys';
import { echo } from '../config/userText';

/** A bad command line: reported as one line on stderr with exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  positionals: string[];
  /** --name value / --name=value; flags without value map to 'true' */
  options: Map<string, string>;
}

/**
 * Parses argv against the option names a command knows. `flags` take no value.
 * Unknown options are usage errors (naming the option), so typos never pass silently.
 */
export function parseArgs(argv: readonly string[], known: { values: readonly string[]; flags?: readonly string[] }): ParsedArgs {
  const flags = new Set(known.flags ?? []);
  const values = new Set(known.values);
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    // A leading '-' followed by a digit or '.' is a negative number, not an option.
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (flags.has(name)) {
        if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
        options.set(name, 'true');
      } else if (values.has(name)) {
        let value: string | undefined;
        if (eq >= 0) value = arg.slice(eq + 1);
        else value = argv[++i];
        if (value === undefined) throw new UsageError(`option --${name} needs a value`);
        options.set(name, value);
      } else {
        throw new UsageError(unknownOption(arg, name, [...values, ...flags]));
      }
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, options };
}

/** Option names are lower-case words joined by '-'; anything else after '--' is likely an expression. */
const OPTION_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** "unknown option --etaa; did you mean --eta?" / "… put '--' before an expression that starts with '-'" */
export function unknownOption(arg: string, name: string, known: readonly string[]): string {
  if (name.length > 40 || !OPTION_NAME.test(name)) {
    return `'${echo(arg, 40)}' is not an option; an expression that starts with '-' goes after '--', which ends the options (e.g. gdlab analyze -- "--x^2 + y^2")`;
  }
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(name, k, 2);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  // or a longer / shorter spelling: --eta-fraction → --eta-frac
  best ??= [...known].sort((a, b) => b.length - a.length).find((k) => Math.min(k.length, name.length) >= 3 && (name.startsWith(k) || k.startsWith(name)));
  return `unknown option --${name}${best ? `; did you mean --${best}?` : ''}`;
}

/** A finite number, or a UsageError naming the option. */
export function numberOption(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got '${echo(raw)}'`);
  return v;
}

/** A positive integer in [min, max], or a UsageError naming the option. */
export function intOption(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const v = numberOption(args, name, fallback) as number;
  if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${echo(args.options.get(name) ?? '')}'`);
  return v;
}

/** "lo,hi" with lo < hi, or a UsageError naming the option. */
export function rangeOption(args: ParsedArgs, name: string, fallback: [number, number]): [number, number] {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const parts = raw.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n))) {
    throw new UsageError(`--${name} must be two numbers 'lo,hi', got '${echo(raw)}'`);
  }
  if (!(nums[0] < nums[1])) throw new UsageError(`--${name} is empty or inverted: ${nums[0]} is not below ${nums[1]}`);
  return [nums[0], nums[1]];
}

/** "a,b,c" → numbers, or a UsageError naming the option. */
export function listOption(args: ParsedArgs, name: string): number[] | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n))) {
    throw new UsageError(`--${name} must be comma-separated numbers, got '${echo(raw)}'`);
  }
  return nums;
}
