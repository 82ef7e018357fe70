/**
 * The "GD Stability" commands. Long work runs in the compute pool behind a cancellable progress
 * notification; every failure ends in a message that says what to do.
 */
import * as vscode from 'vscode';
import type { AnalysisResult, ComputePool } from '../compute/pool';
import type { AnalysisSession } from '../shared/session';
import type { ExtractedExpression } from '../config/selection';
import { escapeControl } from '../config/userText';
import { StabilityPanel } from './panel/panel';
import { ConfigService, abortable, errorText, isCancelled, isConfigDocument, loadTextModules, type TextModules } from './configService';
import { type OpenBasinMapArgs } from './hover';
import { COMMAND_IDS } from './ids';
import { readSettings } from './settings';
import { analyzeNetworkConfig } from './networkCommand';

export const COMMANDS = COMMAND_IDS;

/** The paper's examples offered by "Open Paper Example…" (files in the extension's examples/). */
export const PAPER_EXAMPLES = [
  { label: 'f1 — Figure 2, row 1', description: 'x²+y²+x²y+x³+y³ · η_max = 1', file: 'figure2-f1.gdlab.json' },
  { label: 'f2 — Figure 2, row 2', description: 'x²+y²+x²y+x⁴+y⁴ · η_max = 1', file: 'figure2-f2.gdlab.json' },
  { label: 'f3 — Figure 2, row 3', description: 'x⁴y²+x²y⁴−3x²y²+1 · four minima · η_max = 1/6', file: 'figure2-f3.gdlab.json' },
  { label: 'f4 — Figure 2, row 4', description: '(1−xy)²+(x²+y²)/20 · two minima · η_max = 10/19', file: 'figure2-f4.gdlab.json' },
  { label: 'Figure 3 — f4 at η = 0.25', description: 'an unstable start (0.1, 2.5) and a stable one (1.5, 2)', file: 'figure3-f4.gdlab.json' },
] as const;

export interface CommandContext {
  context: vscode.ExtensionContext;
  pool: () => ComputePool;
  service: ConfigService;
  log: vscode.OutputChannel;
}

/** Host-side work in flight (for Cancel Computation). */
const running = new Set<AbortController>();

/** Runs `work` behind a cancellable progress notification; cancellation aborts its signal. */
async function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  running.add(controller);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const sub = token.onCancellationRequested(() => controller.abort());
      return work(controller.signal, progress).finally(() => sub.dispose());
    });
  } finally {
    running.delete(controller);
  }
}

function openPanel(ctx: CommandContext, session: AnalysisSession): void {
  StabilityPanel.createOrShow(ctx.context, ctx.pool, session);
  shownSourceUri = session.sourceUri;
}

/** The config document the panel was last opened for (for live updates). */
let shownSourceUri: string | undefined;
export function panelSourceUri(): string | undefined {
  return StabilityPanel.current ? shownSourceUri : undefined;
}

/** Reports a failure in words a person can act on; cancellations are quiet. */
async function reportFailure(ctx: CommandContext, what: string, e: unknown): Promise<void> {
  if (isCancelled(e)) {
    vscode.window.setStatusBarMessage('GD Stability: cancelled', 3000);
    return;
  }
  const message = errorText(e);
  ctx.log.appendLine(`[error] ${what}: ${e instanceof Error && e.stack ? e.stack : message}`);
  if (e instanceof Error && e.name === 'WorkerCrashedError') {
    const pick = await vscode.window.showErrorMessage(
      `GD Stability: a compute worker stopped while ${what} (${message}). It has been restarted; try again. If it repeats, lower the grid size or the number of workers.`,
      'Open Settings',
      'Show Log',
    );
    if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'gdStabilityLab');
    if (pick === 'Show Log') ctx.log.show(true);
    return;
  }
  const pick = await vscode.window.showErrorMessage(`GD Stability: ${what} failed: ${message}`, 'Show Log');
  if (pick === 'Show Log') ctx.log.show(true);
}

/* ------------------------------------------------------------------ Analyze Selected Expression */

async function analyzeSelection(ctx: CommandContext): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('GD Stability: select a loss expression in an editor (e.g. x**2 + y**2 + x**2*y), then run Analyze Selected Expression.');
    return;
  }
  const doc = editor.document;
  let selectionRange: vscode.Range = editor.selection;
  if (editor.selection.isEmpty) selectionRange = doc.lineAt(editor.selection.active.line).range;
  const text = doc.getText(selectionRange);
  if (text.trim() === '') {
    void vscode.window.showInformationMessage('GD Stability: nothing selected. Select a loss expression such as x**2 + y**2 + x**2*y (Python/NumPy forms work), then run the command again.');
    return;
  }
  const m = await loadTextModules();
  let parsed: ReturnType<TextModules['selection']['parseSelection']>['parsed'];
  let extracted: ExtractedExpression;
  try {
    ({ parsed, extracted } = m.selection.parseSelection(text));
  } catch (e) {
    const range = (e as { range?: { start: number; end: number } }).range;
    const pick = await vscode.window.showErrorMessage(`GD Stability: cannot analyse the selection: ${errorText(e)}`, ...(range ? ['Select the Problem'] : []));
    if (pick && range) {
      const base = doc.offsetAt(selectionRange.start);
      const sel = new vscode.Selection(doc.positionAt(base + range.start), doc.positionAt(base + range.end));
      editor.selection = sel;
      editor.revealRange(sel);
    }
    return;
  }
  const settings = readSettings(doc.uri);
  const spec = m.ir.problemSpec(parsed); // the parsed objective goes to the workers as data
  let analysis: AnalysisResult;
  try {
    analysis = await withCancellableProgress(`GD Stability: finding the minima of ${shorten(parsed.normalized)}`, (signal) => abortable(ctx.pool().analyze(spec, [], signal), signal));
  } catch (e) {
    await reportFailure(ctx, 'finding the minima', e);
    return;
  }
  const etaMax = m.config.smallestEtaMax(analysis.minima);
  if (analysis.minima.length === 0 || etaMax === null) {
    const box = analysis.domain.map((r) => `[${m.config.fmt(r[0])}, ${m.config.fmt(r[1])}]`).join(' × ');
    const pick = await vscode.window.showErrorMessage(
      `GD Stability: no strict local minimum of ${shorten(parsed.normalized)} in ${box} (${analysis.criticalPoints.length} other critical point(s)). Put it in a config file to choose a wider domain.`,
      'Create Config File',
    );
    if (pick) await createConfigFor(parsed.source, parsed.variables);
    return;
  }
  // map axes and fixed values
  let axes: [string, string] | undefined;
  let fixed: Record<string, number> | undefined;
  if (parsed.variables.length > 2) {
    const picked = await pickAxes(parsed.variables, analysis, m);
    if (!picked) return;
    ({ axes, fixed } = picked);
  } else if (parsed.variables.length === 2) {
    axes = [parsed.variables[0] as string, parsed.variables[1] as string];
  }
  const eta = await pickEta(etaMax, m);
  if (eta === undefined) return;
  const session: AnalysisSession = {
    title: extracted.name ? `${extracted.name} = ${shorten(parsed.normalized)}` : shorten(parsed.normalized),
    problem: { ...spec, domain: analysis.domain },
    eta,
    learningRates: [0.5, 0.8, 0.95].map((f) => f * etaMax),
    starts: [],
    grid: settings.gridSize,
    maxSteps: settings.maxSteps,
    roundoffGuard: settings.roundoffGuard,
  };
  if (axes) session.axes = axes;
  if (fixed && Object.keys(fixed).length > 0) session.fixed = fixed;
  openPanel(ctx, session);
}

function shorten(text: string, max = 48): string {
  const t = escapeControl(text.replace(/\s+/g, ' ').trim());
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** More than two variables: pick the two map axes, then the fixed values of the others. */
async function pickAxes(variables: readonly string[], analysis: AnalysisResult, m: TextModules): Promise<{ axes: [string, string]; fixed: Record<string, number> } | undefined> {
  const first = analysis.minima[0];
  let chosen: readonly vscode.QuickPickItem[] | undefined;
  for (;;) {
    chosen = await vscode.window.showQuickPick(
      variables.map((v, k) => ({ label: v, description: first ? `minimum at ${v} = ${m.config.fmt(first.point[k] ?? 0)}` : undefined, picked: k < 2 })),
      { canPickMany: true, title: 'GD Stability: choose the two map axes', placeHolder: `${variables.length} variables: pick exactly two for the map; the others are held fixed` },
    );
    if (!chosen) return undefined;
    if (chosen.length === 2) break;
    const again = await vscode.window.showWarningMessage(`Pick exactly two variables for the map axes (you picked ${chosen.length}).`, 'Pick Again');
    if (!again) return undefined;
  }
  const axes: [string, string] = [chosen[0]?.label ?? '', chosen[1]?.label ?? ''];
  const fixed: Record<string, number> = {};
  for (const [k, v] of variables.entries()) {
    if (axes.includes(v)) continue;
    const dflt = first ? (first.point[k] ?? 0) : 0;
    const value = await vscode.window.showInputBox({
      title: `GD Stability: value of ${v} on the map`,
      prompt: `${v} is not a map axis, so it is held fixed (default: the minimum's coordinate)`,
      value: String(Number(dflt.toPrecision(6))),
      validateInput: (s) => (Number.isFinite(Number(s)) && s.trim() !== '' ? null : `${v} must be a number, e.g. ${m.config.fmt(dflt)}`),
    });
    if (value === undefined) return undefined;
    fixed[v] = Number(value);
  }
  return { axes, fixed };
}

/** η from the paper's fractions of η_max (0.5, 0.8, 0.95) or typed. */
async function pickEta(etaMax: number, m: TextModules): Promise<number | undefined> {
  const fmt = m.config.fmt;
  type Item = vscode.QuickPickItem & { eta?: number };
  const items: Item[] = [0.5, 0.8, 0.95].map((f) => ({
    label: `η = ${fmt(f * etaMax)}`,
    description: `${f}·η_max`,
    detail: m.hover.regimeOf(f * etaMax, etaMax).short,
    eta: f * etaMax,
  }));
  items.push({ label: '$(edit) Enter a learning rate…', description: `η_max = 2/λ_max = ${fmt(etaMax)}` });
  const picked = await vscode.window.showQuickPick(items, { title: 'GD Stability: learning rate η', placeHolder: `η_max = 2/λ_max = ${fmt(etaMax)}: pick a fraction of it or enter a value` });
  if (!picked) return undefined;
  if (picked.eta !== undefined) return picked.eta;
  const typed = await vscode.window.showInputBox({
    title: 'GD Stability: learning rate η',
    prompt: `A positive number; GD can converge to a minimum only below η_max = 2/λ_max = ${fmt(etaMax)}`,
    value: fmt(0.9 * etaMax),
    validateInput: (s) => {
      const x = Number(s);
      if (s.trim() === '' || !Number.isFinite(x)) return 'η must be a number, e.g. ' + fmt(0.5 * etaMax);
      if (x <= 0) return 'η must be positive';
      if (x >= etaMax) return { message: `η ≥ 2/λ_max = ${fmt(etaMax)}: GD diverges from every start near the minimum`, severity: vscode.InputBoxValidationSeverity.Warning };
      return null;
    },
  });
  if (typed === undefined) return undefined;
  return Number(typed);
}

/** Opens an untitled config for an expression (when the default domain holds no minimum). */
async function createConfigFor(expression: string, variables: readonly string[]): Promise<void> {
  const domain: Record<string, [number, number]> = {};
  for (const v of variables) domain[v] = [-10, 10];
  const content = JSON.stringify({ objective: expression, domain, lrFractions: [0.5, 0.8, 0.95] }, null, 2);
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: content + '\n' });
  await vscode.window.showTextDocument(doc);
  void vscode.window.showInformationMessage('Save this as a *.gdlab.json file to get diagnostics and hovers, adjust "domain", then run Analyze Config File.');
}

/* ------------------------------------------------------------------ Analyze Config File */

async function findConfigDocument(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  if (typeof uri === 'string') return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const active = vscode.window.activeTextEditor?.document;
  if (active && isConfigDocument(active)) return active;
  const visible = vscode.window.visibleTextEditors.map((e) => e.document).find(isConfigDocument);
  return visible;
}

export async function analyzeConfig(ctx: CommandContext, uri?: vscode.Uri, eta?: number): Promise<AnalysisSession | undefined> {
  const doc = await findConfigDocument(uri);
  if (!doc) {
    const pick = await vscode.window.showInformationMessage('GD Stability: open a *.gdlab.json or *.gdlab.yaml config first (or start from one of the paper\'s examples).', 'Open Paper Example…');
    if (pick) await vscode.commands.executeCommand(COMMANDS.openExample);
    return undefined;
  }
  // a config with a "model" block: the network's training view
  if (await analyzeNetworkConfig(ctx, doc)) return undefined;
  const name = vscode.workspace.asRelativePath(doc.uri);
  let result: Awaited<ReturnType<ConfigService['session']>>;
  try {
    result = await withCancellableProgress(`GD Stability: analysing ${name}`, (signal) => ctx.service.session(doc, signal));
  } catch (e) {
    await reportFailure(ctx, `analysing ${name}`, e);
    return undefined;
  }
  const { state, session } = result;
  if (!state.spec) {
    const first = state.config.issues.find((i) => i.severity === 'error');
    const where = first ? ` (line ${doc.positionAt(first.range.start).line + 1}: ${first.message})` : '';
    const pick = await vscode.window.showErrorMessage(`GD Stability: ${name} has problems to fix first${where}.`, 'Show Problems');
    if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
    return undefined;
  }
  if (!session) {
    const pick = await vscode.window.showErrorMessage(`GD Stability: no strict local minimum of the objective in the domain of ${name}. Widen "domain" or check the objective.`, 'Show Problems');
    if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
    return undefined;
  }
  if (eta !== undefined && Number.isFinite(eta) && eta > 0) session.eta = eta;
  openPanel(ctx, session);
  return session;
}

/* ------------------------------------------------------------------ the rest */

async function openExample(ctx: CommandContext): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    PAPER_EXAMPLES.map((e) => ({ ...e })),
    { title: 'GD Stability: open one of the paper\'s examples', placeHolder: 'Chen, Peng, Li, Zhao (AAAI 2024): Figures 2 and 3', matchOnDescription: true },
  );
  if (!picked) return;
  const uri = vscode.Uri.joinPath(ctx.context.extensionUri, 'examples', picked.file);
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
    await analyzeConfig(ctx, uri);
  } catch (e) {
    await reportFailure(ctx, `opening the example ${picked.file}`, e);
  }
}

async function sweep(ctx: CommandContext): Promise<void> {
  if (!StabilityPanel.current) {
    const session = await analyzeConfig(ctx);
    if (!session) return;
  }
  StabilityPanel.current?.runSweep();
}

async function exportResults(): Promise<void> {
  if (!StabilityPanel.current) {
    void vscode.window.showInformationMessage('GD Stability: nothing to export yet. Analyse an expression or a config first; then export the map (PNG, .npy), a trajectory or a sweep (CSV, JSON).');
    return;
  }
  await StabilityPanel.current.exportResults();
}

function cancel(): void {
  const panel = StabilityPanel.current;
  const hostJobs = running.size;
  for (const c of running) c.abort();
  panel?.cancel();
  vscode.window.setStatusBarMessage(panel || hostJobs > 0 ? 'GD Stability: computation cancelled' : 'GD Stability: nothing to cancel', 3000);
}

function openBasinMap(ctx: CommandContext, args: unknown): Promise<unknown> {
  const a = (Array.isArray(args) ? args[0] : args) as Partial<OpenBasinMapArgs> | undefined;
  if (!a || typeof a.uri !== 'string' || typeof a.eta !== 'number') return analyzeConfig(ctx);
  return analyzeConfig(ctx, vscode.Uri.parse(a.uri), a.eta);
}

/** Registers every command; the returned disposables are owned by the caller. */
export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const guard = (what: string, f: (...args: unknown[]) => Promise<unknown> | unknown) => async (...args: unknown[]) => {
    try {
      return await f(...args);
    } catch (e) {
      await reportFailure(ctx, what, e);
      return undefined;
    }
  };
  return [
    vscode.commands.registerCommand(COMMANDS.analyzeSelection, guard('analysing the selection', () => analyzeSelection(ctx))),
    vscode.commands.registerCommand(COMMANDS.analyzeConfig, guard('analysing the config', (uri) => analyzeConfig(ctx, uri instanceof vscode.Uri ? uri : undefined))),
    vscode.commands.registerCommand(COMMANDS.openExample, guard('opening an example', () => openExample(ctx))),
    vscode.commands.registerCommand(COMMANDS.sweep, guard('the learning-rate sweep', () => sweep(ctx))),
    vscode.commands.registerCommand(COMMANDS.exportResults, guard('the export', () => exportResults())),
    vscode.commands.registerCommand(COMMANDS.cancel, () => cancel()),
    vscode.commands.registerCommand(COMMANDS.openBasinMap, guard('opening the basin map', (args) => openBasinMap(ctx, args))),
  ];
}

/** Cancels host-side work in flight (deactivate). */
export function cancelAllHostWork(): void {
  for (const c of running) c.abort();
  running.clear();
}
