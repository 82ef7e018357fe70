/**
 * The panel's state: one plain object, changed only by the reducers in this folder (pure, no DOM,
 * unit-tested in plain Node). Parts read it through store.watch(selector, …) and re-render only
 * when what their selector picks changes.
 *
 * One deliberate exception to immutability: a map's per-pixel typed arrays (MapData) are a
 * write-once buffer. A reducer copies streamed rows into the buffer in place and returns a new
 * job object with `revision + 1`, so a 1024² map is not copied for every batch of rows.
 */
import type { OptimizerAnalysis } from '../../src/engine/optimizers/analysis';
import type { OptimizerSpec } from '../../src/engine/optimizers/spec';
import type { CertificateResult, IncreaseStats, SliceSpec } from '../../src/engine/types';
import type { AnalysisSession } from '../../src/shared/session';
import type { AnalysisView, PersistedState, SweepPointView, TrajectoryView } from '../../src/shared/protocol';
import type { ColorScheme, MapData, MapLayer } from '../lib/colors';
import type { Objective } from '../lib/contours';
import type { Range } from '../lib/geometry';
import type { ThemeColors } from '../lib/theme';

/** A window of the map's two axes. */
export interface MapWindow {
  xRange: Range;
  yRange: Range;
}

/** The main basin map job: what was asked (eta, window, grid) and what has arrived. */
export interface MainJob {
  requestId: number;
  eta: number;
  grid: number;
  window: MapWindow;
  /** set by basinStart: the exact slice the host computes */
  slice: SliceSpec | null;
  map: MapData | null;
  /** bumped whenever rows land in `map` */
  revision: number;
  certificates: CertificateResult[];
  done: boolean;
  elapsedMs: number;
  /** the optimizer the map runs (PanelState.optimizer when it was asked for) */
  optimizer: OptimizerSpec;
  /** set by basinDone for another optimizer than GD: its thresholds and momentum certificates at this η */
  optimizerAnalysis: OptimizerAnalysis | null;
  /** set by basinDone: the share of starts with a loss increase and the counts over converged starts */
  increases: IncreaseStats | null;
}

export interface TrajectoryEntry {
  requestId: number;
  /** a config's start, or the pixel the user clicked (at most one) */
  source: 'config' | 'click';
  init: number[];
  /** η it was (last) requested at */
  eta: number;
  data: TrajectoryView | null;
  error: string | null;
}

export interface TrajectoriesState {
  entries: TrajectoryEntry[];
  /** index into entries of the one the charts show, −1 for none */
  selected: number;
  /** iterate of the selected trajectory hovered in a chart (highlighted on the map) */
  highlight: number | null;
}

export interface SweepJob {
  requestId: number;
  window: MapWindow;
  grid: number;
  points: SweepPointView[];
  /** last sweepPoint's count of η values done / total */
  progress: { done: number; total: number } | null;
  done: boolean;
  cancelled: boolean;
}

export interface DisplayState {
  layer: MapLayer;
  scheme: ColorScheme;
  showCertified: boolean;
  showMinima: boolean;
  showContours: boolean;
}

/** The status line, progress bar and Cancel button. */
export interface StatusState {
  text: string;
  progressVisible: boolean;
  /** 0..100 */
  progress: number;
  cancelVisible: boolean;
}

/** The map pixel under the pointer or keyboard cursor. */
export interface HoverInfo {
  x: number;
  y: number;
  col: number;
  row: number;
}

export interface PanelState {
  /** next id for a request to the host (ids only grow, so a stale answer never matches) */
  nextRequestId: number;
  /** what vscode.getState() held when the webview started (validated), to restore a view */
  restored: PersistedState | null;
  /** what the panel shows: an expression's basin map, or a network's training view (state/mode.ts) */
  mode: 'expression' | 'network';
  session: AnalysisSession | null;
  /** bumped by every session message: parts clear what they showed for the previous one */
  generation: number;
  analysis: AnalysisView | null;
  /** f from the objective's IR (contours, certified set), null until the host sends it */
  objective: Objective | null;
  eta: number;
  /**
   * the optimizer every job runs (the selector; a session starts from its config's optimizer).
   * `analysis.etaMax` is this optimizer's smallest static threshold (null for Adam / RMSProp).
   */
  optimizer: OptimizerSpec;
  /** the last η came from dragging the slider (the slider is then not moved under the pointer) */
  etaFromSlider: boolean;
  /** zoom window (null = the whole domain) and the windows Back returns to */
  zoom: { window: MapWindow | null; stack: MapWindow[] };
  display: DisplayState;
  main: MainJob | null;
  /** message drawn over the map (a failed computation) */
  mapMessage: string | null;
  trajectories: TrajectoriesState;
  sweep: SweepJob | null;
  status: StatusState;
  /** the error box (null = hidden) */
  error: string | null;
  notice: string;
  hover: HoverInfo | null;
  theme: ThemeColors;
}
