/**
 * Hover text for the optimizers: on the config's "optimizer" key, name and parameters, and the
 * optimizer-specific part of the learning-rate hover (threshold, regime, what a static threshold
 * can and cannot promise for Adam / RMSProp). Pure functions of plain data (no vscode).
 */
import {
  describeOptimizer, isAdaptive, OPTIMIZER_DEFAULTS, OPTIMIZER_PARAMETERS, OPTIMIZER_TITLES, type OptimizerSpec, type ParameterKey,
} from '../engine/optimizers/spec';
import { etaMax, etaMaxRule, oscillatingBand, pointEtaMax, sharpnessLimit, thresholdRule } from '../engine/optimizers/thresholds';
import { fmt, type MinimumLike } from './config';

const UPDATE_RULE: Readonly<Record<OptimizerSpec['name'], string>> = {
  gd: 'θ_{k+1} = θ_k − η∇f(θ_k)',
  momentum: 'θ_{k+1} = θ_k − η∇f(θ_k) + β(θ_k − θ_{k−1})',
  nesterov: 'y_k = θ_k + β(θ_k − θ_{k−1}), θ_{k+1} = y_k − η∇f(y_k) (the map and the loss follow y_k, where the gradient is taken, as PyTorch keeps it)',
  rmsprop: 'v ← β₂v + (1−β₂)g², θ ← θ − η g/(√v̂ + ε)',
  adam: 'm ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − η m̂/(√v̂ + ε)',
};

const CONVERGED: Readonly<Record<OptimizerSpec['name'], string>> = {
  gd: 'Converged = inside Theorem 2\'s certified set (or within 1e-6 of θ* where none exists).',
  momentum: 'Converged = within 1e-6 of θ* with momentum β‖θ_k − θ_{k−1}‖ below 1e-6 too (so a pass through θ* at speed does not count); loss increases are counted up to there, because under momentum the loss keeps rising and falling while it spirals in. The decision is certified when that state lies in the Lyapunov region proven to converge to θ*.',
  nesterov: 'Converged = within 1e-6 of θ* with momentum β‖θ_k − θ_{k−1}‖ below 1e-6 too; loss increases are counted up to there. The decision is certified when that state lies in the Lyapunov region proven to converge to θ*.',
  rmsprop: 'RMSProp at a fixed η does not settle at a point. Converged = entered the ball of radius η√n around θ* and stayed within one maximal step (η/√(1−β₂) per coordinate) for 100 iterates; dated at the entry.',
  adam: 'Adam at a fixed η does not settle at a point. Converged = entered the ball of radius η√n around θ* and stayed within one maximal step for 100 iterates; dated at the entry, so the hovering after it does not count as instability of the approach.',
};

function paramValue(spec: OptimizerSpec, key: ParameterKey): number | boolean | undefined {
  return (spec as unknown as Record<string, number | boolean | undefined>)[key];
}

/** Hover on the "optimizer" key, its name or one of its parameters. */
export function optimizerHoverMarkdown(input: { spec: OptimizerSpec; focus?: ParameterKey | 'name'; eta?: number | null; minima?: readonly MinimumLike[] }): string {
  const { spec } = input;
  const parts: string[] = [];
  parts.push(`**${describeOptimizer(spec)}**: ${UPDATE_RULE[spec.name]}`);
  const focus = input.focus;
  if (focus && focus !== 'name') {
    const info = OPTIMIZER_PARAMETERS[spec.name].find((p) => p.key === focus);
    if (info) {
      const defaults = spec.name === 'gd' ? undefined : (OPTIMIZER_DEFAULTS[spec.name] as Record<string, number | boolean>);
      const def = defaults?.[focus];
      const value = paramValue(spec, focus);
      const show = (v: number | boolean | undefined): string => (typeof v === 'number' ? fmt(v) : String(v));
      parts.push(`**${info.symbol}** = ${show(value)} — ${info.description}. Valid: ${info.range}${def !== undefined ? `; default ${show(def)}` : ''}.`);
    }
  }
  parts.push(`Stability threshold: ${thresholdRule(spec)}.`);
  const eta = input.eta ?? null;
  const minima = input.minima ?? [];
  if (minima.length > 0) {
    if (isAdaptive(spec)) {
      if (eta !== null) parts.push(`At η = ${fmt(eta)} the line is λ_max(P⁻¹∇²f) = ${fmt(sharpnessLimit(spec, eta))}.`);
      parts.push(adaptiveStaticText(spec, eta, minima));
    } else {
      const rows = minima.map((m) => `(${m.point.map((x) => fmt(x)).join(', ')}): λ_max = ${fmt(m.lambdaMax)}, η_max = ${etaMaxRule(spec)} = ${fmt(etaMax(spec, m.lambdaMax) ?? NaN)}`);
      parts.push(`Per minimum: ${rows.join('; ')}.`);
    }
  }
  parts.push(CONVERGED[spec.name]);
  if (focus === 'name' || focus === undefined) parts.push(`Options: ${(['gd', 'momentum', 'nesterov', 'rmsprop', 'adam'] as const).map((n) => `\`${n}\` (${OPTIMIZER_TITLES[n]})`).join(', ')}.`);
  return parts.join('\n\n');
}

/** Adam / RMSProp: what a static threshold can and cannot promise. */
export function adaptiveStaticText(spec: OptimizerSpec, eta: number | null, minima: readonly MinimumLike[]): string {
  const lambdaMax = Math.max(...minima.map((m) => m.lambdaMax));
  const point = pointEtaMax(spec, lambdaMax);
  const title = OPTIMIZER_TITLES[spec.name];
  const below = eta !== null && point !== null && eta < point;
  return (
    `**What a static threshold can promise:** only at the minimum itself, where the gradient and v vanish and P → ε: ${title} can settle *at* θ* only if η < ${etaMaxRule(spec)} = ${point === null ? '—' : fmt(point)} (sharpest minimum)` +
    (eta === null ? '.' : below ? ` — η = ${fmt(eta)} is below it.` : ` — η = ${fmt(eta)} is above it, so the iterate ends up hovering near θ* at the edge of stability, where λ_max(P⁻¹∇²f) sits at the threshold line.`) +
    ` **What it cannot:** P = diag(√v̂ + ε) follows the history of the gradients, so whether a start converges and how much its loss rises on the way depend on the trajectory; the map, and the preconditioned sharpness charted along a trajectory against the line, show it.`
  );
}

/** The optimizer part of the learning-rate hover (replaces GD's regime words for other optimizers). */
export function optimizerRegimeMarkdown(spec: OptimizerSpec, eta: number, minima: readonly MinimumLike[]): string {
  if (isAdaptive(spec)) {
    return `**${describeOptimizer(spec)}**: its threshold is a property of the trajectory — λ_max(P⁻¹∇²f(θ_k)) against (2+2β₁)/((1−β₁)η) = ${fmt(sharpnessLimit(spec, eta))} at η = ${fmt(eta)}.\n\n${adaptiveStaticText(spec, eta, minima)}`;
  }
  const max = Math.min(...minima.map((m) => etaMax(spec, m.lambdaMax) ?? Infinity));
  const lines = [`**${describeOptimizer(spec)}**: η_max = ${etaMaxRule(spec)} = ${fmt(max)}${minima.length > 1 ? ' (smallest over the minima)' : ''}, η/η_max = **${fmt(eta / max, 3)}**.`];
  if (eta >= max) {
    lines.push(`**Beyond the threshold**: the minimum repels the iterate along the sharpest direction — it diverges from every start near the minimum.`);
  } else {
    const band = oscillatingBand(spec);
    const lambdaMax = Math.max(...minima.map((m) => m.lambdaMax));
    const h = eta * lambdaMax;
    if (band && h > band[0] && h < band[1]) {
      lines.push(
        `**Converges near θ*, but not monotonically**: along the sharpest direction ηλ_max = ${fmt(h, 3)} lies in (${fmt(band[0], 3)}, ${fmt(band[1], 3)}), where the linearised iteration spirals in, so the loss rises and falls while it converges — under momentum almost every start is "unstable" in the strict sense (the map counts the increases).`,
      );
    } else {
      lines.push(`**Converges near θ*** (ηλ_max = ${fmt(h, 3)}; below the threshold the linearisation contracts).`);
    }
  }
  lines.push(CONVERGED[spec.name]);
  return lines.join('\n\n');
}

/** "2/λ_max" for GD (the default), the optimizer's own formula otherwise (code lens, status texts). */
export function etaMaxLabel(spec?: OptimizerSpec): string {
  return etaMaxRule(spec ?? { name: 'gd' });
}
