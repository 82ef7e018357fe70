/**
 * Where is f undefined? Objectives with log, sqrt, acos, 1/x, … are NaN or infinite on part of
 * ℝⁿ; a start that reaches such a point counts as diverged (classify.ts), and the user should be
 * told that the map's "diverged" includes it. Two independent looks, both over each region:
 *
 * - **sampled**: f at {@link DEFINEDNESS_SAMPLES} points (a 64×64 grid of cell centres for two
 *   variables, 1024 for one, a Halton set for more); the fraction where f is NaN or ±∞ and one
 *   such point;
 * - **interval**: every operation whose enclosure over the region (outward-rounded interval
 *   arithmetic, interval.ts) is unbounded although its arguments are bounded — a log, sqrt,
 *   acos, … whose argument may leave its domain, or a division or power whose base may reach 0.
 *   Interval arithmetic over-approximates, so these are operations that could not be *proven*
 *   defined, named so the message can say which.
 */
import { seedPoints } from './criticalSeeds';
import { isBounded, type Interval } from './interval';
import { evalInterval } from './intervalEval';
import type { Box, CompiledObjective, Expr } from './types';

/** sample points per region */
export const DEFINEDNESS_SAMPLES = 4096;

export interface Definedness {
  /** points sampled over all regions */
  samples: number;
  /** fraction of them where f is NaN or ±∞ */
  undefinedFraction: number;
  /** one sampled point where f is not finite, or null */
  example: number[] | null;
  /** operations (e.g. "log", "sqrt", "division") that interval arithmetic could not prove defined on the regions */
  unproven: string[];
}

/** Calls visit(point) for each sample point of the region (one reused buffer). */
function forEachSample(n: number, region: Box, visit: (p: Float64Array) => void): void {
  const lo = region.map((r) => r[0]);
  const width = region.map((r) => r[1] - r[0]);
  const p = new Float64Array(n);
  if (n === 1) {
    for (let i = 0; i < 1024; i++) {
      p[0] = lo[0] + ((i + 0.5) / 1024) * width[0];
      visit(p);
    }
  } else if (n === 2) {
    for (let k = 0; k < 4096; k++) {
      p[0] = lo[0] + (((k % 64) + 0.5) / 64) * width[0];
      p[1] = lo[1] + ((Math.floor(k / 64) + 0.5) / 64) * width[1];
      visit(p);
    }
  } else {
    for (const u of seedPoints(n, DEFINEDNESS_SAMPLES, 3)) {
      for (let i = 0; i < n; i++) p[i] = lo[i] + u[i] * width[i];
      visit(p);
    }
  }
}

const OPERATION_NAME: Partial<Record<Expr['k'], string>> = { div: 'division', pow: 'power' };

/** Operations of e whose enclosure over the box is unbounded while their arguments are bounded. */
function unprovenOperations(e: Expr, box: readonly Interval[]): Set<string> {
  const cache = new Map<Expr, Interval>();
  const out = new Set<string>();
  const seen = new Set<Expr>();
  const walk = (node: Expr): void => {
    if (seen.has(node)) return;
    seen.add(node);
    const args: Expr[] = node.k === 'num' || node.k === 'var' ? [] : node.k === 'neg' || node.k === 'call' ? [node.a] : [node.a, node.b];
    args.forEach(walk);
    if (args.length === 0) return;
    const value = evalInterval(node, box, cache);
    if (!isBounded(value) && args.every((a) => isBounded(evalInterval(a, box, cache)))) {
      out.add(node.k === 'call' ? node.fn : (OPERATION_NAME[node.k] ?? node.k));
    }
  };
  walk(e);
  return out;
}

/** Sampled and interval look at where f is undefined over the regions (module comment). */
export function checkDefinedness(obj: CompiledObjective, regions: readonly Box[]): Definedness {
  let samples = 0;
  let bad = 0;
  let example: number[] | null = null;
  const unproven = new Set<string>();
  for (const region of regions) {
    forEachSample(obj.n, region, (p) => {
      samples++;
      if (!Number.isFinite(obj.value(p))) {
        bad++;
        if (!example) example = Array.from(p);
      }
    });
    const box = region.map(([lo, hi]) => ({ lo, hi }));
    for (const name of unprovenOperations(obj.ir.f, box)) unproven.add(name);
  }
  return { samples, undefinedFraction: samples > 0 ? bad / samples : 0, example, unproven: [...unproven].sort() };
}
