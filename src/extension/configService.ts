/**
 * Host-side state of the open config documents (*.gdlab.json / *.gdlab.yaml): parse on change
 * (debounced), diagnostics, the analysis of each config in the compute pool (cancelled when the
 * config changes), and caches of certificates and area fractions per η for the hover.
 *
 * The config parser, the expression parser (mathjs) and yaml are loaded lazily on first use, so
 * activation stays fast.
 */
import * as vscode from 'vscode';
import type { AnalysisResult, ComputePool } from '../compute/pool';
import type { CertificateResult, ClassifyOptions, ProblemSpec } from '../engine/types';
import type { GdlabConfig } from '../config/config';
import { clampRange } from '../config/ranges';
import { oneLine } from '../config/userText';
import type { FractionsSummary } from '../config/hoverText';
import type { AnalysisSession } from '../shared/session';
import { readSettings } from './settings';

/**
 * The text-side modules (config parser, mathjs, yaml): a separate bundle, dist/text.js, required
 * on first use so activation does not pay for parsing ~2 MB of mathjs.
 */
export type TextModules = typeof import('../config/index');

let textBundlePath: string | undefined;
let onTextLoaded: ((ms: number) => void) | undefined;
let textModules: Promise<TextModules> | undefined;

/** Called once at activation with the absolute path of dist/text.js (and a load-time logger). */
export function setTextBundlePath(path: string, onLoaded?: (ms: number) => void): void {
  textBundlePath = path;
  onTextLoaded = onLoaded;
}

export function loadTextModules(): Promise<TextModules> {
  textModules ??= new Promise<TextModules>((resolve, reject) => {
    // a macrotask later, so a caller's synchronous work is not delayed by the first load
    setImmediate(() => {
      try {
        if (!textBundlePath) throw new Error('the text bundle path was not set at activation');
        const t0 = performance.now();
        // a runtime require of a separate bundle (not an import: esbuild must not inline it)
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const loaded = require(textBundlePath) as TextModules;
        onTextLoaded?.(performance.now() - t0);
        resolve(loaded);
      } catch (e) {
        textModules = undefined;
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
  return textModules;
}

export const CONFIG_FILE_PATTERN = /\.gdlab\.(json|ya?ml)$/i;
export const GDLAB_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.gdlab.{json,yaml,yml}' }];

export function isConfigDocument(doc: vscode.TextDocument): boolean {
  return CONFIG_FILE_PATTERN.test(doc.uri.path);
}

/** Side of the map used for the hover's area fractions (small: a quick estimate). */
export const HOVER_FRACTIONS_GRID = 96;
/** How long a hover waits for the minima (the first analysis of a config) before saying so. */
export const HOVER_ANALYSIS_WAIT_MS = 1000;
/** How long a hover waits for certificates and area fractions before showing "computing…". */
export const HOVER_WAIT_MS = 250;

type Cached<T> = { promise: Promise<T>; value?: T; error?: string; cause?: unknown };

/** Everything computed for one problem spec (shared by document versions with the same spec). */
class SpecCache {
  readonly controller = new AbortController();
  readonly analysis: Cached<AnalysisResult>;
  readonly certificates = new Map<number, Cached<CertificateResult[]>>();
  readonly fractions = new Map<string, Cached<FractionsSummary>>();
  constructor(readonly key: string, readonly spec: ProblemSpec, pool: ComputePool, etas: number[]) {
    this.analysis = track(pool.analyze(spec, etas, this.controller.signal));
    void this.analysis.promise.then((r) => {
      for (const c of r.certificates) this.certificates.set(c.eta, { promise: Promise.resolve(c.results), value: c.results });
    }, () => undefined);
  }
  dispose(): void {
    this.controller.abort();
  }
}

function track<T>(promise: Promise<T>): Cached<T> {
  const cached: Cached<T> = { promise };
  promise.then(
    (v) => {
      cached.value = v;
    },
    (e: unknown) => {
      cached.error = errorText(e);
      cached.cause = e;
    },
  );
  return cached;
}

/** An error as one safe line (user text in it escaped and capped). */
export function errorText(e: unknown): string {
  return oneLine(e instanceof Error ? e.message : String(e), 500);
}

export function isCancelled(e: unknown): boolean {
  return e instanceof Error && (e.name === 'CancelledError' || e.name === 'AbortError');
}

export interface DocState {
  uri: string;
  version: number;
  config: GdlabConfig;
  /** null when the config has no usable problem */
  spec: SpecCache | null;
}

/** Resolves with the value, or with undefined after `ms` (never rejects). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

export class ConfigService implements vscode.Disposable {
  private readonly states = new Map<string, DocState>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly diagnostics = vscode.languages.createDiagnosticCollection('gdStabilityLab');
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** fires when a config's parse or analysis changed (status bar, CodeLens, live update) */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly pool: () => ComputePool,
    private readonly log: vscode.OutputChannel,
    /** issues found outside the config text (a network config's CSV file), for this version */
    private readonly extraIssues?: (doc: vscode.TextDocument) => GdlabConfig['issues'],
  ) {
    this.disposables.push(
      this.diagnostics,
      this.changed,
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, readSettings(e.document.uri).liveUpdateDelay)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** Re-validates a config after `delayMs` (debounced per document). */
  schedule(doc: vscode.TextDocument, delayMs: number): void {
    if (!isConfigDocument(doc)) return;
    const key = doc.uri.toString();
    const old = this.timers.get(key);
    if (old) clearTimeout(old);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.state(doc).catch((e: unknown) => this.log.appendLine(`[config] ${doc.uri.fsPath}: ${errorText(e)}`));
      }, delayMs),
    );
  }

  /** The current state of a config document (parsing it if its version changed). */
  async state(doc: vscode.TextDocument): Promise<DocState> {
    const key = doc.uri.toString();
    const existing = this.states.get(key);
    if (existing && existing.version === doc.version) return existing;
    const m = await loadTextModules();
    const again = this.states.get(key);
    if (again && again.version === doc.version) return again;
    const t0 = performance.now();
    const config = m.config.parseConfig(doc.getText(), m.tree.formatOfFileName(doc.uri.path));
    const parseMs = performance.now() - t0;
    let spec: SpecCache | null = null;
    if (config.spec) {
      const concrete = config.learningRates.filter((e) => !e.fraction).map((e) => e.value);
      const specKey = JSON.stringify(config.spec);
      if (existing?.spec && existing.spec.key === specKey) {
        spec = existing.spec;
      } else {
        spec = new SpecCache(specKey, config.spec, this.pool(), [...new Set(concrete)]);
        void spec.analysis.promise.catch(() => undefined);
      }
    }
    if (existing?.spec && existing.spec !== spec) existing.spec.dispose();
    const state: DocState = { uri: key, version: doc.version, config, spec };
    this.states.set(key, state);
    this.log.appendLine(`[config] ${vscode.workspace.asRelativePath(doc.uri)} v${doc.version}: parsed in ${parseMs.toFixed(1)} ms, ${config.issues.length} issue(s)`);
    this.publish(doc, state, m);
    this.changed.fire(doc.uri);
    if (spec) {
      const t1 = performance.now();
      spec.analysis.promise.then(
        (r) => {
          if (this.states.get(key) !== state) return;
          this.log.appendLine(`[analysis] ${vscode.workspace.asRelativePath(doc.uri)}: ${r.minima.length} minim${r.minima.length === 1 ? 'um' : 'a'}, ${r.criticalPoints.length} critical points in ${(performance.now() - t1).toFixed(0)} ms`);
          this.publish(doc, state, m);
          this.changed.fire(doc.uri);
          this.prefetchFractionCertificates(state, m);
        },
        (e: unknown) => {
          if (this.states.get(key) !== state || isCancelled(e)) return;
          this.log.appendLine(`[analysis] ${vscode.workspace.asRelativePath(doc.uri)} failed: ${errorText(e)}`);
          this.publish(doc, state, m);
          this.changed.fire(doc.uri);
        },
      );
    }
    return state;
  }

  /** Diagnostics = parse issues + (once known) analysis issues or the analysis failure. */
  private publish(doc: vscode.TextDocument, state: DocState, m: TextModules): void {
    if (doc.isClosed) return;
    const issues = [...state.config.issues, ...(this.extraIssues?.(doc) ?? [])];
    const analysis = state.spec?.analysis;
    if (analysis?.value) issues.push(...m.config.analysisIssues(state.config, analysis.value.minima, analysis.value.criticalPoints));
    else if (analysis?.error !== undefined && !isCancelled(analysis.cause)) {
      const e = analysis.cause;
      const range = e instanceof Error && e.name === 'ExpressionError' && 'range' in e
        ? m.config.objectiveRangeToDocument(state.config, (e as { range: { start: number; end: number } }).range)
        : state.config.objectiveRange ?? { start: 0, end: 1 };
      issues.push({ severity: 'error', code: 'analysis', range, message: `the analysis failed: ${analysis.error}` });
    }
    this.diagnostics.set(doc.uri, this.toDiagnostics(doc, issues));
  }

  /** Publishes a config's diagnostics again (its extra issues changed, e.g. its CSV was checked). */
  async republish(uri: vscode.Uri): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const state = this.states.get(uri.toString());
    if (!doc || !state || state.version !== doc.version) return;
    this.publish(doc, state, await loadTextModules());
  }

  private toDiagnostics(doc: vscode.TextDocument, issues: GdlabConfig['issues']): vscode.Diagnostic[] {
    const length = doc.getText().length;
    return issues.map((i) => {
      // never past the end of the document (a range from an older version, an "unexpected end")
      const r = clampRange(i.range, length);
      const d = new vscode.Diagnostic(
        new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)),
        oneLine(i.message, 1000),
        i.severity === 'error' ? vscode.DiagnosticSeverity.Error : i.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
      );
      d.source = 'GD Stability';
      d.code = i.code;
      return d;
    });
  }

  /** Certificates for the η of `lrFractions` entries (known only once η_max is). */
  private prefetchFractionCertificates(state: DocState, m: TextModules): void {
    const result = state.spec?.analysis.value;
    if (!result || !state.spec) return;
    // Theorem 2's certificates are GD's; fractions are of the configured optimizer's η_max
    if (state.config.optimizer && state.config.optimizer.name !== 'gd') return;
    const etaMax = m.config.smallestEtaMax(result.minima);
    if (etaMax === null) return;
    for (const e of state.config.learningRates) {
      const eta = m.config.resolveEta(e, etaMax);
      if (eta !== null && eta < etaMax) this.certificates(state, eta);
    }
  }

  /** Theorem 2 certificates at η (cached per problem; computed in the pool). */
  certificates(state: DocState, eta: number): Cached<CertificateResult[]> | undefined {
    const spec = state.spec;
    if (!spec) return undefined;
    let c = spec.certificates.get(eta);
    if (!c) {
      c = track(this.pool().analyze(spec.spec, [eta], spec.controller.signal).then((r) => r.certificates.find((x) => x.eta === eta)?.results ?? []));
      c.promise.catch(() => undefined);
      spec.certificates.set(eta, c);
    }
    return c;
  }

  /** Area fractions of the config's map at η on a small grid (cached; computed in the pool). */
  fractions(state: DocState, session: AnalysisSession, classify: ClassifyOptions, m: TextModules): Cached<FractionsSummary> | undefined {
    const spec = state.spec;
    const analysis = spec?.analysis.value;
    // without a strict minimum too: starts may still converge to a set of minima
    if (!spec || !analysis) return undefined;
    const grid = Math.min(HOVER_FRACTIONS_GRID, session.grid);
    const optimizer = session.optimizer && session.optimizer.name !== 'gd' ? session.optimizer : undefined;
    const key = JSON.stringify([session.eta, grid, session.axes ?? null, session.fixed ?? null, classify.maxSteps, classify.roundoffGuard, optimizer ?? null]);
    let c = spec.fractions.get(key);
    if (!c) {
      const slice = m.session.sliceForSession(session, analysis.variables, analysis.domain, analysis.minima, grid);
      const t0 = performance.now();
      c = track(
        this.pool()
          // the configured optimizer's map (its certificates are not GD's, so they are not cached as such)
          .basin({ spec: spec.spec, slice, eta: session.eta, classify, ...(optimizer ? { optimizer } : {}) }, undefined, spec.controller.signal)
          .then((r) => {
            this.log.appendLine(`[hover] fractions at η = ${session.eta} on ${grid}² in ${(performance.now() - t0).toFixed(0)} ms`);
            if (!optimizer && !spec.certificates.has(session.eta)) spec.certificates.set(session.eta, { promise: Promise.resolve(r.certificates), value: r.certificates });
            return m.hover.fractionsFromStats(r.stats, grid, classify.maxSteps);
          }),
      );
      c.promise.catch(() => undefined);
      spec.fractions.set(key, c);
    }
    return c;
  }

  /** The cached state of a document, if parsed. */
  peek(uri: vscode.Uri): DocState | undefined {
    return this.states.get(uri.toString());
  }

  /** Session of a config once its analysis is known (null: no usable problem or no minimum). */
  async session(doc: vscode.TextDocument, signal?: AbortSignal): Promise<{ state: DocState; analysis: AnalysisResult | null; session: AnalysisSession | null }> {
    const m = await loadTextModules();
    const state = await this.state(doc);
    if (!state.spec) return { state, analysis: null, session: null };
    const analysis = await abortable(state.spec.analysis.promise, signal);
    const settings = readSettings(doc.uri);
    const session = m.session.sessionFromConfig(
      state.config,
      analysis.minima,
      { grid: settings.gridSize, maxSteps: settings.maxSteps, roundoffGuard: settings.roundoffGuard },
      { title: doc.uri.path.split('/').pop() ?? 'config', sourceUri: doc.uri.toString() },
    );
    return { state, analysis, session };
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.states.get(key)?.spec?.dispose();
    this.states.delete(key);
    this.diagnostics.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.states.values()) s.spec?.dispose();
    this.states.clear();
    for (const d of this.disposables) d.dispose();
  }
}

/** Rejects with an AbortError when `signal` aborts first (the promise itself keeps running). */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      const e = new Error('cancelled');
      e.name = 'AbortError';
      reject(e);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
