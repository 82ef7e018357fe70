/**
 * CodeLens above a config's objective: "▶ Analyze" (opens the basin map), and once the analysis
 * is known, the threshold and regime of the configured η.
 */
import * as vscode from 'vscode';
import { ConfigService, loadTextModules } from './configService';
import { COMMAND_IDS } from './ids';

export const ANALYZE_CONFIG_COMMAND = COMMAND_IDS.analyzeConfig;

export class AnalyzeCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: ConfigService) {
    this.subscription = service.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const m = await loadTextModules();
    const state = await this.service.state(doc);
    const { config } = state;
    const anchor = config.keyRanges.objective ?? config.objectiveRange;
    if (!anchor) return networkLenses(doc, m);
    const range = new vscode.Range(doc.positionAt(anchor.start), doc.positionAt(anchor.start));
    const lenses = [
      new vscode.CodeLens(range, {
        title: '▶ Analyze',
        tooltip: 'Find the minima and open the basin map of this config beside the editor',
        command: ANALYZE_CONFIG_COMMAND,
        arguments: [doc.uri],
      }),
    ];
    const analysis = state.spec?.analysis.value;
    if (analysis) {
      const etaMax = m.config.smallestEtaMax(analysis.minima, config.optimizer);
      const eta = m.config.primaryEta(config, etaMax);
      const status = m.hover.statusBarText(eta, analysis.minima, config.optimizer);
      lenses.push(
        new vscode.CodeLens(range, {
          title: analysis.minima.length === 0
            ? (analysis.criticalPoints.some((p) => p.kind === 'degenerate' && p.semidefinite)
              ? 'no strict minimum: a set of minima (degenerate, no negative curvature), which GD can converge onto'
              : 'no minimum in the domain')
            : etaMax === null
              ? status.text.replace('$(graph) ', '') // Adam / RMSProp: no static η_max
              : `η_max = ${m.optimizerHover.etaMaxLabel(config.optimizer)} = ${m.config.fmt(etaMax)} · ${status.text.replace('$(graph) ', '')}`,
          tooltip: status.tooltip,
          command: '',
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** "▶ Analyze" above a config's `model` block: trains the network and opens its training view. */
function networkLenses(doc: vscode.TextDocument, m: Awaited<ReturnType<typeof loadTextModules>>): vscode.CodeLens[] {
  const net = m.network.networkConfig(doc.getText(), m.tree.formatOfFileName(doc.uri.path));
  if (!net) return [];
  const at = doc.positionAt(net.modelKeyRange.start);
  return [new vscode.CodeLens(new vscode.Range(at, at), {
    title: '▶ Analyze',
    tooltip: 'Train this network at its learning rates and open its training view (loss, sharpness against 2/η, slices) beside the editor',
    command: ANALYZE_CONFIG_COMMAND,
    arguments: [doc.uri],
  })];
}
