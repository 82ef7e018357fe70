/**
 * The optimizer every job runs (the selector). A new optimizer is like a new η: the main map and
 * every trajectory are asked for again (the stale answers are dropped by their ids, the host
 * cancels the stale map), the LR sweep of the old optimizer is dropped, and η_max — where the
 * slider's marks sit — becomes the new optimizer's own threshold (none for Adam / RMSProp).
 */
import { optimizerKey, type OptimizerSpec } from '../../src/engine/optimizers/spec';
import { panelEtaMax } from '../../src/shared/optimizerMessages';
import type { AnalysisView } from '../../src/shared/protocol';
import { requestMain } from './mainMap';
import { rerunTrajectories } from './trajectories';
import type { PanelState } from './types';

/** The analysis with `etaMax` the smallest static threshold of `optimizer` over its minima. */
export function withOptimizerEtaMax(analysis: AnalysisView, optimizer: OptimizerSpec): AnalysisView {
  const etaMax = panelEtaMax(analysis.minima, optimizer);
  return etaMax === analysis.etaMax ? analysis : { ...analysis, etaMax };
}

export function setOptimizer(state: PanelState, optimizer: OptimizerSpec): PanelState {
  if (optimizerKey(optimizer) === optimizerKey(state.optimizer)) return state;
  const s: PanelState = {
    ...state,
    optimizer,
    analysis: state.analysis && withOptimizerEtaMax(state.analysis, optimizer),
    etaFromSlider: false,
    sweep: null,
  };
  return rerunTrajectories(requestMain(s));
}
