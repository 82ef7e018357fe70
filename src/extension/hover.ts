/**
 * Hover on a config's learning rates (lr, learningRates[i], lrFractions[i]), objective and
 * optimizer: thresholds (of the configured optimizer), regime, certified radius, area fractions
 * and a command link to the basin map; on the optimizer's name and parameters, their meaning,
 * range and the thresholds they give.
 * Never blocks for more than a moment: results still computing show as "computing…".
 */
import * as vscode from 'vscode';
import { ConfigService, HOVER_ANALYSIS_WAIT_MS, HOVER_WAIT_MS, loadTextModules, within } from './configService';
import { readSettings } from './settings';
import { COMMAND_IDS } from './ids';
import { networkHover } from './networkHover';
import type { NetworkService } from './networkService';

export const OPEN_BASIN_MAP_COMMAND = COMMAND_IDS.openBasinMap;

export interface OpenBasinMapArgs {
  uri: string;
  eta: number;
}

export class LearningRateHoverProvider implements vscode.HoverProvider {
  constructor(private readonly service: ConfigService, private readonly network?: NetworkService) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    // a config with a "model" block: the network's hover (networkHover.ts)
    const net = this.network ? await networkHover(this.network, doc, position, token) : undefined;
    if (net !== undefined) return net ?? undefined;
    const m = await loadTextModules();
    const state = await this.service.state(doc);
    if (token.isCancellationRequested) return undefined;
    const offset = doc.offsetAt(position);
    const { config } = state;
    const entry = m.config.learningRateAt(config, offset);
    const onObjective = !entry && m.config.isOnObjective(config, offset);
    const optimizerPart = !entry && !onObjective ? m.config.optimizerPartAt(config, offset) : undefined;
    if (!entry && !onObjective && !optimizerPart) return undefined;
    const rangeOf = (r: { start: number; end: number }) => new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end));

    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [OPEN_BASIN_MAP_COMMAND] };
    md.supportThemeIcons = true;
    const hoverRange = entry ? rangeOf(entry.range) : rangeOf(config.objectiveRange ?? { start: offset, end: offset });

    if (optimizerPart) {
      // the optimizer, its parameters and thresholds (per minimum once the analysis is known)
      if (!config.optimizer) return undefined; // a bad setting: its diagnostic says what is wrong
      const known = state.spec?.analysis.value ?? (state.spec ? await within(state.spec.analysis.promise, HOVER_ANALYSIS_WAIT_MS) : undefined);
      if (token.isCancellationRequested) return undefined;
      const minima = known ? known.minima : [];
      const eta = m.config.primaryEta(config, m.config.smallestEtaMax(minima, config.optimizer));
      md.appendMarkdown(m.optimizerHover.optimizerHoverMarkdown({ spec: config.optimizer, focus: optimizerPart, eta, minima }));
      const r = optimizerPart === 'name' ? config.optimizerRanges?.name : config.optimizerRanges?.params[optimizerPart]?.value;
      return new vscode.Hover(md, r ? rangeOf(r) : undefined);
    }

    if (!state.spec) {
      md.appendMarkdown('**GD Stability Lab**: fix the problems marked in this file to see the thresholds.');
      return new vscode.Hover(md, hoverRange);
    }
    const analysis = state.spec.analysis.value ?? (await within(state.spec.analysis.promise, HOVER_ANALYSIS_WAIT_MS));
    if (token.isCancellationRequested) return undefined;
    if (!analysis) {
      const failed = state.spec.analysis.error;
      md.appendMarkdown(failed ? `**GD Stability Lab**: the analysis failed: ${escapeMd(failed)}` : '**GD Stability Lab**: finding the minima… hover again in a moment.');
      return new vscode.Hover(md, hoverRange);
    }
    // thresholds of the configured optimizer (GD: 2/λ_max; none for Adam / RMSProp)
    const optimizer = config.optimizer && config.optimizer.name !== 'gd' ? config.optimizer : undefined;
    const etaMax = m.config.smallestEtaMax(analysis.minima, optimizer);
    const settings = readSettings(doc.uri);

    if (onObjective) {
      const { session } = await this.service.session(doc);
      const args: OpenBasinMapArgs | undefined = session ? { uri: doc.uri.toString(), eta: session.eta } : undefined;
      md.appendMarkdown(
        m.hover.objectiveHoverMarkdown({
          normalized: analysis.normalized,
          variables: analysis.variables,
          minima: analysis.minima,
          otherCriticalPoints: analysis.criticalPoints.length - analysis.minima.length,
          domain: analysis.domain,
          definedness: analysis.definedness,
          ...(session && args ? { openCommand: { command: OPEN_BASIN_MAP_COMMAND, args, eta: session.eta } } : {}),
        }),
      );
      return new vscode.Hover(md, hoverRange);
    }

    const eta = entry ? m.config.resolveEta(entry, etaMax) : null;
    if (!entry || eta === null) {
      md.appendMarkdown(m.hover.learningRateHoverMarkdown({ eta: entry?.value ?? 0, variables: analysis.variables, minima: [] }));
      return new vscode.Hover(md, hoverRange);
    }
    // certificates and fractions: cached, computed in the pool; wait only a moment for them
    const beyond = etaMax !== null && eta >= etaMax;
    // Theorem 2's certificate is GD's: none for the other optimizers
    const certs = beyond || optimizer ? undefined : this.service.certificates(state, eta);
    const { session } = await this.service.session(doc);
    let fractions: ReturnType<ConfigService['fractions']>;
    if (session && settings.hoverFractions && !beyond) {
      const classify = { ...m.classify.DEFAULT_CLASSIFY, maxSteps: session.maxSteps, roundoffGuard: session.roundoffGuard ?? m.classify.DEFAULT_CLASSIFY.roundoffGuard };
      fractions = this.service.fractions(state, { ...session, eta }, classify, m);
    }
    await within(Promise.all([certs?.promise, fractions?.promise]), HOVER_WAIT_MS);
    if (token.isCancellationRequested) return undefined;
    const args: OpenBasinMapArgs = { uri: doc.uri.toString(), eta };
    md.appendMarkdown(
      m.hover.learningRateHoverMarkdown({
        eta,
        ...(entry.fraction ? { writtenFraction: entry.value } : {}),
        variables: analysis.variables,
        minima: analysis.minima,
        certificates: beyond ? undefined : certs?.value ?? (certs?.error ? undefined : 'pending'),
        fractions: fractions ? fractions.value ?? (fractions.error ? undefined : 'pending') : undefined,
        ...(fractions?.error ? { fractionsError: fractions.error } : {}),
        openCommand: { command: OPEN_BASIN_MAP_COMMAND, args },
        ...(optimizer ? { optimizer } : {}),
        setOfMinima: analysis.criticalPoints.some((p) => p.kind === 'degenerate' && p.semidefinite === true),
        definedness: analysis.definedness,
      }),
    );
    return new vscode.Hover(md, hoverRange);
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
