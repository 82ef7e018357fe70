/**
 * One GD trajectory with everything the panel draws (Figure 3): per iterate θ_k, f(θ_k),
 * ‖∇f(θ_k)‖, the sharpness λ_max(∇²f(θ_k)) and whether the loss increased, plus the outcome
 * under the classification contract (classify.ts: steps and K are defined there). The loop is the
 * basin kernel's own generated loop (runStepper), so a trajectory and the map pixel of the same
 * start always agree.
 *
 * The finite-time Lyapunov exponent: the tangent map of GD is J_k = I − η∇²f(θ_k); from a fixed
 * unit vector v_0 = (1, …, 1)/√n, v_{k+1} = J_k v_k / ‖J_k v_k‖ and
 * Λ = (1/(m)) Σ log ‖J_k v_k‖ over the last m = ⌈steps/2⌉ steps before the decision (the first
 * half is discarded as transient). Λ < 0: nearby starts converge together (a minimum, a stable
 * cycle); Λ ≈ 0: quasi-periodic; Λ > 0: chaos (nearby starts separate like e^{Λk}). Computed for
 * GD only (the other optimizers' tangent maps act on their whole state).
 *
 * Other optimizers (options.optimizer, src/engine/optimizers): the same loop with their update
 * rule and convergence test; the threshold line is theirs (sharpnessLimit), and for Adam and
 * RMSProp the preconditioned sharpness λ_max(P⁻¹∇²f(θ_k)) of the step taken from θ_k is recorded
 * too, to compare with that line. The tail continues with the optimizer's state.
 */
import { runStepper, stepConstants } from './basin';
import { certifyAll } from './certificate';
import { checkEta, resolveClassifyOptions, type DynamicsProblem } from './classify';
import { eigen2x2Max, symmetricEigenvalues } from './linalg';
import { GD, preconditioner, preconditionedSharpness, sharpnessLimit, type OptimizerSpec } from './optimizers';
import { loopParts } from './optimizers/loopParts';
import { compileStep } from './optimizers/stepper';
import { MinimumCode, PixelClass, type CertificateResult, type ClassifyOptions, type Outcome } from './types';

export interface TrajectoryResult {
  n: number;
  /** the index k of the iterate at which the outcome was decided (classify.ts) */
  steps: number;
  /** iterates recorded after the decision, for drawing (the arrays hold steps + tail + 1 iterates) */
  tail: number;
  /** (steps+tail+1)*n, row-major */
  theta: Float64Array;
  /** length steps+tail+1 each */
  loss: Float64Array;
  gradNorm: Float64Array;
  sharpness: Float64Array;
  /** increased[k] = 1 iff f(θ_k) − f(θ_{k−1}) exceeds the round-off guard (k ≥ 1; tail included) */
  increased: Uint8Array;
  outcome: Outcome;
  /** the index of the last loss increase up to the decision, 0 if none (classify.ts) */
  K: number;
  /** increases counted before the decision */
  increases: number;
  /** smallest k with increased[k] = 1 (before the decision) */
  firstIncreaseAt: number | null;
  /** first k with θ_k in a certified region */
  enteredCertifiedAt: number | null;
  /** λ_max(∇²f) at the point converged to (NaN when not converged) — compare with 2/η */
  limitSharpness: number;
  /** finite-time Lyapunov exponent over the second half of the run (module comment); null if not computable or not GD */
  lyapunov: number | null;
  /** the optimizer that ran */
  optimizer: OptimizerSpec;
  /** its threshold line at η: λ_max(∇²f) < it (GD 2/η, heavy-ball 2(1+β)/η, …), λ_max(P⁻¹∇²f) < it for Adam / RMSProp */
  sharpnessLimit: number;
  /** Adam / RMSProp: λ_max(P⁻¹∇²f(θ_k)) of the step taken from θ_k (same length as loss); null otherwise */
  preconditionedSharpness: Float64Array | null;
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
  options: Partial<ClassifyOptions> & { certificates?: CertificateResult[]; tailSteps?: number; optimizer?: OptimizerSpec } = {},
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
  const optimizer = options.optimizer ?? GD;
  const parts = loopParts(problem, optimizer, eta, classify);
  const constants = parts
    ? stepConstants(problem, eta, classify, [], parts.rule, parts.convergence)
    : stepConstants(problem, eta, classify, options.certificates ?? certifyAll(problem, eta));
  const stateSize = parts ? parts.rule.stateNames(n).length : 0;
  const adaptive = optimizer.name === 'adam' || optimizer.name === 'rmsprop';

  const capacity = classify.maxSteps + tailSteps + 1;
  const theta = new Float64Array(capacity * n);
  const loss = new Float64Array(capacity);
  const gradNorm = new Float64Array(capacity);
  const sharpness = new Float64Array(capacity);
  const increased = new Uint8Array(capacity);
  const hess = new Float64Array(n * n);
  const point = new Float64Array(n);
  // tangent vector of the Lyapunov estimate, and its log growth per step
  const v = new Float64Array(n).fill(1 / Math.sqrt(Math.max(1, n)));
  const w = new Float64Array(n);
  const growth = new Float64Array(capacity);
  const precSharp = adaptive ? new Float64Array(capacity) : null;
  const pdiag = new Float64Array(n);
  const scratch = new Float64Array(n * n);
  const gradAt = new Float64Array(n);
  const stateAt = new Float64Array(stateSize);

  const record = (k: number, f: number, values: ArrayLike<number>, offset: number): void => {
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const x = values[offset + i];
      theta[k * n + i] = x;
      point[i] = x;
      const g = values[offset + n + i];
      g2 += g * g;
    }
    loss[k] = f;
    gradNorm[k] = Math.sqrt(g2);
    if (Number.isFinite(f)) {
      compiled.hessian(point, hess);
      sharpness[k] = sharpnessOf(hess, n);
      if (precSharp) {
        for (let i = 0; i < n; i++) gradAt[i] = values[offset + n + i];
        for (let j = 0; j < stateSize; j++) stateAt[j] = values[offset + 2 * n + j];
        preconditioner(optimizer, stateAt, gradAt, k, pdiag);
        precSharp[k] = preconditionedSharpness(hess, pdiag, n, scratch);
      }
      // w = (I − ηH) v
      let norm = 0;
      for (let i = 0; i < n; i++) {
        let hv = 0;
        for (let j = 0; j < n; j++) hv += hess[i * n + j] * v[j];
        w[i] = v[i] - eta * hv;
        norm += w[i] * w[i];
      }
      norm = Math.sqrt(norm);
      growth[k] = Math.log(norm);
      if (norm > 0 && Number.isFinite(norm)) for (let i = 0; i < n; i++) v[i] = w[i] / norm;
    } else {
      sharpness[k] = NaN;
      growth[k] = NaN;
      if (precSharp) precSharp[k] = NaN;
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
    case PixelClass.Cycle:
      outcome = { kind: 'cycle', period: result.period };
      break;
    case PixelClass.BoundedAperiodic:
      outcome = { kind: 'aperiodic' };
      break;
    case PixelClass.StillDescending:
      outcome = { kind: 'descending' };
      break;
    default:
      outcome = { kind: 'not_converged' };
  }

  // Lyapunov estimate over the second half of the run (growth[k] is the step θ_k → θ_{k+1}); GD only.
  let lyapunov: number | null = null;
  if (decidedAt >= 2 && !parts) {
    let sum = 0;
    let count = 0;
    for (let k = Math.floor(decidedAt / 2); k < decidedAt; k++) {
      sum += growth[k];
      count++;
    }
    lyapunov = count > 0 && Number.isFinite(sum) ? sum / count : null;
  }

  // Tail: keep stepping after a final convergence decision, for drawing (the iterates a
  // neighbourhood test ran past the decision's date are already recorded: result.extra).
  let last = decidedAt + result.extra;
  if (tailSteps > 0 && (outcome.kind === 'stable' || outcome.kind === 'unstable' || outcome.kind === 'other')) {
    const x = Float64Array.from(result.theta);
    const g = new Float64Array(n);
    const state = Float64Array.from(result.state);
    const values = new Float64Array(2 * n + stateSize);
    const stepper = parts ? compileStep(parts.rule, n) : null;
    let f = compiled.valueAndGradient(x, g);
    for (let s = 0; s < tailSteps && last < capacity - 1; s++) {
      if (stepper) stepper.step(x, g, state, last);
      else for (let i = 0; i < n; i++) x[i] = x[i] - eta * g[i];
      f = compiled.valueAndGradient(x, g);
      if (!Number.isFinite(f)) break;
      last++;
      values.set(x, 0);
      values.set(g, n);
      values.set(state, 2 * n);
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
  const recorded = last + 1;
  return {
    n,
    steps: decidedAt,
    tail: last - decidedAt,
    theta: theta.slice(0, recorded * n),
    loss: loss.slice(0, recorded),
    gradNorm: gradNorm.slice(0, recorded),
    sharpness: sharpness.slice(0, recorded),
    increased: increased.slice(0, recorded),
    outcome,
    K: result.lastIncrease,
    increases: result.increases,
    firstIncreaseAt,
    enteredCertifiedAt: result.certified ? decidedAt : null,
    limitSharpness: result.sharpness,
    lyapunov,
    optimizer,
    sharpnessLimit: sharpnessLimit(optimizer, eta),
    preconditionedSharpness: precSharp ? precSharp.slice(0, recorded) : null,
  };
}

/** The minimum an outcome converged to, for messages: "minimum #j", "a set of minima", "an unlisted minimum", or null. */
export function convergedTo(outcome: Outcome): string | null {
  if (outcome.kind !== 'stable' && outcome.kind !== 'unstable') return null;
  if (outcome.minimum >= 0) return `minimum #${outcome.minimum}`;
  return outcome.minimum === MinimumCode.Set ? 'a point of a set of minima' : 'a minimum the search did not list';
}
