/** What the user looks at: η, the zoom window with its history, and the display options. */
import { requestMain } from './mainMap';
import { currentWindow } from './selectors';
import { rerunTrajectories } from './trajectories';
import type { MapWindow, PanelState } from './types';

/** A new η recomputes the map and every trajectory (the stale jobs' answers are dropped). */
export function setEta(state: PanelState, eta: number, fromSlider: boolean): PanelState {
  if (!(eta > 0) || !Number.isFinite(eta)) return state;
  return rerunTrajectories(requestMain({ ...state, eta, etaFromSlider: fromSlider }));
}

/** Shows `window`; with `push`, Back returns to the window shown before. */
export function zoomTo(state: PanelState, window: MapWindow, push: boolean): PanelState {
  const cur = currentWindow(state);
  const stack = push && cur ? [...state.zoom.stack, cur] : state.zoom.stack;
  return requestMain({ ...state, zoom: { window, stack } });
}

export function zoomBack(state: PanelState): PanelState {
  const stack = state.zoom.stack;
  if (stack.length === 0) return state;
  return zoomTo({ ...state, zoom: { ...state.zoom, stack: stack.slice(0, -1) } }, stack[stack.length - 1], false);
}

export function zoomReset(state: PanelState): PanelState {
  if (!state.zoom.window) return state;
  return requestMain({ ...state, zoom: { window: null, stack: [] } });
}
