/**
 * activate() against a recording stand-in for the `vscode` module (plain Node, no VS Code):
 * every command of package.json is registered, the providers and the panel serializer are
 * registered, activation does not load mathjs or yaml, and everything registered is disposed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { join } from 'node:path';

interface Tracked { what: string; disposed: boolean; dispose(): void }
const created: Tracked[] = [];
const track = (what: string, extra: object = {}): Tracked => {
  const d: Tracked = { what, disposed: false, dispose() { this.disposed = true; }, ...extra };
  created.push(d);
  return d;
};
const registered = { commands: [] as string[], hover: [] as unknown[], codeLens: [] as unknown[], serializers: [] as string[] };
const noEvent = (what: string) => () => track(what);

class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  private readonly tracked = track('EventEmitter');
  event = (listener: (e: T) => void) => {
    this.listeners.push(listener);
    return track('listener');
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.tracked.dispose();
  }
}

const fakeVscode = {
  EventEmitter,
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { One: 1, Two: 2, Beside: -2 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  Uri: { file: (p: string) => ({ fsPath: p, path: p, toString: () => `file://${p}` }), joinPath: () => ({}) },
  window: {
    createOutputChannel: (name: string) => track(`output:${name}`, { appendLine() {}, show() {} }),
    createStatusBarItem: () => track('statusBarItem', { show() {}, hide() {} }),
    onDidChangeActiveTextEditor: noEvent('onDidChangeActiveTextEditor'),
    registerWebviewPanelSerializer: (viewType: string) => {
      registered.serializers.push(viewType);
      return track(`serializer:${viewType}`);
    },
    activeTextEditor: undefined,
    visibleTextEditors: [],
  },
  workspace: {
    textDocuments: [],
    onDidOpenTextDocument: noEvent('onDidOpenTextDocument'),
    onDidChangeTextDocument: noEvent('onDidChangeTextDocument'),
    onDidCloseTextDocument: noEvent('onDidCloseTextDocument'),
    onDidChangeConfiguration: noEvent('onDidChangeConfiguration'),
    getConfiguration: () => ({ get: <T>(_k: string, d: T) => d }),
  },
  languages: {
    createDiagnosticCollection: (name: string) => track(`diagnostics:${name}`, { set() {}, delete() {} }),
    registerHoverProvider: (selector: unknown) => {
      registered.hover.push(selector);
      return track('hoverProvider');
    },
    registerCodeLensProvider: (selector: unknown) => {
      registered.codeLens.push(selector);
      return track('codeLensProvider');
    },
  },
  commands: {
    registerCommand: (id: string) => {
      registered.commands.push(id);
      return track(`command:${id}`);
    },
  },
};

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const originalResolve = moduleWithResolve._resolveFilename;
moduleWithResolve._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (request === 'vscode') return 'vscode';
  return originalResolve.call(this, request, ...rest);
};
const cache = require.cache as Record<string, unknown>;
cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode };

test('activate registers every command, provider and the serializer; deactivate disposes them all', async () => {
  const root = join(__dirname, '..', '..', '..');
  const ext = (await import('../../../src/extension/extension')) as typeof import('../../../src/extension/extension');
  const { COMMAND_IDS, PANEL_VIEW_TYPE } = await import('../../../src/extension/ids');
  const subscriptions: { dispose(): void }[] = [];
  const context = { subscriptions, asAbsolutePath: (p: string) => join(root, p), extensionUri: {} };
  ext.activate(context as unknown as Parameters<typeof ext.activate>[0]);

  assert.deepEqual([...registered.commands].sort(), Object.values(COMMAND_IDS).sort());
  assert.equal(registered.hover.length, 1);
  assert.equal(registered.codeLens.length, 1);
  assert.deepEqual(registered.hover[0], [{ pattern: '**/*.gdlab.{json,yaml,yml}' }]);
  assert.deepEqual(registered.serializers, [PANEL_VIEW_TYPE]);
  assert.ok(created.some((d) => d.what === 'output:GD Stability Lab'));
  // lazy: activation loaded neither mathjs nor yaml nor the config parser
  const loaded = Object.keys(require.cache);
  assert.ok(!loaded.some((k) => /node_modules[\\/](mathjs|yaml)[\\/]/.test(k)), 'mathjs or yaml loaded at activation');
  assert.ok(!loaded.some((k) => /src[\\/]config[\\/]config\.ts$/.test(k)), 'config parser loaded at activation');

  for (const s of subscriptions) s.dispose();
  ext.deactivate();
  const leaked = created.filter((d) => !d.disposed).map((d) => d.what);
  assert.deepEqual(leaked, [], `not disposed: ${leaked.join(', ')}`);
});
