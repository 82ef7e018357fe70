/**
 * "optimizer": which method runs — "gd" (default), "momentum" (heavy-ball), "nesterov",
 * "rmsprop" or "adam" — as a name or as an object with the name and parameters:
 *   "optimizer": "adam"
 *   "optimizer": { "name": "momentum", "beta": 0.9 }
 * The vocabulary (names, parameters, defaults, ranges) is src/engine/optimizers/spec.ts; every
 * problem points at the exact name, key or value.
 */
import {
  canonicalOptimizerName, nearestOptimizerName, OPTIMIZER_NAMES, OPTIMIZER_PARAMETERS, OPTIMIZER_TITLES, OptimizerError, resolveOptimizer,
  type OptimizerInput, type ParameterKey,
} from '../../engine/optimizers/spec';
import type { SourceRange } from '../../engine/types';
import type { PosNode } from '../tree';
import { describe, quote, type KeyValidator, type ValidationContext } from './context';

const PARAMETER_KEYS: readonly ParameterKey[] = ['beta', 'beta1', 'beta2', 'epsilon', 'biasCorrection'];

/** Other spellings of the keys inside "optimizer" (lower case, no '_', '-' or spaces) → the key. */
const INNER_ALIASES: Readonly<Record<string, ParameterKey | 'name'>> = {
  type: 'name', optimizer: 'name', method: 'name', kind: 'name',
  momentum: 'beta', mu: 'beta',
  b1: 'beta1', beta_1: 'beta1',
  b2: 'beta2', alpha: 'beta2', rho: 'beta2', decay: 'beta2',
  eps: 'epsilon',
  bias: 'biasCorrection', biascorrection: 'biasCorrection', debias: 'biasCorrection', correctbias: 'biasCorrection',
};

const squash = (key: string): string => key.toLowerCase().replace(/[\s_.-]/g, '');

/** The key of "optimizer" a user meant by `key`, or undefined. */
function innerKey(key: string): ParameterKey | 'name' | undefined {
  const s = squash(key);
  if (s === 'name') return 'name';
  const exact = PARAMETER_KEYS.find((k) => squash(k) === s);
  return exact ?? INNER_ALIASES[s];
}

function checkName(ctx: ValidationContext, node: PosNode): string | null {
  if (node.kind !== 'string') {
    ctx.err(node.range, `the optimizer's name must be text: one of ${OPTIMIZER_NAMES.join(', ')} (found ${describe(node)})`, 'optimizer');
    return null;
  }
  if (canonicalOptimizerName(node.value) === null) {
    const near = node.value.length <= 40 ? nearestOptimizerName(node.value) : null;
    ctx.err(node.range, `unknown optimizer ${quote(node.value)}${near ? ` (did you mean "${near}"?)` : ''}; use one of ${OPTIMIZER_NAMES.join(', ')}`, 'optimizer');
    return null;
  }
  return node.value;
}

export const optimizerValidator: KeyValidator<'optimizer'> = {
  keys: ['optimizer'],
  aliases: { optim: 'optimizer', method: 'optimizer', algorithm: 'optimizer', solver: 'optimizer', opt: 'optimizer' },
  validate(ctx) {
    const entry = ctx.get('optimizer');
    // a network config's optimizer is validated with its training settings (./model.ts)
    if (!entry || ctx.get('model')) return;
    const v = entry.value;
    const ranges: NonNullable<typeof ctx.result.optimizerRanges> = { params: {} };
    if (v.kind === 'string') {
      const name = checkName(ctx, v);
      ranges.name = v.range;
      ctx.result.optimizerRanges = ranges;
      if (name !== null) ctx.result.optimizer = resolveOptimizer({ name });
      return;
    }
    if (v.kind !== 'object') {
      ctx.err(v.range, `"optimizer" must be a name ("adam") or an object such as {"name": "momentum", "beta": 0.9} (found ${describe(v)})`, 'optimizer');
      return;
    }
    const nameEntry = v.entries.find((e) => e.key === 'name');
    if (!nameEntry) {
      ctx.err(v.range, `"optimizer" needs a "name": one of ${OPTIMIZER_NAMES.join(', ')}`, 'optimizer');
      return;
    }
    const rawName = checkName(ctx, nameEntry.value);
    ranges.name = nameEntry.value.range;
    ctx.result.optimizerRanges = ranges;
    const canonical = rawName === null ? null : canonicalOptimizerName(rawName);
    const input: OptimizerInput = { name: rawName ?? '' };
    const valueRanges = new Map<ParameterKey, SourceRange>();
    let ok = rawName !== null;
    for (const e of v.entries) {
      if (e.key === 'name') continue;
      const key = PARAMETER_KEYS.find((k) => k === e.key);
      if (!key) {
        const meant = innerKey(e.key);
        const hint = meant ? `; did you mean "${meant}"?` : `; the optimizer object takes name, ${PARAMETER_KEYS.join(', ')}`;
        ctx.err(e.keyRange, `unknown optimizer setting ${quote(e.key)}${hint}`, 'optimizer');
        ok = false;
        continue;
      }
      if (v.entries.filter((x) => x.key === e.key).length > 1) {
        ctx.err(e.keyRange, `"${e.key}" is given twice in "optimizer"; keep one`, 'duplicate-key');
        ok = false;
        continue;
      }
      ranges.params[key] = { key: e.keyRange, value: e.value.range };
      if (canonical !== null && !OPTIMIZER_PARAMETERS[canonical].some((p) => p.key === key)) {
        const takes = OPTIMIZER_PARAMETERS[canonical];
        const users = OPTIMIZER_NAMES.filter((n) => OPTIMIZER_PARAMETERS[n].some((p) => p.key === key)).map((n) => OPTIMIZER_TITLES[n]);
        ctx.err(e.keyRange, `${OPTIMIZER_TITLES[canonical]} has no parameter "${key}" (${takes.length === 0 ? 'it takes none' : `it takes ${takes.map((p) => p.key).join(', ')}`}; "${key}" is for ${users.join(' and ')})`, 'optimizer');
        ok = false;
        continue;
      }
      const info = PARAMETER_KEYS.includes(key) && canonical ? OPTIMIZER_PARAMETERS[canonical].find((p) => p.key === key) : undefined;
      if (key === 'biasCorrection') {
        if (e.value.kind !== 'boolean') {
          ctx.err(e.value.range, `"biasCorrection" must be true or false (found ${describe(e.value)})`, 'optimizer');
          ok = false;
        } else input.biasCorrection = e.value.value;
        continue;
      }
      if (e.value.kind !== 'number' || (info && !info.valid(e.value.value))) {
        const symbol = info ? ` (${info.symbol})` : '';
        const range = info ? info.range : 'a number';
        ctx.err(e.value.range, `"${key}"${symbol} must be ${range} (found ${describe(e.value)})`, 'optimizer');
        ok = false;
        continue;
      }
      input[key] = e.value.value;
      valueRanges.set(key, e.value.range);
    }
    if (!ok) return;
    try {
      ctx.result.optimizer = resolveOptimizer(input);
    } catch (err) {
      if (!(err instanceof OptimizerError)) throw err;
      const at = err.parameter === 'name' ? nameEntry.value.range : valueRanges.get(err.parameter) ?? v.range;
      ctx.err(at, err.message, 'optimizer');
    }
  },
};
