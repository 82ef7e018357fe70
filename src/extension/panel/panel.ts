/**
 * The GD Stability Lab panel host: one WebviewPanel beside the editor that shows an analysis
 * session. It owns its disposables, talks to the webview through the typed messages of
 * src/shared/protocol.ts (ready handshake; everything queued until then), and runs the webview's
 * requests on the compute pool: basin maps (the stale job of the same map is cancelled), Figure 2's
 * strip, trajectories, LR sweeps. Exports go through the save dialog and workspace.fs.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../../compute/pool';
import type { BasinProgress, ComputePool } from '../../compute/pool';
import type { TrajectoryData } from '../../compute/jobs';
import { DEFAULT_CLASSIFY } from '../../engine/classify';
import type { ClassifyOptions, ProblemSpec } from '../../engine/types';
import { windowSpec } from '../../engine/window';
import type { AnalysisSession } from '../../shared/session';
import { encodeNpy } from '../../shared/encode';
import { sweepCsv, sweepJson, toTrajectoryView, trajectoryCsv, trajectoryJson } from '../../shared/exports';
import { EXPORT_FORMATS, PROTOCOL_VERSION } from '../../shared/protocol';
import { bytesToBase64, base64ToBytes, float32ToBase64, uint32ToBase64 } from '../../shared/base64';
import { validatePersistedState, validateWebviewMessage } from '../../shared/protocolValidation';
import type {
  AnalysisView, ExportFormat, HostToWebview, PanelViewState, StatsView, SweepPointView, TrajectoryView, WebviewToHost,
} from '../../shared/protocol';
import { analysisView, sessionWithIR, sliceFor } from './slice';
import { NetworkHost } from './networkHost';
import type { NetworkSession } from '../../shared/networkSession';
import { loadTextModules } from '../configService';
import { MeasuresHost } from './measuresHost';
import { increasesField, jobOptimizer, optimizerField, panelSweepEtas } from './optimizerJobs';

type PoolProvider = () => ComputePool;

/** Steps kept after a trajectory's classification is final, so the curves show the tail. */
const TRAJECTORY_TAIL_STEPS = 30;

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

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars.charAt(Math.floor(Math.random() * chars.length));
  return out;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isCancelled(err: unknown): boolean {
  return err instanceof CancelledError || (err instanceof Error && err.name === 'CancelledError');
}

/** A trajectory from the pool (typed arrays) as the plain arrays the webview gets (the engine's steps and K). */
export function trajectoryView(data: TrajectoryData, eta: number, init: number[]): TrajectoryView {
  return toTrajectoryView(data, eta, init);
}

function sameProblem(a: AnalysisSession, b: AnalysisSession): boolean {
  return JSON.stringify([a.problem, a.axes ?? null, a.fixed ?? null]) === JSON.stringify([b.problem, b.axes ?? null, b.fixed ?? null]);
}

interface RunningJob {
  requestId: number;
  controller: AbortController;
}

/** The main map's classes as last computed (for the .npy export). */
interface MainMap {
  width: number;
  height: number;
  classes: Uint8Array;
  rowsDone: number;
  eta: number;
}

export class StabilityPanel {
  static readonly viewType = 'gdStabilityLab.panel';
  static current: StabilityPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  private outbox: HostToWebview[] = [];
  /** the expression session shown (null while the panel shows a network only) */
  private session: AnalysisSession | null;
  /** the network views: their session and jobs (networkHost.ts) */
  private readonly network: NetworkHost;
  /** eta and zoom window the webview shows (restored state, then the webview's reports) */
  private view: PanelViewState | null;
  /** the analysis of the session's problem, and that problem with its parsed objective (what the pool runs) */
  private analysis: { key: string; promise: Promise<AnalysisView>; problem: Promise<ProblemSpec>; resolved: ProblemSpec | null } | null = null;
  /** in-flight jobs by channel ('main', 'strip:i', 'sweep', 'trajectory:id') */
  private readonly jobs = new Map<string, RunningJob>();
  private mainMap: MainMap | null = null;
  /**
   * the spec of the last main map: the session's problem, plus the map window when it reaches
   * beyond the domain (windowSpec), so trajectories index the same minima as the map
   */
  private mapSpec: ProblemSpec | null = null;
  private lastTrajectory: TrajectoryView | null = null;
  /** recent trajectories by request id, so the export takes the one the charts show */
  private readonly trajectories = new Map<number, TrajectoryView>();
  private lastSweep: SweepPointView[] | null = null;
  private variables: string[] = [];
  private readonly pngWaiters = new Map<number, (pngBase64: string | null) => void>();
  private nextHostRequestId = 1_000_000_000;
  /** orbit diagrams, uncertainty exponent, tipping, figure files (measuresHost.ts) */
  private readonly measures = new MeasuresHost({
    pool: () => this.pool(),
    session: () => this.expressionForJobs(),
    analysis: () => this.analysisPromise(),
    classify: () => this.classifyOptions(),
    startJob: (channel, id) => this.startJob(channel, id),
    endJob: (channel, controller) => this.endJob(channel, controller),
    post: (message) => this.post(message),
    reportFailure: (id, err, what) => this.reportFailure(id, err, what),
  });

  /** Opens the panel beside the active editor (or reveals it) and shows `session`. */
  static createOrShow(context: vscode.ExtensionContext, pool: PoolProvider, session: AnalysisSession): StabilityPanel {
    session = withSettings(session);
    if (StabilityPanel.current) {
      StabilityPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      StabilityPanel.current.update(session);
      return StabilityPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      StabilityPanel.viewType, StabilityPanel.titleFor(session),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      StabilityPanel.webviewOptions(context.extensionUri),
    );
    StabilityPanel.current = new StabilityPanel(panel, context.extensionUri, pool, session, null);
    return StabilityPanel.current;
  }

  /** Opens the panel (or reveals it) and shows a network: its training view and slices. */
  static showNetwork(context: vscode.ExtensionContext, pool: PoolProvider, session: NetworkSession): StabilityPanel {
    let current = StabilityPanel.current;
    if (current) current.panel.reveal(vscode.ViewColumn.Beside, true);
    else {
      const panel = vscode.window.createWebviewPanel(
        StabilityPanel.viewType, StabilityPanel.titleFor(session),
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        StabilityPanel.webviewOptions(context.extensionUri),
      );
      current = new StabilityPanel(panel, context.extensionUri, pool, null, null);
      StabilityPanel.current = current;
    }
    current.showNetwork(session);
    return current;
  }

  /** Restores the panel after a window reload from the state the webview saved. */
  static registerSerializer(context: vscode.ExtensionContext, pool: PoolProvider): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(StabilityPanel.viewType, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        panel.webview.options = StabilityPanel.webviewOptions(context.extensionUri);
        let restored: ReturnType<typeof validatePersistedState>;
        try {
          restored = validatePersistedState(state);
        } catch {
          // nothing usable to restore: say so instead of leaving an empty panel
          panel.webview.html = `<!DOCTYPE html><html lang="en"><body><p>GD Stability Lab: nothing to restore. Run “GD Stability: Analyze Selected Expression” or “Analyze Config File”.</p></body></html>`;
          return;
        }
        StabilityPanel.current?.dispose();
        StabilityPanel.current = new StabilityPanel(panel, context.extensionUri, pool, restored.session, restored.view);
      },
    });
  }

  private static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    };
  }

  private static titleFor(session: { title: string }): string {
    const t = session.title.length > 40 ? `${session.title.slice(0, 39)}…` : session.title;
    return `GD Stability: ${t}`;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly pool: PoolProvider,
    session: AnalysisSession | null,
    view: PanelViewState | null,
  ) {
    this.session = session;
    this.view = view;
    this.network = new NetworkHost((m) => this.post(m), pool);
    panel.webview.html = this.html();
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), null, this.disposables);
  }

  /* ------------------------------------------------------------------ public API (host) */

  /** Live update (config or selection edited): cancels stale jobs and re-renders. */
  /** The document the shown session came from (for live updates), if any. */
  get sourceUri(): string | undefined {
    return this.network.session ? this.network.session.sourceUri : this.session?.sourceUri;
  }

  /** The expression session (the expression jobs run only while one is shown). */
  private get expression(): AnalysisSession {
    if (!this.session) throw new Error('the panel shows no expression');
    return this.session;
  }

  /** Shows a network (the expression jobs stop; the webview switches to the network views). */
  showNetwork(session: NetworkSession): void {
    this.cancelAll();
    this.analysis = null;
    this.mapSpec = null;
    this.panel.title = StabilityPanel.titleFor(session);
    this.network.show(session);
  }

  update(session: AnalysisSession): void {
    session = withSettings(session);
    const keepWindow = this.session !== null && !this.network.session && sameProblem(this.session, session) && this.view !== null;
    this.cancelAll();
    this.network.clear();
    this.session = session;
    this.mapSpec = null;
    this.panel.title = StabilityPanel.titleFor(session);
    this.view = keepWindow && this.view ? { ...this.view, eta: session.eta } : null;
    this.post({ type: 'session', session, view: this.view });
    this.startAnalysis();
  }

  /** Cancel Computation: stops every job of this panel. */
  cancel(): void {
    this.cancelAll();
    this.network.cancel(null);
    this.post({ type: 'cancelled', requestId: null });
  }

  /** Export Results…: asks for the format, then the file. */
  async exportResults(): Promise<void> {
    if (this.network.session) return this.network.exportResults();
    const items = EXPORT_FORMATS.map((format) => ({ label: EXPORT_LABELS[format], format, available: this.exportAvailable(format) }));
    const picked = await vscode.window.showQuickPick(
      items.map((i) => ({ label: i.label, description: i.available ? undefined : 'nothing to export yet', format: i.format })),
      { title: 'GD Stability: Export Results', placeHolder: 'What to export' },
    );
    // the SVG is drawn by the webview (figures + SvgContext), which sends it back as a saveFile
    if (picked?.format === 'svg') this.post({ type: 'command', command: 'captureSvg', requestId: this.nextHostRequestId++ });
    else if (picked) await this.exportFormat(picked.format, null);
  }

  /** Sweep Learning Rates: the webview runs the sweep over its current window. */
  runSweep(): void {
    this.panel.reveal(undefined, true);
    this.post({ type: 'command', command: 'sweep', requestId: this.nextHostRequestId++ });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (StabilityPanel.current === this) StabilityPanel.current = undefined;
    this.cancelAll();
    this.network.dispose();
    for (const resolve of this.pngWaiters.values()) resolve(null);
    this.pngWaiters.clear();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  /* ------------------------------------------------------------------ messages */

  private post(message: HostToWebview): void {
    if (this.disposed) return;
    if (!this.ready) {
      this.outbox.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    let message: WebviewToHost;
    try {
      message = validateWebviewMessage(raw);
    } catch (err) {
      console.warn(`GD Stability Lab: ignored a malformed panel message: ${errorMessage(err)}`);
      return;
    }
    switch (message.type) {
      case 'ready': {
        if (message.protocol !== PROTOCOL_VERSION) console.warn(`GD Stability Lab: panel protocol ${message.protocol}, host ${PROTOCOL_VERSION}`);
        const firstTime = !this.ready;
        this.ready = true;
        // the webview (re)loaded: it starts from the session, then asks for what it needs
        const queued = this.outbox.filter((m) => m.type === 'command' || m.type === 'notice');
        this.outbox = [];
        const session = this.session;
        if (this.network.session || !session) this.network.onReady();
        else {
          this.post({ type: 'session', session, view: this.view });
          if (firstTime || !this.analysis) this.startAnalysis();
          else {
            void this.analysis.promise.then((a) => {
              this.post({ type: 'analysis', analysis: a });
              void this.sendObjective(session);
            }, () => undefined);
          }
        }
        queued.forEach((m) => this.post(m));
        break;
      }
      case 'basin':
        void this.runBasin(message);
        break;
      case 'trajectory':
        void this.runTrajectory(message);
        break;
      case 'sweep':
        void this.runSweepJob(message);
        break;
      case 'cancel':
        if (this.network.cancel(message.requestId)) break;
        if (message.requestId === null) this.cancelAll();
        else for (const [channel, job] of this.jobs) if (job.requestId === message.requestId) this.cancelChannel(channel);
        break;
      case 'train':
      case 'netSlice':
      case 'networkExport':
        this.network.handle(message);
        break;
      case 'export': {
        const chosen = message.trajectoryRequestId != null ? this.trajectories.get(message.trajectoryRequestId) : undefined;
        void this.exportFormat(message.format, message.pngBase64, chosen ?? null);
        break;
      }
      case 'pngData': {
        const waiter = this.pngWaiters.get(message.requestId);
        this.pngWaiters.delete(message.requestId);
        waiter?.(message.pngBase64);
        break;
      }
      case 'viewState':
        this.view = message.view;
        break;
      default:
        this.measures.handle(message);
    }
  }

  /* ------------------------------------------------------------------ jobs */

  private classifyOptions(): ClassifyOptions {
    return {
      ...DEFAULT_CLASSIFY,
      maxSteps: this.expression.maxSteps,
      roundoffGuard: this.expression.roundoffGuard ?? DEFAULT_CLASSIFY.roundoffGuard,
    };
  }

  /** Analyses the session's problem once (cached per problem) and sends it to the webview. */
  private startAnalysis(): void {
    const session = this.session;
    if (!session) return;
    const key = JSON.stringify([session.problem, session.axes ?? null, session.fixed ?? null]);
    if (!this.analysis || this.analysis.key !== key) {
      const problem = problemWithIR(session);
      const promise = problem.then((p) => this.pool().analyze(p, [])).then((result) => {
        this.variables = result.variables;
        return analysisView(result, session);
      });
      const entry = { key, promise, problem, resolved: null as ProblemSpec | null };
      this.analysis = entry;
      problem.then((p) => { entry.resolved = p; }, () => undefined);
      promise.catch(() => undefined);
    }
    const current = this.analysis;
    current.promise.then(
      (analysis) => {
        if (this.analysis !== current) return;
        this.post({ type: 'analysis', analysis });
        void this.sendObjective(session);
      },
      (err: unknown) => {
        if (this.analysis === current) this.post({ type: 'error', requestId: null, message: `Could not analyse ${session.title}: ${errorMessage(err)}` });
      },
    );
  }

  /**
   * Sends the objective's IR for contour lines and the certified set {f < c}: parsed on the host
   * with the lazily loaded text bundle (the worker has the compiled problem, not the IR). Optional:
   * on failure the panel simply has no contour layer.
   */
  private async sendObjective(session: AnalysisSession): Promise<void> {
    try {
      const text = await loadTextModules();
      const { variables, expression } = session.problem;
      const parsed = text.expression.parseExpression(expression, variables ? { variables } : {});
      if (this.session !== session) return;
      this.post({ type: 'objective', variables: parsed.variables.slice(), expr: parsed.expr });
    } catch (err) {
      console.warn(`GD Stability Lab: no contour lines for ${session.title}: ${errorMessage(err)}`);
    }
  }

  private analysisPromise(): Promise<AnalysisView> {
    if (!this.analysis) this.startAnalysis();
    return (this.analysis as { promise: Promise<AnalysisView> }).promise;
  }

  /**
   * The shown session with its problem as the pool runs it (the parsed objective attached once the
   * analysis has it: a restored session may lack it), for the jobs that await the analysis first.
   */
  private expressionForJobs(): AnalysisSession {
    const session = this.expression;
    const resolved = this.analysis?.resolved;
    return resolved && !session.problem.ir && resolved.expression === session.problem.expression ? { ...session, problem: resolved } : session;
  }

  /** The session's problem with its parsed objective (ProblemSpec.ir), as the pool needs it. */
  private problemPromise(): Promise<ProblemSpec> {
    if (!this.analysis) this.startAnalysis();
    return (this.analysis as { problem: Promise<ProblemSpec> }).problem;
  }

  private startJob(channel: string, requestId: number): AbortController {
    this.cancelChannel(channel);
    const controller = new AbortController();
    this.jobs.set(channel, { requestId, controller });
    return controller;
  }

  private endJob(channel: string, controller: AbortController): void {
    if (this.jobs.get(channel)?.controller === controller) this.jobs.delete(channel);
  }

  private cancelChannel(channel: string): void {
    const job = this.jobs.get(channel);
    if (!job) return;
    this.jobs.delete(channel);
    job.controller.abort();
  }

  private cancelAll(): void {
    for (const channel of [...this.jobs.keys()]) this.cancelChannel(channel);
  }

  private reportFailure(requestId: number, err: unknown, what: string): void {
    if (isCancelled(err)) this.post({ type: 'cancelled', requestId });
    else this.post({ type: 'error', requestId, message: `${what}: ${errorMessage(err)}` });
  }

  private async runBasin(m: Extract<WebviewToHost, { type: 'basin' }>): Promise<void> {
    const channel = m.purpose === 'main' ? 'main' : `strip:${m.stripIndex}`;
    const controller = this.startJob(channel, m.requestId);
    try {
      const session = this.expression;
      const analysis = await this.analysisPromise();
      const problem = await this.problemPromise();
      if (controller.signal.aborted) throw new CancelledError();
      const slice = sliceFor(analysis, m.xRange, m.yRange, m.grid);
      // a window that reaches beyond the domain is searched for minima too (its analysis may list more)
      const spec = windowSpec(problem, analysis.domain, slice);
      this.post({ type: 'basinStart', requestId: m.requestId, purpose: m.purpose, stripIndex: m.stripIndex, slice, eta: m.eta });
      const map: MainMap | null = m.purpose === 'main'
        ? { width: slice.width, height: slice.height, classes: new Uint8Array(slice.width * slice.height), rowsDone: 0, eta: m.eta }
        : null;
      const result = await this.pool().basin(
        { spec, slice, eta: m.eta, classify: this.classifyOptions(), ...optimizerField(jobOptimizer(m.optimizer, session)) },
        (rows, progress: BasinProgress) => {
          if (controller.signal.aborted) return;
          if (map) {
            map.classes.set(rows.classes, rows.rowStart * rows.width);
            map.rowsDone += rows.rowEnd - rows.rowStart;
          }
          this.post({
            type: 'basinRows', requestId: m.requestId, rowStart: rows.rowStart, rowEnd: rows.rowEnd, width: rows.width,
            classes: bytesToBase64(rows.classes), minimum: bytesToBase64(rows.minimum),
            steps: uint32ToBase64(rows.steps), unstableSteps: uint32ToBase64(rows.unstableSteps),
            limitSharpness: float32ToBase64(rows.limitSharpness), period: bytesToBase64(rows.period),
            ...increasesField(rows),
            progress: { ...progress },
          });
        },
        controller.signal,
      );
      if (controller.signal.aborted) throw new CancelledError();
      if (map) {
        this.mainMap = map;
        this.mapSpec = spec;
        // the minima this map's indices refer to, when the window added some
        if (spec !== problem) this.post({ type: 'analysis', analysis: analysisView(result.analysis, session) });
      }
      const stats: StatsView = result.stats;
      const optimizer = result.analysis.optimizer;
      this.post({ type: 'basinDone', requestId: m.requestId, stats, certificates: result.certificates, elapsedMs: result.elapsedMs, ...(optimizer ? { optimizer } : {}) });
    } catch (err) {
      this.reportFailure(m.requestId, err, m.purpose === 'main' ? 'Basin map failed' : `Figure 2 map ${m.stripIndex + 1} failed`);
    } finally {
      this.endJob(channel, controller);
    }
  }

  private async runTrajectory(m: Extract<WebviewToHost, { type: 'trajectory' }>): Promise<void> {
    const channel = `trajectory:${m.requestId}`;
    const controller = this.startJob(channel, m.requestId);
    try {
      const analysis = await this.analysisPromise();
      if (m.init.length !== analysis.variables.length) {
        throw new Error(`the start point has ${m.init.length} coordinates, the objective has ${analysis.variables.length} variables (${analysis.variables.join(', ')})`);
      }
      const problem = await this.problemPromise();
      const data = await this.pool().trajectory(
        {
          spec: this.mapSpec ?? problem, eta: m.eta, init: m.init, classify: this.classifyOptions(), tailSteps: TRAJECTORY_TAIL_STEPS,
          ...optimizerField(jobOptimizer(m.optimizer, this.expression)),
        },
        controller.signal,
      );
      const trajectory = trajectoryView(data, m.eta, m.init);
      this.lastTrajectory = trajectory;
      this.trajectories.set(m.requestId, trajectory);
      if (this.trajectories.size > 32) this.trajectories.delete(this.trajectories.keys().next().value as number);
      this.post({ type: 'trajectory', requestId: m.requestId, trajectory });
    } catch (err) {
      this.reportFailure(m.requestId, err, `Trajectory from (${m.init.map((v) => Number(v.toPrecision(4))).join(', ')})`);
    } finally {
      this.endJob(channel, controller);
    }
  }

  private async runSweepJob(m: Extract<WebviewToHost, { type: 'sweep' }>): Promise<void> {
    const controller = this.startJob('sweep', m.requestId);
    try {
      const analysis = await this.analysisPromise();
      const problem = await this.problemPromise();
      const optimizer = jobOptimizer(m.optimizer, this.expression);
      const etas = panelSweepEtas(analysis.minima, optimizer);
      const slice = sliceFor(analysis, m.xRange, m.yRange, m.grid);
      const points = await this.pool().sweep(
        { spec: windowSpec(problem, analysis.domain, slice), slice, etas, classify: this.classifyOptions(), ...optimizerField(optimizer) },
        (point, done, total) => {
          if (!controller.signal.aborted) this.post({ type: 'sweepPoint', requestId: m.requestId, point, done, total });
        },
        controller.signal,
      );
      this.lastSweep = points;
      this.post({ type: 'sweepDone', requestId: m.requestId, points });
    } catch (err) {
      this.reportFailure(m.requestId, err, 'Learning-rate sweep failed');
    } finally {
      this.endJob('sweep', controller);
    }
  }

  /* ------------------------------------------------------------------ exports */

  private exportAvailable(format: ExportFormat): boolean {
    switch (format) {
      case 'png': return this.ready;
      case 'npy': return this.mainMap !== null;
      case 'trajectory-csv': case 'trajectory-json': return this.lastTrajectory !== null;
      case 'sweep-csv': case 'sweep-json': return this.lastSweep !== null;
      case 'svg': return this.mainMap !== null;
    }
  }

  /** Asks the webview for the PNG of its canvas (null after 5 s or when the panel closes). */
  private capturePng(): Promise<string | null> {
    const requestId = this.nextHostRequestId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pngWaiters.delete(requestId);
        resolve(null);
      }, 5000);
      this.pngWaiters.set(requestId, (png) => {
        clearTimeout(timer);
        resolve(png);
      });
      this.post({ type: 'command', command: 'capturePng', requestId });
    });
  }

  private exportContents(format: ExportFormat, pngBase64: string | null, chosen: TrajectoryView | null): Promise<Uint8Array | string | null> | Uint8Array | string | null {
    const trajectory = chosen ?? this.lastTrajectory;
    const extra = { title: this.expression.title, expression: this.expression.problem.expression };
    switch (format) {
      case 'png':
        return pngBase64 !== null ? base64ToBytes(pngBase64) : this.capturePng().then((b) => (b === null ? null : base64ToBytes(b)));
      case 'npy':
        return this.mainMap && this.mainMap.rowsDone >= this.mainMap.height
          ? encodeNpy(this.mainMap.classes, [this.mainMap.height, this.mainMap.width])
          : null;
      case 'trajectory-csv':
        return trajectory && trajectoryCsv(trajectory, this.variables);
      case 'trajectory-json':
        return trajectory && trajectoryJson(trajectory, this.variables, extra);
      case 'sweep-csv':
        return this.lastSweep && sweepCsv(this.lastSweep);
      case 'sweep-json':
        return this.lastSweep && sweepJson(this.lastSweep, extra);
      case 'svg':
        return null; // drawn by the webview (command captureSvg → saveFile)
    }
  }

  private async exportFormat(format: ExportFormat, pngBase64: string | null, trajectory: TrajectoryView | null = null): Promise<void> {
    try {
      const contents = await this.exportContents(format, pngBase64, trajectory);
      if (contents === null) {
        const why = format === 'npy' ? 'the basin map has not finished yet'
          : format.startsWith('trajectory') ? 'no trajectory yet: click a pixel of the map first'
            : format.startsWith('sweep') ? 'no sweep yet: run “Sweep Learning Rates” first' : 'the panel did not answer';
        void vscode.window.showWarningMessage(`GD Stability: nothing to export — ${why}.`);
        return;
      }
      const ext = Object.values(EXPORT_FILTERS[format])[0][0];
      const base = this.expression.title.replace(/[^\w.-]+/g, '_').slice(0, 40) || 'gdlab';
      const suffix = format === 'png' || format === 'npy' ? `basin-eta${this.mainMap?.eta ?? this.expression.eta}` : format.split('-')[0];
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
      this.post({ type: 'notice', message: `Exported ${EXPORT_LABELS[format]} to ${target.fsPath || target.toString()}` });
    } catch (err) {
      void vscode.window.showErrorMessage(`GD Stability: export failed: ${errorMessage(err)}`);
    }
  }

  /* ------------------------------------------------------------------ html */

  private html(): string {
    const webview = this.panel.webview;
    const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const n = nonce();
    // Styles: the bundle adopts constructed stylesheets (its own and the components'), which CSP
    // does not treat as inline <style>, so style-src needs no 'unsafe-inline'.
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${n}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>GD Stability Lab</title>
</head>
<body>
<main id="app" aria-label="GD Stability Lab panel"><p id="boot-message">Loading GD Stability Lab…</p></main>
<script nonce="${n}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
  }
}

/**
 * The session's problem with its parsed objective (ProblemSpec.ir), which the compute pool
 * requires. A panel restored from state saved before sessions carried it (or any session without
 * it) is parsed again here, on the host, with the lazily loaded text bundle; a bad expression
 * rejects with the parser's message, which the panel shows.
 */
async function problemWithIR(session: AnalysisSession): Promise<ProblemSpec> {
  if (session.problem.ir) return session.problem;
  return sessionWithIR(session, await loadTextModules()).problem;
}

/** Fills in what the user's settings decide for a session that does not say (map colours). */
function withSettings(session: AnalysisSession): AnalysisSession {
  if (session.colorScheme) return session;
  const scheme = vscode.workspace.getConfiguration('gdStabilityLab').get<string>('colorScheme');
  return scheme === 'paper' || scheme === 'per-minimum' || scheme === 'colorblind' ? { ...session, colorScheme: scheme } : session;
}
