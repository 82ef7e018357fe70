/**
 * A rule's update as a stand-alone function on typed arrays — the very statements the fused
 * loop runs (rule.step), loaded from and stored back to arrays — for the tail of a trajectory,
 * the network of tests and anything else that steps one point at a time.
 */
import type { CompiledObjective } from '../types';
import { range, type OptimizerRule } from './rule';

export interface CompiledStep {
  readonly rule: OptimizerRule;
  readonly n: number;
  /** length of the state vector (stateNames order) */
  readonly stateSize: number;
  /**
   * One update in place: p ← next iterate, state ← next state, given g = ∇f(p) and the step index
   * k (0 for the first update). No allocation.
   */
  step(p: Float64Array, g: Float64Array, state: Float64Array, k: number): void;
}

const cache = new Map<string, CompiledStep>();

export function compileStep(rule: OptimizerRule, n: number): CompiledStep {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`the number of variables must be a positive whole number, got ${n}`);
  const cacheKey = `${rule.key}|${n}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const names = rule.stateNames(n);
  const body = `"use strict";
${range(n).map((i) => `let p${i} = p[${i}]; const g${i} = g[${i}];`).join(' ')}
${names.map((s, j) => `let ${s} = state[${j}];`).join(' ')}
${rule.step(n)}
${range(n).map((i) => `p[${i}] = p${i};`).join(' ')}
${names.map((s, j) => `state[${j}] = ${s};`).join(' ')}`;
  // Generated from the rule's pieces: numeric literals and fixed identifiers only (rule.ts).
  const raw = new Function('p', 'g', 'state', 'k', 'rd', body) as (p: Float64Array, g: Float64Array, state: Float64Array, k: number, rd: Float64Array) => void;
  const table = rule.table ?? new Float64Array(0);
  const compiled: CompiledStep = { rule, n, stateSize: names.length, step: (p, g, state, k) => raw(p, g, state, k, table) };
  if (cache.size > 256) cache.clear();
  cache.set(cacheKey, compiled);
  return compiled;
}

/** Iterates, losses and final state of `steps` updates from `init` (θ_0 … θ_steps; stops early at a non-finite loss). */
export interface OptimizerRun {
  /** (count)·n, row-major */
  theta: Float64Array;
  loss: Float64Array;
  /** iterates recorded (≤ steps + 1) */
  count: number;
  state: Float64Array;
}

/** Runs a rule from `init` for `steps` updates (plain loop over the compiled step; for tests and tails). */
export function runOptimizer(objective: CompiledObjective, rule: OptimizerRule, init: ArrayLike<number>, steps: number): OptimizerRun {
  const n = objective.n;
  if (init.length !== n) throw new RangeError(`the start has ${init.length} coordinates; the objective has ${n} variables`);
  const stepper = compileStep(rule, n);
  const p = Float64Array.from(init);
  const g = new Float64Array(n);
  const state = new Float64Array(stepper.stateSize);
  const theta = new Float64Array((steps + 1) * n);
  const loss = new Float64Array(steps + 1);
  let count = 0;
  for (let k = 0; k <= steps; k++) {
    const f = objective.valueAndGradient(p, g);
    theta.set(p, k * n);
    loss[k] = f;
    count = k + 1;
    if (!Number.isFinite(f) || k === steps) break;
    stepper.step(p, g, state, k);
  }
  return { theta: theta.slice(0, count * n), loss: loss.slice(0, count), count, state };
}
