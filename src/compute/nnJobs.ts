/**
 * The host side of the network jobs on the ComputePool, in the form ComputePool.submit takes
 * (tasks + reply handlers):
 *
 * - training: one task per learning rate (the runs are independent, so they spread over the
 *   workers); each streams its curves as partial replies, then its whole run. The result is the
 *   TrainResult a single-threaded `train()` would give (runs in the job's order).
 * - slices: one task computes the plane (Lanczos for the Hessian plane), then one task per row
 *   chunk carries that plane as plain data to whichever worker is free.
 * - sharpness: λ_max(∇²L) at a point (θ_0 by default), for hovers.
 */
import { describeOptimizer } from '../engine/nn/optimizers';
import type { ModelSummary } from '../engine/nn/model';
import { classCounts, type SliceRow, type SliceSetup } from '../engine/nn/slices';
import type { TrainPartial, TrainResult, TrainRun } from '../engine/nn/train';
import type { NetworkModelData, NetworkRequest, NetworkSliceJob, TrainJob } from './nnProtocol';
import type { WorkerReply } from './protocol';

export type { NetworkModelData, NetworkSliceJob, TrainJob } from './nnProtocol';
export { networkModelData } from './nnProtocol';

/** A request without its task id (distributed over the union, as the pool's own Task type). */
type NetworkTaskRequest = NetworkRequest extends infer R ? (R extends NetworkRequest ? Omit<R, 'taskId'> : never) : never;
type Task = { request: NetworkTaskRequest; describe: string };
type Handlers = { tasks: Task[]; onReply(reply: WorkerReply): void; onComplete(): void };

/** Progress of a training job. */
export interface TrainJobProgress {
  /** the newest stretch of one run's curves (steps partial.fromStep …) */
  partial: TrainPartial;
  /** of the whole job, 0..1 */
  fraction: number;
}

export interface TrainJobEvents {
  /** a run's curves so far (chunks of every run arrive interleaved; `partial.run` says which) */
  onProgress?(progress: TrainJobProgress): void;
  /** a run finished (completed, diverged or stopped); `model` describes the network */
  onRun?(run: TrainRun, index: number, model: ModelSummary): void;
}

function checkTrainJob(job: TrainJob): void {
  if (job.learningRates.length === 0) throw new RangeError('training needs at least one learning rate');
  for (const eta of job.learningRates) if (!(typeof eta === 'number' && Number.isFinite(eta) && eta > 0)) throw new RangeError(`learning rates must be positive numbers, got ${String(eta)}`);
  if (!Number.isInteger(job.steps) || job.steps < 0) throw new RangeError(`steps must be a whole number ≥ 0, got ${String(job.steps)}`);
}

/** The tail of a finished run after what its progress chunks already carried. */
export function runTail(run: TrainRun, index: number, fromStep: number, fromMeasurement: number): TrainPartial {
  const s = Math.min(fromStep, run.loss.length);
  const m = Math.min(fromMeasurement, run.sharpness.length);
  return {
    run: index, eta: run.eta, threshold: run.threshold, preconditioned: run.preconditioned,
    fromStep: s, loss: run.loss.slice(s), gradNorm: run.gradNorm.slice(s), increased: run.increased.slice(s),
    fromMeasurement: m, sharpnessSteps: run.sharpnessSteps.slice(m), sharpness: run.sharpness.slice(m),
    preconditionedSharpness: run.preconditioned ? run.preconditionedSharpness.slice(m) : new Float64Array(0),
  };
}

export function trainJobHandlers(job: TrainJob, cancel: Int32Array, resolve: (r: TrainResult) => void, fail: (e: Error) => void, events: TrainJobEvents = {}): Handlers {
  checkTrainJob(job);
  const runs = job.learningRates.length;
  const results: (TrainRun | null | undefined)[] = new Array<TrainRun | null | undefined>(runs);
  const sent = job.learningRates.map(() => ({ step: 0, measurement: 0 }));
  const done = new Array<number>(runs).fill(0);
  let model: ModelSummary | null = null;
  let gradients = 0;
  let hvps = 0;
  const fraction = (): number => done.reduce((s, d) => s + d, 0) / runs;
  /** a stretch of a run's curves; `last`: the tail of a finished run (that run is then done) */
  const progress = (partial: TrainPartial, last = false): void => {
    const at = sent[partial.run];
    at.step = partial.fromStep + partial.loss.length;
    at.measurement = partial.fromMeasurement + partial.sharpness.length;
    done[partial.run] = last ? 1 : Math.min(1, (at.step - 1) / Math.max(job.steps, 1));
    events.onProgress?.({ partial, fraction: fraction() });
  };
  return {
    tasks: job.learningRates.map((eta, run) => ({ request: { type: 'trainRun', job, run, cancel }, describe: `training at η = ${eta}` })),
    onReply: (reply) => {
      if (reply.type === 'trainProgress') return progress(reply.partial);
      if (reply.type !== 'trainRun') return fail(new Error(`unexpected worker reply '${reply.type}' to a training run`));
      model ??= reply.model;
      gradients += reply.gradients;
      hvps += reply.hvps;
      results[reply.run] = reply.result;
      const r = reply.result;
      if (!r) return;
      const at = sent[reply.run];
      // the rest of its curves (possibly nothing: the run is done either way)
      progress(runTail(r, reply.run, at.step, at.measurement), true);
      events.onRun?.(r, reply.run, reply.model);
    },
    onComplete: () => {
      if (!model) return fail(new Error('the training job finished without results'));
      const finished = results.filter((r): r is TrainRun => r !== null && r !== undefined);
      resolve({
        model,
        optimizer: job.optimizer ?? { name: 'gd' },
        optimizerLabel: describeOptimizer(job.optimizer ?? { name: 'gd' }),
        steps: job.steps,
        sharpnessEvery: job.sharpnessEvery ?? 20,
        topK: job.topK ?? 1,
        roundoffGuard: job.roundoffGuard ?? 1e-12,
        runs: finished,
        cancelled: finished.length < runs || finished.some((r) => r.status === 'cancelled'),
        gradients,
        hvps,
      });
    },
  };
}

/* ------------------------------------------------------------------ slices */

export interface NetworkSliceProgress {
  rowsDone: number;
  rowsTotal: number;
  fraction: number;
}

export interface NetworkSliceEvents {
  /** the plane is known (before any row) */
  onSetup?(setup: SliceSetup, model: ModelSummary): void;
  onRows?(rows: SliceRow[], progress: NetworkSliceProgress): void;
}

export interface NetworkSliceResult {
  setup: SliceSetup;
  /** PixelClass codes, row-major, row 0 = the largest β */
  classes: Uint8Array;
  /** pixels per class code */
  counts: number[];
  elapsedMs: number;
}

/** Rows per task: one row of a network slice is already seconds of GD. */
export const SLICE_ROWS_PER_TASK = 1;

export function networkSliceHandlers(job: NetworkSliceJob, cancel: Int32Array, enqueue: (tasks: Task[]) => void, resolve: (r: NetworkSliceResult) => void, fail: (e: Error) => void, events: NetworkSliceEvents = {}): Handlers {
  const { width, height } = job.options;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 1024) throw new RangeError(`the slice ${name} must be a whole number from 1 to 1024, got ${String(v)}`);
  }
  if (!(job.options.eta > 0 && Number.isFinite(job.options.eta))) throw new RangeError(`the slice learning rate must be a positive number, got ${String(job.options.eta)}`);
  const classes = new Uint8Array(width * height);
  const started = performance.now();
  let setup: SliceSetup | null = null;
  let rowsDone = 0;
  return {
    tasks: [{ request: { type: 'nnSliceSetup', job }, describe: `the ${job.options.plane} plane of the slice` }],
    onReply: (reply) => {
      if (reply.type === 'nnSliceSetup') {
        setup = reply.setup;
        events.onSetup?.(reply.setup, reply.model);
        const tasks: Task[] = [];
        for (let r = 0; r < height; r += SLICE_ROWS_PER_TASK) {
          const rowEnd = Math.min(height, r + SLICE_ROWS_PER_TASK);
          tasks.push({ request: { type: 'nnSliceRows', model: job.model, setup: reply.setup, rowStart: r, rowEnd, cancel }, describe: `slice rows ${r}–${rowEnd - 1}` });
        }
        enqueue(tasks);
        return;
      }
      if (reply.type !== 'nnSliceRows') return fail(new Error(`unexpected worker reply '${reply.type}' to slice rows`));
      for (const row of reply.rows) classes.set(row.classes, row.row * width);
      rowsDone += reply.rows.length;
      events.onRows?.(reply.rows, { rowsDone, rowsTotal: height, fraction: rowsDone / height });
    },
    onComplete: () => {
      if (!setup) return fail(new Error('the slice finished without its plane'));
      resolve({ setup, classes, counts: classCounts(classes), elapsedMs: performance.now() - started });
    },
  };
}

/* ------------------------------------------------------------------ sharpness */

export interface NetworkSharpness {
  sharpness: number;
  loss: number;
  model: ModelSummary;
}

export function networkSharpnessHandlers(model: NetworkModelData, params: Float64Array | null, resolve: (r: NetworkSharpness) => void, fail: (e: Error) => void): Handlers {
  let out: NetworkSharpness | null = null;
  return {
    tasks: [{ request: { type: 'nnSharpness', model, params }, describe: 'the sharpness of the network' }],
    onReply: (reply) => {
      if (reply.type !== 'nnSharpness') return fail(new Error(`unexpected worker reply '${reply.type}' to a sharpness request`));
      out = { sharpness: reply.sharpness, loss: reply.loss, model: reply.model };
    },
    onComplete: () => (out ? resolve(out) : fail(new Error('the sharpness request produced no result'))),
  };
}
