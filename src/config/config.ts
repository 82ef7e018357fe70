/**
 * Config file text (*.gdlab.json / *.gdlab.yaml) → a validated problem, with the source range of
 * every key and value so every problem can be pointed at. One vocabulary, shared with the JSON
 * Schema (schemas/gdlab.schema.json), the CLI, the hover and the README:
 *
 *   name, objective, variables, domain, lr, learningRates, lrFractions, starts, grid, maxSteps,
 *   tolerance, axes, fixed
 *
 * Pure: no vscode, no I/O. Problems that need the minima (lr ≥ 2/λ_max, no minimum in the domain)
 * come from `analysisIssues` once the analysis is known.
 */
import { parseExpression } from '../engine/expression';
import { problemSpec } from '../engine/ir';
import { ExpressionError, type Box, type ParsedExpression, type ProblemSpec, type SourceRange } from '../engine/types';
import { contentRangeToDocument, getEntry, parsePositionTree, type ConfigFormat, type PosEntry, type PosNode } from './tree';

export const CONFIG_KEYS = [
  '$schema', 'name', 'objective', 'variables', 'domain', 'lr', 'learningRates', 'lrFractions',
  'starts', 'grid', 'maxSteps', 'tolerance', 'axes', 'fixed',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Limits and defaults of the config vocabulary (the schema states the same numbers). */
export const CONFIG_LIMITS = {
  defaultDomain: [-3, 3] as [number, number],
  minGrid: 8,
  /** 1024² ≈ 1 M starts (the panel's largest map); beyond that a map takes minutes */
  maxGrid: 1024,
  maxMaxSteps: 1_000_000,
  maxTolerance: 1e-2,
  maxStarts: 64,
  maxVariables: 20,
} as const;

export type Severity = 'error' | 'warning' | 'information';

export interface ConfigIssue {
  severity: Severity;
  message: string;
  /** document offsets [start, end) */
  range: SourceRange;
  /** stable machine-readable code, e.g. 'expression', 'lr-threshold', 'no-minimum' */
  code: string;
}

/** One learning rate written in the config (a concrete η or a fraction of η_max). */
export interface LearningRateEntry {
  key: 'lr' | 'learningRates' | 'lrFractions';
  /** index in the list, null for `lr` */
  index: number | null;
  /** as written: η, or the fraction of η_max for `lrFractions` */
  value: number;
  fraction: boolean;
  /** range of the value */
  range: SourceRange;
}

export interface GdlabConfig {
  format: ConfigFormat;
  issues: ConfigIssue[];
  /** true when there is no usable problem (objective or domain unusable, syntax broken) */
  fatal: boolean;
  /** the problem, with the variable order and the resolved domain filled in (null if fatal) */
  spec: ProblemSpec | null;
  parsed: ParsedExpression | null;
  name?: string;
  learningRates: LearningRateEntry[];
  starts: number[][];
  grid?: number;
  maxSteps?: number;
  tolerance?: number;
  axes?: [string, string];
  fixed?: Record<string, number>;
  /** ranges of each top-level key and of its value */
  keyRanges: Partial<Record<ConfigKey, SourceRange>>;
  valueRanges: Partial<Record<ConfigKey, SourceRange>>;
  /** where the objective's text is, for hover and CodeLens */
  objectiveRange?: SourceRange;
  /** the objective string node: maps ranges in the expression (e.g. from a worker) to the document */
  objectiveSource?: { range: SourceRange; value: string; contentOffsets: number[] | null };
}

/** A range in the objective's text (an ExpressionError's) → document offsets. */
export function objectiveRangeToDocument(config: GdlabConfig, r: SourceRange): SourceRange {
  if (!config.objectiveSource) return config.objectiveRange ?? { start: 0, end: 1 };
  return contentRangeToDocument(config.objectiveSource, r);
}

/** Numbers as people read them: 4 significant digits (10/19 → 0.5263, 1/6 → 0.1667). */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e6) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

const isFiniteNumber = (n: PosNode): n is Extract<PosNode, { kind: 'number' }> => n.kind === 'number' && Number.isFinite(n.value);

function describe(n: PosNode): string {
  switch (n.kind) {
    case 'object': return 'an object';
    case 'array': return 'a list';
    case 'string': return `the text "${n.value.length > 24 ? n.value.slice(0, 24) + '…' : n.value}"`;
    case 'number': return Number.isFinite(n.value) ? `the number ${n.value}` : String(n.value);
    case 'boolean': return String(n.value);
    case 'null': return 'nothing';
    default: return n.what;
  }
}

/**
 * Parses and validates a config. Never throws: every problem becomes an issue with a range.
 */
export function parseConfig(text: string, format: ConfigFormat): GdlabConfig {
  const issues: ConfigIssue[] = [];
  const err = (range: SourceRange, message: string, code: string) => issues.push({ severity: 'error', message, range, code });
  const warn = (range: SourceRange, message: string, code: string) => issues.push({ severity: 'warning', message, range, code });
  const result: GdlabConfig = {
    format, issues, fatal: true, spec: null, parsed: null, learningRates: [], starts: [],
    keyRanges: {}, valueRanges: {},
  };

  const tree = parsePositionTree(text, format);
  for (const e of tree.syntaxErrors) err(e.range, e.message, 'syntax');
  const root = tree.root;
  const whole = { start: 0, end: Math.min(1, text.length) };
  if (!root || root.kind !== 'object') {
    if (tree.syntaxErrors.length === 0) {
      err(root?.range ?? whole, `a GD Stability Lab config is an object with at least "objective" (found ${root ? describe(root) : 'an empty file'})`, 'not-object');
    }
    return result;
  }

  const known = new Set<string>(CONFIG_KEYS);
  const seen = new Set<string>();
  for (const entry of root.entries) {
    if (seen.has(entry.key)) err(entry.keyRange, `"${entry.key}" is given twice; keep one`, 'duplicate-key');
    seen.add(entry.key);
    if (!known.has(entry.key)) {
      const suggestion = CONFIG_KEYS.find((k) => k.toLowerCase() === entry.key.toLowerCase() || k.toLowerCase() === entry.key.toLowerCase().replace(/[-_]/g, ''));
      warn(entry.keyRange, `unknown key "${entry.key}" (ignored)${suggestion ? `; did you mean "${suggestion}"?` : `. Known keys: ${CONFIG_KEYS.filter((k) => k !== '$schema').join(', ')}`}`, 'unknown-key');
      continue;
    }
    result.keyRanges[entry.key as ConfigKey] = entry.keyRange;
    result.valueRanges[entry.key as ConfigKey] = entry.value.range;
  }
  const get = (key: ConfigKey): PosEntry | undefined => getEntry(root, key);

  /* name */
  const nameEntry = get('name');
  if (nameEntry) {
    if (nameEntry.value.kind === 'string') result.name = nameEntry.value.value;
    else err(nameEntry.value.range, `"name" must be text (found ${describe(nameEntry.value)})`, 'type');
  }

  /* variables (optional, fixes the order) */
  let declaredVariables: string[] | undefined;
  const variablesEntry = get('variables');
  if (variablesEntry) {
    const v = variablesEntry.value;
    if (v.kind !== 'array' || v.items.length === 0) {
      err(v.range, `"variables" must be a non-empty list of names, e.g. ["x", "y"] (found ${describe(v)})`, 'type');
    } else {
      const names: string[] = [];
      let ok = true;
      for (const item of v.items) {
        if (item.kind !== 'string' || !/^[\p{L}_][\p{L}\p{N}_]*$/u.test(item.value)) {
          err(item.range, `a variable name must be an identifier such as x, w1 or theta_2 (found ${describe(item)})`, 'variables');
          ok = false;
        } else if (names.includes(item.value)) {
          err(item.range, `variable "${item.value}" is listed twice`, 'variables');
          ok = false;
        } else names.push(item.value);
      }
      if (names.length > CONFIG_LIMITS.maxVariables) {
        err(v.range, `at most ${CONFIG_LIMITS.maxVariables} variables are supported (found ${names.length})`, 'variables');
        ok = false;
      }
      if (ok) declaredVariables = names;
    }
  }

  /* objective */
  const objectiveEntry = get('objective');
  let parsed: ParsedExpression | null = null;
  if (!objectiveEntry) {
    err(root.entries[0]?.keyRange ?? root.range, 'missing "objective": the loss to analyse, e.g. "(1 - x*y)^2 + (x^2 + y^2)/20"', 'missing-objective');
  } else {
    const v = objectiveEntry.value;
    result.objectiveRange = v.range;
    if (v.kind !== 'string') {
      err(v.range, `"objective" must be an expression in quotes, e.g. "x^2 + y^2" (found ${describe(v)})`, 'type');
    } else {
      result.objectiveSource = { range: v.range, value: v.value, contentOffsets: v.contentOffsets };
      try {
        parsed = parseExpression(v.value, declaredVariables ? { variables: declaredVariables } : {});
      } catch (e) {
        if (e instanceof ExpressionError) {
          // the diagnostic's range shows where; drop the parser's "at character N" (relative to the expression)
          err(contentRangeToDocument(v, e.range), `objective: ${e.message.replace(/ at character \d+/, '')}`, 'expression');
        } else {
          err(v.range, `objective: ${e instanceof Error ? e.message : String(e)}`, 'expression');
        }
      }
    }
  }
  result.parsed = parsed;
  const variables = parsed ? [...parsed.variables] : declaredVariables;
  if (parsed && parsed.variables.length > CONFIG_LIMITS.maxVariables) {
    err(objectiveEntry?.value.range ?? root.range, `at most ${CONFIG_LIMITS.maxVariables} variables are supported (found ${parsed.variables.length})`, 'variables');
    parsed = null;
  }

  /* domain */
  let domain: Box | null = variables ? variables.map(() => [...CONFIG_LIMITS.defaultDomain] as [number, number]) : null;
  let domainOk = true;
  const domainEntry = get('domain');
  if (domainEntry) {
    /** `at`: where to point (default the interval; the key and interval for {"x": [..]}) */
    const checkPair = (node: PosNode, label: string, at: SourceRange = node.range): [number, number] | null => {
      if (node.kind !== 'array' || node.items.length !== 2 || !node.items.every(isFiniteNumber)) {
        err(at, `${label} must be a pair of numbers [low, high], e.g. [-3, 3] (found ${describe(node)})`, 'domain');
        return null;
      }
      const lo = (node.items[0] as { value: number }).value;
      const hi = (node.items[1] as { value: number }).value;
      if (lo === hi) {
        err(at, `${label} is empty: [${lo}, ${hi}] has no width; give low < high`, 'empty-domain');
        return null;
      }
      if (lo > hi) {
        err(at, `${label} is inverted: [${lo}, ${hi}] has low > high; write [${hi}, ${lo}]`, 'empty-domain');
        return null;
      }
      return [lo, hi];
    };
    const v = domainEntry.value;
    if (v.kind === 'array' && v.items.length === 2 && v.items.every((it) => it.kind === 'number')) {
      // one interval for every variable
      const pair = checkPair(v, 'domain');
      if (!pair) domainOk = false;
      else if (domain) domain = domain.map(() => [pair[0], pair[1]]);
    } else if (v.kind === 'array') {
      // one interval per variable, in variable order
      const pairs = v.items.map((it, k) => checkPair(it, `domain of ${variables?.[k] ?? `variable ${k + 1}`}`));
      if (pairs.some((p) => p === null)) domainOk = false;
      else if (variables && pairs.length !== variables.length) {
        err(v.range, `"domain" lists ${pairs.length} intervals but the objective has ${variables.length} variables (${variables.join(', ')}); give one [low, high] per variable or an object {"x": [-3, 3], …}`, 'domain');
        domainOk = false;
      } else if (domain) domain = pairs as Box;
    } else if (v.kind === 'object') {
      for (const e of v.entries) {
        const k = variables ? variables.indexOf(e.key) : -1;
        if (variables && k < 0) {
          err(e.keyRange, `"${e.key}" is not a variable of the objective (variables: ${variables.join(', ')})`, 'domain');
          domainOk = false;
          continue;
        }
        const pair = checkPair(e.value, `domain of ${e.key}`, { start: e.keyRange.start, end: e.value.range.end });
        if (!pair) domainOk = false;
        else if (domain && k >= 0) domain[k] = pair;
      }
    } else {
      err(v.range, `"domain" must be {"x": [-3, 3], "y": [-3, 3]}, a list of [low, high] per variable, or one [low, high] for all (found ${describe(v)})`, 'domain');
      domainOk = false;
    }
  }

  /* learning rates */
  const positive = (node: PosNode, label: string): number | null => {
    if (!isFiniteNumber(node)) {
      err(node.range, `${label} must be a number (found ${describe(node)})`, 'lr');
      return null;
    }
    if (node.value <= 0) {
      err(node.range, `${label} must be positive: gradient descent needs η > 0 (found ${node.value})`, 'lr');
      return null;
    }
    return node.value;
  };
  const lrEntry = get('lr');
  if (lrEntry) {
    const value = positive(lrEntry.value, '"lr" (the learning rate η)');
    if (value !== null) result.learningRates.push({ key: 'lr', index: null, value, fraction: false, range: lrEntry.value.range });
  }
  for (const key of ['learningRates', 'lrFractions'] as const) {
    const entry = get(key);
    if (!entry) continue;
    const v = entry.value;
    if (v.kind !== 'array') {
      err(v.range, `"${key}" must be a list of numbers, e.g. ${key === 'lrFractions' ? '[0.2, 0.5, 0.8, 0.95, 0.99]' : '[0.1, 0.25, 0.5]'} (found ${describe(v)})`, 'lr');
      continue;
    }
    v.items.forEach((item, index) => {
      const value = positive(item, key === 'lrFractions' ? `a fraction of η_max in "lrFractions"` : `a learning rate in "learningRates"`);
      if (value === null) return;
      if (key === 'lrFractions' && value >= 1) {
        warn(item.range, `η = ${fmt(value)}·η_max is at or beyond the threshold 2/λ_max: GD diverges from every start near the minimum`, 'lr-threshold');
      }
      result.learningRates.push({ key, index, value, fraction: key === 'lrFractions', range: item.range });
    });
  }

  /* grid, maxSteps, tolerance */
  const gridEntry = get('grid');
  if (gridEntry) {
    const v = gridEntry.value;
    if (!isFiniteNumber(v) || !Number.isInteger(v.value)) {
      err(v.range, `"grid" must be a whole number of pixels per side, e.g. 256 (found ${describe(v)})`, 'grid');
    } else if (v.value > CONFIG_LIMITS.maxGrid) {
      err({ start: gridEntry.keyRange.start, end: v.range.end }, `grid too large: ${v.value}² = ${fmt(v.value * v.value, 3)} starts; the maximum is ${CONFIG_LIMITS.maxGrid} (using ${CONFIG_LIMITS.maxGrid})`, 'grid-too-large');
      result.grid = CONFIG_LIMITS.maxGrid;
    } else if (v.value < CONFIG_LIMITS.minGrid) {
      err(v.range, `grid too small: at least ${CONFIG_LIMITS.minGrid} pixels per side (found ${v.value})`, 'grid');
    } else result.grid = v.value;
  }
  const stepsEntry = get('maxSteps');
  if (stepsEntry) {
    const v = stepsEntry.value;
    if (!isFiniteNumber(v) || !Number.isInteger(v.value) || v.value < 1) {
      err(v.range, `"maxSteps" must be a whole number ≥ 1, e.g. 2000 (found ${describe(v)})`, 'maxSteps');
    } else if (v.value > CONFIG_LIMITS.maxMaxSteps) {
      err(v.range, `"maxSteps" too large: at most ${CONFIG_LIMITS.maxMaxSteps} (found ${v.value})`, 'maxSteps');
      result.maxSteps = CONFIG_LIMITS.maxMaxSteps;
    } else result.maxSteps = v.value;
  }
  const tolEntry = get('tolerance');
  if (tolEntry) {
    const v = tolEntry.value;
    if (!isFiniteNumber(v) || v.value <= 0 || v.value > CONFIG_LIMITS.maxTolerance) {
      err(v.range, `"tolerance" is the relative round-off guard for counting a loss increase: a number in (0, ${CONFIG_LIMITS.maxTolerance}], e.g. 1e-12 (found ${describe(v)})`, 'tolerance');
    } else result.tolerance = v.value;
  }

  /* axes and fixed values */
  const axesEntry = get('axes');
  if (axesEntry) {
    const v = axesEntry.value;
    if (v.kind !== 'array' || v.items.length !== 2 || v.items.some((it) => it.kind !== 'string')) {
      err(v.range, `"axes" must name the two map axes, e.g. ["x", "y"] (found ${describe(v)})`, 'axes');
    } else {
      const names = v.items.map((it) => (it as { value: string }).value);
      let ok = true;
      v.items.forEach((it, k) => {
        if (variables && !variables.includes(names[k] ?? '')) {
          err(it.range, `"${names[k]}" is not a variable of the objective (variables: ${variables.join(', ')})`, 'axes');
          ok = false;
        }
      });
      if (ok && names[0] === names[1]) {
        err(v.range, `the two map axes must differ (both are "${names[0]}")`, 'axes');
        ok = false;
      }
      if (ok) result.axes = [names[0] ?? '', names[1] ?? ''];
    }
  }
  const fixedEntry = get('fixed');
  if (fixedEntry) {
    const v = fixedEntry.value;
    if (v.kind !== 'object') {
      err(v.range, `"fixed" must give values of the non-axis variables, e.g. {"z": 0.5} (found ${describe(v)})`, 'fixed');
    } else {
      const fixed: Record<string, number> = {};
      for (const e of v.entries) {
        if (variables && !variables.includes(e.key)) {
          err(e.keyRange, `"${e.key}" is not a variable of the objective (variables: ${variables.join(', ')})`, 'fixed');
          continue;
        }
        if (!isFiniteNumber(e.value)) {
          err(e.value.range, `the fixed value of ${e.key} must be a number (found ${describe(e.value)})`, 'fixed');
          continue;
        }
        const axes: string[] = result.axes ?? (variables ? variables.slice(0, 2) : []);
        if (axes.includes(e.key)) warn(e.keyRange, `${e.key} is a map axis, so its fixed value is ignored`, 'fixed-axis');
        fixed[e.key] = e.value.value;
      }
      result.fixed = fixed;
    }
  }

  /* starts */
  const startsEntry = get('starts');
  if (startsEntry) {
    const v = startsEntry.value;
    if (v.kind !== 'array') {
      err(v.range, `"starts" must be a list of points, e.g. [[0.1, 2.5], [1.5, 2]] (found ${describe(v)})`, 'starts');
    } else {
      if (v.items.length > CONFIG_LIMITS.maxStarts) warn(v.range, `only the first ${CONFIG_LIMITS.maxStarts} starts are drawn`, 'starts');
      for (const item of v.items.slice(0, CONFIG_LIMITS.maxStarts)) {
        if (item.kind !== 'array' || !item.items.every(isFiniteNumber)) {
          err(item.range, `a start must be a point given as a list of numbers, e.g. [0.1, 2.5] (found ${describe(item)})`, 'starts');
          continue;
        }
        const point = item.items.map((it) => (it as { value: number }).value);
        if (variables && point.length !== variables.length) {
          err(item.range, `a start needs ${variables.length} coordinates (${variables.join(', ')}); found ${point.length}`, 'starts');
          continue;
        }
        if (domain && domainOk && point.some((x, k) => x < (domain as Box)[k][0] || x > (domain as Box)[k][1])) {
          warn(item.range, `this start lies outside the domain; its trajectory is still computed`, 'start-outside');
        }
        result.starts.push(point);
      }
    }
  }

  // recoverable syntax problems (e.g. a missing comma) still leave a problem to analyse
  if (parsed && domain && domainOk) {
    result.fatal = false;
    result.spec = problemSpec(parsed, domain); // carries the parsed objective (ir) for the workers
  }
  return result;
}

/* ------------------------------------------------------------------ after the analysis */

export interface MinimumLike {
  point: number[];
  value: number;
  lambdaMax: number;
  etaMax: number | null;
}

/** The smallest threshold η_max = 2/λ_max over the minima (null if there is none). */
export function smallestEtaMax(minima: readonly MinimumLike[]): number | null {
  let best: number | null = null;
  for (const m of minima) if (m.etaMax !== null && Number.isFinite(m.etaMax) && (best === null || m.etaMax < best)) best = m.etaMax;
  return best;
}

/** η of a learning-rate entry (fractions are of the smallest η_max; null if unknown yet). */
export function resolveEta(entry: LearningRateEntry, etaMax: number | null): number | null {
  if (!entry.fraction) return entry.value;
  return etaMax === null ? null : entry.value * etaMax;
}

/** Default η when a config gives none: 0.8·η_max (one of the paper's fractions). */
export const DEFAULT_LR_FRACTION = 0.8;

/** The η shown first: `lr`, else the first listed, else 0.8·η_max (null if none can be known). */
export function primaryEta(config: GdlabConfig, etaMax: number | null): number | null {
  const first = config.learningRates.find((e) => e.key === 'lr') ?? config.learningRates[0];
  if (first) return resolveEta(first, etaMax);
  return etaMax === null ? null : DEFAULT_LR_FRACTION * etaMax;
}

/** All learning rates of a config as concrete η, in the order written (duplicates removed). */
export function resolvedLearningRates(config: GdlabConfig, etaMax: number | null): number[] {
  const out: number[] = [];
  for (const e of config.learningRates) {
    const eta = resolveEta(e, etaMax);
    if (eta !== null && !out.some((x) => Math.abs(x - eta) <= 1e-15 * Math.max(1, eta))) out.push(eta);
  }
  return out;
}

/**
 * Problems that need the minima: no minimum in the domain (error on "domain", or on the objective
 * when no domain is written) and every learning rate at or beyond a threshold 2/λ_max (warning
 * on that value).
 */
export function analysisIssues(config: GdlabConfig, minima: readonly MinimumLike[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!config.spec) return issues;
  if (minima.length === 0) {
    const box = (config.spec.domain ?? []).map((r) => `[${fmt(r[0])}, ${fmt(r[1])}]`);
    const range = config.keyRanges.domain ?? config.objectiveRange ?? { start: 0, end: 1 };
    issues.push({
      severity: 'error',
      code: 'no-minimum',
      range,
      message: `no strict local minimum of the objective in the domain ${box.join(' × ')}: nothing for gradient descent to converge to. Widen "domain" or check the objective (is it bounded below?)`,
    });
    return issues;
  }
  for (const entry of config.learningRates) {
    if (entry.fraction) continue; // fractions ≥ 1 are flagged by parseConfig
    const eta = entry.value;
    const beyond = minima.filter((m) => m.etaMax !== null && eta >= m.etaMax);
    if (beyond.length === 0) continue;
    const etaMaxes = [...new Set(beyond.map((m) => fmt(m.etaMax as number)))];
    let message: string;
    if (beyond.length === minima.length) {
      message = `η = ${fmt(eta)} diverges from every start near the minimum: 2/λ_max = ${etaMaxes.join(', ')}`;
      if (minima.length > 1) message = `η = ${fmt(eta)} diverges from every start near each of the ${minima.length} minima: 2/λ_max = ${etaMaxes.join(', ')}`;
    } else {
      const where = beyond.map((m) => `(${m.point.map((x) => fmt(x)).join(', ')})`).join(', ');
      message = `η = ${fmt(eta)} diverges from every start near the minimum ${where}: 2/λ_max = ${etaMaxes.join(', ')}`;
    }
    issues.push({ severity: 'warning', code: 'lr-threshold', range: entry.range, message });
  }
  return issues;
}

/** The learning-rate entry whose value contains `offset` (or whose key does, for `lr`). */
export function learningRateAt(config: GdlabConfig, offset: number): LearningRateEntry | undefined {
  const inside = (r: SourceRange) => offset >= r.start && offset <= r.end;
  const hit = config.learningRates.find((e) => inside(e.range));
  if (hit) return hit;
  const lrKey = config.keyRanges.lr;
  if (lrKey && inside(lrKey)) return config.learningRates.find((e) => e.key === 'lr');
  return undefined;
}

/** True when `offset` is on the objective's key or value. */
export function isOnObjective(config: GdlabConfig, offset: number): boolean {
  const inside = (r: SourceRange | undefined) => r !== undefined && offset >= r.start && offset <= r.end;
  return inside(config.keyRanges.objective) || inside(config.objectiveRange);
}
