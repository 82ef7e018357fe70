/**
 * What a view needs to show an optimizer's thresholds and convergence regions for one problem
 * and η, as plain data (it crosses worker and webview boundaries): the threshold line, per
 * minimum the static η_max (none for Adam / RMSProp) and the η below which the iterate can settle
 * at the minimum itself, the certified momentum regions, the neighbourhood radii of the adaptive
 * methods.
 */
import { resolveClassifyOptions, type DynamicsProblem } from '../classify';
import type { ClassifyOptions } from '../types';
import { NEIGHBOURHOOD_WINDOW, neighbourhoodRadii } from './convergence';
import { optimizerRule } from './index';
import type { MomentumCertificateResult } from './lyapunov';
import { momentumCertificates } from './loopParts';
import { describeOptimizer, isAdaptive, type OptimizerSpec } from './spec';
import { etaMax, etaMaxRule, pointEtaMax, sharpnessLimit, thresholdRule } from './thresholds';

export interface OptimizerAnalysis {
  spec: OptimizerSpec;
  /** e.g. "Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, bias correction on)" */
  description: string;
  eta: number;
  /** the threshold line at η: λ_max(∇²f) must stay below it, or λ_max(P⁻¹∇²f) when `preconditioned` */
  sharpnessLimit: number;
  preconditioned: boolean;
  /** the rule in words, e.g. "λ_max < 2(1+β)/η = 3.8/η" */
  rule: string;
  /** the static threshold's formula, e.g. "2(1+β)/λ_max" (for Adam / RMSProp: the point threshold's) */
  etaMaxRule: string;
  /** per minimum (index j): the static η_max (null for Adam / RMSProp) and the largest η at which the iterate can settle at θ*_j */
  perMinimum: { etaMax: number | null; pointEtaMax: number | null }[];
  /** heavy-ball / Nesterov: the certified convergence region per minimum (lyapunov.ts); null otherwise */
  momentumCertificates: MomentumCertificateResult[] | null;
  /** Adam / RMSProp: the neighbourhood convergence test (convergence.ts); null otherwise */
  neighbourhood: { inner: number; outer: number; window: number } | null;
}

export function optimizerAnalysis(problem: DynamicsProblem, spec: OptimizerSpec, eta: number, options: Partial<ClassifyOptions> = {}): OptimizerAnalysis {
  const o = resolveClassifyOptions(options);
  const momentum = spec.name === 'momentum' || spec.name === 'nesterov';
  return {
    spec,
    description: describeOptimizer(spec),
    eta,
    sharpnessLimit: sharpnessLimit(spec, eta),
    preconditioned: isAdaptive(spec),
    rule: thresholdRule(spec),
    etaMaxRule: etaMaxRule(spec),
    perMinimum: problem.minima.map((m) => ({ etaMax: etaMax(spec, m.lambdaMax), pointEtaMax: pointEtaMax(spec, m.lambdaMax) })),
    momentumCertificates: momentum ? momentumCertificates(problem, spec, eta) : null,
    neighbourhood: isAdaptive(spec) ? { ...neighbourhoodRadii(optimizerRule(spec, eta), problem.compiled.n, o.fallbackTolerance), window: NEIGHBOURHOOD_WINDOW } : null,
  };
}
