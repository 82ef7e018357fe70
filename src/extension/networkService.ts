/**
 * Host-side state of the network configs (a `model` block): per document version, the network
 * part of the config (src/config/network.ts), its CSV file read from the workspace and checked
 * (problems become issues on the config's `csv` value, with the CSV's file:line:column), and the
 * sharpness at initialisation computed in the compute pool (cached per model and data) for the
 * hover on `lr`.
 */
import * as vscode from 'vscode';
import type { ComputePool } from '../compute/pool';
import { networkModelData, type NetworkModelData } from '../compute/nnJobs';
import type { NetworkSharpness } from '../compute/nnJobs';
import type { NetworkConfig, NetworkIssue } from '../config/network';
import { loadDataset } from '../engine/nn/data';
import type { CsvError } from '../engine/nn/csv';
import { readCsvFile } from './panel/networkHost';
import { loadTextModules } from './configService';
import { csvUriFor } from './networkCommand';

type Cached<T> = { promise: Promise<T>; value?: T; error?: string };

function track<T>(promise: Promise<T>): Cached<T> {
  const c: Cached<T> = { promise };
  promise.then((v) => { c.value = v; }, (e: unknown) => { c.error = e instanceof Error ? e.message : String(e); });
  promise.catch(() => undefined);
  return c;
}

export interface NetworkDocState {
  version: number;
  config: NetworkConfig;
  /** the CSV's URI (data from a file), as a string */
  csvUri?: string;
  /** the model as job data once the CSV is read and valid (null: problems, or still reading) */
  model: Cached<NetworkModelData | null>;
  /** problems of the CSV (on the `csv` value) once read */
  csvIssues: Cached<NetworkIssue[]>;
  /** λ_max and L at θ_0 */
  initial: Cached<NetworkSharpness> | null;
}

export class NetworkService implements vscode.Disposable {
  private readonly states = new Map<string, NetworkDocState>();
  private readonly sharpness = new Map<string, Cached<NetworkSharpness>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** fires when a network config's CSV check finished (diagnostics are published again) */
  readonly onDidChange = this.changed.event;

  /** CSV files watched once a network config reads one (not at activation) */
  private watcher: vscode.FileSystemWatcher | null = null;

  constructor(private readonly pool: () => ComputePool) {}

  /** A CSV file changed: the configs that read it are checked again. */
  private watchCsvFiles(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*.csv');
    const changedCsv = (uri: vscode.Uri): void => {
      for (const [key, state] of this.states) {
        if (state.csvUri !== uri.toString()) continue;
        this.states.delete(key);
        this.changed.fire(vscode.Uri.parse(key));
      }
    };
    this.watcher.onDidChange(changedCsv);
    this.watcher.onDidCreate(changedCsv);
    this.watcher.onDidDelete(changedCsv);
  }

  /**
   * The CSV issues of a config document as known now (the check starts if it has not; when it
   * finishes, onDidChange fires and the caller publishes again).
   */
  issuesNow(doc: vscode.TextDocument): NetworkIssue[] {
    const state = this.states.get(doc.uri.toString());
    if (!state || state.version !== doc.version) {
      void this.state(doc).catch(() => undefined);
      return [];
    }
    return state.csvIssues.value ?? [];
  }

  /** The network state of a config document (null: not a network config). */
  async state(doc: vscode.TextDocument): Promise<NetworkDocState | null> {
    const key = doc.uri.toString();
    const old = this.states.get(key);
    if (old && old.version === doc.version) return old;
    const m = await loadTextModules();
    const config = m.network.networkConfig(doc.getText(), m.tree.formatOfFileName(doc.uri.path));
    if (!config) {
      this.states.delete(key);
      return null;
    }
    const csvUri = config.csv ? csvUriFor(doc.uri, config.csv.file).toString() : undefined;
    if (csvUri) this.watchCsvFiles();
    const data = this.readData(config, csvUri);
    const state: NetworkDocState = {
      version: doc.version, config, ...(csvUri ? { csvUri } : {}),
      model: track(data.then((d) => d.model)),
      csvIssues: track(data.then((d): NetworkIssue[] => {
        if (d.ioError && config.csv) return [{ severity: 'error', message: d.ioError, range: config.csv.range, code: 'csv' }];
        return d.errors.length > 0 ? m.network.csvIssues(config, d.errors) : [];
      })),
      initial: null,
    };
    state.initial = track(state.model.promise.then((model) => {
      if (!model) throw new Error('fix the problems marked in this file first');
      return this.initialSharpness(model);
    }));
    this.states.set(key, state);
    void state.csvIssues.promise.then(() => {
      if (this.states.get(key) === state) this.changed.fire(doc.uri);
    }, () => undefined);
    return state;
  }

  /** Reads and checks the data (a CSV file, or nothing to read for generated data). */
  private async readData(config: NetworkConfig, csvUri: string | undefined): Promise<{ model: NetworkModelData | null; errors: CsvError[]; ioError?: string }> {
    const spec = config.model;
    if (!spec || spec.kind === 'matrix-factorization' || spec.data.source !== 'csv' || !csvUri) {
      return { model: spec ? networkModelData(spec) : null, errors: [] };
    }
    let csv: { name: string; text: string };
    try {
      csv = await readCsvFile(csvUri);
    } catch (e) {
      return { model: null, errors: [], ioError: e instanceof Error ? e.message : String(e) };
    }
    const loaded = loadDataset(spec.data, spec.loss, csv);
    if (loaded.errors) {
      const errors = (loaded.errors as (CsvError | string)[]).map((e) => (typeof e === 'string' ? { file: csv.name, line: 1, column: 1, message: e } : e));
      return { model: null, errors };
    }
    return { model: networkModelData(spec, csv), errors: [] };
  }

  private initialSharpness(model: NetworkModelData): Promise<NetworkSharpness> {
    let c = this.sharpness.get(model.key);
    if (!c) {
      c = track(this.pool().networkSharpness(model, null));
      this.sharpness.set(model.key, c);
      while (this.sharpness.size > 16) this.sharpness.delete(this.sharpness.keys().next().value as string);
    }
    return c.promise;
  }

  forget(uri: vscode.Uri): void {
    this.states.delete(uri.toString());
  }

  dispose(): void {
    this.watcher?.dispose();
    this.watcher = null;
    this.states.clear();
    this.sharpness.clear();
    this.changed.dispose();
  }
}
