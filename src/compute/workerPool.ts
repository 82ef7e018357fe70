/**
 * The generic core of the ComputePool (pool.ts): a lazily created, reused pool of worker_threads
 * with a job queue. No thread exists until the first job, which starts all of them (loading the
 * engine takes a while; warmUp() does it earlier). What a job sends and how its replies are
 * merged is given to `submit` by the job kinds (pool.ts, basinJob.ts, orbitJob.ts, nnJobs.ts).
 *
 * - A job is a list of tasks (one request each); pending tasks go to whichever worker is free,
 *   interactive jobs (priority 0) before bulk ones (priority 1). A job may add tasks as it goes.
 * - Cancellation: an AbortSignal sets a shared Int32Array flag that the kernel checks every few
 *   hundred steps; a worker that is not idle within `stopTimeoutMs` is terminated and replaced.
 * - A worker that throws fails only the task's job; a worker that dies is dropped and a fresh one
 *   is started on demand.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CancelledError, deserializeError, WorkerCrashedError } from './poolErrors';
import { isPartialReply, type WorkerBootData, type WorkerReply, type WorkerRequest } from './protocol';

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

export type TaskRequest = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'taskId'> : never) : never;

export interface Task {
  request: TaskRequest;
  /** for error messages: what the worker was doing */
  describe: string;
}

/** What a job's setup returns to WorkerPool.submit: its first tasks and its reply handlers. */
export interface JobHandlers {
  tasks: Task[];
  onReply(reply: WorkerReply): void;
  /** all tasks replied */
  onComplete(): void;
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

function defaultWorkerScript(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [path.join(here, 'worker.js'), path.join(here, '..', '..', 'dist', 'worker.js'), path.join(process.cwd(), 'dist', 'worker.js')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** The threads, the job queue and its scheduling; ComputePool (pool.ts) adds the job kinds. */
export class WorkerPool {
  readonly workerCount: number;
  private readonly workerScript: string;
  private readonly stopTimeoutMs: number;
  protected readonly testHooks: boolean;
  private readonly slots: Slot[] = [];
  private readonly jobs: Job[] = [];
  private idleWaiters: (() => void)[] = [];
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
  protected submit<T>(
    priority: number,
    signal: AbortSignal | undefined,
    setup: (
      resolve: (value: T) => void,
      fail: (err: Error) => void,
      cancel: Int32Array,
      enqueue: (tasks: Task[]) => void,
    ) => JobHandlers,
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
