/**
 * One start under two optimizers, side by side (a view slice, core/store.ts addSlice): the start
 * whose charts are shown (the selected trajectory, under the panel's optimizer) run again under a
 * second optimizer at the same η, in the same map window. A new start, η or second optimizer asks
 * again (new id: a late answer for the old one is dropped, and the host is told to stop it); a new
 * session turns the comparison off.
 */
import { optimizerKey, type OptimizerSpec } from '../../src/engine/optimizers/spec';
import type { TrajectoryView, WebviewToHost } from '../../src/shared/protocol';
import type { SliceDef, SliceEnv } from '../core/store';
import type { Action } from './actions';
import { selectedTrajectory } from './selectors';
import type { PanelState } from './types';

export interface CompareRun {
  requestId: number;
  init: number[];
  eta: number;
  optimizer: OptimizerSpec;
  data: TrajectoryView | null;
  error: string | null;
}

export interface CompareState {
  /** the second optimizer (null: the comparison is off) */
  second: OptimizerSpec | null;
  /** its run from the charted start, null until there is a start */
  run: CompareRun | null;
}

export type CompareAction = { type: 'compareSet'; optimizer: OptimizerSpec | null };

export const COMPARE_INITIAL: CompareState = { second: null, run: null };

const sameStart = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** The run the state should have: the charted start at the panel's η under the second optimizer. */
function sync(state: CompareState, root: PanelState, env: Pick<SliceEnv, 'requestId'>): CompareState {
  const start = selectedTrajectory(root);
  if (!state.second || !start || root.mode !== 'expression') return state.run ? { ...state, run: null } : state;
  const r = state.run;
  if (r && sameStart(r.init, start.init) && r.eta === root.eta && optimizerKey(r.optimizer) === optimizerKey(state.second)) return state;
  return { ...state, run: { requestId: env.requestId(), init: start.init.slice(), eta: root.eta, optimizer: state.second, data: null, error: null } };
}

function reduce(state: CompareState, action: Action, env: SliceEnv): CompareState {
  const { root, prev } = env;
  if (root.generation !== prev.generation) return COMPARE_INITIAL;
  if (action.type === 'host') {
    const msg = action.message;
    const r = state.run;
    if (msg.type === 'trajectory' && r?.requestId === msg.requestId) return { ...state, run: { ...r, data: msg.trajectory } };
    if (msg.type === 'error' && r && r.requestId === msg.requestId) return { ...state, run: { ...r, error: msg.message } };
  }
  return sync(state, root, env);
}

function update(state: CompareState, action: CompareAction, env: SliceEnv): CompareState {
  const same = action.optimizer && state.second ? optimizerKey(action.optimizer) === optimizerKey(state.second) : action.optimizer === state.second;
  if (same) return state;
  return sync({ ...state, second: action.optimizer }, env.root, env);
}

function requests(prev: CompareState, next: CompareState): WebviewToHost[] {
  const out: WebviewToHost[] = [];
  const old = prev.run;
  const run = next.run;
  if (old && old.requestId !== run?.requestId && !old.data && !old.error) out.push({ type: 'cancel', requestId: old.requestId });
  if (run && run.requestId !== old?.requestId) out.push({ type: 'trajectory', requestId: run.requestId, eta: run.eta, init: run.init, optimizer: run.optimizer });
  return out;
}

export const compareSlice: SliceDef<CompareState, CompareAction> = { key: 'compare', initial: COMPARE_INITIAL, reduce, update, requests };
