/**
 * The panel host's side of the dynamics measures: orbit diagrams, the uncertainty exponent of the
 * current map window and tipping between two learning rates, each run on the panel's compute
 * pool as a cancellable job (same channels and cancellation as the maps), with progress; the last
 * diagram and comparison kept for CSV / JSON / .npy exports; and files the webview drew itself
 * (SVG and PNG figures) written through the save dialog.
 */
import * as vscode from 'vscode';
import { CancelledError, type ComputePool } from '../../compute/pool';
import { tippingMaps, uncertaintyExponents } from '../../compute/measureJobs';
import { defaultEpsilons } from '../../engine/measures/fractal';
import { linearEtas, type OrbitDiagram } from '../../engine/measures/orbit';
import type { Tipping } from '../../engine/measures/tipping';
import type { ClassifyOptions } from '../../engine/types';
import { encodeNpy } from '../../shared/encode';
import { orbitCsv, orbitJson, tippingCsv, tippingJson } from '../../shared/measuresExport';
import { orbitDiagramView, tippingView, type MeasureExport, type MeasuresWebviewMessage } from '../../shared/measuresMessages';
import type { AnalysisView, HostToWebview } from '../../shared/protocol';
import { base64ToBytes } from '../../shared/base64';
import type { AnalysisSession } from '../../shared/session';
import { sliceFor } from './slice';

/** What the measures need of the panel (its pool, session, analysis, job channels, messages). */
export interface PanelJobs {
  pool(): ComputePool;
  session(): AnalysisSession;
  analysis(): Promise<AnalysisView>;
  classify(): ClassifyOptions;
  startJob(channel: string, requestId: number): AbortController;
  endJob(channel: string, controller: AbortController): void;
  post(message: HostToWebview): void;
  reportFailure(requestId: number, err: unknown, what: string): void;
}

/** Largest grid of the on-demand uncertainty exponent (1 + 2·10 maps of it). */
export const UNCERTAINTY_PANEL_GRID = 64;
/** Progress messages at most this often. */
const PROGRESS_MS = 100;

const LABELS: Record<MeasureExport, { label: string; filters: Record<string, string[]>; suffix: string }> = {
  'orbit-csv': { label: 'Orbit diagram (CSV)', filters: { CSV: ['csv'] }, suffix: 'orbit.csv' },
  'orbit-json': { label: 'Orbit diagram (JSON)', filters: { JSON: ['json'] }, suffix: 'orbit.json' },
  'tipping-csv': { label: 'Tipping matrix (CSV)', filters: { CSV: ['csv'] }, suffix: 'tipping.csv' },
  'tipping-json': { label: 'Tipping matrix and map (JSON)', filters: { JSON: ['json'] }, suffix: 'tipping.json' },
  'tipping-npy': { label: 'Tipping map (.npy)', filters: { 'NumPy array': ['npy'] }, suffix: 'tipping.npy' },
};

export class MeasuresHost {
  private lastOrbit: { diagram: OrbitDiagram; reference: number | null } | null = null;
  private lastTipping: Tipping | null = null;

  constructor(private readonly panel: PanelJobs) {}

  /** Runs or answers one measures message from the webview. */
  handle(m: MeasuresWebviewMessage): void {
    switch (m.type) {
      case 'orbit': void this.runOrbit(m); break;
      case 'uncertainty': void this.runUncertainty(m); break;
      case 'tipping': void this.runTipping(m); break;
      case 'measureExport': void this.exportMeasure(m.format); break;
      case 'saveFile': void this.saveFile(m.fileName, m.format, m.content); break;
    }
  }

  private progress(requestId: number): (done: number, total: number) => void {
    let last = 0;
    return (done, total) => {
      const now = Date.now();
      if (done < total && now - last < PROGRESS_MS) return;
      last = now;
      this.panel.post({ type: 'measureProgress', requestId, done, total });
    };
  }

  private async runOrbit(m: Extract<MeasuresWebviewMessage, { type: 'orbit' }>): Promise<void> {
    const controller = this.panel.startJob('orbit', m.requestId);
    try {
      const analysis = await this.panel.analysis();
      if (m.init.length !== analysis.variables.length) throw new Error(`the start has ${m.init.length} coordinates; the objective has ${analysis.variables.length} variables`);
      if (m.record.some((i) => i >= analysis.variables.length)) throw new Error('a recorded coordinate is not a variable of the objective');
      const etas = linearEtas(m.etaRange[0], m.etaRange[1], m.count);
      const tick = this.progress(m.requestId);
      const diagram = await this.panel.pool().orbit(
        { spec: this.panel.session().problem, starts: [m.init], etas, options: { transient: m.transient, keep: m.keep, record: m.record } },
        (_chunk, p) => {
          if (!controller.signal.aborted) tick(p.etasDone, p.etasTotal);
        },
        controller.signal,
      );
      if (controller.signal.aborted) throw new CancelledError();
      this.lastOrbit = { diagram, reference: analysis.etaMax };
      this.panel.post({ type: 'orbitDone', requestId: m.requestId, diagram: orbitDiagramView(diagram) });
    } catch (err) {
      this.panel.reportFailure(m.requestId, err, 'Orbit diagram failed');
    } finally {
      this.panel.endJob('orbit', controller);
    }
  }

  private async runUncertainty(m: Extract<MeasuresWebviewMessage, { type: 'uncertainty' }>): Promise<void> {
    const controller = this.panel.startJob('uncertainty', m.requestId);
    try {
      const analysis = await this.panel.analysis();
      const grid = Math.min(m.grid, UNCERTAINTY_PANEL_GRID);
      const slice = sliceFor(analysis, m.xRange, m.yRange, grid);
      const tick = this.progress(m.requestId);
      const result = await uncertaintyExponents(
        this.panel.pool(),
        { spec: this.panel.session().problem, slice, eta: m.eta, classify: this.panel.classify(), epsilons: defaultEpsilons(m.xRange[1] - m.xRange[0]) },
        { signal: controller.signal, onMap: tick },
      );
      if (controller.signal.aborted) throw new CancelledError();
      this.panel.post({
        type: 'uncertaintyDone', requestId: m.requestId, starts: result.starts,
        exponents: result.exponents.map((u) => ({ partition: u.partition, alpha: u.alpha, stdErr: u.stdErr, dimension: u.dimension, epsilonRange: u.epsilonRange, reason: u.reason ?? null })),
      });
    } catch (err) {
      this.panel.reportFailure(m.requestId, err, 'Uncertainty exponent failed');
    } finally {
      this.panel.endJob('uncertainty', controller);
    }
  }

  private async runTipping(m: Extract<MeasuresWebviewMessage, { type: 'tipping' }>): Promise<void> {
    const controller = this.panel.startJob('tipping', m.requestId);
    try {
      const analysis = await this.panel.analysis();
      const slice = sliceFor(analysis, m.xRange, m.yRange, m.grid);
      this.panel.post({ type: 'measureProgress', requestId: m.requestId, done: 0, total: 2 });
      const { tipping } = await tippingMaps(this.panel.pool(), { spec: this.panel.session().problem, slice, eta1: m.eta1, eta2: m.eta2, classify: this.panel.classify() }, controller.signal);
      if (controller.signal.aborted) throw new CancelledError();
      this.lastTipping = tipping;
      this.panel.post({ type: 'tippingDone', requestId: m.requestId, tipping: tippingView(tipping) });
    } catch (err) {
      this.panel.reportFailure(m.requestId, err, 'Tipping comparison failed');
    } finally {
      this.panel.endJob('tipping', controller);
    }
  }

  private contents(format: MeasureExport): string | Uint8Array | null {
    const extra = { title: this.panel.session().title, expression: this.panel.session().problem.expression };
    const o = this.lastOrbit;
    const t = this.lastTipping;
    switch (format) {
      case 'orbit-csv': return o && orbitCsv(o.diagram, o.reference);
      case 'orbit-json': return o && orbitJson(o.diagram, o.reference, extra);
      case 'tipping-csv': return t && tippingCsv(t);
      case 'tipping-json': return t && tippingJson(t, extra);
      case 'tipping-npy': return t && encodeNpy(t.transitions, [t.height, t.width]);
    }
  }

  private async exportMeasure(format: MeasureExport): Promise<void> {
    const contents = this.contents(format);
    const { label, filters, suffix } = LABELS[format];
    if (contents === null) {
      void vscode.window.showWarningMessage(`GD Stability: nothing to export — ${format.startsWith('orbit') ? 'no orbit diagram yet: press “Orbit diagram” first' : 'no tipping comparison yet: press “Compare” in the tipping view first'}.`);
      return;
    }
    await this.save(`${this.baseName()}-${suffix}`, filters, label, typeof contents === 'string' ? new TextEncoder().encode(contents) : contents);
  }

  private async saveFile(fileName: string, format: 'svg' | 'png', content: string): Promise<void> {
    const bytes = format === 'svg' ? new TextEncoder().encode(content) : base64ToBytes(content);
    const filters: Record<string, string[]> = format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] };
    await this.save(fileName, filters, `${fileName} (${format.toUpperCase()})`, bytes);
  }

  private baseName(): string {
    return this.panel.session().title.replace(/[^\w.-]+/g, '_').slice(0, 40) || 'gdlab';
  }

  private async save(name: string, filters: Record<string, string[]>, label: string, bytes: Uint8Array): Promise<void> {
    try {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters, title: `Export ${label}` });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, bytes);
      this.panel.post({ type: 'notice', message: `Exported ${label} to ${target.fsPath || target.toString()}` });
    } catch (err) {
      void vscode.window.showErrorMessage(`GD Stability: export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
