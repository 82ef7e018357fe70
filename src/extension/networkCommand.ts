/**
 * "Analyze Config File" on a config with a `model` block: validates the network part (problems
 * are shown as diagnostics; the first one is named here), resolves the CSV file next to the
 * config, and shows the network in the panel, which trains it at the config's learning rates.
 */
import * as vscode from 'vscode';
import type { ComputePool } from '../compute/pool';
import { StabilityPanel } from './panel/panel';
import { loadTextModules } from './configService';

export interface NetworkCommandContext {
  context: vscode.ExtensionContext;
  pool: () => ComputePool;
}

/** The CSV file of a config's data, relative to the config document. */
export function csvUriFor(configUri: vscode.Uri, file: string): vscode.Uri {
  if (/^[A-Za-z]:[\\/]/.test(file)) return vscode.Uri.file(file);
  if (file.startsWith('/')) return configUri.with({ path: file });
  return vscode.Uri.joinPath(configUri, '..', file);
}

/** Handles a network config (returns false for an expression config, which the caller analyses). */
export async function analyzeNetworkConfig(ctx: NetworkCommandContext, doc: vscode.TextDocument): Promise<boolean> {
  const m = await loadTextModules();
  const config = m.network.networkConfig(doc.getText(), m.tree.formatOfFileName(doc.uri.path));
  if (!config) return false;
  const name = vscode.workspace.asRelativePath(doc.uri);
  const csvUri = config.csv ? csvUriFor(doc.uri, config.csv.file).toString() : undefined;
  const session = m.network.networkSession(config, { title: doc.uri.path.split('/').pop() ?? 'network', sourceUri: doc.uri.toString(), ...(csvUri ? { csvUri } : {}) });
  if (!session) {
    const first = config.issues.find((i) => i.severity === 'error');
    const where = first ? ` (line ${doc.positionAt(first.range.start).line + 1}: ${first.message})` : '';
    const pick = await vscode.window.showErrorMessage(`GD Stability: ${name} has problems to fix first${where}.`, 'Show Problems');
    if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
    return true;
  }
  StabilityPanel.showNetwork(ctx.context, ctx.pool, session);
  return true;
}
