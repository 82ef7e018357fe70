/**
 * A session (a problem to show) replaces everything; its analysis starts the main map and the
 * config's trajectories; its objective's IR gives f for contours and the certified set.
 */
import type { AnalysisSession } from '../../src/shared/session';
import type { AnalysisView, HostToWebview, PanelViewState } from '../../src/shared/protocol';
import { bindObjective } from '../lib/contours';
import { requestMain } from './mainMap';
import { viewState } from './selectors';
import { configStarts } from './trajectories';
import type { PanelState } from './types';
import { GD } from '../../src/engine/optimizers/spec';
import { withOptimizerEtaMax } from './optimizer';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

/**
 * The view saved for the same problem, when the host sends none (a window reload without host
 * state): what this webview last persisted — its current session and view once it has one, else
 * what vscode.getState() held at start.
 */
function savedViewFor(state: PanelState, session: AnalysisSession): PanelViewState | null {
  const saved = state.session ? { session: state.session, view: viewState(state) } : state.restored;
  if (!saved) return null;
  return JSON.stringify(saved.session.problem) === JSON.stringify(session.problem) ? saved.view : null;
}

export function hostSession(state: PanelState, msg: Msg<'session'>): PanelState {
  const session = msg.session;
  const restore = msg.view ?? savedViewFor(state, session);
  return {
    ...state,
    mode: 'expression',
    session,
    generation: state.generation + 1,
    analysis: null,
    objective: null,
    eta: restore?.eta ?? session.eta,
    optimizer: session.optimizer ?? GD,
    etaFromSlider: false,
    zoom: { window: restore && restore.xRange && restore.yRange ? { xRange: restore.xRange, yRange: restore.yRange } : null, stack: [] },
    display: session.colorScheme ? { ...state.display, scheme: session.colorScheme } : state.display,
    main: null,
    mapMessage: null,
    trajectories: { entries: [], selected: -1, highlight: null },
    sweep: null,
    error: null,
    status: { ...state.status, text: 'Finding critical points…' },
  };
}

export function hostAnalysis(state: PanelState, analysis: AnalysisView): PanelState {
  const first = state.analysis === null;
  const s: PanelState = { ...state, analysis: withOptimizerEtaMax(analysis, state.optimizer), etaFromSlider: false };
  return first ? configStarts(requestMain(s)) : s;
}

export function hostObjective(state: PanelState, msg: Msg<'objective'>): PanelState {
  const a = state.analysis;
  try {
    return { ...state, objective: bindObjective(msg.expr, msg.variables, a ? a.variables : msg.variables) };
  } catch (err) {
    return { ...state, objective: null, notice: `No contour lines: ${err instanceof Error ? err.message : String(err)}` };
  }
}
