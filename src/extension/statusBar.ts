/**
 * Status bar item for the active config: η/η_max and the regime; a click opens the basin map.
 */
import * as vscode from 'vscode';
import { ConfigService, isConfigDocument, loadTextModules } from './configService';
import { ANALYZE_CONFIG_COMMAND } from './codeLens';

export class ConfigStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gdStabilityLab.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;

  constructor(private readonly service: ConfigService) {
    this.item.name = 'GD Stability: learning rate';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      service.onDidChange((uri) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) this.refresh();
      }),
    );
    this.refresh();
  }

  refresh(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const generation = ++this.generation;
    if (!doc || !isConfigDocument(doc)) {
      this.item.hide();
      return;
    }
    this.item.command = { title: 'Open basin map', command: ANALYZE_CONFIG_COMMAND, arguments: [doc.uri] };
    void this.render(doc, generation);
  }

  private async render(doc: vscode.TextDocument, generation: number): Promise<void> {
    const m = await loadTextModules();
    const state = await this.service.state(doc);
    if (generation !== this.generation) return;
    this.item.backgroundColor = undefined;
    const analysis = state.spec?.analysis.value;
    const net = state.config.network;
    if (net) {
      // a network config: its learning rates (a click trains it)
      const ok = net.train !== null && !state.config.issues.some((i) => i.severity === 'error');
      this.item.text = ok ? `$(pulse) GD: network · η = ${net.train?.learningRates.map((e) => m.config.fmt(e)).join(', ')}` : '$(error) GD: config has errors';
      this.item.tooltip = ok ? 'GD Stability Lab: train this network and open its training view (loss, sharpness against 2/η)' : 'GD Stability Lab: fix the problems marked in this config';
    } else if (!state.spec) {
      this.item.text = '$(error) GD: config has errors';
      this.item.tooltip = 'GD Stability Lab: fix the problems marked in this config';
    } else if (!analysis) {
      this.item.text = state.spec.analysis.error ? '$(error) GD: analysis failed' : '$(loading~spin) GD: finding minima…';
      this.item.tooltip = state.spec.analysis.error ?? 'GD Stability Lab: finding the minima of this objective';
    } else {
      const etaMax = m.config.smallestEtaMax(analysis.minima, state.config.optimizer);
      const eta = m.config.primaryEta(state.config, etaMax);
      const status = m.hover.statusBarText(eta, analysis.minima, state.config.optimizer);
      this.item.text = status.text;
      this.item.tooltip = status.tooltip;
      if (status.kind === 'beyond' || status.kind === 'none') this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
