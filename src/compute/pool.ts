/**
 * ComputePool: a lazily created, reused pool of worker_threads that runs every heavy computation
 * (critical points, basin maps, sweeps, trajectories, orbit diagrams, network training, slices
 * and sharpness) off the calling thread. The threads, queue, cancellation and crash handling are
 * WorkerPool's (workerPool.ts); this file adds the job kinds: each validates its job, then gives
 * submit its tasks and how to merge their replies (basin maps in basinJob.ts, orbit diagrams in
 * orbitJob.ts, networks in nnJobs.ts, the small ones here).
 *
 * - Workers receive plain data (protocol.ts), the problem as its parsed objective (ProblemSpec.ir,
 *   required), and compile it themselves without a parser; each caches the analysed problem per
 *   spec, certificates per η and the kernel per map.
 */
import type { BasinRows } from '../engine/basin';
import type { OrbitDiagram } from '../engine/measures/orbit';
import type { TrainResult } from '../engine/nn/train';
import { optimizerKey, resolveOptimizer, type OptimizerInput, type OptimizerSpec } from '../engine/optimizers/spec';
import type { SweepPoint } from '../engine/sweep';
import type { CertificateResult, ProblemSpec } from '../engine/types';
import { basinJobHandlers, type BasinProgress, type BasinResult } from './basinJob';
import type { AnalysisResult, BasinJob, SweepJob, TrajectoryData, TrajectoryJob } from './jobs';
import {
  networkSharpnessHandlers, networkSliceHandlers, trainJobHandlers,
  type NetworkModelData, type NetworkSharpness, type NetworkSliceEvents, type NetworkSliceJob, type NetworkSliceResult, type TrainJob, type TrainJobEvents,
} from './nnJobs';
import { orbitJobHandlers, type OrbitChunk, type OrbitJob, type OrbitProgress } from './orbitJob';
import { WorkerPool, type Task } from './workerPool';

export type { AnalysisResult, BasinJob, SweepJob, TrajectoryData, TrajectoryJob } from './jobs';
export type { BasinProgress, BasinResult } from './basinJob';
export { chunkRowsFor } from './basinJob';
export { CancelledError, ComputeError, WorkerCrashedError } from './poolErrors';
export { defaultWorkerCount, type ComputePoolOptions } from './workerPool';

type TestRequest = { type: 'testExit'; code: number } | { type: 'testThrowUncaught' } | { type: 'testBusy'; ms: number };

function validateEta(eta: number, what: string): void {
  if (!(typeof eta === 'number' && Number.isFinite(eta) && eta > 0)) throw new RangeError(`${what}: the learning rate must be a positive finite number, got ${String(eta)}`);
}

/**
 * Workers compile the problem from its parsed form (ProblemSpec.ir) and load no parser: a spec
 * without it cannot run. (They validate the IR again themselves.)
 */
function requireIR(spec: ProblemSpec): void {
  if (!spec || typeof spec !== 'object' || !spec.ir || typeof spec.ir !== 'object') {
    throw new Error('the problem has no parsed objective (spec.ir) for the compute workers: analyse or parse it first (analyzeProblem, withIR or problemSpec)');
  }
}

/**
 * The optimizer of a job, validated again (it crosses from the host as data): a bad one throws
 * an OptimizerError naming the parameter. Returns true when the job runs another optimizer than GD.
 */
function validateOptimizer(job: { optimizer?: OptimizerSpec }): boolean {
  if (job.optimizer === undefined) return false;
  const resolved = resolveOptimizer(job.optimizer as OptimizerInput);
  if (optimizerKey(resolved) !== optimizerKey(job.optimizer)) throw new RangeError(`the optimizer ${JSON.stringify(job.optimizer)} is not fully resolved (resolveOptimizer it first)`);
  return resolved.name !== 'gd';
}

function validateSlice(job: { slice: { width: number; height: number } }): void {
  const { width, height } = job.slice;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`basin map ${name} must be a whole number ≥ 1, got ${String(v)}`);
  }
}

/** The worker pool with every job kind the extension and the CLI run. */
export class ComputePool extends WorkerPool {
  /** certificates of recent maps, by problem and η (plain data; saves the certify phase) */
  private readonly certificateCache = new Map<string, CertificateResult[]>();

  analyze(spec: ProblemSpec, etas: number[] = [], signal?: AbortSignal): Promise<AnalysisResult> {
    return this.submit<AnalysisResult>(0, signal, (resolve, fail) => {
      requireIR(spec);
      etas.forEach((eta) => validateEta(eta, 'analysis'));
      let result: AnalysisResult | null = null;
      return {
        tasks: [{ request: { type: 'analyze', spec, etas }, describe: 'the critical point analysis' }],
        onReply: (reply) => {
          if (reply.type === 'analysis') result = reply.analysis;
          else fail(new Error(`unexpected worker reply '${reply.type}' to an analysis`));
        },
        onComplete: () => (result ? resolve(result) : fail(new Error('the analysis produced no result'))),
      };
    });
  }

  basin(job: BasinJob, onRows?: (rows: BasinRows, progress: BasinProgress) => void, signal?: AbortSignal): Promise<BasinResult> {
    return this.submit<BasinResult>(1, signal, (resolve, fail, cancel, enqueue) => {
      requireIR(job.spec);
      validateEta(job.eta, 'basin map');
      validateSlice(job);
      // another optimizer brings its own convergence test: no Theorem 2 certificates to share out
      const otherOptimizer = validateOptimizer(job);
      const context = { workers: this.workerCount, otherOptimizer, certificateCache: this.certificateCache };
      return basinJobHandlers(job, context, cancel, enqueue, resolve, fail, onRows);
    });
  }

  sweep(job: SweepJob, onPoint?: (p: SweepPoint, done: number, total: number) => void, signal?: AbortSignal): Promise<SweepPoint[]> {
    return this.submit<SweepPoint[]>(1, signal, (resolve, fail, cancel) => {
      requireIR(job.spec);
      job.etas.forEach((eta) => validateEta(eta, 'sweep'));
      validateSlice(job);
      validateOptimizer(job);
      const points = new Map<number, SweepPoint>();
      const tasks: Task[] = job.etas.map((eta, i) => ({
        request: { type: 'sweepPoint', spec: job.spec, slice: job.slice, eta, classify: job.classify, cancel, ...(job.optimizer ? { optimizer: job.optimizer } : {}) },
        describe: `the sweep point η = ${eta} (#${i + 1})`,
      }));
      return {
        tasks,
        onReply: (reply) => {
          if (reply.type !== 'sweepPoint') return fail(new Error(`unexpected worker reply '${reply.type}' to a sweep point`));
          const point: SweepPoint = { eta: reply.eta, etaFraction: reply.etaFraction, stats: reply.stats };
          points.set(reply.eta, point);
          onPoint?.(point, points.size, job.etas.length);
        },
        onComplete: () => resolve(job.etas.map((eta) => points.get(eta)).filter((p): p is SweepPoint => p !== undefined)),
      };
    });
  }

  trajectory(job: TrajectoryJob, signal?: AbortSignal): Promise<TrajectoryData> {
    return this.submit<TrajectoryData>(0, signal, (resolve, fail) => {
      requireIR(job.spec);
      validateEta(job.eta, 'trajectory');
      validateOptimizer(job);
      let data: TrajectoryData | null = null;
      return {
        tasks: [{ request: { type: 'trajectory', job }, describe: 'the trajectory' }],
        onReply: (reply) => {
          if (reply.type === 'trajectory') data = reply.data;
          else fail(new Error(`unexpected worker reply '${reply.type}' to a trajectory`));
        },
        onComplete: () => (data ? resolve(data) : fail(new Error('the trajectory produced no result'))),
      };
    });
  }

  /** An orbit diagram (learning rates split over the workers in chunks; orbitJob.ts). */
  orbit(job: OrbitJob, onChunk?: (chunk: OrbitChunk, progress: OrbitProgress) => void, signal?: AbortSignal): Promise<OrbitDiagram> {
    return this.submit<OrbitDiagram>(1, signal, (resolve, fail, cancel) => {
      requireIR(job.spec);
      return orbitJobHandlers(job, this.workerCount, cancel, resolve, fail, onChunk);
    });
  }

  /**
   * Trains a network at each learning rate (one task per η, spread over the workers; curves
   * stream through `events`). The AbortSignal drops the job; the job's `stop` flag ends it early
   * and still resolves with what was computed (nnJobs.ts).
   */
  train(job: TrainJob, events?: TrainJobEvents, signal?: AbortSignal): Promise<TrainResult> {
    return this.submit<TrainResult>(1, signal, (resolve, fail, cancel) => trainJobHandlers(job, cancel, resolve, fail, events));
  }

  /** A 2-D slice map of a network around a trained point (its plane first, then rows over the workers). */
  networkSlice(job: NetworkSliceJob, events?: NetworkSliceEvents, signal?: AbortSignal): Promise<NetworkSliceResult> {
    return this.submit<NetworkSliceResult>(1, signal, (resolve, fail, cancel, enqueue) => networkSliceHandlers(job, cancel, enqueue, resolve, fail, events));
  }

  /** λ_max(∇²L) and L of a network at `params` (null: its θ_0). */
  networkSharpness(model: NetworkModelData, params: Float64Array | null = null, signal?: AbortSignal): Promise<NetworkSharpness> {
    return this.submit<NetworkSharpness>(0, signal, (resolve, fail) => networkSharpnessHandlers(model, params, resolve, fail));
  }

  /** Test-only requests (the pool must be created with testHooks: true). */
  testTask(request: TestRequest, signal?: AbortSignal): Promise<void> {
    if (!this.testHooks) return Promise.reject(new Error('testTask needs a pool created with testHooks: true'));
    return this.submit<void>(0, signal, (resolve) => ({
      tasks: [{ request, describe: `the test task '${request.type}'` }],
      onReply: () => undefined,
      onComplete: () => resolve(),
    }));
  }
}
