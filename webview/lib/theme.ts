/**
 * The colours the panel's canvases and charts take from VS Code's theme (pure: the caller reads
 * the --vscode-* variables; see core/dom.ts readTheme).
 */
import { parseCssColor } from './colors';

export interface ThemeColors {
  foreground: string;
  muted: string;
  grid: string;
  unstable: string;
  stable: string;
  accent: string;
  background: string;
}

/** Theme colours from a CSS-variable reader that returns '' for unset variables. */
export function themeFromVariables(read: (name: string) => string): ThemeColors {
  const v = (name: string, fallback: string): string => read(name).trim() || fallback;
  const background = v('--vscode-editor-background', '#ffffff');
  const bg = parseCssColor(background);
  const dark = bg ? bg[0] * 0.299 + bg[1] * 0.587 + bg[2] * 0.114 < 128 : false;
  return {
    foreground: v('--vscode-foreground', dark ? '#cccccc' : '#333333'),
    muted: v('--vscode-descriptionForeground', '#888888'),
    grid: dark ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.07)',
    unstable: v('--vscode-charts-red', '#e00000'),
    // the paper draws the stable phase black; on a dark theme black is invisible, use the foreground
    stable: dark ? v('--vscode-foreground', '#e0e0e0') : '#000000',
    accent: v('--vscode-charts-blue', '#1f77b4'),
    background,
  };
}
