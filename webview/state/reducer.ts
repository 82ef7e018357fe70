/**
 * The panel's reducer: (state, action) → state, pure (no DOM, no messages sent; what to ask the
 * host follows from the state change, see requests.ts). Each case delegates to the feature file
 * that owns it.
 */
import type { HostToWebview, PersistedState } from '../../src/shared/protocol';
import type { ThemeColors } from '../lib/theme';
import type { Action } from './actions';
import { hostCancelled, hostError, mainBasinDone, mainBasinRows, mainBasinStart } from './mainMap';
import { enterNetworkMode } from './mode';
import { hostAnalysis, hostObjective, hostSession } from './session';
import { hostSweepDone, hostSweepPoint, runSweep } from './sweep';
import { hostTrajectory, pickStart, selectTrajectory, trajectoryError } from './trajectories';
import { setEta, zoomBack, zoomReset, zoomTo } from './view';
import { setOptimizer } from './optimizer';
import { GD, isAdaptive, OPTIMIZER_TITLES } from '../../src/engine/optimizers/spec';
import type { PanelState } from './types';

export function initialState(theme: ThemeColors, restored: PersistedState | null = null): PanelState {
  return {
    nextRequestId: 1,
    restored,
    mode: 'expression',
    session: null,
    generation: 0,
    analysis: null,
    objective: null,
    eta: 0.1,
    optimizer: GD,
    etaFromSlider: false,
    zoom: { window: null, stack: [] },
    display: { layer: 'class', scheme: 'paper', showCertified: true, showMinima: true, showContours: false },
    main: null,
    mapMessage: null,
    trajectories: { entries: [], selected: -1, highlight: null },
    sweep: null,
    status: { text: 'Waiting for the extension…', progressVisible: false, progress: 0, cancelVisible: false },
    error: null,
    notice: '',
    hover: null,
    theme,
  };
}

function onHost(state: PanelState, msg: HostToWebview): PanelState {
  switch (msg.type) {
    case 'session': return hostSession(state, msg);
    case 'analysis': return hostAnalysis(state, msg.analysis);
    case 'objective': return hostObjective(state, msg);
    case 'basinStart': return mainBasinStart(state, msg);
    case 'basinRows': return mainBasinRows(state, msg) || state;
    case 'basinDone': return mainBasinDone(state, msg) || state;
    case 'trajectory': return hostTrajectory(state, msg);
    case 'sweepPoint': return hostSweepPoint(state, msg);
    case 'sweepDone': return hostSweepDone(state, msg);
    case 'error': return trajectoryError(state, msg) || hostError(state, msg);
    case 'cancelled': return hostCancelled(state, msg);
    case 'command': return msg.command === 'sweep' ? runSweep(state) : msg.command === 'strip' ? stripNeedsEtaMax(state) : state;
    case 'notice': return { ...state, notice: msg.message };
    case 'networkSession': return enterNetworkMode(state);
    // messages of view slices (training, network slices, orbit diagram, measures, tipping):
    // their slices reduce them (state/training.ts, netSlice.ts, orbit.ts, measures.ts, tipping.ts)
    default: return state;
  }
}

/** The strip (strip.ts) takes fractions of η_max: without a minimum there is none, say so. */
function stripNeedsEtaMax(state: PanelState): PanelState {
  const a = state.analysis;
  // the session's own learning rates need no η_max (strip.ts shows them)
  if (!a || !state.session || a.etaMax !== null || state.session.learningRates.length > 0) return state;
  if (isAdaptive(state.optimizer)) {
    return { ...state, error: `Figure 2 strip: ${OPTIMIZER_TITLES[state.optimizer.name]} has no static η_max to take fractions of (its threshold is on the preconditioned sharpness along a trajectory); list learning rates in the config's "learningRates" to see them side by side, or choose GD, heavy-ball or Nesterov.` };
  }
  return { ...state, error: 'Figure 2 strip: no strict minimum was found, so there is no η_max to take fractions of.' };
}

export function reduce(state: PanelState, action: Action): PanelState {
  switch (action.type) {
    case 'host': return onHost(state, action.message);
    case 'etaSet': return setEta(state, action.eta, action.fromSlider);
    case 'optimizerSet': return setOptimizer(state, action.optimizer);
    case 'zoomed': return zoomTo(state, action.window, true);
    case 'zoomBack': return zoomBack(state);
    case 'zoomReset': return zoomReset(state);
    case 'startPicked': return pickStart(state, action.x, action.y);
    case 'trajectorySelected': return selectTrajectory(state, action.index);
    case 'chartHovered': return { ...state, trajectories: { ...state.trajectories, highlight: action.iterate } };
    case 'layerChosen': return { ...state, display: { ...state.display, layer: action.layer } };
    case 'schemeChosen': return { ...state, display: { ...state.display, scheme: action.scheme } };
    case 'overlayToggled': return { ...state, display: { ...state.display, [action.overlay]: action.on } };
    case 'stripRequested': return stripNeedsEtaMax(state);
    case 'sweepRequested': return runSweep(state);
    case 'errorShown': return { ...state, error: action.message };
    case 'noticeShown': return { ...state, notice: action.message };
    case 'mapHovered': return { ...state, hover: action.hover };
    case 'themeChanged': return { ...state, theme: action.theme, trajectories: { ...state.trajectories, highlight: null } };
  }
}
