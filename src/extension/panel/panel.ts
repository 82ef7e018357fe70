/**
 * The GD Stability Lab panel host: one WebviewPanel beside the editor that shows an analysis
 * session. It owns its disposables, talks to the webview through the typed messages of
 * src/shared/protocol.ts (ready handshake; everything queued until then), and runs the webview's
 * requests on the compute pool, each job on a channel (the stale job of the same channel is
 * cancelled): basin maps, Figure 2's strip, trajectories and LR sweeps (mapJobs.ts), the dynamics
 * measures (measuresHost.ts), the network views (networkHost.ts). The session's analysis is in
 * sessionAnalysis.ts, the exports (save dialog and workspace.fs) in panelExports.ts, the page and
 * its CSP in panelHtml.ts.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../../compute/pool';
import type { ComputePool } from '../../compute/pool';
import { DEFAULT_CLASSIFY } from '../../engine/classify';
import type { ClassifyOptions } from '../../engine/types';
import type { AnalysisSession } from '../../shared/session';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import type { HostToWebview, PanelViewState, WebviewToHost } from '../../shared/protocol';
import { validatePersistedState, validateWebviewMessage } from '../../shared/protocolValidation';
import { NetworkHost } from './networkHost';
import type { NetworkSession } from '../../shared/networkSession';
import { MeasuresHost } from './measuresHost';
import { MapJobs, type MapJobsHost } from './mapJobs';
import { PanelExports } from './panelExports';
import { panelHtml, panelWebviewOptions } from './panelHtml';
import { errorMessage, SessionAnalysis } from './sessionAnalysis';

export { trajectoryView } from './mapJobs';

type PoolProvider = () => ComputePool;

function isCancelled(err: unknown): boolean {
  return err instanceof CancelledError || (err instanceof Error && err.name === 'CancelledError');
}

function sameProblem(a: AnalysisSession, b: AnalysisSession): boolean {
  return JSON.stringify([a.problem, a.axes ?? null, a.fixed ?? null]) === JSON.stringify([b.problem, b.axes ?? null, b.fixed ?? null]);
}

interface RunningJob {
  requestId: number;
  controller: AbortController;
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
  /** the analysis of the session's problem, and that problem with its parsed objective (sessionAnalysis.ts) */
  private readonly analysis = new SessionAnalysis({
    pool: () => this.pool(),
    session: () => this.session,
    post: (message) => this.post(message),
  });
  /** in-flight jobs by channel ('main', 'strip:i', 'sweep', 'trajectory:id') */
  private readonly jobs = new Map<string, RunningJob>();
  private nextHostRequestId = 1_000_000_000;
  /** what the map and measures jobs need of the panel */
  private readonly jobHost: MapJobsHost = {
    pool: () => this.pool(),
    session: () => this.expressionForJobs(),
    expression: () => this.expression,
    analysis: () => this.analysis.promise(),
    problem: () => this.analysis.problem(),
    classify: () => this.classifyOptions(),
    startJob: (channel, id) => this.startJob(channel, id),
    endJob: (channel, controller) => this.endJob(channel, controller),
    post: (message) => this.post(message),
    reportFailure: (id, err, what) => this.reportFailure(id, err, what),
  };
  /** basin maps, Figure 2's strip, trajectories, LR sweeps and their last results (mapJobs.ts) */
  private readonly maps = new MapJobs(this.jobHost);
  /** orbit diagrams, uncertainty exponent, tipping, figure files (measuresHost.ts) */
  private readonly measures = new MeasuresHost(this.jobHost);
  /** Export Results… of the expression views (panelExports.ts) */
  private readonly exports = new PanelExports({
    ready: () => this.ready,
    expression: () => this.expression,
    variables: () => this.analysis.variables,
    results: this.maps,
    hostRequestId: () => this.nextHostRequestId++,
    post: (message) => this.post(message),
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
      panelWebviewOptions(context.extensionUri),
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
        panelWebviewOptions(context.extensionUri),
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
        panel.webview.options = panelWebviewOptions(context.extensionUri);
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

  private static titleFor(session: { title: string }): string {
    const t = session.title.length > 40 ? `${session.title.slice(0, 39)}…` : session.title;
    return `GD Stability: ${t}`;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly pool: PoolProvider,
    session: AnalysisSession | null,
    view: PanelViewState | null,
  ) {
    this.session = session;
    this.view = view;
    this.network = new NetworkHost((m) => this.post(m), pool);
    panel.webview.html = panelHtml(panel.webview, extensionUri);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), null, this.disposables);
  }

  /* ------------------------------------------------------------------ public API (host) */

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
    this.analysis.clear();
    this.maps.forgetMapSpec();
    this.panel.title = StabilityPanel.titleFor(session);
    this.network.show(session);
  }

  /** Live update (config or selection edited): cancels stale jobs and re-renders. */
  update(session: AnalysisSession): void {
    session = withSettings(session);
    const keepWindow = this.session !== null && !this.network.session && sameProblem(this.session, session) && this.view !== null;
    this.cancelAll();
    this.network.clear();
    this.session = session;
    this.maps.forgetMapSpec();
    this.panel.title = StabilityPanel.titleFor(session);
    this.view = keepWindow && this.view ? { ...this.view, eta: session.eta } : null;
    this.post({ type: 'session', session, view: this.view });
    this.analysis.start();
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
    await this.exports.pick();
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
    this.exports.dispose();
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
          if (firstTime || !this.analysis.started) this.analysis.start();
          else this.analysis.resend(session);
        }
        queued.forEach((m) => this.post(m));
        break;
      }
      case 'basin':
        void this.maps.runBasin(message);
        break;
      case 'trajectory':
        void this.maps.runTrajectory(message);
        break;
      case 'sweep':
        void this.maps.runSweep(message);
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
        const chosen = message.trajectoryRequestId != null ? this.maps.trajectory(message.trajectoryRequestId) : undefined;
        void this.exports.exportFormat(message.format, message.pngBase64, chosen ?? null);
        break;
      }
      case 'pngData':
        this.exports.pngData(message.requestId, message.pngBase64);
        break;
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

  /**
   * The shown session with its problem as the pool runs it (the parsed objective attached once the
   * analysis has it: a restored session may lack it), for the jobs that await the analysis first.
   */
  private expressionForJobs(): AnalysisSession {
    const session = this.expression;
    const resolved = this.analysis.resolved;
    return resolved && !session.problem.ir && resolved.expression === session.problem.expression ? { ...session, problem: resolved } : session;
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
}

/** Fills in what the user's settings decide for a session that does not say (map colours). */
function withSettings(session: AnalysisSession): AnalysisSession {
  if (session.colorScheme) return session;
  const scheme = vscode.workspace.getConfiguration('gdStabilityLab').get<string>('colorScheme');
  return scheme === 'paper' || scheme === 'per-minimum' || scheme === 'colorblind' ? { ...session, colorScheme: scheme } : session;
}
