/**
 * Identifiers the extension registers, in one vscode-free module so tests can check them against
 * package.json (every contributed command is registered and vice versa).
 */
export const COMMAND_IDS = {
  analyzeSelection: 'gdStabilityLab.analyzeSelection',
  analyzeConfig: 'gdStabilityLab.analyzeConfig',
  openExample: 'gdStabilityLab.openExample',
  sweep: 'gdStabilityLab.sweep',
  exportResults: 'gdStabilityLab.exportResults',
  cancel: 'gdStabilityLab.cancel',
  /** internal: the hover's command link "Open basin map at η = …" (hidden from the palette) */
  openBasinMap: 'gdStabilityLab.openBasinMap',
} as const;

/** Settings read by the host (section gdStabilityLab). */
export const SETTING_KEYS = ['gridSize', 'maxSteps', 'workers', 'roundoffGuard', 'colorScheme', 'liveUpdate', 'liveUpdateDelay', 'hoverFractions'] as const;

export const OUTPUT_CHANNEL_NAME = 'GD Stability Lab';
export const PANEL_VIEW_TYPE = 'gdStabilityLab.panel';
