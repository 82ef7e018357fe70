/**
 * Small helpers for validating plain data (a parsed JSON/YAML block) with errors that carry a
 * JSON path, so a config layer can map each error to its source range.
 */

export type JsonPath = Array<string | number>;

export interface SpecError {
  /** path from the validated object, e.g. ['data', 'n'] or ['hidden', 1] */
  path: JsonPath;
  message: string;
}

export type Validated<T> = { spec: T; errors?: undefined } | { spec?: undefined; errors: SpecError[] };

/** 'data.n', 'hidden[1]', with an optional prefix ('model'). */
export function pathText(path: JsonPath, prefix = ''): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };
export type PlainObject = { [key: string]: Plain };

export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.length > 30 ? v.slice(0, 30) + '…' : v}"`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** Edit distance (for "did you mean"). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

export function suggest(word: string, options: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const o of options) {
    const dd = distance(word, o);
    if (dd < bestD) {
      bestD = dd;
      best = o;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/** Collects errors while reading fields of one object. */
export class Checker {
  readonly errors: SpecError[] = [];

  error(path: JsonPath, message: string): void {
    this.errors.push({ path, message });
  }

  /** the object at `path`, or null (with an error) */
  object(v: unknown, path: JsonPath, what: string): PlainObject | null {
    if (isPlainObject(v)) return v;
    this.error(path, `${what} must be an object, got ${describe(v)}`);
    return null;
  }

  unknownKeys(obj: PlainObject, allowed: readonly string[], path: JsonPath, what: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.error([...path, key], `unknown key "${key}" in ${what}${suggest(key, allowed)}; allowed: ${allowed.join(', ')}`);
    }
  }

  number(obj: PlainObject, key: string, path: JsonPath, opts: { fallback?: number; min?: number; max?: number; above?: number; below?: number; integer?: boolean; what?: string }): number {
    const v = obj[key];
    const p = [...path, key];
    const what = opts.what ?? key;
    if (v === undefined) {
      if (opts.fallback !== undefined) return opts.fallback;
      this.error(path, `missing "${key}" (${what})`);
      return NaN;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.error(p, `${what} must be a number, got ${describe(v)}`);
      return NaN;
    }
    if (opts.integer && !Number.isInteger(v)) this.error(p, `${what} must be a whole number, got ${v}`);
    else if (opts.min !== undefined && v < opts.min) this.error(p, `${what} must be at least ${opts.min}, got ${v}`);
    else if (opts.max !== undefined && v > opts.max) this.error(p, `${what} must be at most ${opts.max}, got ${v}`);
    else if (opts.above !== undefined && !(v > opts.above)) this.error(p, `${what} must be greater than ${opts.above}, got ${v}`);
    else if (opts.below !== undefined && !(v < opts.below)) this.error(p, `${what} must be less than ${opts.below}, got ${v}`);
    else return v;
    return NaN;
  }

  boolean(obj: PlainObject, key: string, path: JsonPath, fallback: boolean): boolean {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.error([...path, key], `${key} must be true or false, got ${describe(v)}`);
      return fallback;
    }
    return v;
  }

  oneOf<T extends string>(v: unknown, options: readonly T[], path: JsonPath, what: string): T | null {
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
    const hint = typeof v === 'string' ? suggest(v, options) : '';
    this.error(path, `${what} must be one of ${options.map((o) => `"${o}"`).join(', ')}, got ${describe(v)}${hint}`);
    return null;
  }

  stringList(obj: PlainObject, key: string, path: JsonPath, what: string): string[] {
    const v = obj[key];
    const p = [...path, key];
    if (v === undefined) {
      this.error(path, `missing "${key}" (${what})`);
      return [];
    }
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.length === 0 || list.some((s) => typeof s !== 'string' || s.trim() === '')) {
      this.error(p, `${what} must be a non-empty list of column names, got ${describe(v)}`);
      return [];
    }
    return list as string[];
  }
}
