/**
 * Linear-stability thresholds of each optimizer — the one source of truth for the engine, the
 * CLI, the hover, the panel and the network trainer.
 *
 * Linearise the update at a minimum θ* with Hessian H (eigenvalue λ): each eigen-direction is a
 * linear recurrence, stable iff the roots of its characteristic polynomial lie inside the unit
 * circle (Jury's conditions |c| < 1 and |b| < 1 + c for z² − bz + c):
 * - GD, x' = (1 − ηλ)x:                                          ηλ < 2;
 * - heavy-ball β, z² − (1 + β − ηλ)z + β:                         ηλ < 2(1 + β);
 * - Nesterov β, z² − (1 − ηλ)(1 + β)z + (1 − ηλ)β:               ηλ < (2 + 2β)/(1 + 2β);
 * - Adam β₁ (RMSProp: β₁ = 0) with the preconditioner P = diag(√v̂ + ε) frozen: in the variable
 *   P^½θ the step is heavy-ball on P^-½HP^-½ with learning rate η(1 − β₁) and momentum β₁, so
 *   z² − (1 + β₁ − (1 − β₁)ημ)z + β₁ per eigenvalue μ of P⁻¹H:     ημ < (2 + 2β₁)/(1 − β₁)
 *   (38/η at β₁ = 0.9, 2/η for RMSProp; Cohen et al. 2022, "Adaptive gradient methods at the edge
 *   of stability").
 * For GD, momentum and Nesterov the threshold is a number per minimum (from λ_max(θ*)). For Adam
 * and RMSProp P depends on the history, so the threshold is a line the preconditioned sharpness
 * λ_max(P⁻¹∇²f(θ_k)) is compared with along a trajectory. One static statement remains: at the
 * minimum itself the gradient, hence v, vanishes and P → ε, so the iterate can settle *at* θ*
 * only if λ_max(θ*)/ε < (2 + 2β₁)/((1 − β₁)η), i.e. η < (2 + 2β₁)ε/((1 − β₁)λ_max) — tiny for
 * the usual ε = 1e-8. Above it the method hovers near θ* where P⁻¹H sits at the threshold.
 */
import { isAdaptive, type OptimizerSpec } from './spec';

/** GD: λ_max(H) < 2/η. */
export function gdSharpnessLimit(eta: number): number {
  return 2 / eta;
}

/** Heavy-ball momentum β: λ_max(H) < 2(1 + β)/η. */
export function heavyBallSharpnessLimit(eta: number, beta: number): number {
  return (2 * (1 + beta)) / eta;
}

/** Nesterov momentum β: λ_max(H) < (2 + 2β)/((1 + 2β)η). */
export function nesterovSharpnessLimit(eta: number, beta: number): number {
  return (2 + 2 * beta) / ((1 + 2 * beta) * eta);
}

/** Adam β₁ (RMSProp: β₁ = 0), frozen preconditioner P: λ_max(P⁻¹H) < (2 + 2β₁)/((1 − β₁)η). */
export function adaptiveSharpnessLimit(eta: number, beta1: number): number {
  return (2 + 2 * beta1) / ((1 - beta1) * eta);
}

/** The momentum-like coefficient of the linearised recurrence (β, β₁, or 0). */
function momentumOf(spec: OptimizerSpec): number {
  switch (spec.name) {
    case 'gd':
    case 'rmsprop':
      return 0;
    case 'momentum':
    case 'nesterov':
      return spec.beta;
    case 'adam':
      return spec.beta1;
  }
}

/**
 * The threshold line at learning rate η: λ_max(∇²f) must stay below it (GD, momentum, Nesterov),
 * or λ_max(P⁻¹∇²f) for Adam and RMSProp ({@link isAdaptive}).
 */
export function sharpnessLimit(spec: OptimizerSpec, eta: number): number {
  switch (spec.name) {
    case 'gd':
      return gdSharpnessLimit(eta);
    case 'momentum':
      return heavyBallSharpnessLimit(eta, spec.beta);
    case 'nesterov':
      return nesterovSharpnessLimit(eta, spec.beta);
    case 'rmsprop':
    case 'adam':
      return adaptiveSharpnessLimit(eta, momentumOf(spec));
  }
}

/** sharpnessLimit · η: the threshold as a bound on ηλ (2, 2(1+β), (2+2β)/(1+2β), (2+2β₁)/(1−β₁)). */
export function scaledLimit(spec: OptimizerSpec): number {
  return sharpnessLimit(spec, 1);
}

/**
 * The static learning-rate threshold of a minimum with largest Hessian eigenvalue λ_max: the
 * largest η at which the linearisation at θ* is stable. null for Adam and RMSProp (whose
 * threshold depends on the trajectory; see {@link pointEtaMax}) and for λ_max ≤ 0.
 */
export function etaMax(spec: OptimizerSpec, lambdaMax: number): number | null {
  if (!(lambdaMax > 0) || !Number.isFinite(lambdaMax) || isAdaptive(spec)) return null;
  return scaledLimit(spec) / lambdaMax;
}

/**
 * The largest η at which an iterate can settle at the minimum itself: etaMax for GD, momentum and
 * Nesterov; for Adam / RMSProp the preconditioner at θ* is P = ε, so (2 + 2β₁)ε/((1 − β₁)λ_max).
 * null for λ_max ≤ 0.
 */
export function pointEtaMax(spec: OptimizerSpec, lambdaMax: number): number | null {
  if (!(lambdaMax > 0) || !Number.isFinite(lambdaMax)) return null;
  if (isAdaptive(spec)) return (scaledLimit(spec) * spec.epsilon) / lambdaMax;
  return scaledLimit(spec) / lambdaMax;
}

/** The static threshold as a formula in λ_max: "2/λ_max", "2(1+β)/λ_max", "(2+2β)/((1+2β)λ_max)"; for Adam / RMSProp the point threshold. */
export function etaMaxRule(spec: OptimizerSpec): string {
  switch (spec.name) {
    case 'gd':
      return '2/λ_max';
    case 'momentum':
      return '2(1+β)/λ_max';
    case 'nesterov':
      return '(2+2β)/((1+2β)λ_max)';
    case 'rmsprop':
      return '2ε/λ_max';
    case 'adam':
      return '(2+2β₁)ε/((1−β₁)λ_max)';
  }
}

/** Short text of the threshold rule, e.g. "λ_max < 2(1+β)/η = 3.8/η". */
export function thresholdRule(spec: OptimizerSpec): string {
  const c = Number(scaledLimit(spec).toPrecision(6));
  switch (spec.name) {
    case 'gd':
      return 'λ_max < 2/η';
    case 'momentum':
      return `λ_max < 2(1+β)/η = ${c}/η`;
    case 'nesterov':
      return `λ_max < (2+2β)/((1+2β)η) = ${c}/η`;
    case 'rmsprop':
      return 'λ_max(P⁻¹∇²f) < 2/η along the trajectory';
    case 'adam':
      return `λ_max(P⁻¹∇²f) < (2+2β₁)/((1−β₁)η) = ${c}/η along the trajectory`;
  }
}

/** The smallest static threshold over minima with the given λ_max (null: none, or Adam / RMSProp). */
export function smallestEtaMaxOf(lambdaMaxes: readonly number[], spec: OptimizerSpec): number | null {
  let best: number | null = null;
  for (const l of lambdaMaxes) {
    const e = etaMax(spec, l);
    if (e !== null && (best === null || e < best)) best = e;
  }
  return best;
}

/**
 * Where the linearised recurrence has complex roots (the iterate spirals in, so along that
 * direction the loss rises and falls while converging): the interval of ηλ, or null.
 * Heavy-ball: ((1 − √β)², (1 + √β)²) ∩ stable range; Nesterov: (((1 − β)/(1 + β))², 1).
 */
export function oscillatingBand(spec: OptimizerSpec): [number, number] | null {
  if (spec.name === 'momentum' && spec.beta > 0) {
    const r = Math.sqrt(spec.beta);
    return [(1 - r) ** 2, Math.min((1 + r) ** 2, scaledLimit(spec))];
  }
  if (spec.name === 'nesterov' && spec.beta > 0) return [((1 - spec.beta) / (1 + spec.beta)) ** 2, 1];
  return null;
}
