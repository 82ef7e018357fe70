/** "axes" and "fixed": which 2-D slice of the variables the map shows. */
import { describe, isFiniteNumber, quote, type KeyValidator } from './context';

export const axesValidator: KeyValidator<'axes'> = {
  keys: ['axes'],
  aliases: { axis: 'axes', mapaxes: 'axes', plotaxes: 'axes' },
  validate(ctx) {
    const entry = ctx.get('axes');
    if (!entry) return;
    const v = entry.value;
    if (v.kind !== 'array' || v.items.length !== 2 || v.items.some((it) => it.kind !== 'string')) {
      ctx.err(v.range, `"axes" must name the two map axes, e.g. ["x", "y"] (found ${describe(v)})`, 'axes');
      return;
    }
    const names = v.items.map((it) => (it as { value: string }).value);
    let ok = true;
    v.items.forEach((it, k) => {
      if (!ctx.isVariable(names[k] ?? '')) {
        ctx.err(it.range, `${quote(names[k] ?? '')} is not a variable of the objective ${ctx.variableList()}`, 'axes');
        ok = false;
      }
    });
    if (ok && names[0] === names[1]) {
      ctx.err(v.range, `the two map axes must differ (both are ${quote(names[0] ?? '')})`, 'axes');
      ok = false;
    }
    if (ok) ctx.result.axes = [names[0] ?? '', names[1] ?? ''];
  },
};

export const fixedValidator: KeyValidator<'fixed'> = {
  keys: ['fixed'],
  aliases: { fixedvalues: 'fixed', hold: 'fixed', held: 'fixed' },
  validate(ctx) {
    const entry = ctx.get('fixed');
    if (!entry) return;
    const v = entry.value;
    if (v.kind !== 'object') {
      ctx.err(v.range, `"fixed" must give values of the non-axis variables, e.g. {"z": 0.5} (found ${describe(v)})`, 'fixed');
      return;
    }
    // keys are user text: a null-prototype map, so "__proto__" or "constructor" are plain keys
    const fixed = Object.create(null) as Record<string, number>;
    for (const e of v.entries) {
      if (!ctx.isVariable(e.key)) {
        ctx.err(e.keyRange, `${quote(e.key)} is not a variable of the objective ${ctx.variableList()}`, 'fixed');
        continue;
      }
      if (!isFiniteNumber(e.value)) {
        ctx.err(e.value.range, `the fixed value of ${quote(e.key).slice(1, -1)} must be a number (found ${describe(e.value)})`, 'fixed');
        continue;
      }
      const axes: readonly string[] = ctx.result.axes ?? (ctx.variables ? ctx.variables.slice(0, 2) : []);
      if (axes.includes(e.key)) ctx.warn(e.keyRange, `${quote(e.key).slice(1, -1)} is a map axis, so its fixed value is ignored`, 'fixed-axis');
      fixed[e.key] = e.value.value;
    }
    ctx.result.fixed = fixed;
  },
};
