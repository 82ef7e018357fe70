/**
 * The tipping view as a view slice: η₁ is the panel's current η, the user picks η₂, and one job
 * compares the two maps of the current window (the host classifies both through the pool).
 * The result arrives as the transition matrices and the per-pixel transitions; a new session or
 * a new η₁ / window makes the shown result stale (kept, marked) until compared again.
 */
import { tippingTransitions, type TippingView } from '../../src/shared/measuresMessages';
import type { WebviewToHost } from '../../src/shared/protocol';
import type { SliceDef, SliceEnv } from '../core/store';
import type { Action } from './actions';
import { currentWindow } from './selectors';
import type { MapWindow, PanelState } from './types';

/** Starts per side of a tipping comparison (two maps of it). */
export const TIPPING_GRID = 128;

export interface TippingJob {
  requestId: number;
  eta1: number;
  eta2: number;
  window: MapWindow;
  grid: number;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  result: TippingView | null;
  transitions: Uint8Array | Uint16Array | null;
  error: string | null;
}

export interface TippingState {
  open: boolean;
  job: TippingJob | null;
}

export type TippingAction = { type: 'tippingOpened' } | { type: 'tippingRequested'; eta2: number };

/** The default η₂: 0.95 η_max below it, else half of η₁. */
export function defaultEta2(root: PanelState): number {
  const etaMax = root.analysis?.etaMax ?? null;
  if (etaMax !== null && root.eta < 0.95 * etaMax) return Number((0.95 * etaMax).toPrecision(4));
  return Number((root.eta / 2).toPrecision(4));
}

function patch(state: TippingState, requestId: number, change: Partial<TippingJob>): TippingState {
  const j = state.job;
  return j && j.requestId === requestId ? { ...state, job: { ...j, ...change } } : state;
}

function reduce(state: TippingState, action: Action, env: SliceEnv): TippingState {
  if (env.root.generation !== env.prev.generation) return { open: false, job: null };
  if (action.type !== 'host') return state;
  const m = action.message;
  switch (m.type) {
    case 'tippingDone': return patch(state, m.requestId, { status: 'done', result: m.tipping, transitions: tippingTransitions(m.tipping) });
    case 'error': return m.requestId === null ? state : patch(state, m.requestId, { status: 'failed', error: m.message });
    case 'cancelled': return m.requestId === null ? (state.job?.status === 'running' ? { ...state, job: { ...state.job, status: 'cancelled' } } : state) : patch(state, m.requestId, { status: 'cancelled' });
    default: return state;
  }
}

function update(state: TippingState, action: TippingAction, env: SliceEnv): TippingState {
  if (action.type === 'tippingOpened') return { ...state, open: true };
  const w = currentWindow(env.root);
  if (!w || !env.root.session || !(action.eta2 > 0) || !Number.isFinite(action.eta2)) return state;
  const grid = Math.min(TIPPING_GRID, env.root.session.grid);
  return {
    open: true,
    job: { requestId: env.requestId(), eta1: env.root.eta, eta2: action.eta2, window: w, grid, status: 'running', result: null, transitions: null, error: null },
  };
}

function requests(prev: TippingState, next: TippingState): WebviewToHost[] {
  const j = next.job;
  if (!j || j.requestId === prev.job?.requestId) return [];
  return [{ type: 'tipping', requestId: j.requestId, eta1: j.eta1, eta2: j.eta2, xRange: j.window.xRange, yRange: j.window.yRange, grid: j.grid }];
}

export const tippingSlice: SliceDef<TippingState, TippingAction> = { key: 'tipping', initial: { open: false, job: null }, reduce, update, requests };
