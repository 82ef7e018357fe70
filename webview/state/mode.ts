/**
 * The panel's mode. A network session (a config with a `model` block) switches the panel to the
 * network views (training, slices; their own view slices): the expression state is cleared as for
 * a new session, so the expression parts show nothing and their jobs are dropped. The next
 * expression session switches back (session.ts).
 */
import type { PanelState } from './types';

export function enterNetworkMode(state: PanelState): PanelState {
  return {
    ...state,
    mode: 'network',
    session: null,
    generation: state.generation + 1,
    analysis: null,
    objective: null,
    zoom: { window: null, stack: [] },
    main: null,
    mapMessage: null,
    trajectories: { entries: [], selected: -1, highlight: null },
    sweep: null,
    error: null,
    notice: '',
    hover: null,
    status: { text: '', progressVisible: false, progress: 0, cancelVisible: false },
  };
}
