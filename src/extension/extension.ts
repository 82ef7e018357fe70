/**
 * GD Stability Lab — extension entry. Activation only registers things: the config parser,
 * mathjs and yaml load on first use, and the compute pool starts its worker threads with the
 * first job. The activation time is logged to the "GD Stability Lab" output channel.
 */
import * as vscode from 'vscode';
import { ComputePool, defaultWorkerCount } from '../compute/pool';
import { StabilityPanel } from './panel/panel';
import { AnalyzeCodeLensProvider } from './codeLens';
import { COMMANDS, cancelAllHostWork, panelSourceUri, registerCommands } from './commands';
import { ConfigService, GDLAB_SELECTOR, isConfigDocument, setTextBundlePath } from './configService';
import { LearningRateHoverProvider } from './hover';
import { NetworkService } from './networkService';
import { OUTPUT_CHANNEL_NAME } from './ids';
import { readSettings, SECTION } from './settings';
import { ConfigStatusBar } from './statusBar';

let pool: ComputePool | undefined;
let log: vscode.OutputChannel | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const t0 = performance.now();
  log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
  const channel = log;
  context.subscriptions.push(channel);

  setTextBundlePath(context.asAbsolutePath('dist/text.js'), (ms) => channel.appendLine(`[text] config parser, mathjs and yaml loaded in ${ms.toFixed(0)} ms (first use)`));
  const workerScript = context.asAbsolutePath('dist/worker.js');
  /** The one compute pool, created on first use (its threads start with the first job). */
  const getPool = (): ComputePool => {
    if (!pool) {
      const workers = readSettings().workers || defaultWorkerCount();
      pool = new ComputePool({ workers, workerScript });
      channel.appendLine(`[pool] ${workers} worker thread(s), ${workerScript}`);
    }
    return pool;
  };
  context.subscriptions.push({ dispose: disposePool });

  const network = new NetworkService(getPool);
  const service = new ConfigService(getPool, channel, (doc) => network.issuesNow(doc));
  const codeLens = new AnalyzeCodeLensProvider(service);
  const ctx = { context, pool: getPool, service, log: channel };
  context.subscriptions.push(
    service,
    network,
    codeLens,
    new ConfigStatusBar(service),
    ...registerCommands(ctx),
    vscode.languages.registerHoverProvider(GDLAB_SELECTOR, new LearningRateHoverProvider(service, network)),
    vscode.languages.registerCodeLensProvider(GDLAB_SELECTOR, codeLens),
    StabilityPanel.registerSerializer(context, getPool),
    // a network config's CSV check finished (or its CSV changed): its diagnostics again
    network.onDidChange((uri) => void service.republish(uri)),
    liveUpdates(service),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.workers`) && pool) {
        channel.appendLine('[pool] worker count changed: restarting the pool');
        StabilityPanel.current?.cancel();
        disposePool();
      }
    }),
  );
  channel.appendLine(`GD Stability Lab activated in ${(performance.now() - t0).toFixed(1)} ms (commands: ${Object.values(COMMANDS).join(', ')})`);
}

/** Live update: when the config shown in the panel is edited, re-render it (debounced upstream). */
function liveUpdates(service: ConfigService): vscode.Disposable {
  let lastPushed = '';
  return service.onDidChange((uri) => {
    const key = uri.toString();
    const panel = StabilityPanel.current;
    if (!panel || !readSettings(uri).liveUpdate) return;
    // the panel's own record of its source (when it has one: a restored panel) or ours
    const shown = 'sourceUri' in panel ? (panel as { sourceUri?: string }).sourceUri : panelSourceUri();
    if (shown !== key) return;
    const state = service.peek(uri);
    // wait for the analysis of this version; a failing config leaves the panel as it was
    if (!state?.spec?.analysis.value) return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && isConfigDocument(d));
    if (!doc || doc.version !== state.version) return;
    void service.session(doc).then(({ session }) => {
      if (!session || StabilityPanel.current !== panel || service.peek(uri) !== state) return;
      const json = JSON.stringify(session);
      if (json === lastPushed) return; // the same session (e.g. a whitespace edit): keep the map
      lastPushed = json;
      panel.update(session);
    }, () => undefined);
  });
}

function disposePool(): void {
  pool?.dispose();
  pool = undefined;
}

export function deactivate(): void {
  cancelAllHostWork();
  disposePool();
  log = undefined;
}
