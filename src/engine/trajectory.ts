/**
 * One GD trajectory with everything the panel draws (Figure 3): per iterate θ_k, f(θ_k),
 * ‖∇f(θ_k)‖, the sharpness λ_max(∇²f(θ_k)) and whether the loss increased, plus the outcome
 * under the classification contract (classify.ts). The loop is the basin kernel's own generated
 * loop (runStepper), so a trajectory and the map pixel of the same start always agree.
 */
import { runStepper, stepConstants } from './basin';
import { certifyAll } from './certificate';
import { checkEta, resolveClassifyOptions, type DynamicsProblem } from './classify';
import { eigen2x2Max, symmetricEigenvalues } from './linalg';
import { PixelClass, type CertificateResult, type ClassifyOptions, type Outcome } from './types';

export interface TrajectoryResult {
  n: number;
  /** iterates θ_0..θ_steps (including the tail) */
  steps: number;
  /** (steps+1)*n, row-major */
  theta: Float64Array;
  /** length steps+1 each */
  loss: Float64Array;
  gradNorm: Float64Array;
  sharpness: Float64Array;
  /** increased[k] = 1 iff f(θ_k) − f(θ_{k−1}) exceeds the round-off guard (k ≥ 1; tail included) */
  increased: Uint8Array;
  outcome: Outcome;
  /** length of the unstable phase: index of the last increase before the decision + 1 (0 if none) */
  K: number;
  /** increases counted before the decision */
  increases: number;
  /** smallest k with increased[k] = 1 (before the decision) */
  firstIncreaseAt: number | null;
  /** first k with θ_k in a certified region */
  enteredCertifiedAt: number | null;
  /** the k at which the outcome was decided (steps − decidedAt = tail length) */
  decidedAt: number;
}

/** Largest trajectory recorded (iterates), to bound memory. */
export const MAX_TRAJECTORY_STEPS = 1_000_000;

function sharpnessOf(h: Float64Array, n: number): number {
  if (n === 1) return h[0];
  if (n === 2) return eigen2x2Max(h[0], h[1], h[3]);
  const ev = symmetricEigenvalues(h, n);
  return ev[n - 1];
}

/**
 * GD from `init` at learning rate `eta`, classified per DESIGN.md §1. `certificates` (of this η)
 * are computed when not given. `tailSteps` (default 0) keeps iterating that many steps after a
 * converged/other decision, for drawing (stopped early if the iterate becomes non-finite).
 */
export function trajectory(
  problem: DynamicsProblem,
  eta: number,
  init: ArrayLike<number>,
  options: Partial<ClassifyOptions> & { certificates?: CertificateResult[]; tailSteps?: number } = {},
): TrajectoryResult {
  checkEta(eta);
  const { compiled } = problem;
  const n = compiled.n;
  if (init.length !== n) throw new RangeError(`the start has ${init.length} coordinates; the objective has ${n} variables (${compiled.variables.join(', ')})`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(init[i])) throw new RangeError(`start coordinate ${compiled.variables[i] ?? i} is not a finite number`);
  const classify = resolveClassifyOptions(options);
  const tailSteps = options.tailSteps ?? 0;
  if (!Number.isInteger(tailSteps) || tailSteps < 0) throw new RangeError(`tailSteps must be a non-negative whole number, got ${tailSteps}`);
  if (classify.maxSteps + tailSteps > MAX_TRAJECTORY_STEPS) throw new RangeError(`at most ${MAX_TRAJECTORY_STEPS} steps can be recorded`);
  const certificates = options.certificates ?? certifyAll(problem, eta);
  const constants = stepConstants(problem, eta, classify, certificates);

  const capacity = classify.maxSteps + tailSteps + 1;
  const theta = new Float64Array(capacity * n);
  const loss = new Float64Array(capacity);
  const gradNorm = new Float64Array(capacity);
  const sharpness = new Float64Array(capacity);
  const increased = new Uint8Array(capacity);
  const hess = new Float64Array(n * n);
  const point = new Float64Array(n);

  const record = (k: number, f: number, values: ArrayLike<number>, offset: number): void => {
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const v = values[offset + i];
      theta[k * n + i] = v;
      point[i] = v;
      const g = values[offset + n + i];
      g2 += g * g;
    }
    loss[k] = f;
    gradNorm[k] = Math.sqrt(g2);
    if (Number.isFinite(f)) {
      compiled.hessian(point, hess);
      sharpness[k] = sharpnessOf(hess, n);
    } else {
      sharpness[k] = NaN;
    }
    if (k > 0 && f - loss[k - 1] > constants.guard * Math.abs(loss[k - 1]) + constants.guardScale) increased[k] = 1;
  };

  const result = runStepper(problem, constants, init, (k, f, ...rest) => record(k, f, rest, 0));
  const decidedAt = result.steps;
  let outcome: Outcome;
  switch (result.cls) {
    case PixelClass.Stable:
      outcome = { kind: 'stable', minimum: result.minimum };
      break;
    case PixelClass.Unstable:
      outcome = { kind: 'unstable', minimum: result.minimum };
      break;
    case PixelClass.Diverged:
      outcome = { kind: 'diverged' };
      break;
    case PixelClass.Other:
      outcome = { kind: 'other' };
      break;
    default:
      outcome = { kind: 'not_converged' };
  }

  // Tail: keep stepping after a final convergence decision, for drawing.
  let last = decidedAt;
  if (tailSteps > 0 && (outcome.kind === 'stable' || outcome.kind === 'unstable' || outcome.kind === 'other')) {
    const x = Float64Array.from(result.theta);
    const g = new Float64Array(n);
    const values = new Float64Array(2 * n);
    let f = compiled.valueAndGradient(x, g);
    for (let s = 0; s < tailSteps; s++) {
      for (let i = 0; i < n; i++) x[i] = x[i] - eta * g[i];
      f = compiled.valueAndGradient(x, g);
      if (!Number.isFinite(f)) break;
      last++;
      values.set(x, 0);
      values.set(g, n);
      record(last, f, values, 0);
    }
  }

  let firstIncreaseAt: number | null = null;
  for (let k = 1; k <= decidedAt; k++) {
    if (increased[k]) {
      firstIncreaseAt = k;
      break;
    }
  }
  const steps = last;
  return {
    n,
    steps,
    theta: theta.slice(0, (steps + 1) * n),
    loss: loss.slice(0, steps + 1),
    gradNorm: gradNorm.slice(0, steps + 1),
    sharpness: sharpness.slice(0, steps + 1),
    increased: increased.slice(0, steps + 1),
    outcome,
    K: result.lastIncrease < 0 ? 0 : result.lastIncrease + 1,
    increases: result.increases,
    firstIncreaseAt,
    enteredCertifiedAt: result.certified ? decidedAt : null,
    decidedAt,
  };
}
