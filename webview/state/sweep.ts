/** The learning-rate sweep: one job over the current window, points streaming in, then all of them. */
import type { HostToWebview } from '../../src/shared/protocol';
import { currentWindow, takeRequestId } from './selectors';
import type { PanelState } from './types';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

/** Starts per η of a sweep (per side). */
export const SWEEP_GRID = 64;

export function runSweep(state: PanelState): PanelState {
  const w = currentWindow(state);
  if (!w || !state.analysis) return state;
  const [requestId, s] = takeRequestId(state);
  return {
    ...s,
    sweep: { requestId, window: w, grid: SWEEP_GRID, points: [], progress: null, done: false, cancelled: false },
    status: { ...s.status, cancelVisible: true },
  };
}

export function hostSweepPoint(state: PanelState, msg: Msg<'sweepPoint'>): PanelState {
  const sw = state.sweep;
  if (sw?.requestId !== msg.requestId) return state;
  return { ...state, sweep: { ...sw, points: [...sw.points, msg.point], progress: { done: msg.done, total: msg.total }, cancelled: false } };
}

export function hostSweepDone(state: PanelState, msg: Msg<'sweepDone'>): PanelState {
  const sw = state.sweep;
  if (sw?.requestId !== msg.requestId) return state;
  const mainRunning = state.main !== null && !state.main.done;
  return {
    ...state,
    sweep: { ...sw, points: msg.points, done: true },
    status: mainRunning ? state.status : { ...state.status, cancelVisible: false },
  };
}
