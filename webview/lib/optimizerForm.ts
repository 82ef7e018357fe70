/**
 * The optimizer selector's form, pure (no DOM): which fields an optimizer has, their text for a
 * spec, and the text the user typed → a resolved spec or one message per bad field. The names,
 * parameters, defaults and ranges are the config's (src/engine/optimizers/spec.ts): a value the
 * config rejects is rejected here with the same range in words.
 */
import {
  OPTIMIZER_NAMES, OPTIMIZER_PARAMETERS, OPTIMIZER_TITLES, resolveOptimizer,
  type OptimizerInput, type OptimizerName, type OptimizerSpec, type ParameterInfo, type ParameterKey,
} from '../../src/engine/optimizers/spec';

export { OPTIMIZER_NAMES, OPTIMIZER_TITLES };

/** What a field holds while the user edits it: text for numbers, a flag for bias correction. */
export type FieldValues = Partial<Record<ParameterKey, string | boolean>>;

export type FormResult = { spec: OptimizerSpec; errors?: undefined } | { spec?: undefined; errors: Partial<Record<ParameterKey, string>> };

/** The parameters of an optimizer, in display order. */
export function formFields(name: OptimizerName): readonly ParameterInfo[] {
  return OPTIMIZER_PARAMETERS[name];
}

/** The fields' values for a spec (numbers as the shortest text that reads back the same). */
export function formValues(spec: OptimizerSpec): FieldValues {
  const record = spec as unknown as Record<string, number | boolean>;
  const out: FieldValues = {};
  for (const p of OPTIMIZER_PARAMETERS[spec.name]) {
    const v = record[p.key];
    out[p.key] = p.kind === 'boolean' ? Boolean(v) : String(v);
  }
  return out;
}

/** The defaults of an optimizer as a spec (what choosing it in the menu starts from). */
export function defaultSpec(name: OptimizerName): OptimizerSpec {
  return resolveOptimizer({ name });
}

/** Parses one numeric field: the number, or a message naming the parameter and its range. */
export function parseParameter(info: ParameterInfo, text: string): number | string {
  const t = text.trim();
  if (t === '') return `${info.symbol}: enter a number ${info.range}`;
  const v = Number(t);
  if (!Number.isFinite(v)) return `${info.symbol}: "${t}" is not a number`;
  if (!info.valid(v)) return `${info.symbol} must be ${info.range}, got ${t}`;
  return v;
}

/**
 * The spec the form describes, or an error per bad field (every field is checked, so all
 * problems show at once). Missing fields take the optimizer's defaults.
 */
export function parseOptimizerForm(name: OptimizerName, values: FieldValues): FormResult {
  const errors: Partial<Record<ParameterKey, string>> = {};
  const input: OptimizerInput = { name };
  for (const p of OPTIMIZER_PARAMETERS[name]) {
    const raw = values[p.key];
    if (raw === undefined) continue;
    if (p.kind === 'boolean') {
      input.biasCorrection = raw === true;
      continue;
    }
    const parsed = parseParameter(p, typeof raw === 'string' ? raw : String(raw));
    if (typeof parsed === 'string') errors[p.key] = parsed;
    else input[p.key as Exclude<ParameterKey, 'biasCorrection'>] = parsed;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { spec: resolveOptimizer(input) };
}
