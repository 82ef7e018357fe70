/**
 * What the shared optimizer loop (loop.ts) needs to run an optimizer: its update rule and, for
 * every method but GD, its own convergence test (convergence.ts) — with the certified Lyapunov
 * regions of heavy-ball and Nesterov (lyapunov.ts), computed once per (objective, optimizer, η)
 * and cached. GD returns no parts: the loop's default (Theorem 2's certificate) applies.
 */
import { resolveClassifyOptions, type DynamicsProblem } from '../classify';
import type { ClassifyOptions, CompiledObjective } from '../types';
import type { ConvergenceTest } from '../update';
import { convergenceSource } from './convergence';
import { optimizerRule } from './index';
import { certifyMomentumAll, type MomentumCertificateResult } from './lyapunov';
import type { OptimizerRule } from './rule';
import { optimizerKey, type OptimizerSpec } from './spec';

export interface LoopParts {
  rule: OptimizerRule;
  convergence: ConvergenceTest;
  /** heavy-ball / Nesterov: the certified region per minimum (null for the adaptive methods) */
  momentumCertificates: MomentumCertificateResult[] | null;
}

const certificateCache = new WeakMap<CompiledObjective, Map<string, MomentumCertificateResult[]>>();

/** Heavy-ball / Nesterov regions for every minimum at η (cached per objective, minima, optimizer and η). */
export function momentumCertificates(problem: DynamicsProblem, spec: OptimizerSpec, eta: number): MomentumCertificateResult[] {
  let perObjective = certificateCache.get(problem.compiled);
  if (!perObjective) {
    perObjective = new Map();
    certificateCache.set(problem.compiled, perObjective);
  }
  const key = JSON.stringify([optimizerKey(spec), eta, problem.minima.map((m) => m.point)]);
  let results = perObjective.get(key);
  if (!results) {
    results = certifyMomentumAll(problem, spec, eta);
    if (perObjective.size > 64) perObjective.clear();
    perObjective.set(key, results);
  }
  return results;
}

/** The loop parts of `spec` at η, or null for gradient descent (the loop's own default). */
export function loopParts(problem: DynamicsProblem, spec: OptimizerSpec | undefined, eta: number, options: Partial<ClassifyOptions>): LoopParts | null {
  if (!spec || spec.name === 'gd') return null;
  const o = resolveClassifyOptions(options);
  const rule = optimizerRule(spec, eta);
  const n = problem.compiled.n;
  const certificates = spec.name === 'momentum' || spec.name === 'nesterov' ? momentumCertificates(problem, spec, eta) : null;
  const targets = problem.minima.map((m, j) => ({ minimum: j, center: m.point, sharpness: m.lambdaMax }));
  const convergence = convergenceSource(rule, n, targets, o.fallbackTolerance, certificates);
  if (!convergence) throw new Error(`internal: no convergence test for ${spec.name}`);
  return { rule, convergence, momentumCertificates: certificates };
}
