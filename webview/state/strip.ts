/**
 * Figure 2's strip as a view slice (core/store.ts addSlice): small maps at the paper's fractions
 * of η_max (or the session's own learning rates) over the current window, re-run when the window
 * changes while the strip is shown, reset by a new session. A worked example of a view that
 * brings its own state, jobs and requests without touching the core reducer.
 */
import type { WebviewToHost } from '../../src/shared/protocol';
import type { SliceDef, SliceEnv } from '../core/store';
import { createMapData, insertRows } from '../lib/colors';
import type { MapData } from '../lib/colors';
import { PAPER_ETA_FRACTIONS } from '../lib/geometry';
import type { Action } from './actions';
import { decodeRows } from './mainMap';
import { insertIncreases } from '../lib/increaseLayer';
import { base64ToUint16 } from '../../src/shared/optimizerMessages';
import { currentWindow } from './selectors';
import type { MapWindow, PanelState } from './types';

/** Pixels per side of a strip map (at most; never more than the session's grid). */
export const STRIP_GRID = 96;
/** At most this many of the session's learning rates are shown. */
export const STRIP_MAX_MAPS = 8;

export interface StripEntry {
  requestId: number;
  /** position in the strip (the request's stripIndex) */
  index: number;
  eta: number;
  /** η / η_max */
  fraction: number;
  grid: number;
  window: MapWindow;
  map: MapData | null;
  /** bumped whenever rows land in `map` */
  revision: number;
  done: boolean;
}

export interface StripState {
  /** empty: the strip is hidden */
  entries: StripEntry[];
}

/** One map per learning rate over the current window (unchanged when there is no η_max). */
export function runStrip(state: StripState, root: PanelState, env: Pick<SliceEnv, 'requestId'>): StripState {
  const a = root.analysis;
  const s = root.session;
  const w = currentWindow(root);
  if (!a || !s || !w) return state;
  const etaMax = a.etaMax;
  // without a static η_max (no minimum; Adam / RMSProp) only the session's own learning rates
  if (etaMax === null && s.learningRates.length === 0) return { entries: [] };
  const etas = s.learningRates.length > 0 || etaMax === null ? s.learningRates.slice(0, STRIP_MAX_MAPS) : PAPER_ETA_FRACTIONS.map((f) => f * etaMax);
  const grid = Math.min(STRIP_GRID, s.grid);
  return {
    entries: etas.map((eta, index) => ({
      requestId: env.requestId(), index, eta, fraction: etaMax === null ? NaN : eta / etaMax, grid, window: w, map: null, revision: 0, done: false,
    })),
  };
}

function updateEntry(state: StripState, requestId: number, change: (e: StripEntry) => StripEntry): StripState {
  const i = state.entries.findIndex((e) => e.requestId === requestId);
  if (i < 0) return state;
  return { entries: state.entries.map((e, j) => (j === i ? change(e) : e)) };
}

function reduce(state: StripState, action: Action, env: SliceEnv): StripState {
  const { root, prev } = env;
  if (root.generation !== prev.generation) return { entries: [] };
  if (action.type === 'stripRequested') return runStrip(state, root, env);
  if (action.type !== 'host') {
    // a new zoom window or optimizer re-runs a strip that is shown
    const moved = root.zoom.window !== prev.zoom.window || root.optimizer !== prev.optimizer;
    return moved && state.entries.length > 0 ? runStrip(state, root, env) : state;
  }
  const msg = action.message;
  switch (msg.type) {
    case 'command':
      return msg.command === 'strip' ? runStrip(state, root, env) : state;
    case 'basinStart': {
      const e = state.entries[msg.stripIndex];
      if (msg.purpose !== 'strip' || !e || e.requestId !== msg.requestId) return state;
      return updateEntry(state, msg.requestId, (x) => ({ ...x, map: createMapData(msg.slice.width, msg.slice.height, msg.eta) }));
    }
    case 'basinRows':
      return updateEntry(state, msg.requestId, (e) => {
        if (!e.map) return e;
        insertRows(e.map, msg.rowStart, msg.rowEnd, ...decodeRows(msg));
        insertIncreases(e.map, msg.rowStart, msg.rowEnd, base64ToUint16(msg.increases));
        return { ...e, revision: e.revision + 1 };
      });
    case 'basinDone':
      return updateEntry(state, msg.requestId, (e) => ({ ...e, done: true }));
    default:
      return state;
  }
}

function requests(prev: StripState, next: StripState, root: PanelState): WebviewToHost[] {
  const known = new Set(prev.entries.map((e) => e.requestId));
  return next.entries.filter((e) => !known.has(e.requestId)).map((e) => ({
    type: 'basin', requestId: e.requestId, purpose: 'strip', stripIndex: e.index, eta: e.eta, xRange: e.window.xRange, yRange: e.window.yRange, grid: e.grid,
    optimizer: root.optimizer,
  }));
}

export const stripSlice: SliceDef<StripState> = { key: 'strip', initial: { entries: [] }, reduce, requests };
