// Measures the extension's activation: require(dist/extension.js) + activate(), with a minimal
// stand-in for the `vscode` module (no VS Code needed). Run: node bench/activation.mjs [bundle]
// Prints milliseconds, and whether activation loaded the text bundle (mathjs, yaml): it must not.
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const __dirname = path.dirname(fileURLToPath(import.meta.url));

const bundle = path.resolve(process.argv[2] || path.join(__dirname, '..', 'dist', 'extension.js'));
const log = [];
const disposable = () => ({ dispose() {} });
const emitter = class { constructor() { this.event = () => disposable(); } fire() {} dispose() {} };
const handler = {
  get(target, prop) {
    if (prop in target) return target[prop];
    return new Proxy(function () { return disposable(); }, handler);
  },
  apply() { return disposable(); },
};
const ns = (own) => new Proxy(own, handler);
const vscode = {
  EventEmitter: emitter,
  window: ns({
    createOutputChannel: () => ({ appendLine: (l) => log.push(l), show() {}, dispose() {} }),
    createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
    activeTextEditor: undefined,
    visibleTextEditors: [],
  }),
  workspace: ns({ textDocuments: [], getConfiguration: () => ({ get: (_k, d) => d }) }),
  languages: ns({ createDiagnosticCollection: () => ({ set() {}, delete() {}, dispose() {} }) }),
  commands: ns({}),
  env: ns({}),
  Uri: ns({}),
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { One: 1, Beside: -2 },
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return 'vscode';
  return resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

const t0 = performance.now();
const ext = require(bundle);
const t1 = performance.now();
const subscriptions = [];
ext.activate({ subscriptions, asAbsolutePath: (p) => path.join(__dirname, '..', p), extensionUri: { fsPath: path.join(__dirname, '..') }, extension: {} });
const t2 = performance.now();
const loadedText = Object.keys(require.cache).some((k) => k.endsWith(`${path.sep}text.js`) || k.includes('mathjs'));
console.log(`require ${(t1 - t0).toFixed(1)} ms, activate ${(t2 - t1).toFixed(1)} ms, total ${(t2 - t0).toFixed(1)} ms; ${subscriptions.length} disposables; text bundle (mathjs, yaml) loaded: ${loadedText}`);
console.log(log.join('\n'));
for (const d of subscriptions) d.dispose();
ext.deactivate();
