/**
 * Hover on a learning rate (lr, learningRates[i]) of a network config: the threshold line of the
 * optimizer at that η, the sharpness of the network at initialisation (computed in the pool,
 * cached) and, once the panel has trained it, at the end of the run, each against the line.
 */
import * as vscode from 'vscode';
import { HOVER_WAIT_MS, loadTextModules, within } from './configService';
import { runAt, runsKey } from './networkRuns';
import type { NetworkService } from './networkService';

/**
 * The hover for a network config: a Hover on a learning rate, null elsewhere in a network config,
 * undefined when the document is not a network config (the expression hover takes over).
 */
export async function networkHover(service: NetworkService, doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | null | undefined> {
  const state = await service.state(doc);
  if (!state) return undefined;
  const m = await loadTextModules();
  const entry = m.network.networkLrAt(state.config, doc.offsetAt(position));
  if (!entry || token.isCancellationRequested) return null;
  const range = new vscode.Range(doc.positionAt(entry.range.start), doc.positionAt(entry.range.end));
  const md = new vscode.MarkdownString();
  const session = m.network.networkSession(state.config, { title: 'network', sourceUri: doc.uri.toString() });
  const train = state.config.train;
  if (!session || !train) {
    md.appendMarkdown('**GD Stability Lab**: fix the problems marked in this file to see the network’s sharpness against 2/η.');
    return new vscode.Hover(md, range);
  }
  if (state.initial) await within(state.initial.promise, HOVER_WAIT_MS);
  if (token.isCancellationRequested) return null;
  const i = Math.max(0, session.learningRates.indexOf(entry.eta));
  const initial = state.initial?.value ? state.initial.value.sharpness : state.initial?.error !== undefined ? { error: state.initial.error } : 'pending' as const;
  const remembered = runAt(runsKey(doc.uri.toString(), session.model, session.optimizer, session.steps), entry.eta);
  md.appendMarkdown(m.network.networkLrHoverMarkdown({
    eta: entry.eta,
    threshold: session.thresholds[i] ?? 2 / entry.eta,
    thresholdName: m.network.thresholdName(session.optimizer),
    optimizerLabel: session.optimizerLabel,
    preconditioned: session.preconditioned,
    ...(state.initial?.value ? { description: state.initial.value.model.description } : {}),
    initial,
    ...(remembered ? { run: { ...remembered.run, at: remembered.at } } : {}),
  }));
  return new vscode.Hover(md, range);
}
