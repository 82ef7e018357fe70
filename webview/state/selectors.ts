/** Values derived from the panel state (pure). */
import type { PanelViewState } from '../../src/shared/protocol';
import type { MapWindow, PanelState, TrajectoryEntry } from './types';

/** The whole domain of the map's two axes, once the analysis is known. */
export function fullWindow(state: PanelState): MapWindow | null {
  const a = state.analysis;
  if (!a) return null;
  const [ix, iy] = a.axes;
  return { xRange: [a.domain[ix][0], a.domain[ix][1]], yRange: [a.domain[iy][0], a.domain[iy][1]] };
}

/** The zoom window, or the whole domain when not zoomed. */
export function currentWindow(state: PanelState): MapWindow | null {
  return state.zoom.window ?? fullWindow(state);
}

export function axisNames(state: PanelState): [string, string] {
  const a = state.analysis;
  if (!a) return ['x', 'y'];
  return [a.variables[a.axes[0]] ?? 'x', a.variables[a.axes[1]] ?? 'y'];
}

/** η and zoom as persisted for the serializer (vscode.setState) and reported to the host. */
export function viewState(state: PanelState): PanelViewState {
  const w = state.zoom.window;
  return { eta: state.eta, xRange: w ? w.xRange : null, yRange: w ? w.yRange : null };
}

export function selectedTrajectory(state: PanelState): TrajectoryEntry | null {
  return state.trajectories.entries[state.trajectories.selected] ?? null;
}

/** A new request id and the state that has used it up. */
export function takeRequestId(state: PanelState): [number, PanelState] {
  return [state.nextRequestId, { ...state, nextRequestId: state.nextRequestId + 1 }];
}
