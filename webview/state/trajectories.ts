/**
 * GD trajectories drawn on the map and charted: a config's starts, at most one clicked pixel,
 * re-requested (new ids, old data dropped) whenever η changes; answers for stale ids are ignored.
 */
import type { HostToWebview } from '../../src/shared/protocol';
import { sliceStart } from '../lib/geometry';
import { takeRequestId } from './selectors';
import type { PanelState, TrajectoriesState, TrajectoryEntry } from './types';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

function withEntries(state: PanelState, patch: Partial<TrajectoriesState>): PanelState {
  return { ...state, trajectories: { ...state.trajectories, ...patch } };
}

/** Trajectories of the session's starts (a start gives every coordinate, or only the two map axes). */
export function configStarts(state: PanelState): PanelState {
  const session = state.session;
  const a = state.analysis;
  if (!session || !a) return state;
  let s = state;
  const entries: TrajectoryEntry[] = [];
  for (const start of session.starts) {
    const init = start.length === a.variables.length ? start.slice() : start.length === 2 ? sliceStart(a.base, a.axes, start[0], start[1]) : null;
    if (!init) {
      s = { ...s, error: `Start (${start.join(', ')}) has ${start.length} coordinates; the objective has ${a.variables.length} variables.` };
      continue;
    }
    let requestId: number;
    [requestId, s] = takeRequestId(s);
    entries.push({ requestId, source: 'config', init, eta: s.eta, data: null, error: null });
  }
  return withEntries(s, { entries, selected: entries.length > 0 ? 0 : -1 });
}

/** Every trajectory again at the current η: new ids, so answers at the old η are dropped. */
export function rerunTrajectories(state: PanelState): PanelState {
  let s = state;
  const entries = state.trajectories.entries.map((t) => {
    let requestId: number;
    [requestId, s] = takeRequestId(s);
    return { ...t, requestId, eta: state.eta, data: null, error: null };
  });
  return withEntries(s, { entries });
}

/** A clicked pixel replaces the previous clicked one and becomes the selected trajectory. */
export function pickStart(state: PanelState, x: number, y: number): PanelState {
  const a = state.analysis;
  if (!a) return state;
  const init = sliceStart(a.base, a.axes, x, y);
  const [requestId, s] = takeRequestId(state);
  const entries = [...s.trajectories.entries.filter((t) => t.source !== 'click'), { requestId, source: 'click' as const, init, eta: s.eta, data: null, error: null }];
  return withEntries(s, { entries, selected: entries.length - 1 });
}

/** Showing a trajectory's charts clears the chart-hover highlight. */
export function selectTrajectory(state: PanelState, index: number): PanelState {
  const t = state.trajectories;
  return withEntries(state, { selected: index, highlight: t.entries[index]?.data ? null : t.highlight });
}

export function hostTrajectory(state: PanelState, msg: Msg<'trajectory'>): PanelState {
  const t = state.trajectories;
  const i = t.entries.findIndex((e) => e.requestId === msg.requestId);
  if (i < 0) return state;
  const entries = t.entries.map((e, j) => (j === i ? { ...e, data: msg.trajectory } : e));
  return withEntries(state, { entries, highlight: i === t.selected ? null : t.highlight });
}

/** An error for one of the trajectories (false: the error is not about a trajectory). */
export function trajectoryError(state: PanelState, msg: Msg<'error'>): PanelState | false {
  const t = state.trajectories;
  if (!t.entries.some((e) => e.requestId === msg.requestId)) return false;
  return withEntries(state, { entries: t.entries.map((e) => (e.requestId === msg.requestId ? { ...e, error: msg.message } : e)) });
}
