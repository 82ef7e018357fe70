/**
 * ComputePool: a lazily created, reused pool of worker_threads that runs every heavy computation
 * (critical points, basin maps, sweeps, trajectories) off the calling thread. No thread exists
 * until the first job, which starts all of them (loading the engine takes a while; warmUp() does
 * it earlier).
 *
 * - Workers receive plain data (protocol.ts), the problem as its parsed objective (ProblemSpec.ir,
 *   required), and compile it themselves without a parser; each caches the analysed problem per
 *   spec, certificates per η and the kernel per map.
 * - A map first shares its Theorem 2 certificates out over the workers (one minimum each, round
 *   robin), then hands them to every row chunk, so all workers classify against the same sets.
 * - Basin rows are split into small chunks dispatched dynamically: consecutive chunks go to
 *   whichever worker is free, so rows are interleaved across workers and uneven rows (fractal
 *   boundaries) balance out. Chunks stream back as transferred typed arrays with progress.
 * - Cancellation: an AbortSignal sets a shared Int32Array flag that the kernel checks every few
 *   hundred steps; a worker that is not idle within `stopTimeoutMs` is terminated and replaced.
 * - A worker that throws fails only the task's job; a worker that dies is dropped and a fresh one
 *   is started on demand.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { basinStats } from '../engine/basin';
import type { BasinRows, BasinStats } from '../engine/basin';
import { optimizerKey, resolveOptimizer, type OptimizerInput, type OptimizerSpec } from '../engine/optimizers/spec';
import type { SweepPoint } from '../engine/sweep';
import { ExpressionError } from '../engine/types';
import type { CertificateResult, ProblemSpec } from '../engine/types';
import type { AnalysisResult, BasinJob, SweepJob, TrajectoryData, TrajectoryJob } from './jobs';
import { isPartialReply, type SerializedError, type WorkerBootData, type WorkerReply, type WorkerRequest } from './protocol';
import { orbitJobHandlers, type OrbitChunk, type OrbitJob, type OrbitProgress } from './orbitJob';
import type { OrbitDiagram } from '../engine/measures/orbit';
import {
  networkSharpnessHandlers, networkSliceHandlers, trainJobHandlers,
  type NetworkModelData, type NetworkSharpness, type NetworkSliceEvents, type NetworkSliceJob, type NetworkSliceResult, type TrainJob, type TrainJobEvents,
} from './nnJobs';
import type { TrainResult } from '../engine/nn/train';

export type { AnalysisResult, BasinJob, SweepJob, TrajectoryData, TrajectoryJob } from './jobs';

export interface BasinProgress {
  rowsDone: number;
  rowsTotal: number;
  /** rowsDone / rowsTotal */
  fraction: number;
  /** pixels classified per second of wall time since the job started */
  pixelsPerSecond: number;
}

export interface BasinResult {
  stats: BasinStats;
  analysis: AnalysisResult;
  /** Theorem 2 certificates at the job's η, one per minimum */
  certificates: CertificateResult[];
  elapsedMs: number;
}

/** The job was cancelled through its AbortSignal (or the pool was disposed). */
export class CancelledError extends Error {
  constructor(message = 'computation cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A worker thread died (crash, process.exit, out of memory) while running a task of this job. */
export class WorkerCrashedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrashedError';
  }
}

/** A task threw inside a worker; `name` and message are the original ones. */
export class ComputeError extends Error {
  constructor(
    name: string,
    message: string,
    /** the stack inside the worker, for logs */
    public readonly workerStack?: string,
  ) {
    super(message);
    this.name = name;
  }
}

export interface ComputePoolOptions {
  /** worker threads; default max(1, cpus − 1) */
  workers?: number;
  /** path of the worker bundle; default dist/worker.js next to the calling bundle */
  workerScript?: string;
  /** how long a cancelled task may keep its worker busy before the worker is terminated (ms) */
  stopTimeoutMs?: number;
  /** enables test-only worker requests (testTask); never set outside tests */
  testHooks?: boolean;
}

/** The default number of workers: all cores but one (the caller's), at least one. */
export function defaultWorkerCount(): number {
  return Math.max(1, cpus().length - 1);
}

/** Rows per dispatched chunk: small enough to stream and balance, big enough to amortise messages. */
export function chunkRowsFor(height: number, workers: number): number {
  return Math.max(1, Math.min(8, Math.ceil(height / (workers * 16))));
}

type TaskRequest = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'taskId'> : never) : never;

interface Task {
  request: TaskRequest;
  /** for error messages: what the worker was doing */
  describe: string;
}

interface Job {
  id: number;
  /** 0 = interactive (analysis, trajectory), 1 = bulk (maps, sweeps) */
  priority: number;
  pending: Task[];
  running: number;
  cancel: Int32Array;
  done: boolean;
  onReply(reply: WorkerReply): void;
  /** all tasks replied */
  onComplete(): void;
  reject(err: Error): void;
  cleanup(): void;
}

interface Slot {
  worker: Worker;
  busy: { job: Job; taskId: number; describe: string } | null;
  /** set when the pool terminates the worker on purpose */
  retired: boolean;
  lastError: Error | null;
  stopTimer: ReturnType<typeof setTimeout> | null;
  /** resolves when the thread has exited */
  exited: Promise<void>;
}

type TestRequest = { type: 'testExit'; code: number } | { type: 'testThrowUncaught' } | { type: 'testBusy'; ms: number };

function defaultWorkerScript(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [path.join(here, 'worker.js'), path.join(here, '..', '..', 'dist', 'worker.js'), path.join(process.cwd(), 'dist', 'worker.js')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

function deserializeError(e: SerializedError): Error {
  if (e.name === 'ExpressionError' && e.range) return new ExpressionError(e.message, e.range);
  return new ComputeError(e.name, e.message, e.stack);
}

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

export class ComputePool {
  readonly workerCount: number;
  private readonly workerScript: string;
  private readonly stopTimeoutMs: number;
  private readonly testHooks: boolean;
  private readonly slots: Slot[] = [];
  private readonly jobs: Job[] = [];
  private idleWaiters: (() => void)[] = [];
  /** certificates of recent maps, by problem and η (plain data; saves the certify phase) */
  private readonly certificateCache = new Map<string, CertificateResult[]>();
  /** threads terminated by the pool that have not exited yet */
  private readonly retiring = new Set<Slot>();
  private nextJobId = 1;
  private nextTaskId = 1;
  private disposed = false;

  constructor(options: ComputePoolOptions = {}) {
    const requested = options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(requested) || requested < 1) throw new RangeError(`workers must be a whole number ≥ 1, got ${String(options.workers)}`);
    this.workerCount = requested;
    this.workerScript = options.workerScript ?? defaultWorkerScript();
    this.stopTimeoutMs = options.stopTimeoutMs ?? 200;
    this.testHooks = options.testHooks ?? false;
  }

  /** Threads currently alive (0 until the first job: the pool is lazy). */
  get threadCount(): number {
    return this.slots.length;
  }

  /** Threads currently running a task. */
  get busyCount(): number {
    return this.slots.reduce((n, s) => n + (s.busy ? 1 : 0), 0);
  }

  /** Starts all worker threads now (optional; otherwise they start with the first job). */
  warmUp(): void {
    this.assertLive();
    while (this.slots.length < this.workerCount) this.spawn();
  }

  /** Resolves when no worker is running a task (e.g. after a cancellation has taken effect). */
  idle(): Promise<void> {
    if (this.busyCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when every thread the pool has terminated (cancellation fallback, dispose) has exited. */
  async terminated(): Promise<void> {
    await Promise.all([...this.retiring].map((s) => s.exited));
  }

  /* ------------------------------------------------------------------ public jobs */

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
      const { width, height } = job.slice;
      const pixels = width * height;
      const classes = new Uint8Array(pixels);
      const minimum = new Int8Array(pixels);
      const increases = new Uint16Array(pixels);
      const chunk = chunkRowsFor(height, this.workerCount);
      const certKey = JSON.stringify([job.spec.expression, job.spec.variables ?? null, job.spec.domain ?? null, job.spec.windows ?? null, job.eta]);
      const rowTasks = (certificates: CertificateResult[]): Task[] => {
        const tasks: Task[] = [];
        for (let r = 0; r < height; r += chunk) {
          const rowEnd = Math.min(height, r + chunk);
          tasks.push({
            request: { type: 'basinRows', job, rowStart: r, rowEnd, certificates, cancel, withAnalysis: r === 0 },
            describe: `basin rows ${r}–${rowEnd - 1}`,
          });
        }
        return tasks;
      };
      // Phase 1 (unless cached): the certificates, shared out over the workers (one task each).
      // Phase 2: the row chunks, each carrying the certificates.
      const cached = this.certificateCache.get(certKey);
      const parts = this.workerCount;
      const shares: CertificateResult[][] = [];
      let sharesDone = 0;
      let minimaCount = -1;
      const started = performance.now();
      let rowsDone = 0;
      let analysis: AnalysisResult | null = null;
      let signature: string | null = null;
      const sameMinima = (s: string): boolean => {
        if (signature === null) signature = s;
        if (signature === s) return true;
        fail(new Error('compute workers found different minima for the same problem; the map would be inconsistent'));
        return false;
      };
      return {
        tasks: otherOptimizer
          ? rowTasks([])
          : cached
          ? rowTasks(cached)
          : Array.from({ length: parts }, (_, part) => ({
              request: { type: 'certifyShare' as const, spec: job.spec, eta: job.eta, part, parts },
              describe: `the certificates at η = ${job.eta} (share ${part + 1} of ${parts})`,
            })),
        onReply: (reply) => {
          if (reply.type === 'certificates') {
            if (!sameMinima(reply.minimaSignature)) return;
            minimaCount = reply.minimaCount;
            shares[reply.part] = reply.results;
            if (++sharesDone < parts) return;
            const certificates: CertificateResult[] = new Array<CertificateResult>(minimaCount);
            for (let p = 0; p < parts; p++) {
              (shares[p] ?? []).forEach((result, i) => {
                certificates[p + i * parts] = result;
              });
            }
            for (let j = 0; j < minimaCount; j++) {
              const c = certificates[j];
              const index = c ? (c.ok ? c.certificate.minimum : c.minimum) : -1;
              if (index !== j) return fail(new Error(`the certificate of minimum ${j} is missing`));
            }
            this.certificateCache.set(certKey, certificates);
            if (this.certificateCache.size > 32) this.certificateCache.delete(this.certificateCache.keys().next().value as string);
            enqueue(rowTasks(certificates));
            return;
          }
          if (reply.type !== 'rows') return fail(new Error(`unexpected worker reply '${reply.type}' to basin rows`));
          if (!sameMinima(reply.minimaSignature)) return;
          if (reply.analysis) analysis = reply.analysis;
          const { rows } = reply;
          classes.set(rows.classes, rows.rowStart * width);
          minimum.set(rows.minimum, rows.rowStart * width);
          increases.set(rows.increases, rows.rowStart * width);
          rowsDone += rows.rowEnd - rows.rowStart;
          if (onRows) {
            const seconds = (performance.now() - started) / 1000;
            onRows(rows, {
              rowsDone,
              rowsTotal: height,
              fraction: rowsDone / height,
              pixelsPerSecond: seconds > 0 ? (rowsDone * width) / seconds : 0,
            });
          }
        },
        onComplete: () => {
          if (!analysis) return fail(new Error('the basin map finished without its analysis'));
          const certificates = analysis.certificates.find((c) => c.eta === job.eta)?.results ?? [];
          resolve({
            stats: basinStats(classes, minimum, analysis.minima.length, increases),
            analysis,
            certificates,
            elapsedMs: performance.now() - started,
          });
        },
      };
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

  /** Cancels every job (they reject with CancelledError) and ends all worker threads. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of [...this.jobs]) this.finishJob(job, new CancelledError('the compute pool was disposed'));
    for (const slot of [...this.slots]) this.retire(slot);
    this.notifyIdle();
  }

  /* ------------------------------------------------------------------ scheduling */

  private assertLive(): void {
    if (this.disposed) throw new Error('the compute pool has been disposed');
  }

  /**
   * Registers a job. `setup` validates and returns the job's tasks and reply handlers; it gets
   * resolve, fail (ends the job with an error and stops its other tasks), the cancel flag and
   * enqueue (adds tasks to the job, e.g. a map's rows once its certificates are known).
   */
  private submit<T>(
    priority: number,
    signal: AbortSignal | undefined,
    setup: (
      resolve: (value: T) => void,
      fail: (err: Error) => void,
      cancel: Int32Array,
      enqueue: (tasks: Task[]) => void,
    ) => { tasks: Task[]; onReply(reply: WorkerReply): void; onComplete(): void },
  ): Promise<T> {
    return new Promise<T>((resolvePromise, rejectPromise) => {
      if (this.disposed) return rejectPromise(new Error('the compute pool has been disposed'));
      if (signal?.aborted) return rejectPromise(new CancelledError());
      const cancel = new Int32Array(new SharedArrayBuffer(4));
      const onAbort = (): void => this.finishJob(job, new CancelledError());
      const job: Job = {
        id: this.nextJobId++,
        priority,
        pending: [],
        running: 0,
        cancel,
        done: false,
        onReply: () => undefined,
        onComplete: () => undefined,
        reject: rejectPromise,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      const resolve = (value: T): void => {
        if (job.done) return;
        this.finishJob(job, null);
        resolvePromise(value);
      };
      const fail = (err: Error): void => this.finishJob(job, err);
      const enqueue = (tasks: Task[]): void => {
        if (!job.done) job.pending.push(...tasks);
      };
      let handlers: ReturnType<typeof setup>;
      try {
        handlers = setup(resolve, fail, cancel, enqueue);
      } catch (err) {
        return rejectPromise(err instanceof Error ? err : new Error(String(err)));
      }
      job.pending = handlers.tasks;
      job.onReply = (reply) => {
        try {
          handlers.onReply(reply);
        } catch (err) {
          fail(err instanceof Error ? err : new Error(String(err)));
        }
      };
      job.onComplete = () => {
        try {
          handlers.onComplete();
        } catch (err) {
          fail(err instanceof Error ? err : new Error(String(err)));
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.jobs.push(job);
      if (job.pending.length === 0) {
        job.onComplete();
        return;
      }
      this.pump();
    });
  }

  /**
   * Ends a job: with `err` it rejects and stops the job's running tasks (flag, then terminate after
   * stopTimeoutMs); with null it was resolved.
   */
  private finishJob(job: Job, err: Error | null): void {
    if (job.done) return;
    job.done = true;
    job.pending = [];
    job.cleanup();
    const i = this.jobs.indexOf(job);
    if (i >= 0) this.jobs.splice(i, 1);
    if (err) {
      Atomics.store(job.cancel, 0, 1);
      for (const slot of this.slots) {
        if (slot.busy?.job === job && !slot.stopTimer) {
          const taskId = slot.busy.taskId;
          slot.stopTimer = setTimeout(() => {
            slot.stopTimer = null;
            if (slot.busy?.taskId === taskId) this.retire(slot);
          }, this.stopTimeoutMs);
        }
      }
      job.reject(err);
    }
    this.pump();
  }

  /** Assigns pending tasks to idle workers, starting workers up to workerCount as needed. */
  private pump(): void {
    if (this.disposed) return;
    for (;;) {
      const job = this.nextJobWithWork();
      if (!job) break;
      let slot = this.slots.find((s) => !s.busy && !s.retired);
      if (!slot) {
        if (this.slots.length >= this.workerCount) break;
        try {
          // Start every missing thread now: loading the engine takes a while, and a map (which
          // needs them all) usually follows the first analysis.
          slot = this.spawn();
          while (this.slots.length < this.workerCount) this.spawn();
        } catch (err) {
          this.finishJob(job, err instanceof Error ? err : new Error(String(err)));
          continue;
        }
      }
      const task = job.pending.shift() as Task;
      const taskId = this.nextTaskId++;
      slot.busy = { job, taskId, describe: task.describe };
      job.running++;
      slot.worker.ref();
      slot.worker.postMessage({ ...task.request, taskId } as WorkerRequest);
    }
  }

  private nextJobWithWork(): Job | undefined {
    let best: Job | undefined;
    for (const job of this.jobs) {
      if (job.pending.length === 0) continue;
      if (!best || job.priority < best.priority) best = job;
    }
    return best;
  }

  private spawn(): Slot {
    if (!existsSync(this.workerScript)) throw new Error(`compute worker script not found at ${this.workerScript} (run \`npm run build\`)`);
    const boot: WorkerBootData = { testHooks: this.testHooks };
    const worker = new Worker(this.workerScript, { workerData: boot });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const slot: Slot = { worker, busy: null, retired: false, lastError: null, stopTimer: null, exited };
    worker.on('message', (reply: WorkerReply) => this.onMessage(slot, reply));
    worker.on('error', (err: Error) => {
      slot.lastError = err;
    });
    worker.on('messageerror', (err: Error) => {
      slot.lastError = err;
    });
    worker.on('exit', (code: number) => this.onExit(slot, code));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, reply: WorkerReply): void {
    const busy = slot.busy;
    if (!busy || busy.taskId !== reply.taskId) return; // stale reply of a retired task
    if (isPartialReply(reply)) {
      // progress within a task (a training run's curves so far): the task goes on
      if (!busy.job.done) busy.job.onReply(reply);
      return;
    }
    slot.busy = null;
    if (slot.stopTimer) {
      clearTimeout(slot.stopTimer);
      slot.stopTimer = null;
    }
    slot.worker.unref();
    const job = busy.job;
    job.running--;
    if (!job.done) {
      if (reply.type === 'error') this.finishJob(job, deserializeError(reply.error));
      else if (reply.type === 'cancelled') this.finishJob(job, new CancelledError());
      else {
        job.onReply(reply);
        if (!job.done && job.pending.length === 0 && job.running === 0) job.onComplete();
      }
    }
    this.pump();
    this.notifyIdle();
  }

  private onExit(slot: Slot, code: number): void {
    this.retiring.delete(slot);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    if (slot.stopTimer) clearTimeout(slot.stopTimer);
    const busy = slot.busy;
    slot.busy = null;
    if (busy && !slot.retired) {
      busy.job.running--;
      const why = slot.lastError ? `: ${slot.lastError.message}` : '';
      this.finishJob(
        busy.job,
        new WorkerCrashedError(`the compute worker stopped unexpectedly (exit code ${code}${why}) while computing ${busy.describe}; a fresh worker will be started for the next job`),
      );
    }
    this.pump();
    this.notifyIdle();
  }

  /** Terminates a worker on purpose (cancellation fallback, dispose); it counts as idle at once. */
  private retire(slot: Slot): void {
    if (slot.retired) return;
    slot.retired = true;
    if (slot.stopTimer) clearTimeout(slot.stopTimer);
    slot.stopTimer = null;
    if (slot.busy) slot.busy.job.running--;
    slot.busy = null;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    this.retiring.add(slot);
    void slot.worker.terminate();
    this.pump();
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.busyCount !== 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
