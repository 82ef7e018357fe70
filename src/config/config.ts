/**
 * Config file text (*.gdlab.json / *.gdlab.yaml) → a validated problem, with the source range of
 * every key and value so every problem can be pointed at. One vocabulary, shared with the JSON
 * Schema (schemas/gdlab.schema.json), the CLI, the hover and the README: the validators in
 * ./validators (one per key family, listed in ./validators/registry.ts).
 *
 * Pure: no vscode, no I/O. Problems that need the minima (lr ≥ 2/λ_max, no minimum in the domain)
 * come from `analysisIssues` once the analysis is known.
 */
import { problemSpec } from '../engine/ir';
import { describeOptimizer, isAdaptive, type OptimizerSpec, type ParameterKey } from '../engine/optimizers/spec';
import { etaMax as optimizerEtaMax, etaMaxRule } from '../engine/optimizers/thresholds';
import type { SourceRange } from '../engine/types';
import { CONFIG_LIMITS, type ConfigIssue, type GdlabConfig, type LearningRateEntry } from './configTypes';
import { fmt } from './format';
import { checkTopLevelKeys } from './keys';
import { parsePositionTree, contentRangeToDocument, type ConfigFormat } from './tree';
import { clampRange, describe, ValidationContext } from './validators/context';
import { VALIDATORS } from './validators/registry';
import { oneLine } from './userText';

export { CONFIG_LIMITS, type ConfigIssue, type ConfigKey, type GdlabConfig, type LearningRateEntry, type Severity } from './configTypes';
export { CONFIG_KEYS, VALIDATORS } from './validators/registry';
export { nearestKey } from './keys';
export { fmt } from './format';

/** A range in the objective's text (an ExpressionError's) → document offsets. */
export function objectiveRangeToDocument(config: GdlabConfig, r: SourceRange): SourceRange {
  if (!config.objectiveSource) return config.objectiveRange ?? { start: 0, end: 1 };
  return contentRangeToDocument(config.objectiveSource, r);
}

function emptyConfig(format: ConfigFormat): GdlabConfig {
  return { format, issues: [], fatal: true, spec: null, parsed: null, learningRates: [], starts: [], keyRanges: {}, valueRanges: {} };
}

/**
 * Parses and validates a config. Never throws: every problem becomes an issue whose range lies
 * inside the text and whose message is one line; an unexpected failure becomes one such issue.
 */
export function parseConfig(text: string, format: ConfigFormat): GdlabConfig {
  try {
    return validate(text, format);
  } catch (e) {
    const result = emptyConfig(format);
    const message = e instanceof RangeError ? 'the config is too deeply nested or too large to read' : `the config could not be read (${e instanceof Error ? e.message : String(e)})`;
    result.issues.push({ severity: 'error', code: 'internal', range: clampRange({ start: 0, end: 1 }, text.length), message: oneLine(message) });
    return result;
  }
}

/** First offset of a NUL character (UTF-16 or binary files read as UTF-8 are full of them), or -1. */
function firstNul(text: string): number {
  return text.indexOf('\u0000');
}

function validate(text: string, format: ConfigFormat): GdlabConfig {
  const result = emptyConfig(format);
  const fail = (range: SourceRange, message: string, code: string): GdlabConfig => {
    result.issues.push({ severity: 'error', code, range: clampRange(range, text.length), message: oneLine(message) });
    return result;
  };
  if (text.length > CONFIG_LIMITS.maxTextLength) {
    return fail({ start: CONFIG_LIMITS.maxTextLength, end: text.length }, `the config is too large (${text.length} characters; at most ${CONFIG_LIMITS.maxTextLength}): a config holds an objective and a few settings`, 'too-large');
  }
  const nul = firstNul(text);
  if (nul >= 0) {
    const utf16 = nul <= 3 || text.charCodeAt(0) === 0xfffd;
    return fail({ start: nul, end: nul + 1 }, utf16
      ? 'the file looks like UTF-16 (it has NUL characters): save it as UTF-8'
      : 'the file has a NUL character: is it a text file? A config is UTF-8 text', 'encoding');
  }

  const tree = parsePositionTree(text, format);
  for (const e of tree.syntaxErrors) result.issues.push({ severity: 'error', code: 'syntax', range: clampRange(e.range, text.length), message: oneLine(e.message) });
  const root = tree.root;
  if (!root || root.kind !== 'object') {
    if (tree.syntaxErrors.length === 0) {
      fail(root?.range ?? { start: 0, end: 1 }, `a GD Stability Lab config is an object with at least "objective" (found ${root ? describe(root) : 'an empty file'})`, 'not-object');
    }
    return result;
  }

  const ctx = new ValidationContext(text, root, result);
  checkTopLevelKeys(ctx);
  for (const validator of VALIDATORS) validator.validate(ctx);

  // recoverable syntax problems (e.g. a missing comma) still leave a problem to analyse
  if (ctx.parsed && ctx.domain && ctx.domainOk) {
    result.fatal = false;
    result.spec = problemSpec(ctx.parsed, ctx.domain); // carries the parsed objective (ir) for the workers
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

/**
 * The smallest threshold η_max over the minima (null if there is none): 2/λ_max for GD (the
 * default), the optimizer's own static threshold otherwise (2(1+β)/λ_max for heavy-ball, …);
 * null for Adam and RMSProp, whose threshold depends on the trajectory.
 */
export function smallestEtaMax(minima: readonly MinimumLike[], optimizer?: OptimizerSpec): number | null {
  let best: number | null = null;
  for (const m of minima) {
    const e = !optimizer || optimizer.name === 'gd' ? m.etaMax : optimizerEtaMax(optimizer, m.lambdaMax);
    if (e !== null && Number.isFinite(e) && (best === null || e < best)) best = e;
  }
  return best;
}

/** A minimum's static threshold under the config's optimizer (null: none / adaptive). */
function minimumEtaMax(m: MinimumLike, optimizer?: OptimizerSpec): number | null {
  return !optimizer || optimizer.name === 'gd' ? m.etaMax : optimizerEtaMax(optimizer, m.lambdaMax);
}

/** η of a learning-rate entry (fractions are of the smallest η_max; null if unknown yet). */
export function resolveEta(entry: LearningRateEntry, etaMax: number | null): number | null {
  if (!entry.fraction) return entry.value;
  return etaMax === null ? null : entry.value * etaMax;
}

/** Default η when a config gives none: 0.8·η_max (one of the paper's fractions). */
export const DEFAULT_LR_FRACTION = 0.8;

/** Default η for Adam and RMSProp when a config gives none (they have no static η_max to take a fraction of). */
export const DEFAULT_ADAPTIVE_LR = 0.01;

/**
 * The η shown first: `lr`, else the first listed, else 0.8·η_max (DEFAULT_ADAPTIVE_LR for Adam
 * and RMSProp); null if none can be known.
 */
export function primaryEta(config: GdlabConfig, etaMax: number | null): number | null {
  const first = config.learningRates.find((e) => e.key === 'lr') ?? config.learningRates[0];
  if (first) return resolveEta(first, etaMax);
  if (config.optimizer && isAdaptive(config.optimizer)) return DEFAULT_ADAPTIVE_LR;
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
export function analysisIssues(
  config: GdlabConfig,
  minima: readonly MinimumLike[],
  /** the analysis' other critical points: degenerate ones with no negative curvature may be a set of minima */
  criticalPoints: readonly { kind: string; semidefinite?: boolean }[] = [],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!config.spec) return issues;
  if (minima.length === 0) {
    const box = (config.spec.domain ?? []).map((r) => `[${fmt(r[0])}, ${fmt(r[1])}]`);
    const range = config.keyRanges.domain ?? config.objectiveRange ?? { start: 0, end: 1 };
    if (criticalPoints.some((p) => p.kind === 'degenerate' && p.semidefinite === true)) {
      // a curve (or surface) of minima, e.g. (1 − xy)²: GD converging onto it is convergence
      issues.push({
        severity: 'information',
        code: 'no-minimum',
        range,
        message: `no strict local minimum in the domain ${box.join(' × ')}, but a set of minima (degenerate critical points with no negative curvature, e.g. a curve of minima): starts converging onto it count as converged; there is no single threshold 2/λ_max`,
      });
      return issues;
    }
    issues.push({
      severity: 'error',
      code: 'no-minimum',
      range,
      message: `no strict local minimum of the objective in the domain ${box.join(' × ')}: nothing for gradient descent to converge to. Widen "domain" or check the objective (is it bounded below?)`,
    });
    return issues;
  }
  const optimizer = config.optimizer;
  if (optimizer && isAdaptive(optimizer)) return issues; // no static threshold to compare η with
  const who = !optimizer || optimizer.name === 'gd' ? 'GD' : describeOptimizer(optimizer);
  const rule = etaMaxRule(optimizer ?? { name: 'gd' });
  for (const entry of config.learningRates) {
    if (entry.fraction) continue; // fractions ≥ 1 are flagged by parseConfig
    const eta = entry.value;
    const beyond = minima.map((m) => ({ m, max: minimumEtaMax(m, optimizer) })).filter((x) => x.max !== null && eta >= x.max);
    if (beyond.length === 0) continue;
    const etaMaxes = [...new Set(beyond.map((x) => fmt(x.max as number)))];
    const subject = who === 'GD' ? `η = ${fmt(eta)}` : `η = ${fmt(eta)} (${who})`;
    let message: string;
    if (beyond.length === minima.length) {
      message = `${subject} diverges from every start near the minimum: ${rule} = ${etaMaxes.join(', ')}`;
      if (minima.length > 1) message = `${subject} diverges from every start near each of the ${minima.length} minima: ${rule} = ${etaMaxes.join(', ')}`;
    } else {
      const where = beyond.map((x) => `(${x.m.point.map((v) => fmt(v)).join(', ')})`).join(', ');
      message = `${subject} diverges from every start near the minimum ${where}: ${rule} = ${etaMaxes.join(', ')}`;
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

/**
 * What of the "optimizer" setting is at `offset`: 'name' (the key or the name), a parameter key,
 * or undefined when the offset is elsewhere.
 */
export function optimizerPartAt(config: GdlabConfig, offset: number): 'name' | ParameterKey | undefined {
  const inside = (r: SourceRange | undefined) => r !== undefined && offset >= r.start && offset <= r.end;
  const ranges = config.optimizerRanges;
  if (!ranges) return inside(config.keyRanges.optimizer) ? 'name' : undefined;
  for (const [key, r] of Object.entries(ranges.params) as [ParameterKey, { key: SourceRange; value: SourceRange }][]) {
    if (inside(r.key) || inside(r.value)) return key;
  }
  if (inside(ranges.name) || inside(config.keyRanges.optimizer)) return 'name';
  return undefined;
}

/** True when `offset` is on the objective's key or value. */
export function isOnObjective(config: GdlabConfig, offset: number): boolean {
  const inside = (r: SourceRange | undefined) => r !== undefined && offset >= r.start && offset <= r.end;
  return inside(config.keyRanges.objective) || inside(config.objectiveRange);
}
