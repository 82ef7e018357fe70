/**
 * The orbit-diagram view as a view slice (core/store.ts addSlice): one job at a time — the clicked
 * start (the selected trajectory's start) or, without one, a point next to the first minimum —
 * swept over η from 0.5 to 1.5 of that minimum's η_max (of the smallest η_max), with progress,
 * cancel, and the diagram when it arrives. A new session empties it.
 */
import { startsNearMinimum, type OrbitDiagram } from '../../src/engine/measures/orbit';
import { orbitDiagramFromView } from '../../src/shared/measuresMessages';
import type { WebviewToHost } from '../../src/shared/protocol';
import type { SliceDef, SliceEnv } from '../core/store';
import type { Action } from './actions';
import { selectedTrajectory } from './selectors';
import type { PanelState } from './types';

/** Learning rates per panel diagram, steps before recording, iterates recorded. */
export const ORBIT_PANEL = { count: 400, transient: 1800, keep: 200, range: [0.5, 1.5] as [number, number] };

export interface OrbitJobState {
  requestId: number;
  init: number[];
  /** where the start came from, for the title */
  source: 'clicked start' | 'config start' | 'next to minimum #0';
  etaRange: [number, number];
  /** the η the range is a multiple of (η_max of the minimum), null without one */
  etaReference: number | null;
  count: number;
  progress: { done: number; total: number } | null;
  status: 'running' | 'done' | 'cancelled' | 'failed';
  diagram: OrbitDiagram | null;
  error: string | null;
}

export interface OrbitState {
  job: OrbitJobState | null;
  /** the view's "what to plot" choice: 0 = loss, 1… = recorded coordinates */
  channel: number;
}

export type OrbitAction =
  | { type: 'orbitRequested' }
  | { type: 'orbitCancelled' }
  | { type: 'orbitChannelChosen'; channel: number };

/**
 * The start and η range of a new diagram, or an error text when there is nothing to start from
 * (no analysis, or neither a clicked start nor a minimum).
 */
export function orbitPlan(root: PanelState): { init: number[]; source: OrbitJobState['source']; etaRange: [number, number]; etaReference: number | null } | string {
  const a = root.analysis;
  if (!a) return 'the analysis has not arrived yet';
  const picked = selectedTrajectory(root);
  const minimum = a.minima[0];
  let init: number[];
  let source: OrbitJobState['source'];
  if (picked) {
    init = picked.init.slice();
    source = picked.source === 'click' ? 'clicked start' : 'config start';
  } else if (minimum) {
    init = startsNearMinimum(minimum.point, 1e-3 * (1 + Math.hypot(...minimum.point)))[0];
    source = 'next to minimum #0';
  } else return 'click a start on the map first: no strict minimum was found to start next to';
  // η_max of the minimum the start converged to (or starts next to), else the smallest one
  const reached = picked?.data?.minimum;
  const own = reached !== null && reached !== undefined && reached >= 0 ? a.minima[reached]?.etaMax : picked ? null : minimum?.etaMax;
  const reference = own ?? a.etaMax;
  if (reference === null) return 'no strict minimum was found, so there is no η_max to sweep around';
  return { init, source, etaRange: [ORBIT_PANEL.range[0] * reference, ORBIT_PANEL.range[1] * reference], etaReference: reference };
}

function start(state: OrbitState, root: PanelState, env: Pick<SliceEnv, 'requestId'>): OrbitState {
  const plan = orbitPlan(root);
  if (typeof plan === 'string') {
    return { ...state, job: { requestId: -1, init: [], source: 'next to minimum #0', etaRange: [0, 0], etaReference: null, count: 0, progress: null, status: 'failed', diagram: null, error: `Orbit diagram: ${plan}.` } };
  }
  return { ...state, job: { requestId: env.requestId(), ...plan, count: ORBIT_PANEL.count, progress: null, status: 'running', diagram: null, error: null } };
}

function patch(state: OrbitState, requestId: number, change: Partial<OrbitJobState>): OrbitState {
  const j = state.job;
  if (!j || j.requestId !== requestId) return state;
  return { ...state, job: { ...j, ...change } };
}

function reduce(state: OrbitState, action: Action, env: SliceEnv): OrbitState {
  if (env.root.generation !== env.prev.generation) return { job: null, channel: 0 };
  if (action.type !== 'host') return state;
  const m = action.message;
  switch (m.type) {
    case 'measureProgress': return patch(state, m.requestId, { progress: { done: m.done, total: m.total } });
    case 'orbitDone': return patch(state, m.requestId, { status: 'done', diagram: orbitDiagramFromView(m.diagram), progress: null });
    case 'error': return m.requestId === null ? state : patch(state, m.requestId, { status: 'failed', error: m.message });
    case 'cancelled':
      if (m.requestId === null) return state.job?.status === 'running' ? { ...state, job: { ...state.job, status: 'cancelled' } } : state;
      return patch(state, m.requestId, { status: 'cancelled' });
    default: return state;
  }
}

function update(state: OrbitState, action: OrbitAction, env: SliceEnv): OrbitState {
  switch (action.type) {
    case 'orbitRequested': return start(state, env.root, env);
    case 'orbitCancelled': return state.job?.status === 'running' ? { ...state, job: { ...state.job, status: 'cancelled' } } : state;
    case 'orbitChannelChosen': return { ...state, channel: action.channel };
  }
}

function requests(prev: OrbitState, next: OrbitState, root: PanelState): WebviewToHost[] {
  const j = next.job;
  const p = prev.job;
  if (j && j.requestId >= 0 && j.requestId !== p?.requestId) {
    const axes = root.analysis ? [...new Set(root.analysis.axes)] : [];
    return [{ type: 'orbit', requestId: j.requestId, init: j.init, etaRange: j.etaRange, count: j.count, transient: ORBIT_PANEL.transient, keep: ORBIT_PANEL.keep, record: axes }];
  }
  if (p && j && p.requestId === j.requestId && p.status === 'running' && j.status === 'cancelled') return [{ type: 'cancel', requestId: j.requestId }];
  return [];
}

export const orbitSlice: SliceDef<OrbitState, OrbitAction> = { key: 'orbit', initial: { job: null, channel: 0 }, reduce, update, requests };
