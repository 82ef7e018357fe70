/** "variables" (optional; fixes the order) and "objective" (the loss, required). */
import { parseExpression } from '../../engine/expression';
import { ExpressionError } from '../../engine/types';
import { CONFIG_LIMITS } from '../configTypes';
import { contentRangeToDocument } from '../tree';
import { describe, quote, type KeyValidator } from './context';

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;
/** Names longer than this are not variables people write (and keep messages short). */
const MAX_NAME_LENGTH = 64;

export const variablesValidator: KeyValidator<'variables'> = {
  keys: ['variables'],
  aliases: { vars: 'variables', params: 'variables', parameters: 'variables', varnames: 'variables' },
  validate(ctx) {
    const entry = ctx.get('variables');
    if (!entry) return;
    const v = entry.value;
    if (v.kind !== 'array' || v.items.length === 0) {
      ctx.err(v.range, `"variables" must be a non-empty list of names, e.g. ["x", "y"] (found ${describe(v)})`, 'type');
      return;
    }
    const names: string[] = [];
    let ok = true;
    for (const item of v.items) {
      if (item.kind !== 'string' || item.value.length > MAX_NAME_LENGTH || !IDENTIFIER.test(item.value)) {
        ctx.err(item.range, `a variable name must be an identifier such as x, w1 or theta_2 (found ${describe(item)})`, 'variables');
        ok = false;
      } else if (names.includes(item.value)) {
        ctx.err(item.range, `variable ${quote(item.value)} is listed twice`, 'variables');
        ok = false;
      } else names.push(item.value);
    }
    if (names.length > CONFIG_LIMITS.maxVariables) {
      ctx.err(v.range, `at most ${CONFIG_LIMITS.maxVariables} variables are supported (found ${names.length})`, 'variables');
      ok = false;
    }
    if (ok) {
      ctx.declaredVariables = names;
      ctx.variables = names;
    }
  },
};

export const objectiveValidator: KeyValidator<'objective'> = {
  keys: ['objective'],
  aliases: { loss: 'objective', f: 'objective', function: 'objective', expression: 'objective', expr: 'objective', fn: 'objective', objectivefunction: 'objective' },
  validate(ctx) {
    const entry = ctx.get('objective');
    if (!entry) {
      if (ctx.get('model')) return; // a network config (validators/model.ts)
      ctx.err(ctx.root.entries[0]?.keyRange ?? ctx.root.range, 'missing "objective": the loss to analyse, e.g. "(1 - x*y)^2 + (x^2 + y^2)/20"', 'missing-objective');
      return;
    }
    const v = entry.value;
    ctx.result.objectiveRange = v.range;
    if (v.kind !== 'string') {
      ctx.err(v.range, `"objective" must be an expression in quotes, e.g. "x^2 + y^2" (found ${describe(v)})`, 'type');
      return;
    }
    ctx.result.objectiveSource = { range: v.range, value: v.value, contentOffsets: v.contentOffsets };
    try {
      ctx.parsed = parseExpression(v.value, ctx.declaredVariables ? { variables: ctx.declaredVariables } : {});
    } catch (e) {
      if (e instanceof ExpressionError) {
        // the diagnostic's range shows where; drop the parser's "at character N" (relative to the expression)
        ctx.err(contentRangeToDocument(v, e.range), `objective: ${e.message.replace(/ at character \d+/, '')}`, 'expression');
      } else {
        ctx.err(v.range, `objective: ${e instanceof Error ? e.message : String(e)}`, 'expression');
      }
    }
    if (ctx.parsed) {
      ctx.result.parsed = ctx.parsed;
      ctx.variables = [...ctx.parsed.variables];
      if (ctx.parsed.variables.length > CONFIG_LIMITS.maxVariables) {
        ctx.err(v.range, `at most ${CONFIG_LIMITS.maxVariables} variables are supported (found ${ctx.parsed.variables.length})`, 'variables');
        ctx.parsed = null;
      }
    }
  },
};
