/**
 * `--optimizer gd|momentum|nesterov|rmsprop|adam` and its parameters, shared by basin,
 * trajectory, sweep, analyze and figure: `--beta`, `--beta1`, `--beta2`, `--eps`,
 * `--bias-correction` / `--no-bias-correction`. Command-line values override the config's
 * `optimizer` key; every bad value is a usage error naming the option.
 */
import {
  canonicalOptimizerName, GD, OptimizerError, OPTIMIZER_NAMES, OPTIMIZER_PARAMETERS, resolveOptimizer, type OptimizerInput, type OptimizerSpec,
} from '../engine/optimizers';
import { numberOption, type ParsedArgs, UsageError } from './args';

/** Value options and flags to add to a command's parseArgs call. */
export const OPTIMIZER_OPTIONS = ['optimizer', 'beta', 'beta1', 'beta2', 'eps'] as const;
export const OPTIMIZER_FLAGS = ['bias-correction', 'no-bias-correction'] as const;

/** The --help lines of the options. */
export const OPTIMIZER_HELP = `  --optimizer NAME      gd (default), momentum (heavy-ball), nesterov, rmsprop, adam
  --beta b              momentum / nesterov coefficient β in [0, 1) (default 0.9)
  --beta1 b / --beta2 b Adam's β₁ (0.9) and β₂ (0.999); RMSProp's β₂ (0.99), in [0, 1)
  --eps e               Adam / RMSProp ε > 0 (default 1e-8)
  --no-bias-correction  Adam without bias correction (default on)
  --bias-correction     RMSProp with bias correction (default off)`;

const FLAG_OF: Record<string, string> = { beta: '--beta', beta1: '--beta1', beta2: '--beta2', epsilon: '--eps', biasCorrection: '--bias-correction' };

/**
 * The optimizer from the command line over the config's (`configured`, already validated; GD
 * when absent). Parameters without --optimizer apply to the configured optimizer.
 */
export function optimizerFromArgs(args: ParsedArgs, configured: OptimizerSpec | null = null): OptimizerSpec {
  const rawName = args.options.get('optimizer');
  let name: string;
  const input: Partial<OptimizerInput> = {};
  if (rawName !== undefined) {
    if (canonicalOptimizerName(rawName) === null) {
      try {
        resolveOptimizer({ name: rawName });
      } catch (err) {
        if (err instanceof OptimizerError) throw new UsageError(`--optimizer: ${err.message}`);
        throw err;
      }
    }
    name = rawName;
    // the config's parameters carry over only to the same optimizer
    if (configured && canonicalOptimizerName(rawName) === configured.name) Object.assign(input, configured);
  } else {
    const base = configured ?? GD;
    name = base.name;
    Object.assign(input, base);
  }
  const beta = numberOption(args, 'beta');
  const beta1 = numberOption(args, 'beta1');
  const beta2 = numberOption(args, 'beta2');
  const eps = numberOption(args, 'eps');
  if (beta !== undefined) input.beta = beta;
  if (beta1 !== undefined) input.beta1 = beta1;
  if (beta2 !== undefined) input.beta2 = beta2;
  if (eps !== undefined) input.epsilon = eps;
  const on = args.options.has('bias-correction');
  const off = args.options.has('no-bias-correction');
  if (on && off) throw new UsageError('give either --bias-correction or --no-bias-correction, not both');
  if (on || off) input.biasCorrection = on;
  const canonical = canonicalOptimizerName(name) ?? name;
  const takes = OPTIMIZER_PARAMETERS[canonical as (typeof OPTIMIZER_NAMES)[number]] ?? [];
  for (const key of ['beta', 'beta1', 'beta2', 'epsilon', 'biasCorrection'] as const) {
    const fromCli = key === 'epsilon' ? eps !== undefined : key === 'biasCorrection' ? on || off : args.options.has(key);
    if (fromCli && !takes.some((p) => p.key === key)) {
      const users = OPTIMIZER_NAMES.filter((n) => OPTIMIZER_PARAMETERS[n].some((p) => p.key === key));
      throw new UsageError(`${key === 'biasCorrection' ? (on ? '--bias-correction' : '--no-bias-correction') : FLAG_OF[key]} does not apply to --optimizer ${canonical} (it is for ${users.join(', ')})`);
    }
  }
  try {
    return resolveOptimizer({ ...input, name } as OptimizerInput);
  } catch (err) {
    if (err instanceof OptimizerError) {
      const flag = err.parameter === 'name' ? '--optimizer' : FLAG_OF[err.parameter];
      throw new UsageError(`${flag}: ${err.message}`);
    }
    throw err;
  }
}
