/**
 * The Markdown of the learning-rate and objective hovers and the status bar text, as pure
 * functions of plain data (no vscode), so they are unit-tested in plain Node.
 */
import type { Definedness } from '../engine/definedness';
import type { OptimizerSpec } from '../engine/optimizers/spec';
import type { CertificateResult } from '../engine/types';
import { fmt, smallestEtaMax, type MinimumLike } from './config';
import { optimizerRegimeMarkdown } from './optimizerHover';

/** A minimum as the hovers show it: `outside` when it lies outside the searched domain (reached by descent from it). */
type HoverMinimum = MinimumLike & { outside?: boolean };

/** Where η stands relative to a threshold η_max = 2/λ_max. */
export type RegimeKind = 'monotone' | 'oscillating' | 'beyond';

export interface Regime {
  kind: RegimeKind;
  /** a few words, for the status bar */
  short: string;
  /** one or two sentences, for the hover */
  words: string;
}

/**
 * The regime in words. With q = η/η_max = ηλ_max/2:
 * - q < 1/2 (η < 1/λ_max): GD contracts along every Hessian direction without overshooting, so
 *   near θ* the loss falls at every step — stable everywhere near θ*;
 * - 1/2 ≤ q < 1: GD overshoots along the sharpest direction; starts near θ* still converge
 *   stably (Theorem 2) but farther starts may converge only after the loss oscillates —
 *   unstable convergence possible;
 * - q ≥ 1: beyond the threshold — θ* repels GD along the sharpest direction, so GD diverges
 *   from every start near the minimum.
 */
export function regimeOf(eta: number, etaMax: number): Regime {
  const q = eta / etaMax;
  if (q >= 1) {
    return {
      kind: 'beyond',
      short: 'beyond the threshold',
      words: `**Beyond the threshold** (η ≥ 2/λ_max): GD cannot converge to θ* — it diverges from every start near the minimum.`,
    };
  }
  if (q >= 0.5) {
    return {
      kind: 'oscillating',
      short: 'unstable convergence possible',
      words: `**Unstable convergence possible** (1/λ_max ≤ η < 2/λ_max): GD overshoots along the sharpest direction. Starts near θ* converge with the loss falling at every step; starts farther away may converge only after the loss oscillates.`,
    };
  }
  return {
    kind: 'monotone',
    short: 'stable near θ*',
    words: `**Stable everywhere near θ*** (η < 1/λ_max): GD does not overshoot along any Hessian direction there, so the loss falls at every step near the minimum.`,
  };
}

/** Area fractions of the configured domain at one η (fractions of all pixels). */
export interface FractionsSummary {
  stable: number;
  unstable: number;
  diverged: number;
  notConverged: number;
  other: number;
  /** classes 5–7: on a cycle, bounded aperiodic (chaotic), still descending at the step limit */
  cycle?: number;
  aperiodic?: number;
  descending?: number;
  /** the step limit the fractions were computed with (for the "raise maxSteps" advice) */
  maxSteps?: number;
  /** share of starts with any loss increase, and the mean number over the converged starts (when counted) */
  anyIncrease?: number;
  meanIncreases?: number;
  /** converged to a point of a set of minima (non-isolated), and to a strict minimum the search did not list */
  minimumSet?: number;
  unlisted?: number;
  /** pixels per side of the map they were computed on */
  grid: number;
}

export type Pending<T> = T | 'pending' | undefined;

export interface LearningRateHoverInput {
  eta: number;
  /** set when the value was written as a fraction of η_max (lrFractions) */
  writtenFraction?: number;
  variables: readonly string[];
  minima: readonly HoverMinimum[];
  /** Theorem 2 certificates at this η, one per minimum, if known */
  certificates?: Pending<readonly CertificateResult[]>;
  fractions?: Pending<FractionsSummary>;
  /** a failure of the background computation, shown instead of the fractions */
  fractionsError?: string;
  /** the command link "Open basin map at η = …" */
  openCommand?: { command: string; args: unknown };
  /** the config's optimizer (absent: gradient descent) */
  optimizer?: OptimizerSpec;
  /** the search found degenerate critical points with no negative curvature: possibly a set of minima (a curve, a surface) */
  setOfMinima?: boolean;
  /** where f is undefined on the domain (the analysis' sampled and interval look) */
  definedness?: Definedness;
}

/** A `command:` URI with JSON-encoded arguments (what MarkdownString command links expect). */
export function commandUri(command: string, args: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([args]))}`;
}

const pct = (x: number): string => `${(100 * x).toFixed(x > 0 && x < 0.001 ? 2 : 1)} %`;

function point(p: readonly number[]): string {
  return `(${p.map((x) => fmt(x)).join(', ')})`;
}

function certificateFor(certs: readonly CertificateResult[], j: number): CertificateResult | undefined {
  return certs.find((c) => (c.ok ? c.certificate.minimum : c.minimum) === j);
}

/** Markdown table of minima: point, f, λ_max, 2/λ_max, and (when η given) η/η_max and t′. */
export function minimaTable(minima: readonly HoverMinimum[], eta?: number, certificates?: Pending<readonly CertificateResult[]>): string {
  const withEta = eta !== undefined;
  const header = ['minimum θ*', 'f(θ*)', 'λ_max', '2/λ_max'];
  if (withEta) header.push('η/(2/λ_max)', 'certified radius t′');
  const rows = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  minima.forEach((m, j) => {
    const cells = [point(m.point) + (m.outside ? ' (outside the domain)' : ''), fmt(m.value), fmt(m.lambdaMax), m.etaMax === null ? '—' : fmt(m.etaMax)];
    if (withEta) {
      cells.push(m.etaMax === null ? '—' : fmt(eta / m.etaMax, 3));
      if (m.etaMax !== null && eta >= m.etaMax) cells.push('none (η ≥ 2/λ_max)');
      else if (certificates === 'pending') cells.push('computing…');
      else if (!certificates) cells.push('—');
      else {
        const c = certificateFor(certificates, j);
        cells.push(!c ? '—' : c.ok ? fmt(c.certificate.tPrime, 3) : `not certified (${c.reason})`);
      }
    }
    rows.push(`| ${cells.join(' | ')} |`);
  });
  return rows.join('\n');
}

/** Hover on a learning rate. */
export function learningRateHoverMarkdown(input: LearningRateHoverInput): string {
  const { eta, minima } = input;
  const parts: string[] = [];
  const etaMax = smallestEtaMax(minima);
  const written = input.writtenFraction !== undefined ? ` (written as ${fmt(input.writtenFraction)}·η_max)` : '';
  if (etaMax === null) {
    parts.push(`**Learning rate η = ${fmt(eta)}**${written}`);
    parts.push(input.setOfMinima
      ? `No strict local minimum in the domain, so there is no single threshold 2/λ_max — but a **set of minima** (degenerate critical points with no negative curvature, e.g. a curve of minima): GD converging onto it counts as convergence, and it can settle only where the sharpness λ_max ≤ 2/η = ${fmt(2 / eta)}.`
      : 'No strict local minimum in the domain, so there is no threshold 2/λ_max to compare η with.');
    parts.push(...caseNotes(input));
    if (input.openCommand) parts.push(openLink(eta, input.openCommand));
    return parts.join('\n\n');
  }
  const optimizer = input.optimizer && input.optimizer.name !== 'gd' ? input.optimizer : null;
  if (optimizer) {
    // the optimizer's own threshold and regime; Theorem 2's certificate is GD's, so no t′ column
    parts.push(`**Learning rate η = ${fmt(eta)}**${written}`);
    parts.push(optimizerRegimeMarkdown(optimizer, eta, minima));
    parts.push(minimaTable(minima));
  } else {
    const ratio = eta / etaMax;
    parts.push(`**Learning rate η = ${fmt(eta)}**${written} · η/η_max = **${fmt(ratio, 3)}** (η_max = 2/λ_max = ${fmt(etaMax)}${minima.length > 1 ? ', the smallest over the minima' : ''})`);
    parts.push(regimeOf(eta, etaMax).words);
    parts.push(minimaTable(minima, eta, input.certificates));
  }
  const certs = input.certificates;
  if (!optimizer && certs && certs !== 'pending' && certs.some((c) => c.ok)) {
    parts.push('t′: radius of Theorem 2\'s certified set U = {‖θ−θ*‖ < t′, f(θ) < c}, from which GD never leaves and the loss falls at every step.');
  }
  parts.push(...caseNotes(input));
  if (input.openCommand) parts.push(openLink(eta, input.openCommand));
  return parts.join('\n\n');
}

function openLink(eta: number, open: { command: string; args: unknown }): string {
  return `[$(graph) Open basin map at η = ${fmt(eta)}](${commandUri(open.command, open.args)} "Open the basin map of this config at η = ${fmt(eta)}")`;
}

/**
 * The learning-rate hover's fractions and the cases a user's own function runs into, in words:
 * minima outside the domain, starts converging to a set of minima or to an unlisted minimum,
 * "still descending" (raise `maxSteps`), and where f is undefined.
 */
function caseNotes(input: LearningRateHoverInput): string[] {
  const parts: string[] = [];
  const optimizer = input.optimizer && input.optimizer.name !== 'gd' ? input.optimizer : null;
  const outside = input.minima.filter((m) => m.outside).length;
  if (outside > 0) parts.push(`${outside} of the minima lie${outside === 1 ? 's' : ''} **outside the domain** (marked in the table): gradient descent from the domain leads there, so the map counts starts reaching ${outside === 1 ? 'it' : 'them'} as converged.`);
  const f = input.fractions;
  if (input.fractionsError) parts.push(`Area fractions: could not be computed (${input.fractionsError}).`);
  else if (f === 'pending') parts.push('Area fractions of the domain: computing… (hover again in a moment)');
  else if (f) {
    const named: [string, number | undefined][] = [
      ['diverged', f.diverged], ['on a cycle', f.cycle], ['bounded aperiodic (chaotic)', f.aperiodic], ['still descending', f.descending],
      ['not converged', f.notConverged], ['stalled at a saddle or maximum', f.other],
    ];
    parts.push(
      `Starts in the domain (${f.grid}×${f.grid} grid): **stable ${pct(f.stable)}**, **unstable ${pct(f.unstable)}**` +
        named.filter(([, v]) => v !== undefined && v > 0).map(([name, v]) => `, ${name} ${pct(v as number)}`).join(''),
    );
    if (optimizer && f.anyIncrease !== undefined && f.meanIncreases !== undefined) {
      parts.push(`Loss increases: ${pct(f.anyIncrease)} of the starts had at least one before their outcome was decided; converged starts had ${fmt(f.meanIncreases, 3)} on average (an increase is a rise beyond the round-off guard; equal losses are not increases).`);
    }
    if ((f.minimumSet ?? 0) > 0) {
      parts.push(`${pct(f.minimumSet as number)} of the starts converge to a **set of minima** (non-isolated minima, e.g. a curve): counted as stable or unstable convergence; the panel's "Sharpness at the limit" layer shows λ_max where each lands, against 2/η = ${fmt(2 / input.eta)}.`);
    }
    if ((f.unlisted ?? 0) > 0) parts.push(`${pct(f.unlisted as number)} of the starts converge to a strict minimum the search did not list.`);
    if ((f.descending ?? 0) >= 0.05) {
      parts.push(`${pct(f.descending as number)} of the starts are **still descending** after ${f.maxSteps ?? 'maxSteps'} steps: raise \`maxSteps\` in the config${f.maxSteps ? ` (e.g. \`"maxSteps": ${Math.min(1_000_000, Math.max(f.maxSteps * 10, 1000))}\`)` : ''} to decide them.`);
    }
  }
  const undefinedText = definednessNote(input.definedness);
  if (undefinedText) parts.push(undefinedText);
  return parts;
}

/** Hover on the objective: the normalised expression, the minima and their thresholds. */
export function objectiveHoverMarkdown(input: {
  normalized: string;
  variables: readonly string[];
  minima: readonly HoverMinimum[];
  /** where f is undefined on the domain (the analysis' sampled and interval look) */
  definedness?: Definedness;
  /** saddles / maxima / degenerate points found, for one line of context */
  otherCriticalPoints?: number;
  domain?: readonly (readonly [number, number])[];
  openCommand?: { command: string; args: unknown; eta: number };
}): string {
  const parts: string[] = [];
  parts.push(`**Objective** \`f(${input.variables.join(', ')}) = ${input.normalized.replace(/`/g, '')}\``);
  if (input.domain) {
    parts.push(`Domain: ${input.domain.map((r, k) => `${input.variables[k] ?? `x${k + 1}`} ∈ [${fmt(r[0])}, ${fmt(r[1])}]`).join(', ')}`);
  }
  if (input.minima.length === 0) {
    parts.push('**No strict local minimum in the domain.** Widen the domain or check that the objective is bounded below.');
  } else {
    const etaMax = smallestEtaMax(input.minima);
    parts.push(`${input.minima.length} strict local minim${input.minima.length === 1 ? 'um' : 'a'}; GD can converge to θ* only if η < 2/λ_max(θ*)${etaMax !== null ? ` (η_max = ${fmt(etaMax)})` : ''}.`);
    parts.push(minimaTable(input.minima));
  }
  if (input.otherCriticalPoints) parts.push(`Also ${input.otherCriticalPoints} other critical point${input.otherCriticalPoints === 1 ? '' : 's'} (saddles, maxima or degenerate).`);
  const outside = input.minima.filter((m) => m.outside).length;
  if (outside > 0) parts.push(`${outside} of the minima lie${outside === 1 ? 's' : ''} outside the domain: gradient descent from the domain leads there.`);
  const note = definednessNote(input.definedness);
  if (note) parts.push(note);
  if (input.openCommand) {
    parts.push(`[$(graph) Open basin map at η = ${fmt(input.openCommand.eta)}](${commandUri(input.openCommand.command, input.openCommand.args)})`);
  }
  return parts.join('\n\n');
}

/** Status bar text and tooltip for the active config. */
export function statusBarText(eta: number | null, minima: readonly MinimumLike[], optimizer?: OptimizerSpec): { text: string; tooltip: string; kind: RegimeKind | 'none' } {
  if (optimizer && (optimizer.name === 'rmsprop' || optimizer.name === 'adam') && eta !== null && minima.length > 0) {
    const name = optimizer.name === 'adam' ? 'Adam' : 'RMSProp';
    return {
      text: `$(graph) ${name} η ${fmt(eta)}`,
      tooltip: `GD Stability Lab: ${name} at η = ${fmt(eta)}; its threshold depends on the trajectory (preconditioned sharpness). Click to open the basin map.`,
      kind: 'oscillating',
    };
  }
  const etaMax = smallestEtaMax(minima, optimizer);
  if (etaMax === null || eta === null) {
    return { text: '$(graph) GD: no minimum', tooltip: 'GD Stability Lab: no strict local minimum in the domain. Click to open the panel.', kind: 'none' };
  }
  const regime = regimeOf(eta, etaMax);
  return {
    text: `$(graph) η/η_max ${fmt(eta / etaMax, 3)} · ${regime.short}`,
    tooltip: `GD Stability Lab: η = ${fmt(eta)}, η_max = ${optimizer && optimizer.name !== 'gd' ? '' : '2/λ_max = '}${fmt(etaMax)}. Click to open the basin map.`,
    kind: regime.kind,
  };
}

/** The hover's sentence on where f is undefined, or null when it is defined everywhere it was looked at. */
export function definednessNote(d: Definedness | undefined): string | null {
  if (!d) return null;
  if (d.undefinedFraction > 0) {
    return `**f is undefined** (NaN or ±∞) on about ${pct(d.undefinedFraction)} of the domain (sampled at ${d.samples} points${d.example ? `, e.g. at ${point(d.example)}` : ''}); starts that reach such points count as **diverged**.`;
  }
  if (d.unproven.length > 0) {
    return `f may be undefined at some points of the domain (${d.unproven.join(', ')} could not be proven defined there); starts that reach such points count as **diverged**.`;
  }
  return null;
}

/** "stable/unstable fractions" summary from BasinStats-like data. */
export function fractionsFromStats(
  stats: {
    stable: number; unstable: number; diverged: number; notConverged: number; other: number; cycle?: number; aperiodic?: number; descending?: number;
    increases?: { anyIncrease: number; meanConverged: number };
    minimumSet?: { stable: number; unstable: number }; unlisted?: { stable: number; unstable: number };
  },
  grid: number,
  maxSteps?: number,
): FractionsSummary {
  const out: FractionsSummary = { stable: stats.stable, unstable: stats.unstable, diverged: stats.diverged, notConverged: stats.notConverged, other: stats.other, grid };
  if (stats.increases) {
    out.anyIncrease = stats.increases.anyIncrease;
    out.meanIncreases = stats.increases.meanConverged;
  }
  if (stats.minimumSet) out.minimumSet = stats.minimumSet.stable + stats.minimumSet.unstable;
  if (stats.unlisted) out.unlisted = stats.unlisted.stable + stats.unlisted.unstable;
  if (stats.cycle !== undefined) out.cycle = stats.cycle;
  if (stats.aperiodic !== undefined) out.aperiodic = stats.aperiodic;
  if (stats.descending !== undefined) out.descending = stats.descending;
  if (maxSteps !== undefined) out.maxSteps = maxSteps;
  return out;
}
