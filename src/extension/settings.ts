/**
 * The extension's settings (contributes.configuration in package.json, section gdStabilityLab).
 */
import * as vscode from 'vscode';

export const SECTION = 'gdStabilityLab';

export type ColorScheme = 'paper' | 'per-minimum' | 'colorblind';

export interface LabSettings {
  /** pixels per side of a basin map when the config gives no `grid` */
  gridSize: number;
  /** GD steps per start when the config gives no `maxSteps` */
  maxSteps: number;
  /** worker threads; 0 = all cores but one */
  workers: number;
  /** relative round-off guard when the config gives no `tolerance` */
  roundoffGuard: number;
  colorScheme: ColorScheme;
  /** re-render the panel when its config is edited */
  liveUpdate: boolean;
  /** debounce of live updates and diagnostics (ms) */
  liveUpdateDelay: number;
  /** compute the stable/unstable area fractions shown in the learning-rate hover */
  hoverFractions: boolean;
}

const clampInt = (v: number, lo: number, hi: number, fallback: number): number =>
  Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : fallback;

export function readSettings(scope?: vscode.ConfigurationScope): LabSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const scheme = c.get<string>('colorScheme', 'paper');
  const guard = c.get<number>('roundoffGuard', 1e-12);
  return {
    gridSize: clampInt(c.get<number>('gridSize', 256), 8, 1024, 256),
    maxSteps: clampInt(c.get<number>('maxSteps', 2000), 1, 1_000_000, 2000),
    workers: clampInt(c.get<number>('workers', 0), 0, 64, 0),
    roundoffGuard: Number.isFinite(guard) && guard > 0 && guard <= 1e-2 ? guard : 1e-12,
    colorScheme: scheme === 'per-minimum' || scheme === 'colorblind' ? scheme : 'paper',
    liveUpdate: c.get<boolean>('liveUpdate', true),
    liveUpdateDelay: clampInt(c.get<number>('liveUpdateDelay', 400), 0, 10_000, 400),
    hoverFractions: c.get<boolean>('hoverFractions', true),
  };
}
