/**
 * Full-batch training runs with the bookkeeping of the unstable convergence regime: per step the
 * loss L(θ_k), ‖∇L(θ_k)‖ and whether the loss increased; every `sharpnessEvery` steps the top
 * Hessian eigenvalue(s) (and for Adam/RMSProp the preconditioned sharpness λ_max(P⁻¹H)) against
 * the optimizer's threshold line (2/η for GD, 2(1+β)/η heavy-ball, (2+2β)/((1+2β)η) Nesterov,
 * (2+2β₁)/((1−β₁)η) Adam, 2/η RMSProp). Several learning rates run one after the other from the
 * same θ_0. A {@link TrainingSession} advances in slices (so a CLI or worker can stay responsive,
 * report progress and cancel); {@link train} runs one to the end.
 *
 * Loss increase: increased[k] = 1 iff L_k − L_{k−1} > guard·|L_{k−1}| (default guard 1e-12: the loss
 * is a sum of non-negative terms, each accurate to a few ulps, so smaller changes are round-off).
 * K = the index k of the last increase, 0 if none (the same K as for expression objectives and the
 * paper's Theorem 3): θ_K is the first iterate from which the loss decreases for good; iterates
 * k < K are the unstable phase (drawn red), from K on the loss decreases for good (black). A run ends early as "diverged" when the
 * loss or gradient is not finite or the loss exceeds `divergeFactor`·max(L_0, 1e-300).
 *
 * The results are plain structured-clone data (typed arrays, numbers, strings).
 */
import { createOptimizer, describeOptimizer, type Optimizer, type OptimizerSpec } from './optimizers';
import type { BuiltModel, ModelSummary } from './model';
import { SharpnessMeter } from './sharpness';

export interface TrainOptions {
  learningRates: number[];
  /** optimizer steps per learning rate */
  steps: number;
  optimizer?: OptimizerSpec;
  /** measure sharpness at k = 0, every, 2·every, … and at the last step (0 = never; default 20) */
  sharpnessEvery?: number;
  /** top Hessian eigenvalues recorded per measurement (default 1) */
  topK?: number;
  /** Lanczos relative accuracy (default 1e-6) and HVP budget per measurement (default 60) */
  lanczosTol?: number;
  lanczosMaxIter?: number;
  /** relative round-off guard for a loss increase (default 1e-12) */
  roundoffGuard?: number;
  /** a loss above divergeFactor·L_0 counts as diverged (default 1e10) */
  divergeFactor?: number;
  /** progress every this many steps (default: steps/100) */
  progressEvery?: number;
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainProgress {
  run: number;
  runs: number;
  eta: number;
  step: number;
  steps: number;
  loss: number;
  /** the last compared sharpness (preconditioned for adaptive optimizers), NaN before the first */
  sharpness: number;
  threshold: number;
  /** of the whole job, 0..1 */
  fraction: number;
}

export type RunStatus = 'completed' | 'diverged' | 'cancelled';

export interface TrainRun {
  eta: number;
  /** λ_max(H) (or λ_max(P⁻¹H) when `preconditioned`) is compared with this line */
  threshold: number;
  preconditioned: boolean;
  status: RunStatus;
  /** steps taken; arrays of iterates have steps + 1 entries */
  steps: number;
  /** L(θ_k), k = 0..steps */
  loss: Float64Array;
  gradNorm: Float64Array;
  /** increased[k] = 1 iff L_k − L_{k−1} exceeds the guard (k ≥ 1) */
  increased: Uint8Array;
  increases: number;
  /** index of the last increase (0 if none): the unstable phase is k < K */
  K: number;
  firstIncreaseAt: number | null;
  /** steps k at which sharpness was measured */
  sharpnessSteps: Int32Array;
  /** λ_max(∇²L(θ_k)) at those steps */
  sharpness: Float64Array;
  /** the top-k Hessian eigenvalues there, row-major (measurements × topK), descending */
  topEigenvalues: Float64Array;
  /** λ_max(P⁻¹∇²L) for adaptive optimizers (else empty) */
  preconditionedSharpness: Float64Array;
  /** HVPs each measurement used (both kinds) */
  hvps: Int32Array;
  /** first measured step whose compared sharpness is ≥ the threshold, null if never */
  firstAtThreshold: number | null;
  /** θ at the last step */
  finalParams: Float64Array;
}

export interface TrainResult {
  model: ModelSummary;
  optimizer: OptimizerSpec;
  /** 'GD', 'Adam β₁ = 0.9, …' */
  optimizerLabel: string;
  steps: number;
  sharpnessEvery: number;
  topK: number;
  roundoffGuard: number;
  runs: TrainRun[];
  cancelled: boolean;
  /** gradient evaluations and HVPs in total */
  gradients: number;
  hvps: number;
}

/**
 * What the running run has recorded from a step (and a sharpness measurement) on: copies, for
 * streaming partial curves while a run is under way (a worker posts these as progress).
 */
export interface TrainPartial {
  /** index of the run (into learningRates) */
  run: number;
  eta: number;
  threshold: number;
  preconditioned: boolean;
  /** the first step in the arrays below; they end at the current step */
  fromStep: number;
  loss: Float64Array;
  gradNorm: Float64Array;
  increased: Uint8Array;
  /** the first measurement index in the sharpness arrays below */
  fromMeasurement: number;
  sharpnessSteps: Int32Array;
  sharpness: Float64Array;
  /** λ_max(P⁻¹H) per measurement for adaptive optimizers (else empty) */
  preconditionedSharpness: Float64Array;
}

interface Active {
  opt: Optimizer;
  params: Float64Array;
  k: number;
  loss: Float64Array;
  gradNorm: Float64Array;
  increased: Uint8Array;
  measured: number;
  sharpnessSteps: Int32Array;
  sharpness: Float64Array;
  topEigenvalues: Float64Array;
  preconditionedSharpness: Float64Array;
  hvps: Int32Array;
  lastSharpness: number;
}

export class TrainingSession {
  readonly runs: TrainRun[] = [];
  private readonly grad: Float64Array;
  private readonly pdiag: Float64Array;
  private readonly meter: SharpnessMeter;
  private readonly optimizer: OptimizerSpec;
  private readonly every: number;
  private readonly topK: number;
  private readonly guard: number;
  private readonly divergeFactor: number;
  private readonly progressEvery: number;
  private active: Active | null = null;
  private cancelled = false;

  constructor(private readonly model: BuiltModel, private readonly options: TrainOptions) {
    const { learningRates, steps } = options;
    if (learningRates.length === 0) throw new RangeError('give at least one learning rate');
    for (const eta of learningRates) if (!(eta > 0 && Number.isFinite(eta))) throw new RangeError(`learning rates must be positive numbers, got ${eta}`);
    if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be a whole number ≥ 0, got ${steps}`);
    const n = model.network.nParams;
    this.grad = new Float64Array(n);
    this.pdiag = new Float64Array(n);
    this.optimizer = options.optimizer ?? { name: 'gd' };
    this.every = options.sharpnessEvery ?? 20;
    this.topK = options.topK ?? 1;
    this.guard = options.roundoffGuard ?? 1e-12;
    this.divergeFactor = options.divergeFactor ?? 1e10;
    this.progressEvery = options.progressEvery ?? Math.max(1, Math.floor(steps / 100));
    this.meter = new SharpnessMeter(model.network, { k: this.topK, tol: options.lanczosTol ?? 1e-6, maxIter: options.lanczosMaxIter ?? 60 });
  }

  get done(): boolean {
    return this.cancelled || this.runs.length === this.options.learningRates.length;
  }

  /** Stop: the current run ends as 'cancelled', later ones are not started. */
  cancel(): void {
    if (this.done) return;
    if (this.active) this.finish('cancelled');
    this.cancelled = true;
  }

  /** Takes up to `maxSteps` steps (across runs); returns true when everything is done. */
  advance(maxSteps: number): boolean {
    let budget = maxSteps;
    while (budget > 0 && !this.done) {
      budget--;
      const status = this.active ? this.stepOnce(this.active) : this.start();
      if (status) this.finish(status);
    }
    return this.done;
  }

  result(): TrainResult {
    const net = this.model.network;
    return {
      model: this.model.summary,
      optimizer: this.optimizer,
      optimizerLabel: describeOptimizer(this.optimizer),
      steps: this.options.steps,
      sharpnessEvery: this.every,
      topK: this.topK,
      roundoffGuard: this.guard,
      runs: this.runs.slice(),
      cancelled: this.cancelled,
      gradients: net.gradientCount,
      hvps: net.hvpCount,
    };
  }

  /**
   * The running run's record from step `fromStep` and measurement `fromMeasurement` on (copies);
   * null between runs. Reading it does not change the run.
   */
  partial(fromStep: number, fromMeasurement: number): TrainPartial | null {
    const a = this.active;
    if (!a) return null;
    const s = Math.max(0, Math.min(fromStep, a.k + 1));
    const m = Math.max(0, Math.min(fromMeasurement, a.measured));
    return {
      run: this.runs.length, eta: a.opt.eta, threshold: a.opt.threshold, preconditioned: a.opt.preconditioned,
      fromStep: s, loss: a.loss.slice(s, a.k + 1), gradNorm: a.gradNorm.slice(s, a.k + 1), increased: a.increased.slice(s, a.k + 1),
      fromMeasurement: m, sharpnessSteps: a.sharpnessSteps.slice(m, a.measured), sharpness: a.sharpness.slice(m, a.measured),
      preconditionedSharpness: a.opt.preconditioned ? a.preconditionedSharpness.slice(m, a.measured) : new Float64Array(0),
    };
  }

  /** Starts the next run and evaluates θ_0. */
  private start(): RunStatus | null {
    const eta = this.options.learningRates[this.runs.length];
    const n = this.model.network.nParams;
    const cap = this.options.steps + 1;
    const measurements = this.every > 0 ? Math.floor(this.options.steps / this.every) + 2 : 0;
    this.active = {
      opt: createOptimizer(this.optimizer, n, eta),
      params: this.model.initial.slice(),
      k: 0,
      loss: new Float64Array(cap),
      gradNorm: new Float64Array(cap),
      increased: new Uint8Array(cap),
      measured: 0,
      sharpnessSteps: new Int32Array(measurements),
      sharpness: new Float64Array(measurements),
      topEigenvalues: new Float64Array(measurements * this.topK),
      preconditionedSharpness: new Float64Array(0),
      hvps: new Int32Array(measurements),
      lastSharpness: NaN,
    };
    if (this.active.opt.preconditioned) this.active.preconditionedSharpness = new Float64Array(measurements);
    return this.evaluate(this.active);
  }

  /** θ_{k+1} = step(θ_k), then evaluates it. */
  private stepOnce(a: Active): RunStatus | null {
    a.opt.step(a.params, this.grad);
    a.k++;
    return this.evaluate(a);
  }

  /** Loss, gradient, bookkeeping and (every few steps) sharpness at θ_k; a status when the run ends. */
  private evaluate(a: Active): RunStatus | null {
    const { network } = this.model;
    const { grad } = this;
    const k = a.k;
    const L = network.lossAndGradient(a.params, grad);
    let g2 = 0;
    for (let i = 0; i < grad.length; i++) g2 += grad[i] * grad[i];
    a.loss[k] = L;
    a.gradNorm[k] = Math.sqrt(g2);
    if (k > 0 && L - a.loss[k - 1] > this.guard * Math.abs(a.loss[k - 1])) a.increased[k] = 1;
    const last = k === this.options.steps;
    if (!Number.isFinite(L) || !Number.isFinite(g2) || (k > 0 && L > this.divergeFactor * Math.max(a.loss[0], 1e-300))) return 'diverged';
    if (this.every > 0 && (k % this.every === 0 || last)) this.measure(a, k);
    if (k % this.progressEvery === 0 || last) this.progress(a, k);
    return last ? 'completed' : null;
  }

  private measure(a: Active, k: number): void {
    const before = this.model.network.hvpCount;
    const m = a.measured++;
    const plain = this.meter.hessian(a.params);
    a.sharpnessSteps[m] = k;
    a.sharpness[m] = plain.values[0];
    for (let i = 0; i < this.topK; i++) a.topEigenvalues[m * this.topK + i] = plain.values[i] ?? NaN;
    let compared = plain.values[0];
    if (a.opt.preconditioned && a.opt.preconditioner(this.grad, this.pdiag)) {
      compared = this.meter.preconditioned(a.params, this.pdiag, 1).values[0];
      a.preconditionedSharpness[m] = compared;
    }
    a.hvps[m] = this.model.network.hvpCount - before;
    a.lastSharpness = compared;
  }

  private progress(a: Active, k: number): void {
    if (!this.options.onProgress) return;
    const runs = this.options.learningRates.length;
    const steps = this.options.steps;
    this.options.onProgress({
      run: this.runs.length, runs, eta: a.opt.eta, step: k, steps, loss: a.loss[k], sharpness: a.lastSharpness,
      threshold: a.opt.threshold, fraction: (this.runs.length + k / Math.max(steps, 1)) / runs,
    });
  }

  private finish(status: RunStatus): void {
    const a = this.active as Active;
    this.active = null;
    const steps = a.k;
    const loss = a.loss.slice(0, steps + 1);
    const increased = a.increased.slice(0, steps + 1);
    let increases = 0;
    let lastIncrease = -1;
    let firstIncreaseAt: number | null = null;
    for (let k = 1; k <= steps; k++) {
      if (!increased[k]) continue;
      increases++;
      lastIncrease = k;
      if (firstIncreaseAt === null) firstIncreaseAt = k;
    }
    const m = a.measured;
    const compared = a.opt.preconditioned ? a.preconditionedSharpness : a.sharpness;
    let firstAtThreshold: number | null = null;
    for (let i = 0; i < m; i++) {
      if (compared[i] >= a.opt.threshold) {
        firstAtThreshold = a.sharpnessSteps[i];
        break;
      }
    }
    this.runs.push({
      eta: a.opt.eta,
      threshold: a.opt.threshold,
      preconditioned: a.opt.preconditioned,
      status,
      steps,
      loss,
      gradNorm: a.gradNorm.slice(0, steps + 1),
      increased,
      increases,
      K: Math.max(0, lastIncrease),
      firstIncreaseAt,
      sharpnessSteps: a.sharpnessSteps.slice(0, m),
      sharpness: a.sharpness.slice(0, m),
      topEigenvalues: a.topEigenvalues.slice(0, m * this.topK),
      preconditionedSharpness: a.preconditionedSharpness.slice(0, a.opt.preconditioned ? m : 0),
      hvps: a.hvps.slice(0, m),
      firstAtThreshold,
      finalParams: a.params.slice(),
    });
  }
}

/**
 * Runs every learning rate to the end (or until `shouldCancel()` returns true; it is asked every
 * `checkEvery` steps, default 8).
 */
export function train(model: BuiltModel, options: TrainOptions & { shouldCancel?: () => boolean; checkEvery?: number }): TrainResult {
  const session = new TrainingSession(model, options);
  const slice = options.checkEvery ?? 8;
  while (!session.advance(slice)) {
    if (options.shouldCancel?.()) session.cancel();
  }
  return session.result();
}
