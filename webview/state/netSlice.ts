/**
 * The network slice map's state, a view slice: which trained point (the end of which run), which
 * plane, grid, window and step budget, and the one slice job whose rows stream in. The runs that
 * can be sliced are learned from the training job's host messages (a run that ended and did not
 * diverge). Pure and DOM-free (unit-tested in Node); the map is a MapData as for expression maps.
 */
import type { WebviewToHost } from '../../src/shared/protocol';
import { base64ToBytes, base64ToUint32 } from '../../src/shared/base64';
import type { SlicePlaneName } from '../../src/shared/networkProtocol';
import type { SliceDef, SliceEnv } from '../core/store';
import { createMapData, insertRows, type MapData } from '../lib/colors';
import type { Action } from './actions';

export const SLICE_GRIDS: readonly number[] = [16, 24, 32, 48, 64];
export const SLICE_RANGES: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1];
export const SLICE_STEPS: readonly number[] = [250, 500, 1000, 2000, 5000];
export const SLICE_DEFAULTS = { plane: 'hessian' as SlicePlaneName, grid: 24, range: 0.25, maxSteps: 500 };

export interface NetSliceJob {
  requestId: number;
  run: number;
  eta: number;
  plane: SlicePlaneName;
  grid: number;
  /** the plane coordinates run over [−range, range] (units of ‖θ*‖) */
  range: number;
  maxSteps: number;
  map: MapData | null;
  revision: number;
  /** top two Hessian eigenvalues at θ* (Hessian plane) */
  eigenvalues: number[];
  centerLoss: number | null;
  progress: number;
  done: boolean;
  cancelled: boolean;
  error: string | null;
  /** pixels per class code, once done */
  counts: number[] | null;
  elapsedMs: number;
}

export interface NetSliceState {
  plane: SlicePlaneName;
  grid: number;
  range: number;
  maxSteps: number;
  /** the run whose end point is the centre (index into the session's learning rates) */
  run: number;
  /** the training job the runs below belong to */
  trainRequestId: number | null;
  /** runs that ended without diverging (their end points can be sliced), ascending */
  ended: number[];
  etas: number[];
  job: NetSliceJob | null;
}

export type NetSliceAction =
  | { type: 'slicePlaneChosen'; plane: SlicePlaneName }
  | { type: 'sliceGridChosen'; grid: number }
  | { type: 'sliceRangeChosen'; range: number }
  | { type: 'sliceStepsChosen'; maxSteps: number }
  | { type: 'sliceRunChosen'; run: number }
  | { type: 'sliceRequested' }
  | { type: 'sliceStop' };

export const NET_SLICE_INITIAL: NetSliceState = { ...SLICE_DEFAULTS, run: 0, trainRequestId: null, ended: [], etas: [], job: null };

function updateJob(state: NetSliceState, requestId: number, change: (job: NetSliceJob) => NetSliceJob): NetSliceState {
  return state.job && state.job.requestId === requestId ? { ...state, job: change(state.job) } : state;
}

/** A training job's message: a new training job forgets the runs of the old one. */
function forTraining(state: NetSliceState, requestId: number): NetSliceState {
  return state.trainRequestId === requestId ? state : { ...state, trainRequestId: requestId, ended: [] };
}

function reduce(state: NetSliceState, action: Action, env: SliceEnv): NetSliceState {
  if (env.root.mode !== 'network') return state.job || state.etas.length > 0 ? NET_SLICE_INITIAL : state;
  if (action.type !== 'host') return state;
  const msg = action.message;
  switch (msg.type) {
    case 'networkSession':
      return { ...NET_SLICE_INITIAL, plane: state.plane, grid: state.grid, range: state.range, maxSteps: state.maxSteps, etas: msg.session.learningRates.slice() };
    case 'trainProgress':
      return forTraining(state, msg.requestId);
    case 'trainRun': {
      const s = forTraining(state, msg.requestId);
      const usable = msg.end.status !== 'diverged' && msg.end.steps > 0;
      if (!usable || s.ended.includes(msg.end.run)) return s;
      const ended = [...s.ended, msg.end.run].sort((a, b) => a - b);
      // the first usable run becomes the choice while none was usable
      return { ...s, ended, run: s.ended.includes(s.run) ? s.run : ended[0] };
    }
    case 'netSliceStart':
      return updateJob(state, msg.requestId, (job) => ({
        ...job, map: createMapData(msg.width, msg.height), revision: 0, eigenvalues: msg.eigenvalues, centerLoss: msg.centerLoss,
      }));
    case 'netSliceRows':
      return updateJob(state, msg.requestId, (job) => {
        if (!job.map) return job;
        const classes = base64ToBytes(msg.classes);
        const steps = base64ToUint32(msg.steps);
        const K = base64ToUint32(msg.K);
        const minimum = new Int8Array(classes.length).fill(-1);
        insertRows(job.map, msg.rowStart, msg.rowEnd, classes, minimum, steps, K);
        return { ...job, revision: job.revision + 1, progress: msg.progress.fraction };
      });
    case 'netSliceDone':
      return updateJob(state, msg.requestId, (job) => ({ ...job, done: true, counts: msg.counts, elapsedMs: msg.elapsedMs, progress: 1 }));
    case 'error':
      return msg.requestId === null ? state : updateJob(state, msg.requestId, (job) => ({ ...job, done: true, error: msg.message }));
    case 'cancelled': {
      const job = state.job;
      if (!job || job.done || (msg.requestId !== null && msg.requestId !== job.requestId)) return state;
      return { ...state, job: { ...job, done: true, cancelled: true } };
    }
    default:
      return state;
  }
}

function update(state: NetSliceState, action: NetSliceAction, env: SliceEnv): NetSliceState {
  switch (action.type) {
    case 'slicePlaneChosen': return { ...state, plane: action.plane };
    case 'sliceGridChosen': return SLICE_GRIDS.includes(action.grid) ? { ...state, grid: action.grid } : state;
    case 'sliceRangeChosen': return action.range > 0 ? { ...state, range: action.range } : state;
    case 'sliceStepsChosen': return SLICE_STEPS.includes(action.maxSteps) ? { ...state, maxSteps: action.maxSteps } : state;
    case 'sliceRunChosen': return state.ended.includes(action.run) ? { ...state, run: action.run } : state;
    case 'sliceRequested': {
      if (!state.ended.includes(state.run) || state.trainRequestId === null) return state;
      const job: NetSliceJob = {
        requestId: env.requestId(), run: state.run, eta: state.etas[state.run], plane: state.plane, grid: state.grid, range: state.range,
        maxSteps: state.maxSteps, map: null, revision: 0, eigenvalues: [], centerLoss: null, progress: 0, done: false, cancelled: false,
        error: null, counts: null, elapsedMs: 0,
      };
      return { ...state, job };
    }
    case 'sliceStop':
      return state.job && !state.job.done ? { ...state, job: { ...state.job, done: true, cancelled: true } } : state;
  }
}

function requests(prev: NetSliceState, next: NetSliceState): WebviewToHost[] {
  const job = next.job;
  if (!job) return [];
  if (job.requestId !== prev.job?.requestId) {
    return [{
      type: 'netSlice', requestId: job.requestId, trainRequestId: next.trainRequestId ?? 0, run: job.run, plane: job.plane,
      grid: job.grid, range: job.range, maxSteps: job.maxSteps,
    }];
  }
  if (job.cancelled && !prev.job.cancelled && !prev.job.done) return [{ type: 'cancel', requestId: job.requestId }];
  return [];
}

export const netSliceSlice: SliceDef<NetSliceState, NetSliceAction> = { key: 'network slice', initial: NET_SLICE_INITIAL, reduce, update, requests };
