/**
 * A validated config (or a selection) plus its analysis → the AnalysisSession the panel shows,
 * and the 2-D slice a session maps. Pure: no vscode, no I/O.
 */
import type { AnalysisSession } from '../shared/session';
import type { Box, SliceSpec } from '../engine/types';
import { isAdaptive } from '../engine/optimizers/spec';
import { DEFAULT_ADAPTIVE_LR, DEFAULT_LR_FRACTION, resolvedLearningRates, smallestEtaMax, type GdlabConfig, type MinimumLike } from './config';

/** Values that come from the user's settings when the config does not give them. */
export interface SessionDefaults {
  grid: number;
  maxSteps: number;
  roundoffGuard: number;
}

export const BUILTIN_DEFAULTS: SessionDefaults = { grid: 256, maxSteps: 2000, roundoffGuard: 1e-12 };

/**
 * Builds the session of a config. `minima` resolves `lrFractions` (fractions of the smallest
 * η_max of the config's optimizer) and the default η (0.8·η_max; 0.01 for Adam and RMSProp)
 * when no learning rate is written. Returns null when the
 * config has no usable problem, or gives no learning rate and there is no minimum to derive one.
 */
export function sessionFromConfig(
  config: GdlabConfig,
  minima: readonly MinimumLike[],
  defaults: SessionDefaults,
  extra: { title?: string; sourceUri?: string } = {},
): AnalysisSession | null {
  if (!config.spec) return null;
  // the optimizer's own threshold (2(1+β)/λ_max for heavy-ball, …; none for Adam / RMSProp)
  const etaMax = smallestEtaMax(minima, config.optimizer);
  // the lists (learningRates, lrFractions) in the order written; `lr` is the η shown first
  const learningRates = resolvedLearningRates({ ...config, learningRates: config.learningRates.filter((e) => e.key !== 'lr') }, etaMax);
  const lrEntry = config.learningRates.find((e) => e.key === 'lr');
  let eta: number | undefined = lrEntry?.value ?? learningRates[0];
  if (eta === undefined) {
    if (config.optimizer && isAdaptive(config.optimizer)) eta = DEFAULT_ADAPTIVE_LR;
    else if (etaMax === null) return null;
    else eta = DEFAULT_LR_FRACTION * etaMax;
  }
  const variables = config.spec.variables ?? [];
  const session: AnalysisSession = {
    title: config.name ?? extra.title ?? config.spec.expression,
    problem: config.spec,
    eta,
    learningRates,
    starts: config.starts,
    grid: config.grid ?? defaults.grid,
    maxSteps: config.maxSteps ?? defaults.maxSteps,
    roundoffGuard: config.tolerance ?? defaults.roundoffGuard,
  };
  if (config.optimizer && config.optimizer.name !== 'gd') session.optimizer = config.optimizer;
  if (config.axes) session.axes = config.axes;
  else if (variables.length >= 2) session.axes = [variables[0] as string, variables[1] as string];
  const fixed = defaultFixedValues(variables, session.axes, minima);
  if (config.fixed) Object.assign(fixed, config.fixed);
  if (session.axes) for (const a of session.axes) delete fixed[a];
  // a plain object for the session (it is cloned to workers and the webview); fromEntries defines
  // own properties, so even a variable named "__proto__" stays a value, not a prototype
  if (Object.keys(fixed).length > 0) session.fixed = Object.fromEntries(Object.entries(fixed));
  if (extra.sourceUri !== undefined) session.sourceUri = extra.sourceUri;
  return session;
}

/** Values of the non-axis variables: the first minimum's coordinates (0 when there is none). */
export function defaultFixedValues(variables: readonly string[], axes: readonly string[] | undefined, minima: readonly MinimumLike[]): Record<string, number> {
  // keyed by variable names (user text): a null-prototype map, so "__proto__" is an ordinary key
  const fixed = Object.create(null) as Record<string, number>;
  const first = minima[0];
  variables.forEach((v, k) => {
    if (axes?.includes(v)) return;
    fixed[v] = first ? (first.point[k] ?? 0) : 0;
  });
  return fixed;
}

/**
 * The slice a session maps: axes by name (default the first two variables), the other variables
 * at `session.fixed` (default the first minimum), ranges from the domain, `grid` pixels per side.
 */
export function sliceForSession(session: AnalysisSession, variables: readonly string[], domain: Box, minima: readonly MinimumLike[], grid = session.grid): SliceSpec {
  const axisNames = session.axes ?? [variables[0] ?? '', variables[1] ?? variables[0] ?? ''];
  let ax = variables.indexOf(axisNames[0]);
  let ay = variables.indexOf(axisNames[1]);
  if (ax < 0) ax = 0;
  if (ay < 0) ay = variables.length > 1 ? 1 : 0;
  const base = variables.map((v, k) => session.fixed?.[v] ?? minima[0]?.point[k] ?? 0);
  const xRange = domain[ax] ?? [-3, 3];
  const yRange = domain[ay] ?? [-3, 3];
  return { axes: [ax, ay], base, xRange: [xRange[0], xRange[1]], yRange: [yRange[0], yRange[1]], width: grid, height: grid };
}
