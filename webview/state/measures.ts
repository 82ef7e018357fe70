/**
 * The on-demand uncertainty exponent of the current map as a view slice: one job per request (the
 * map's η and window, a grid of at most 64² starts shifted by ±ε through the host's pool), with
 * progress; emptied when the main map changes (new η or window) or a new session starts.
 */
import type { UncertaintyView } from '../../src/shared/measuresMessages';
import type { WebviewToHost } from '../../src/shared/protocol';
import type { SliceDef, SliceEnv } from '../core/store';
import type { Action } from './actions';
import type { MainJob } from './types';

export const UNCERTAINTY_GRID = 64;

export interface UncertaintyJob {
  requestId: number;
  /** the main map it belongs to */
  mainRequestId: number;
  eta: number;
  window: MainJob['window'];
  status: 'running' | 'done' | 'failed' | 'cancelled';
  progress: { done: number; total: number } | null;
  starts: number;
  exponents: UncertaintyView[] | null;
  error: string | null;
}

export interface MeasuresState {
  uncertainty: UncertaintyJob | null;
}

export type MeasuresAction = { type: 'uncertaintyRequested' };

function patch(state: MeasuresState, requestId: number, change: Partial<UncertaintyJob>): MeasuresState {
  const u = state.uncertainty;
  return u && u.requestId === requestId ? { uncertainty: { ...u, ...change } } : state;
}

function reduce(state: MeasuresState, action: Action, env: SliceEnv): MeasuresState {
  const { root, prev } = env;
  if (root.generation !== prev.generation || root.main?.requestId !== prev.main?.requestId) return { uncertainty: null };
  if (action.type !== 'host') return state;
  const m = action.message;
  switch (m.type) {
    case 'measureProgress': return patch(state, m.requestId, { progress: { done: m.done, total: m.total } });
    case 'uncertaintyDone': return patch(state, m.requestId, { status: 'done', exponents: m.exponents, starts: m.starts, progress: null });
    case 'error': return m.requestId === null ? state : patch(state, m.requestId, { status: 'failed', error: m.message });
    case 'cancelled': return m.requestId === null && state.uncertainty?.status === 'running' ? { uncertainty: { ...state.uncertainty, status: 'cancelled' } } : m.requestId === null ? state : patch(state, m.requestId, { status: 'cancelled' });
    default: return state;
  }
}

function update(state: MeasuresState, _action: MeasuresAction, env: SliceEnv): MeasuresState {
  const main = env.root.main;
  if (!main?.done || !main.slice) return state;
  return {
    uncertainty: {
      requestId: env.requestId(), mainRequestId: main.requestId, eta: main.eta, window: main.window,
      status: 'running', progress: null, starts: 0, exponents: null, error: null,
    },
  };
}

function requests(prev: MeasuresState, next: MeasuresState): WebviewToHost[] {
  const u = next.uncertainty;
  if (!u || u.requestId === prev.uncertainty?.requestId) return [];
  return [{ type: 'uncertainty', requestId: u.requestId, eta: u.eta, xRange: u.window.xRange, yRange: u.window.yRange, grid: UNCERTAINTY_GRID }];
}

export const measuresSlice: SliceDef<MeasuresState, MeasuresAction> = { key: 'measures', initial: { uncertainty: null }, reduce, update, requests };
