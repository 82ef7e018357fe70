/**
 * Everything that can change the panel's state: host messages (validated by src/shared/protocol)
 * and the user's actions. One discriminated union on `type`; the reducers switch on it.
 */
import type { OptimizerSpec } from '../../src/engine/optimizers/spec';
import type { HostToWebview } from '../../src/shared/protocol';
import type { ColorScheme, MapLayer } from '../lib/colors';
import type { ThemeColors } from '../lib/theme';
import type { HoverInfo, MapWindow } from './types';

export type OverlayToggle = 'showCertified' | 'showMinima' | 'showContours';

export type Action =
  /** a message from the extension host */
  | { type: 'host'; message: HostToWebview }
  /** the learning rate from the field, a chip, the strip or the sweep chart (or the slider) */
  | { type: 'etaSet'; eta: number; fromSlider: boolean }
  /** the optimizer selector: every job again under this (resolved) optimizer */
  | { type: 'optimizerSet'; optimizer: OptimizerSpec }
  /** a rectangle dragged on the map or a keyboard zoom: Back returns to the current window */
  | { type: 'zoomed'; window: MapWindow }
  | { type: 'zoomBack' }
  | { type: 'zoomReset' }
  /** a map pixel clicked (or Enter): its centre in map coordinates */
  | { type: 'startPicked'; x: number; y: number }
  | { type: 'trajectorySelected'; index: number }
  | { type: 'chartHovered'; iterate: number | null }
  | { type: 'layerChosen'; layer: MapLayer }
  | { type: 'schemeChosen'; scheme: ColorScheme }
  | { type: 'overlayToggled'; overlay: OverlayToggle; on: boolean }
  | { type: 'stripRequested' }
  | { type: 'sweepRequested' }
  | { type: 'errorShown'; message: string | null }
  | { type: 'noticeShown'; message: string }
  | { type: 'mapHovered'; hover: HoverInfo | null }
  | { type: 'themeChanged'; theme: ThemeColors };

export type ActionType = Action['type'];
