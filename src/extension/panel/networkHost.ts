/**
 * The panel host's network views: shows a NetworkSession in the webview, runs its training and
 * slice jobs on the compute pool, streams their results as the messages of
 * src/shared/networkProtocol.ts, and exports the run (CSV / JSON). The panel (panel.ts) owns one
 * of these and hands it the network messages; the expression jobs are not touched.
 *
 * Cancel of a training job stops it and keeps what it computed (the runs end as "cancelled" and
 * the job still finishes); a new session, a new training job or closing the panel drops it.
 */
import * as vscode from 'vscode';
import { CancelledError, type ComputePool } from '../../compute/pool';
import { networkModelData, type NetworkModelData } from '../../compute/nnJobs';
import { CSV_LIMITS } from '../../engine/nn/csv';
import { trainResultJson, trainRunsCsv } from '../../engine/nn/export';
import type { TrainResult, TrainRun } from '../../engine/nn/train';
import type { HostToWebview } from '../../shared/protocol';
import { bytesToBase64, uint32ToBase64 } from '../../shared/base64';
import { trainChunk, type NetworkExportFormat, type NetworkWebviewMessage } from '../../shared/networkProtocol';
import type { NetworkSession } from '../../shared/networkSession';
import { recordRuns, runsKey } from '../networkRuns';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const isCancelled = (e: unknown): boolean => e instanceof CancelledError || (e instanceof Error && e.name === 'CancelledError');

/** Reads the session's CSV file (undefined when its data is generated); errors name the file. */
export function readSessionCsv(session: NetworkSession): Promise<{ name: string; text: string } | undefined> {
  return session.csvUri ? readCsvFile(session.csvUri) : Promise.resolve(undefined);
}

/** Reads a CSV file (a URI string) with the size limit; errors name the file. */
export async function readCsvFile(csvUri: string): Promise<{ name: string; text: string }> {
  const uri = vscode.Uri.parse(csvUri);
  const name = vscode.workspace.asRelativePath(uri);
  let size: number;
  try {
    size = (await vscode.workspace.fs.stat(uri)).size;
  } catch {
    throw new Error(`no such file '${name}' (model.data.csv is relative to the config file)`);
  }
  if (size > CSV_LIMITS.maxChars) throw new Error(`${name}:1:1: the file is too large: ${(size / 2 ** 20).toFixed(1)} MB; the limit is ${CSV_LIMITS.maxChars / 2 ** 20} MB`);
  return { name, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
}

interface TrainState {
  requestId: number;
  controller: AbortController;
  stop: Int32Array;
  model: NetworkModelData | null;
  /** finished runs by index (their end points can be sliced) */
  runs: Map<number, TrainRun>;
  result: TrainResult | null;
}

export class NetworkHost {
  private current: NetworkSession | null = null;
  private trainJob: TrainState | null = null;
  private sliceJob: { requestId: number; controller: AbortController } | null = null;

  constructor(
    private readonly post: (message: HostToWebview) => void,
    private readonly pool: () => ComputePool,
    private readonly readCsv: (session: NetworkSession) => Promise<{ name: string; text: string } | undefined> = readSessionCsv,
  ) {}

  get session(): NetworkSession | null {
    return this.current;
  }

  /** Shows a network (the webview switches to its views and asks for training). */
  show(session: NetworkSession): void {
    this.cancelAll(true);
    this.current = session;
    this.post({ type: 'networkSession', session });
  }

  /** Leaves network mode (an expression session is shown). */
  clear(): void {
    this.cancelAll(true);
    this.current = null;
  }

  /** The webview (re)loaded: it starts from the session again. */
  onReady(): void {
    if (!this.current) return;
    this.cancelAll(true);
    this.post({ type: 'networkSession', session: this.current });
  }

  handle(m: NetworkWebviewMessage): void {
    switch (m.type) {
      case 'train':
        void this.runTrain(m.requestId);
        break;
      case 'netSlice':
        void this.runSlice(m);
        break;
      case 'networkExport':
        void this.exportRun(m.format);
        break;
    }
  }

  /** Cancel from the webview or the command: training stops and keeps its runs, a slice stops. True when a job was this host's. */
  cancel(requestId: number | null): boolean {
    let mine = false;
    if (this.trainJob && (requestId === null || requestId === this.trainJob.requestId)) {
      Atomics.store(this.trainJob.stop, 0, 1);
      mine = true;
    }
    if (this.sliceJob && (requestId === null || requestId === this.sliceJob.requestId)) {
      this.sliceJob.controller.abort();
      this.sliceJob = null;
      mine = true;
    }
    return mine;
  }

  /** Drops every job (`hard`: also running training, without keeping it). */
  cancelAll(hard = true): void {
    if (this.trainJob && hard) this.trainJob.controller.abort();
    else if (this.trainJob) Atomics.store(this.trainJob.stop, 0, 1);
    if (hard) this.trainJob = null;
    this.sliceJob?.controller.abort();
    this.sliceJob = null;
  }

  dispose(): void {
    this.clear();
  }

  /** The last finished (or stopped) training result, for exports. */
  get lastResult(): TrainResult | null {
    return this.trainJob?.result ?? null;
  }

  private async runTrain(requestId: number): Promise<void> {
    const session = this.current;
    if (!session) return;
    this.cancelAll(true);
    const state: TrainState = { requestId, controller: new AbortController(), stop: new Int32Array(new SharedArrayBuffer(4)), model: null, runs: new Map(), result: null };
    this.trainJob = state;
    const started = performance.now();
    const alive = (): boolean => this.trainJob === state && !state.controller.signal.aborted;
    try {
      const csv = await this.readCsv(session);
      if (!alive()) throw new CancelledError();
      state.model = networkModelData(session.model, csv);
      let description = '';
      const result = await this.pool().train({
        model: state.model, learningRates: session.learningRates, steps: session.steps, optimizer: session.optimizer,
        sharpnessEvery: session.model.sharpnessEvery, topK: session.model.topK, stop: state.stop,
      }, {
        onProgress: ({ partial, fraction }) => {
          if (alive()) this.post({ type: 'trainProgress', requestId, chunk: trainChunk(partial), fraction });
        },
        onRun: (run, index, model) => {
          if (!alive()) return;
          description = model.description;
          state.runs.set(index, run);
          this.post({
            type: 'trainRun', requestId, description,
            end: { run: index, status: run.status, steps: run.steps, K: run.K, increases: run.increases, firstIncreaseAt: run.firstIncreaseAt, firstAtThreshold: run.firstAtThreshold },
          });
        },
      }, state.controller.signal);
      if (!alive()) return;
      state.result = result;
      if (session.sourceUri) recordRuns(runsKey(session.sourceUri, session.model, session.optimizer, session.steps), result);
      this.post({ type: 'trainDone', requestId, cancelled: result.cancelled, elapsedMs: performance.now() - started, description: result.model.description || description });
    } catch (err) {
      if (this.trainJob !== state) return;
      if (isCancelled(err)) this.post({ type: 'cancelled', requestId });
      else this.post({ type: 'error', requestId, message: `Training failed: ${errorText(err)}` });
    }
  }

  private async runSlice(m: Extract<NetworkWebviewMessage, { type: 'netSlice' }>): Promise<void> {
    this.sliceJob?.controller.abort();
    const job = { requestId: m.requestId, controller: new AbortController() };
    this.sliceJob = job;
    const started = performance.now();
    try {
      const t = this.trainJob;
      const run = t && t.requestId === m.trainRequestId ? t.runs.get(m.run) : undefined;
      if (!t || !t.model || !run) throw new Error('that run is no longer available: train again, then compute the slice');
      if (run.status === 'diverged') throw new Error(`the run at η = ${run.eta} diverged: there is no trained point to slice around`);
      const grid = m.grid;
      const result = await this.pool().networkSlice({
        model: t.model, center: run.finalParams,
        options: { plane: m.plane, eta: run.eta, width: grid, height: grid, range: [-m.range, m.range], maxSteps: m.maxSteps, seed: 0 },
      }, {
        onSetup: (setup) => {
          if (this.sliceJob !== job) return;
          this.post({
            type: 'netSliceStart', requestId: m.requestId, plane: setup.plane, eta: setup.eta, width: setup.width, height: setup.height,
            range: setup.range, eigenvalues: setup.eigenvalues, centerLoss: setup.centerLoss,
          });
        },
        onRows: (rows, progress) => {
          if (this.sliceJob !== job) return;
          for (const r of rows) {
            this.post({
              type: 'netSliceRows', requestId: m.requestId, rowStart: r.row, rowEnd: r.row + 1, width: r.classes.length,
              classes: bytesToBase64(r.classes), steps: uint32ToBase64(r.steps), K: uint32ToBase64(r.K), progress: { ...progress },
            });
          }
        },
      }, job.controller.signal);
      if (this.sliceJob !== job) return;
      this.post({ type: 'netSliceDone', requestId: m.requestId, counts: result.counts, elapsedMs: performance.now() - started });
    } catch (err) {
      if (isCancelled(err)) this.post({ type: 'cancelled', requestId: m.requestId });
      else this.post({ type: 'error', requestId: m.requestId, message: `Slice failed: ${errorText(err)}` });
    } finally {
      if (this.sliceJob === job) this.sliceJob = null;
    }
  }

  /** Export Results… in network mode: which file, then where. */
  async exportResults(): Promise<void> {
    const picked = await vscode.window.showQuickPick(
      [{ label: 'Training run (CSV)', format: 'train-csv' as const }, { label: 'Training run (JSON)', format: 'train-json' as const }],
      { title: 'GD Stability: Export Results', placeHolder: 'What to export' },
    );
    if (picked) await this.exportRun(picked.format);
  }

  private async exportRun(format: NetworkExportFormat): Promise<void> {
    const session = this.current;
    const result = this.lastResult;
    if (!session || !result) {
      void vscode.window.showWarningMessage('GD Stability: nothing to export yet — the training has not finished (Stop keeps what was computed).');
      return;
    }
    try {
      const csv = format === 'train-csv';
      const text = csv ? trainRunsCsv(result) : trainResultJson(result, { config: session.title });
      const base = session.title.replace(/[^\w.-]+/g, '_').slice(0, 40) || 'gdlab';
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `${base}-run.${csv ? 'csv' : 'json'}`;
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: csv ? { CSV: ['csv'] } : { JSON: ['json'] },
        title: `Export the training run (${csv ? 'CSV' : 'JSON'})`,
      });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      this.post({ type: 'notice', message: `Exported the training run to ${target.fsPath || target.toString()}` });
    } catch (err) {
      void vscode.window.showErrorMessage(`GD Stability: export failed: ${errorText(err)}`);
    }
  }
}
