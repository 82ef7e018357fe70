/**
 * Attractors the window leads to: minima reached by descent from starts inside the searched
 * regions, wherever they lie. The critical-point search (critical.ts) only reports points inside
 * the box; a minimum just outside it still attracts GD from the map (e.g. (x−5)² + 2(y+4)² + xy/10
 * on [−3, 3]²), and a narrow basin inside it can be missed by the seeds.
 *
 * From each seed (a jittered grid of {@link DISCOVERY_STARTS} points per region, seeded), a
 * monotone descent: a Newton step when the Hessian is positive definite (Cholesky succeeds),
 * else a gradient step scaled by 1/‖∇²f‖_F, shortened to at most 1/16 of the region's width per
 * coordinate (so the descent stays in the basin it starts in), with Armijo backtracking (sufficient decrease
 * 1e-4·t·∇f·d, up to 60 halvings), at most {@link DISCOVERY_ITERATIONS} steps. A descent that
 * moves more than 1e6 region widths from its region, or meets a non-finite value, is abandoned
 * (f unbounded below or undefined). Where it stops it is polished with Newton steps and checked
 * against floating point (stationary.ts): a verified stationary point with a positive definite
 * Hessian and finite 2/λ_max is a strict minimum. New ones (not the same point as a known
 * minimum, by resolution) are returned, with `outside: true` when they lie outside every region.
 * Deterministic for a seed; independent of η (all workers find the same list). Beyond 20
 * variables (matrix-free, as the critical-point search) the Newton step comes from conjugate
 * gradients on ∇²f·v products and a descent stops once it is within JOIN_DISTANCE of the region's
 * widths of a known minimum.
 */
import { JOIN_DISTANCE, matrixFree } from './critical';
import { seedPoints } from './criticalSeeds';
import { allFinite, CglsScratch, conjugateGradient, type CgResult } from './krylov';
import { choleskySolve } from './linalg';
import { scaledNorm } from './roundoff';
import { checkPoint, samePoint, toCriticalPoint } from './stationary';
import type { Box, CompiledObjective, CriticalPoint } from './types';

/** seeds per region */
export const DISCOVERY_STARTS = 64;
/** descent steps per seed */
export const DISCOVERY_ITERATIONS = 300;

/** Is x inside the box, up to 1e-7 of the width per coordinate? */
export function insideBox(x: ArrayLike<number>, box: Box): boolean {
  for (let i = 0; i < box.length; i++) {
    const slack = 1e-7 * (box[i][1] - box[i][0]);
    if (!(x[i] >= box[i][0] - slack && x[i] <= box[i][1] + slack)) return false;
  }
  return true;
}

/**
 * The descent direction at x: writes d and returns the slope ∇f·d (negative for a descent
 * direction), or null when the start is to be abandoned (a non-finite Hessian). The Newton step
 * when ∇²f is positive definite, else −∇f scaled by 1/‖∇²f‖.
 */
type Direction = (x: Float64Array, g: Float64Array, d: Float64Array) => number | null;
/** A Newton step d = −∇²f⁻¹∇f at x when ∇²f is positive definite (true), else false (d undefined). */
type NewtonStep = (x: Float64Array, g: Float64Array, d: Float64Array) => boolean;

/** Dense: the Hessian matrix, a Cholesky solve, ‖∇²f‖_F. */
function denseSteps(obj: CompiledObjective): { direction: Direction; newton: NewtonStep } {
  const n = obj.n;
  const h = new Float64Array(n * n);
  const a = new Float64Array(n * n);
  const rhs = new Float64Array(n);
  const work = new Float64Array(n * n + n);
  return {
    direction: (x, g, d) => {
      obj.hessian(x, h);
      if (!allFinite(h)) return null;
      a.set(h);
      for (let i = 0; i < n; i++) rhs[i] = -g[i];
      let slope = 0;
      if (choleskySolve(a, rhs, n, d, work)) {
        for (let i = 0; i < n; i++) slope += g[i] * d[i];
      }
      if (!(slope < 0)) {
        const scale = scaledNorm(h) || 1;
        slope = 0;
        for (let i = 0; i < n; i++) {
          d[i] = -g[i] / scale;
          slope += g[i] * d[i];
        }
      }
      return slope;
    },
    newton: (x, g, d) => {
      obj.hessian(x, h);
      for (let i = 0; i < n; i++) rhs[i] = -g[i];
      return allFinite(h) && choleskySolve(h, rhs, n, d, work);
    },
  };
}

/**
 * Matrix-free (many variables, krylovSolver.ts): conjugate gradients on ∇²f·v products — a
 * direction of non-positive curvature means "not positive definite" — and ‖∇²f ĝ‖ (ĝ = ∇f/‖∇f‖)
 * as the scale of the gradient step.
 */
function matrixFreeSteps(obj: CompiledObjective): { direction: Direction; newton: NewtonStep } {
  const n = obj.n;
  const hvp = obj.hessianVectorProduct as NonNullable<CompiledObjective['hessianVectorProduct']>;
  const at = new Float64Array(n);
  const rhs = new Float64Array(n);
  const hv = new Float64Array(n);
  const scratch = new CglsScratch(n);
  const apply = (v: Float64Array, out: Float64Array): void => hvp.call(obj, at, v, out);
  const iterations = Math.max(10, n);
  const solve = (x: Float64Array, g: Float64Array, d: Float64Array): CgResult => {
    at.set(x);
    for (let i = 0; i < n; i++) rhs[i] = -g[i];
    return conjugateGradient(apply, rhs, d, scratch, iterations, 1e-12);
  };
  return {
    direction: (x, g, d) => {
      const cg = solve(x, g, d);
      if (!cg.ok) return null;
      let slope = 0;
      if (!cg.indefinite) for (let i = 0; i < n; i++) slope += g[i] * d[i];
      if (!(slope < 0)) {
        const gn = scaledNorm(g);
        for (let i = 0; i < n; i++) rhs[i] = g[i] / (gn || 1);
        apply(rhs, hv);
        const hn = scaledNorm(hv);
        if (!Number.isFinite(hn)) return null;
        const scale = hn || 1;
        slope = 0;
        for (let i = 0; i < n; i++) {
          d[i] = -g[i] / scale;
          slope += g[i] * d[i];
        }
      }
      return slope;
    },
    newton: (x, g, d) => {
      const cg = solve(x, g, d);
      return cg.ok && !cg.indefinite;
    },
  };
}

/**
 * Monotone descent from x (in place); false when abandoned, 'known' when `near` says it has come
 * near a known minimum (matrix-free only: the rest of the way leads there).
 */
function descend(obj: CompiledObjective, x: Float64Array, region: Box, direction: Direction, near?: (x: Float64Array) => boolean): boolean | 'known' {
  const n = obj.n;
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const trial = new Float64Array(n);
  const gTrial = new Float64Array(n);
  const far = region.map(([lo, hi]) => 1e6 * (hi - lo) + Math.max(Math.abs(lo), Math.abs(hi)));
  const width = region.map(([lo, hi]) => hi - lo);
  let f = obj.valueAndGradient(x, g);
  if (!Number.isFinite(f) || !allFinite(g)) return false;
  for (let it = 0; it < DISCOVERY_ITERATIONS; it++) {
    if (scaledNorm(g) === 0) return true;
    const slope = direction(x, g, d);
    if (slope === null) return false;
    if (!(slope < 0)) return true;
    // a trust region of 1/16 of the region per coordinate: the descent follows the basin it
    // starts in (as gradient flow would) instead of jumping across the landscape
    let reach = 0;
    for (let i = 0; i < n; i++) reach = Math.max(reach, (16 * Math.abs(d[i])) / width[i]);
    let t = reach > 1 ? 1 / reach : 1;
    let accepted = false;
    for (let halvings = 0; halvings < 60; halvings++, t *= 0.5) {
      let moved = false;
      for (let i = 0; i < n; i++) {
        trial[i] = x[i] + t * d[i];
        if (trial[i] !== x[i]) moved = true;
      }
      if (!moved) return true; // no representable step left: stopped at a stationary point
      const fTrial = obj.valueAndGradient(trial, gTrial);
      if (Number.isFinite(fTrial) && allFinite(gTrial) && fTrial <= f + 1e-4 * t * slope) {
        accepted = true;
        f = fTrial;
        x.set(trial);
        g.set(gTrial);
        break;
      }
    }
    if (!accepted) return true;
    for (let i = 0; i < n; i++) if (!(Math.abs(x[i]) <= far[i])) return false;
    if (near && near(x)) return 'known';
  }
  return true;
}

/** Newton polish while ‖∇f‖ decreases (at most 8 steps). */
function polish(obj: CompiledObjective, x: Float64Array, newton: NewtonStep): void {
  const n = obj.n;
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const trial = new Float64Array(n);
  const gTrial = new Float64Array(n);
  if (!Number.isFinite(obj.valueAndGradient(x, g))) return;
  let gn = scaledNorm(g);
  for (let it = 0; it < 8 && gn > 0; it++) {
    if (!newton(x, g, d)) return;
    for (let i = 0; i < n; i++) trial[i] = x[i] + d[i];
    if (!Number.isFinite(obj.valueAndGradient(trial, gTrial)) || !allFinite(gTrial)) return;
    const next = scaledNorm(gTrial);
    if (!(next < gn)) return;
    x.set(trial);
    g.set(gTrial);
    gn = next;
  }
}

/**
 * Strict minima reached by descent from `regions` that are not in `known` (see the module
 * comment). Sorted by value then coordinates.
 */
export function discoverMinima(obj: CompiledObjective, regions: readonly Box[], known: readonly CriticalPoint[], seed = 1): CriticalPoint[] {
  const n = obj.n;
  if (n === 0) return [];
  const found: { x: Float64Array; resolution: number; cp: CriticalPoint }[] = [];
  const isKnown = (x: Float64Array, resolution: number): boolean =>
    known.some((m) => m.kind === 'minimum' && samePoint(m.point, m.resolution ?? 0, x, resolution)) ||
    found.some((m) => samePoint(m.x, m.resolution, x, resolution));
  const free = matrixFree(obj);
  const steps = free ? matrixFreeSteps(obj) : denseSteps(obj);
  for (const region of regions) {
    const lo = region.map((r) => r[0]);
    const width = region.map((r) => r[1] - r[0]);
    // matrix-free (many variables): a descent within JOIN_DISTANCE of the region of a known strict minimum stops
    const near = (x: Float64Array): boolean => {
      const close = (p: ArrayLike<number>): boolean => {
        for (let i = 0; i < n; i++) if (!(Math.abs(p[i] - x[i]) <= JOIN_DISTANCE * width[i])) return false;
        return true;
      };
      return known.some((m) => m.kind === 'minimum' && close(m.point)) || found.some((m) => close(m.x));
    };
    for (const u of seedPoints(n, DISCOVERY_STARTS, seed + 7919)) {
      const x = Float64Array.from(u, (ui, i) => lo[i] + ui * width[i]);
      const outcome = descend(obj, x, region, steps.direction, free ? near : undefined);
      if (outcome === false || outcome === 'known') continue;
      polish(obj, x, steps.newton);
      // already known within its resolution: known whatever this point's own resolution (no check needed)
      if (isKnown(x, 0)) continue;
      const check = checkPoint(obj, x);
      if (!check || check.kind !== 'minimum' || !check.stationary) continue;
      if (isKnown(x, check.resolution)) continue;
      const cp = toCriticalPoint(x, check);
      if (!regions.some((r) => insideBox(x, r))) cp.outside = true;
      found.push({ x, resolution: check.resolution, cp });
    }
  }
  return found.map((e) => e.cp).sort((a, b) => a.value - b.value || a.point[0] - b.point[0]);
}
