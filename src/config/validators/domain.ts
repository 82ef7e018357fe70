/** "domain": the search and map window, per variable (default [-3, 3]). */
import type { Box, SourceRange } from '../../engine/types';
import { CONFIG_LIMITS } from '../configTypes';
import type { PosNode } from '../tree';
import { describe, isFiniteNumber, quote, type KeyValidator, type ValidationContext } from './context';

/** `at`: where to point (default the interval; the key and interval for {"x": [..]}) */
function checkPair(ctx: ValidationContext, node: PosNode, label: string, at: SourceRange = node.range): [number, number] | null {
  if (node.kind !== 'array' || node.items.length !== 2 || !node.items.every(isFiniteNumber)) {
    ctx.err(at, `${label} must be a pair of numbers [low, high], e.g. [-3, 3] (found ${describe(node)})`, 'domain');
    return null;
  }
  const lo = (node.items[0] as { value: number }).value;
  const hi = (node.items[1] as { value: number }).value;
  if (lo === hi) {
    ctx.err(at, `${label} is empty: [${lo}, ${hi}] has no width; give low < high`, 'empty-domain');
    return null;
  }
  if (lo > hi) {
    ctx.err(at, `${label} is inverted: [${lo}, ${hi}] has low > high; write [${hi}, ${lo}]`, 'empty-domain');
    return null;
  }
  return [lo, hi];
}

export const domainValidator: KeyValidator<'domain'> = {
  keys: ['domain'],
  aliases: { bounds: 'domain', box: 'domain', window: 'domain', range: 'domain', ranges: 'domain', limits: 'domain', region: 'domain' },
  validate(ctx) {
    const variables = ctx.variables;
    ctx.domain = variables ? variables.map(() => [...CONFIG_LIMITS.defaultDomain] as [number, number]) : null;
    const entry = ctx.get('domain');
    if (!entry) return;
    const v = entry.value;
    if (v.kind === 'array' && v.items.length === 2 && v.items.every((it) => it.kind === 'number')) {
      // one interval for every variable
      const pair = checkPair(ctx, v, 'domain');
      if (!pair) ctx.domainOk = false;
      else if (ctx.domain) ctx.domain = ctx.domain.map(() => [pair[0], pair[1]]);
    } else if (v.kind === 'array') {
      // one interval per variable, in variable order
      const pairs = v.items.map((it, k) => checkPair(ctx, it, `domain of ${variables?.[k] ?? `variable ${k + 1}`}`));
      if (pairs.some((p) => p === null)) ctx.domainOk = false;
      else if (variables && pairs.length !== variables.length) {
        ctx.err(v.range, `"domain" lists ${pairs.length} intervals but the objective has ${variables.length} variables (${variables.join(', ')}); give one [low, high] per variable or an object {"x": [-3, 3], …}`, 'domain');
        ctx.domainOk = false;
      } else if (ctx.domain) ctx.domain = pairs as Box;
    } else if (v.kind === 'object') {
      for (const e of v.entries) {
        const k = variables ? variables.indexOf(e.key) : -1;
        if (variables && k < 0) {
          ctx.err(e.keyRange, `${quote(e.key)} is not a variable of the objective ${ctx.variableList()}`, 'domain');
          ctx.domainOk = false;
          continue;
        }
        const pair = checkPair(ctx, e.value, `domain of ${quote(e.key).slice(1, -1)}`, { start: e.keyRange.start, end: e.value.range.end });
        if (!pair) ctx.domainOk = false;
        else if (ctx.domain && k >= 0) ctx.domain[k] = pair;
      }
    } else {
      ctx.err(v.range, `"domain" must be {"x": [-3, 3], "y": [-3, 3]}, a list of [low, high] per variable, or one [low, high] for all (found ${describe(v)})`, 'domain');
      ctx.domainOk = false;
    }
  },
};
