/**
 * Orbit (bifurcation) diagrams of GD against the learning rate (pure).
 *
 * For each start θ_0 and each η: run θ_{k+1} = θ_k − η∇f(θ_k) for `transient` steps, then record
 * `keep` iterates θ_T … θ_{T+keep−1} (the loss and chosen coordinates). Fixed points, cycles of
 * period p, period doubling and chaos show as 1, p or a cloud of values per η.
 *
 * Per (start, η) the orbit is summarised from the recorded window:
 * - **diverged**: f not finite or ‖θ‖ > escapeRadius at some step (values after it are NaN);
 * - **period p** (1 ≤ p ≤ maxPeriod): the smallest p with ‖θ_{k+p} − θ_k‖_∞ ≤
 *   periodTolerance·(1 + ‖θ_k‖_∞) for every recorded k; p = 1 is **converged(j)** when the last
 *   iterate is within minimumTolerance·(1 + ‖θ*_j‖) of minimum j (minimum −1: at a point where
 *   ∇²f is positive semidefinite, i.e. a degenerate minimum or a point of a set of minima such
 *   as xy = 1), else **stationary** (a saddle or a maximum); p ≥ 2 is a **cycle**;
 * - **converging(j)**: not yet within tolerance, but contracting (Lyapunov exponent < 0) and its
 *   distance to minimum j shrinking geometrically towards 0 across the window (critical slowing
 *   down just below η_max, where |1 − ηλ| is close to 1; checked before the period);
 * - **descending**: no period, the loss falls at every recorded step and the Lyapunov exponent is
 *   ≤ 0 (GD still creeping, e.g. along Rosenbrock's valley: not yet decided);
 * - **aperiodic**: bounded and no period up to maxPeriod (chaos when the Lyapunov exponent is > 0).
 *
 * **Finite-time Lyapunov exponent**: the Jacobian of the GD map is J(θ) = I − η∇²f(θ). A tangent
 * vector v (fixed unit start, seeded per start) is carried along from step 0 by v ← J(θ_k)v and
 * renormalised every step; λ = (1/keep)·Σ_{k=T}^{T+keep−1} ln‖J(θ_k)v_k‖ over the recorded steps
 * (natural log, per step). A stable fixed point θ* gives λ = ln max_i |1 − ηλ_i(∇²f(θ*))|, a
 * p-cycle (1/p)·ln of the largest |eigenvalue| of the product of its Jacobians, chaos λ > 0.
 */
import { DEFAULT_CLASSIFY, checkEta, type DynamicsProblem } from '../classify';
import { mulberry32 } from '../random';
import { findPeriod, isDescending, isMinimumLike, nearestMinimum, slowlyConvergingTo } from './orbitStatus';

export { findPeriod, slowlyConvergingTo } from './orbitStatus';

export interface OrbitOptions {
  /** steps run before recording (default 1800) */
  transient: number;
  /** iterates recorded per (start, η) (default 200) */
  keep: number;
  /** coordinate indices recorded besides the loss (default: every variable when n ≤ 4, else none) */
  record?: number[];
  /** largest period looked for (default 64, and at most keep/2) */
  maxPeriod: number;
  /** relative tolerance of the period test (default 1e-6) */
  periodTolerance: number;
  /** relative distance to a minimum for "converged" (default 1e-4) */
  minimumTolerance: number;
  /** ‖θ‖ beyond it counts as diverged (default 1e6, as in the classification) */
  escapeRadius: number;
}

export const DEFAULT_ORBIT: Readonly<Omit<OrbitOptions, 'record'>> = Object.freeze({
  transient: 1800,
  keep: 200,
  maxPeriod: 64,
  periodTolerance: 1e-6,
  minimumTolerance: 1e-4,
  escapeRadius: DEFAULT_CLASSIFY.escapeRadius,
});

/** At most this many recorded numbers per diagram (8 bytes each: 400 MB). */
export const MAX_ORBIT_VALUES = 50_000_000;

export type OrbitStatus = 'converged' | 'converging' | 'descending' | 'stationary' | 'cycle' | 'aperiodic' | 'diverged';

/** The summary of one (start, η) orbit. Plain data. */
export interface OrbitPoint {
  eta: number;
  /** index into the diagram's starts */
  start: number;
  status: OrbitStatus;
  /** 1 for a fixed point, p for a cycle, 0 for converging, aperiodic or diverged */
  period: number;
  /** the minimum converged or converging to, −1 otherwise */
  minimum: number;
  /** finite-time Lyapunov exponent per step (natural log); NaN when diverged, −∞ if the tangent vanished */
  lyapunov: number;
  /** step at which it diverged, −1 if it did not */
  divergedAt: number;
  /** the last iterate computed */
  final: number[];
}

/** Throws when a diagram would record more than MAX_ORBIT_VALUES numbers. */
export function checkOrbitSize(total: number): void {
  if (total > MAX_ORBIT_VALUES) throw new RangeError(`the diagram would record ${total} numbers; at most ${MAX_ORBIT_VALUES} (fewer learning rates, starts or kept steps)`);
}

/** Fills in defaults and checks every option; throws a RangeError naming the bad one. */
export function resolveOrbitOptions(n: number, options: Partial<OrbitOptions> = {}): Required<OrbitOptions> {
  const o: Required<OrbitOptions> = { ...DEFAULT_ORBIT, record: n <= 4 ? Array.from({ length: n }, (_, i) => i) : [], ...stripUndefined(options) };
  const whole = (name: keyof OrbitOptions, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${v}`);
  };
  whole('transient', o.transient, 0, 100_000_000);
  whole('keep', o.keep, 1, 1_000_000);
  whole('maxPeriod', o.maxPeriod, 1, 100_000);
  if (!(o.periodTolerance > 0 && o.periodTolerance < 1)) throw new RangeError(`periodTolerance must be in (0, 1), got ${o.periodTolerance}`);
  if (!(o.minimumTolerance > 0)) throw new RangeError(`minimumTolerance must be positive, got ${o.minimumTolerance}`);
  if (!(o.escapeRadius > 0)) throw new RangeError(`escapeRadius must be positive, got ${o.escapeRadius}`);
  o.record.forEach((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`recorded coordinate ${i} is not a variable index (0..${n - 1})`);
  });
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `count` learning rates evenly spaced from lo to hi (inclusive). */
export function linearEtas(lo: number, hi: number, count: number): number[] {
  checkEta(lo);
  checkEta(hi);
  if (!(lo <= hi)) throw new RangeError(`the learning-rate range [${lo}, ${hi}] is inverted`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`the number of learning rates must be a whole number ≥ 1, got ${count}`);
  if (count === 1) return [lo];
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
}

/** Checks the starts (one full-length finite point each) and the learning rates. */
export function checkOrbitInput(n: number, starts: readonly (readonly number[])[], etas: readonly number[]): void {
  if (starts.length === 0) throw new RangeError('an orbit diagram needs at least one start');
  starts.forEach((s, i) => {
    if (s.length !== n) throw new RangeError(`start ${i + 1} has ${s.length} coordinates; the objective has ${n} variables`);
    s.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new RangeError(`coordinate ${j + 1} of start ${i + 1} is not a finite number`);
    });
  });
  if (etas.length === 0) throw new RangeError('an orbit diagram needs at least one learning rate');
  etas.forEach((eta) => checkEta(eta));
}

/** Recorded channels: the loss, then the recorded coordinates. */
export function orbitChannels(variables: readonly string[], record: readonly number[]): string[] {
  return ['loss', ...record.map((i) => variables[i] ?? `x${i}`)];
}

/**
 * The orbits of `starts` at the learning rates `etas`: one OrbitPoint per (η, start), in that
 * order (η outer), and the recorded values as [η][start][k][channel]. Null if cancel[0] != 0
 * (checked before every orbit and every 4096 steps).
 */
export function computeOrbits(
  problem: DynamicsProblem,
  starts: readonly (readonly number[])[],
  etas: readonly number[],
  options: Partial<OrbitOptions> = {},
  cancel?: Int32Array,
): { points: OrbitPoint[]; values: Float64Array } | null {
  const { compiled, minima } = problem;
  const n = compiled.n;
  checkOrbitInput(n, starts, etas);
  const o = resolveOrbitOptions(n, options);
  const channels = 1 + o.record.length;
  const perOrbit = o.keep * channels;
  const total = etas.length * starts.length * perOrbit;
  checkOrbitSize(total);
  const values = new Float64Array(total);
  const points: OrbitPoint[] = [];
  const x = new Float64Array(n);
  const g = new Float64Array(n);
  const h = new Float64Array(n * n);
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  const window = new Float64Array(o.keep * n);
  const escape2 = o.escapeRadius * o.escapeRadius;
  const steps = o.transient + o.keep;
  const maxPeriod = Math.min(o.maxPeriod, Math.floor(o.keep / 2));
  const tangents = starts.map((_, s) => {
    const rand = mulberry32(0x9e3779b9 ^ (s + 1));
    const t = Float64Array.from({ length: n }, () => rand() - 0.5);
    const norm = Math.hypot(...t) || 1;
    return t.map((c) => c / norm);
  });

  for (let e = 0; e < etas.length; e++) {
    const eta = etas[e];
    for (let s = 0; s < starts.length; s++) {
      if (cancel && Atomics.load(cancel, 0) !== 0) return null;
      x.set(starts[s]);
      v.set(tangents[s]);
      const base = (e * starts.length + s) * perOrbit;
      let divergedAt = -1;
      let logSum = 0;
      let k = 0;
      for (; k < steps; k++) {
        if ((k & 4095) === 4095 && cancel && Atomics.load(cancel, 0) !== 0) return null;
        const f = compiled.valueAndGradient(x, g);
        let x2 = 0;
        for (let i = 0; i < n; i++) x2 += x[i] * x[i];
        if (!Number.isFinite(f) || !(x2 <= escape2)) {
          divergedAt = k;
          break;
        }
        if (k >= o.transient) {
          const r = k - o.transient;
          const at = base + r * channels;
          values[at] = f;
          for (let c = 0; c < o.record.length; c++) values[at + 1 + c] = x[o.record[c]];
          for (let i = 0; i < n; i++) window[r * n + i] = x[i];
        }
        // tangent: w = (I − η H) v, renormalised
        compiled.hessian(x, h);
        let norm2 = 0;
        for (let i = 0; i < n; i++) {
          let hv = 0;
          for (let j = 0; j < n; j++) hv += h[i * n + j] * v[j];
          w[i] = v[i] - eta * hv;
          norm2 += w[i] * w[i];
        }
        const norm = Math.sqrt(norm2);
        if (k >= o.transient) logSum += Math.log(norm);
        if (norm > 0 && Number.isFinite(norm)) for (let i = 0; i < n; i++) v[i] = w[i] / norm;
        for (let i = 0; i < n; i++) x[i] -= eta * g[i];
      }
      let point: OrbitPoint;
      if (divergedAt >= 0) {
        const from = Math.max(0, divergedAt - o.transient);
        values.fill(NaN, base + from * channels, base + perOrbit);
        point = { eta, start: s, status: 'diverged', period: 0, minimum: -1, lyapunov: NaN, divergedAt, final: Array.from(x) };
      } else {
        const period = findPeriod(window, o.keep, n, maxPeriod, o.periodTolerance);
        // `window` ends with θ_{T+keep−1}; x is one step further
        const last = Array.from(window.subarray((o.keep - 1) * n, o.keep * n));
        const lyapunov = logSum / o.keep;
        let status: OrbitStatus = period === 0 ? 'aperiodic' : period === 1 ? 'stationary' : 'cycle';
        let minimum = period === 1 ? nearestMinimum(last, minima, o.minimumTolerance) : -1;
        if (minimum >= 0 || (period === 1 && isMinimumLike(compiled, last, h))) status = 'converged';
        else if (lyapunov < 0) {
          const j = slowlyConvergingTo(window, o.keep, n, minima);
          if (j >= 0) {
            status = 'converging';
            minimum = j;
          }
        }
        if (status === 'aperiodic' && lyapunov <= 0 && isDescending(values, base, channels, o.keep)) status = 'descending';
        point = { eta, start: s, status, period: status === 'converging' ? 0 : period, minimum, lyapunov, divergedAt: -1, final: last };
      }
      points.push(point);
    }
  }
  return { points, values };
}

/**
 * Per start: the smallest η of the diagram at which that start stops converging — a cycle,
 * aperiodic, stationary at a saddle or maximum, or diverged (converging and still-descending
 * orbits do not count) — or null if there is none.
 */
export function firstNonConvergentEtas(points: readonly OrbitPoint[], startCount: number): (number | null)[] {
  const out: (number | null)[] = new Array<number | null>(startCount).fill(null);
  for (const p of points) {
    if (p.status === 'converged' || p.status === 'converging' || p.status === 'descending') continue;
    const cur = out[p.start];
    if (cur === null || p.eta < cur) out[p.start] = p.eta;
  }
  return out;
}

/** A whole orbit diagram as plain data (structured-clone friendly; what CLI, exports and a panel view take). */
export interface OrbitDiagram {
  variables: string[];
  starts: number[][];
  etas: number[];
  /** 'loss' then the recorded coordinates' names */
  channels: string[];
  options: Required<OrbitOptions>;
  /** [η][start][k][channel], k = 0 … keep−1 is iterate transient + k; NaN after a divergence */
  values: Float64Array;
  /** [η][start] */
  points: OrbitPoint[];
  /** the minima with their thresholds η_max = 2/λ_max (to mark on the η axis) */
  minima: { point: number[]; value: number; lambdaMax: number; etaMax: number | null }[];
  /** per start: the smallest η at which it does not converge to a minimum */
  firstNonConvergent: (number | null)[];
}

/** What a diagram needs to know about its problem (an AnalyzedProblem has it; workers send it as data). */
export interface OrbitContext {
  variables: readonly string[];
  minima: readonly { point: number[]; value: number; lambdaMax: number; etaMax: number | null }[];
}

/** The context of a problem, as plain data. */
export function orbitContext(problem: DynamicsProblem): { variables: string[]; minima: OrbitDiagram['minima'] } {
  return {
    variables: [...problem.compiled.variables],
    minima: problem.minima.map((m) => ({ point: [...m.point], value: m.value, lambdaMax: m.lambdaMax, etaMax: m.etaMax })),
  };
}

/** Wraps computed orbits with their context. */
export function assembleOrbitDiagram(
  context: OrbitContext,
  starts: readonly (readonly number[])[],
  etas: readonly number[],
  options: Partial<OrbitOptions>,
  orbits: { points: OrbitPoint[]; values: Float64Array },
): OrbitDiagram {
  const o = resolveOrbitOptions(context.variables.length, options);
  return {
    variables: [...context.variables],
    starts: starts.map((s) => [...s]),
    etas: [...etas],
    channels: orbitChannels(context.variables, o.record),
    options: o,
    values: orbits.values,
    points: orbits.points,
    minima: context.minima.map((m) => ({ point: [...m.point], value: m.value, lambdaMax: m.lambdaMax, etaMax: m.etaMax })),
    firstNonConvergent: firstNonConvergentEtas(orbits.points, starts.length),
  };
}

/** The whole diagram on this thread (the worker pool splits the learning rates instead). Null if cancelled. */
export function orbitDiagram(
  problem: DynamicsProblem,
  starts: readonly (readonly number[])[],
  etas: readonly number[],
  options: Partial<OrbitOptions> = {},
  cancel?: Int32Array,
): OrbitDiagram | null {
  const orbits = computeOrbits(problem, starts, etas, options, cancel);
  return orbits ? assembleOrbitDiagram(orbitContext(problem), starts, etas, options, orbits) : null;
}

/**
 * Starts around a minimum: the minimum itself moved by `radius` along ±e_1 (and ±e_2, … up to
 * `count` points), so GD leaves an unstable fixed point the same way every run.
 */
export function startsNearMinimum(point: readonly number[], radius: number, count = 1): number[][] {
  if (!(radius > 0 && Number.isFinite(radius))) throw new RangeError(`the neighbourhood radius must be a positive number, got ${radius}`);
  if (!Number.isInteger(count) || count < 1 || count > 2 * point.length) throw new RangeError(`the number of starts near a minimum must be from 1 to ${2 * point.length}, got ${count}`);
  return Array.from({ length: count }, (_, k) => {
    const s = [...point];
    s[Math.floor(k / 2)] += k % 2 === 0 ? radius : -radius;
    return s;
  });
}
