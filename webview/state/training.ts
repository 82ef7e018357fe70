/**
 * The training view's state, a view slice (core/store.ts addSlice): the network session, and one
 * training job whose runs (one per learning rate) fill in as the host streams their curves.
 * Pure and DOM-free (unit-tested in Node).
 *
 * As with the basin maps' MapData, a run's per-step arrays are a write-once buffer: streamed
 * steps are copied into it in place (it grows by doubling) and the job object is replaced with
 * `revision + 1`, so a long run is not copied for every chunk.
 */
import type { WebviewToHost } from '../../src/shared/protocol';
import type { NetworkSession } from '../../src/shared/networkSession';
import type { TrainChunk, TrainRunEnd } from '../../src/shared/networkProtocol';
import type { SliceDef, SliceEnv } from '../core/store';
import type { Action } from './actions';

export interface RunCurves {
  index: number;
  eta: number;
  threshold: number;
  /** steps recorded so far (iterates 0 … length−1) */
  length: number;
  /** L(θ_k), NaN where not finite; capacity ≥ length */
  loss: Float64Array;
  gradNorm: Float64Array;
  increased: Uint8Array;
  /** the last step with a loss increase so far (−1: none) */
  lastIncrease: number;
  sharpnessSteps: number[];
  /** λ_max(∇²L) */
  sharpness: number[];
  /** λ_max(P⁻¹∇²L) for adaptive optimizers */
  preconditioned: number[];
  end: TrainRunEnd | null;
}

export interface TrainJobState {
  requestId: number;
  runs: RunCurves[];
  /** of the whole job, 0..1 */
  fraction: number;
  /** bumped whenever data lands */
  revision: number;
  done: boolean;
  cancelled: boolean;
  /** Stop was pressed: the host ends the runs and keeps what they computed */
  stopping: boolean;
  error: string | null;
  /** 'mlp 1→32→32→1 tanh, mse, …' once the host knows */
  description: string;
  elapsedMs: number;
}

export interface TrainingState {
  session: NetworkSession | null;
  job: TrainJobState | null;
}

export type TrainingAction = { type: 'trainAgain' } | { type: 'trainStop' };

/** K so far: index of the last increase (the host's K once the run ended). Steps k < K are the unstable phase. */
export function runK(run: RunCurves): number {
  return run.end ? run.end.K : Math.max(0, run.lastIncrease);
}

/** The sharpness compared with the threshold line (preconditioned for adaptive optimizers). */
export function comparedSharpness(run: RunCurves, preconditioned: boolean): number[] {
  return preconditioned && run.preconditioned.length === run.sharpness.length ? run.preconditioned : run.sharpness;
}

/** The first measured step whose compared sharpness reached the threshold (null: not yet). */
export function firstAtThreshold(run: RunCurves, preconditioned: boolean): number | null {
  if (run.end) return run.end.firstAtThreshold;
  const s = comparedSharpness(run, preconditioned);
  const i = s.findIndex((v) => v >= run.threshold);
  return i < 0 ? null : run.sharpnessSteps[i];
}

function emptyRun(session: NetworkSession, index: number): RunCurves {
  const capacity = Math.min(session.steps + 1, 1024);
  return {
    index, eta: session.learningRates[index], threshold: session.thresholds[index], length: 0,
    loss: new Float64Array(capacity), gradNorm: new Float64Array(capacity), increased: new Uint8Array(capacity), lastIncrease: -1,
    sharpnessSteps: [], sharpness: [], preconditioned: [], end: null,
  };
}

function newJob(session: NetworkSession, requestId: number): TrainJobState {
  return {
    requestId, runs: session.learningRates.map((_, i) => emptyRun(session, i)), fraction: 0, revision: 0,
    done: false, cancelled: false, stopping: false, error: null, description: '', elapsedMs: 0,
  };
}

function grow<T extends Float64Array | Uint8Array>(a: T, need: number): T {
  if (a.length >= need) return a;
  let capacity = Math.max(1, a.length);
  while (capacity < need) capacity *= 2;
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

const value = (v: number | null): number => (v === null ? NaN : v);

/** Copies a streamed chunk into its run (in place; see the file comment). */
export function appendChunk(run: RunCurves, chunk: TrainChunk): RunCurves {
  const end = chunk.fromStep + chunk.loss.length;
  const loss = grow(run.loss, end);
  const gradNorm = grow(run.gradNorm, end);
  const increased = grow(run.increased, end);
  let lastIncrease = run.lastIncrease;
  for (let i = 0; i < chunk.loss.length; i++) {
    const k = chunk.fromStep + i;
    loss[k] = value(chunk.loss[i]);
    gradNorm[k] = value(chunk.gradNorm[i]);
    increased[k] = chunk.increased[i] ? 1 : 0;
    if (increased[k] && k > lastIncrease) lastIncrease = k;
  }
  const m = chunk.fromMeasurement;
  const keep = <T>(a: T[]): T[] => a.slice(0, m);
  return {
    ...run, loss, gradNorm, increased, lastIncrease, length: Math.max(run.length, end),
    sharpnessSteps: [...keep(run.sharpnessSteps), ...chunk.sharpnessSteps],
    sharpness: [...keep(run.sharpness), ...chunk.sharpness.map(value)],
    preconditioned: [...keep(run.preconditioned), ...chunk.preconditioned.map(value)],
  };
}

function updateJob(state: TrainingState, requestId: number, change: (job: TrainJobState) => TrainJobState): TrainingState {
  const job = state.job;
  return job && job.requestId === requestId ? { ...state, job: change(job) } : state;
}

function reduce(state: TrainingState, action: Action, env: SliceEnv): TrainingState {
  if (env.root.mode !== 'network') return state.session || state.job ? { session: null, job: null } : state;
  if (action.type !== 'host') return state;
  const msg = action.message;
  switch (msg.type) {
    case 'networkSession':
      return { session: msg.session, job: newJob(msg.session, env.requestId()) };
    case 'trainProgress':
      return updateJob(state, msg.requestId, (job) => {
        const run = job.runs[msg.chunk.run];
        if (!run || job.done) return job;
        const runs = job.runs.slice();
        runs[msg.chunk.run] = appendChunk(run, msg.chunk);
        return { ...job, runs, fraction: Math.max(job.fraction, Math.min(1, msg.fraction)), revision: job.revision + 1 };
      });
    case 'trainRun':
      return updateJob(state, msg.requestId, (job) => {
        const run = job.runs[msg.end.run];
        if (!run) return job;
        const runs = job.runs.slice();
        runs[msg.end.run] = { ...run, end: msg.end };
        return { ...job, runs, description: msg.description, revision: job.revision + 1 };
      });
    case 'trainDone':
      return updateJob(state, msg.requestId, (job) => ({
        ...job, done: true, cancelled: msg.cancelled, stopping: false, elapsedMs: msg.elapsedMs, description: msg.description || job.description,
        fraction: msg.cancelled ? job.fraction : 1, revision: job.revision + 1,
      }));
    case 'error':
      return msg.requestId === null ? state : updateJob(state, msg.requestId, (job) => ({ ...job, done: true, stopping: false, error: msg.message, revision: job.revision + 1 }));
    case 'cancelled': {
      const job = state.job;
      if (!job || job.done || (msg.requestId !== null && msg.requestId !== job.requestId)) return state;
      return { ...state, job: { ...job, done: true, cancelled: true, stopping: false, revision: job.revision + 1 } };
    }
    default:
      return state;
  }
}

function update(state: TrainingState, action: TrainingAction, env: SliceEnv): TrainingState {
  switch (action.type) {
    case 'trainAgain':
      return state.session ? { ...state, job: newJob(state.session, env.requestId()) } : state;
    case 'trainStop':
      return state.job && !state.job.done && !state.job.stopping ? { ...state, job: { ...state.job, stopping: true } } : state;
  }
}

function requests(prev: TrainingState, next: TrainingState): WebviewToHost[] {
  const job = next.job;
  if (!job) return [];
  if (job.requestId !== prev.job?.requestId) return [{ type: 'train', requestId: job.requestId }];
  if (job.stopping && !prev.job.stopping) return [{ type: 'cancel', requestId: job.requestId }];
  return [];
}

export const trainingSlice: SliceDef<TrainingState, TrainingAction> = { key: 'training', initial: { session: null, job: null }, reduce, update, requests };
