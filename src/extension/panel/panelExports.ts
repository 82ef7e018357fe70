/**
 * The expression panel's exports (used by panel.ts): the Export Results… quick pick, the contents
 * of each format (the PNG the webview captures of its canvas, the main map's .npy, the trajectory
 * and sweep CSV / JSON), written through the save dialog and workspace.fs. The SVG is drawn by the
 * webview, which sends it back as a saveFile (measuresHost.ts writes it).
 */
import * as vscode from 'vscode';
import { encodeNpy } from '../../shared/encode';
import { sweepCsv, sweepJson, trajectoryCsv, trajectoryJson } from '../../shared/exports';
import { base64ToBytes } from '../../shared/base64';
import { EXPORT_FORMATS } from '../../shared/protocol';
import type { ExportFormat, HostToWebview, TrajectoryView } from '../../shared/protocol';
import type { AnalysisSession } from '../../shared/session';
import type { MapResults } from './mapJobs';
import { errorMessage } from './sessionAnalysis';

const EXPORT_LABELS: Record<ExportFormat, string> = {
  png: 'Basin map as shown (PNG)',
  npy: 'Class map (.npy, uint8 codes)',
  'trajectory-csv': 'Last trajectory (CSV)',
  'trajectory-json': 'Last trajectory (JSON)',
  'sweep-csv': 'LR sweep (CSV)',
  'sweep-json': 'LR sweep (JSON)',
  svg: 'Basin map with axes, title and legend (SVG)',
};

const EXPORT_FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  png: { 'PNG image': ['png'] },
  npy: { 'NumPy array': ['npy'] },
  'trajectory-csv': { CSV: ['csv'] },
  'trajectory-json': { JSON: ['json'] },
  'sweep-csv': { CSV: ['csv'] },
  'sweep-json': { JSON: ['json'] },
  svg: { 'SVG image': ['svg'] },
};

/** What the exports need of the panel. */
export interface ExportSource {
  /** whether the webview has loaded (it draws the PNG) */
  ready(): boolean;
  /** the expression session shown (throws while the panel shows none) */
  expression(): AnalysisSession;
  /** the analysed objective's variables (the trajectory columns) */
  variables(): string[];
  /** the map jobs' last results */
  readonly results: MapResults;
  /** a fresh id for a request the host makes of the webview */
  hostRequestId(): number;
  post(message: HostToWebview): void;
}

export class PanelExports {
  private readonly pngWaiters = new Map<number, (pngBase64: string | null) => void>();

  constructor(private readonly panel: ExportSource) {}

  /** Export Results…: asks for the format, then the file. */
  async pick(): Promise<void> {
    const items = EXPORT_FORMATS.map((format) => ({ label: EXPORT_LABELS[format], format, available: this.available(format) }));
    const picked = await vscode.window.showQuickPick(
      items.map((i) => ({ label: i.label, description: i.available ? undefined : 'nothing to export yet', format: i.format })),
      { title: 'GD Stability: Export Results', placeHolder: 'What to export' },
    );
    // the SVG is drawn by the webview (figures + SvgContext), which sends it back as a saveFile
    if (picked?.format === 'svg') this.panel.post({ type: 'command', command: 'captureSvg', requestId: this.panel.hostRequestId() });
    else if (picked) await this.exportFormat(picked.format, null);
  }

  /** The webview's answer to `command: capturePng`. */
  pngData(requestId: number, pngBase64: string): void {
    const waiter = this.pngWaiters.get(requestId);
    this.pngWaiters.delete(requestId);
    waiter?.(pngBase64);
  }

  /** The panel closes: a PNG capture still waiting gets null. */
  dispose(): void {
    for (const resolve of this.pngWaiters.values()) resolve(null);
    this.pngWaiters.clear();
  }

  private available(format: ExportFormat): boolean {
    const { mainMap, lastTrajectory, lastSweep } = this.panel.results;
    switch (format) {
      case 'png': return this.panel.ready();
      case 'npy': return mainMap !== null;
      case 'trajectory-csv': case 'trajectory-json': return lastTrajectory !== null;
      case 'sweep-csv': case 'sweep-json': return lastSweep !== null;
      case 'svg': return mainMap !== null;
    }
  }

  /** Asks the webview for the PNG of its canvas (null after 5 s or when the panel closes). */
  private capturePng(): Promise<string | null> {
    const requestId = this.panel.hostRequestId();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pngWaiters.delete(requestId);
        resolve(null);
      }, 5000);
      this.pngWaiters.set(requestId, (png) => {
        clearTimeout(timer);
        resolve(png);
      });
      this.panel.post({ type: 'command', command: 'capturePng', requestId });
    });
  }

  private contents(format: ExportFormat, pngBase64: string | null, chosen: TrajectoryView | null): Promise<Uint8Array | string | null> | Uint8Array | string | null {
    const { mainMap, lastTrajectory, lastSweep } = this.panel.results;
    const trajectory = chosen ?? lastTrajectory;
    const session = this.panel.expression();
    const extra = { title: session.title, expression: session.problem.expression };
    switch (format) {
      case 'png':
        return pngBase64 !== null ? base64ToBytes(pngBase64) : this.capturePng().then((b) => (b === null ? null : base64ToBytes(b)));
      case 'npy':
        return mainMap && mainMap.rowsDone >= mainMap.height
          ? encodeNpy(mainMap.classes, [mainMap.height, mainMap.width])
          : null;
      case 'trajectory-csv':
        return trajectory && trajectoryCsv(trajectory, this.panel.variables());
      case 'trajectory-json':
        return trajectory && trajectoryJson(trajectory, this.panel.variables(), extra);
      case 'sweep-csv':
        return lastSweep && sweepCsv(lastSweep);
      case 'sweep-json':
        return lastSweep && sweepJson(lastSweep, extra);
      case 'svg':
        return null; // drawn by the webview (command captureSvg → saveFile)
    }
  }

  /** Writes one format (the webview's PNG when it sent one; `trajectory`: the one the charts show, else the last). */
  async exportFormat(format: ExportFormat, pngBase64: string | null, trajectory: TrajectoryView | null = null): Promise<void> {
    try {
      const contents = await this.contents(format, pngBase64, trajectory);
      if (contents === null) {
        const why = format === 'npy' ? 'the basin map has not finished yet'
          : format.startsWith('trajectory') ? 'no trajectory yet: click a pixel of the map first'
            : format.startsWith('sweep') ? 'no sweep yet: run “Sweep Learning Rates” first' : 'the panel did not answer';
        void vscode.window.showWarningMessage(`GD Stability: nothing to export — ${why}.`);
        return;
      }
      const session = this.panel.expression();
      const ext = Object.values(EXPORT_FILTERS[format])[0][0];
      const base = session.title.replace(/[^\w.-]+/g, '_').slice(0, 40) || 'gdlab';
      const suffix = format === 'png' || format === 'npy' ? `basin-eta${this.panel.results.mainMap?.eta ?? session.eta}` : format.split('-')[0];
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `${base}-${suffix}.${ext}`;
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: EXPORT_FILTERS[format],
        title: `Export ${EXPORT_LABELS[format]}`,
      });
      if (!target) return;
      const bytes = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
      await vscode.workspace.fs.writeFile(target, bytes);
      this.panel.post({ type: 'notice', message: `Exported ${EXPORT_LABELS[format]} to ${target.fsPath || target.toString()}` });
    } catch (err) {
      void vscode.window.showErrorMessage(`GD Stability: export failed: ${errorMessage(err)}`);
    }
  }
}
