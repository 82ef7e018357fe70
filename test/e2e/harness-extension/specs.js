/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by the extension host */
// In-host specs for GD Stability Lab, run inside a real extension host.
// Shared by two runners:
//   - test/e2e (code-server + Chromium): the harness extension next to this file runs them on
//     startup and writes JSON results that test/e2e/run.mjs reads;
//   - test/vscode (@vscode/test-electron or VSCODE_EXECUTABLE): test/vscode/suite/index.js.
// Plain CommonJS JavaScript (no build step), node:assert only.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const EXTENSION_ID = 'gd-stability-lab.gd-stability-lab';
const PANEL_VIEW_TYPE = 'gdStabilityLab.panel';
/** The Figure 3 (f4) example; found by file name first, else by its objective. */
const F4_EXAMPLE = 'figure3-f4.gdlab.json';
/** η_max = 2/λ_max at the minima of f4 = 10/19 (DESIGN.md §1 table). */
const F4_ETA_MAX = 10 / 19;
const F4_ETA_MAX_TEXT = '0.5263';
/** The five palette commands DESIGN.md §3 lists (titles, category "GD Stability"). */
const EXPECTED_TITLES = [
  /Analyze Selected Expression/i,
  /Analyze Config File/i,
  /Open Paper Example/i,
  /Sweep Learning Rates/i,
  /Export Results/i,
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes; returns the last value. */
async function waitFor(probe, timeoutMs, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!value && Date.now() < deadline) {
    await sleep(intervalMs);
    value = await probe();
  }
  return value;
}

function hoverText(hovers) {
  const parts = [];
  for (const hover of hovers || []) {
    for (const c of hover.contents || []) {
      if (typeof c === 'string') parts.push(c);
      else if (c && typeof c.value === 'string') parts.push(c.value);
    }
  }
  return parts.join('\n');
}

/** Finds the f4 example config in the workspace folder (recursively, small trees only). */
function findF4Example(root) {
  const candidates = [];
  const walk = (dir, depth) => {
    if (depth > 3) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.name.endsWith('.gdlab.json')) candidates.push(full);
    }
  };
  walk(root, 0);
  const byName = candidates.find((p) => path.basename(p) === F4_EXAMPLE);
  if (byName) return byName;
  const byObjective = candidates.find((p) => /\(1\s*-\s*x\s*\*\s*y\)/.test(fs.readFileSync(p, 'utf8')));
  if (byObjective) return byObjective;
  throw new Error(`no ${F4_EXAMPLE} (or other f4 *.gdlab.json) under ${root}; found: ${candidates.map((p) => path.basename(p)).join(', ') || 'none'}`);
}

/** Line/character of the first match of `re` (group 1 if present) in `text`. */
function positionOf(document, re) {
  const text = document.getText();
  const m = re.exec(text);
  if (!m) return undefined;
  const offset = m.index + (m[1] !== undefined ? m[0].indexOf(m[1]) : 0);
  return document.positionAt(offset);
}

function lineOf(text, re) {
  const m = re.exec(text);
  return m ? text.slice(0, m.index).split('\n').length - 1 : -1;
}

function f4Config(overrides) {
  return JSON.stringify({
    name: 'e2e: f4',
    objective: '(1 - x*y)^2 + (x^2 + y^2)/20',
    domain: { x: [-3, 3], y: [-3, 3] },
    lr: 0.25,
    grid: 64,
    maxSteps: 500,
    ...overrides,
  }, null, 2) + '\n';
}

async function diagnosticsFor(vscode, file, predicate, timeoutMs) {
  const uri = vscode.Uri.file(file);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  const found = await waitFor(() => {
    const list = vscode.languages.getDiagnostics(uri);
    return list.some(predicate) ? list : undefined;
  }, timeoutMs);
  return { doc, uri, diagnostics: found || vscode.languages.getDiagnostics(uri) };
}

function describeDiagnostics(list) {
  return JSON.stringify(list.map((d) => ({ line: d.range.start.line, severity: d.severity, message: d.message, source: d.source })));
}

/** @type {{ name: string, run: (ctx: object) => Promise<string | void> }[]} */
const specs = [
  {
    name: 'extension activates (by its activation events, on opening a config)',
    async run(ctx) {
      const { vscode } = ctx;
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(ctx.f4File));
      await vscode.window.showTextDocument(doc);
      const active = await waitFor(() => ext.isActive, 30000);
      if (!active) {
        await ext.activate(); // let the remaining specs run, but report the failure
        assert.fail(`not activated 30 s after opening ${path.basename(ctx.f4File)}; activationEvents: ${JSON.stringify(ext.packageJSON.activationEvents)}`);
      }
      return `active; activationEvents ${JSON.stringify(ext.packageJSON.activationEvents)}`;
    },
  },
  {
    name: 'all contributed commands are registered',
    async run(ctx) {
      const { vscode } = ctx;
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, 'extension missing');
      if (!ext.isActive) await ext.activate();
      const contributed = (ext.packageJSON.contributes && ext.packageJSON.contributes.commands) || [];
      assert.ok(contributed.length >= EXPECTED_TITLES.length, `package.json contributes ${contributed.length} commands, expected at least ${EXPECTED_TITLES.length}`);
      for (const c of contributed) assert.match(c.command, /^gdStabilityLab\./, `command id ${c.command}`);
      for (const title of EXPECTED_TITLES) {
        assert.ok(contributed.some((c) => title.test(c.title)), `no contributed command titled ${title}`);
      }
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
      assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
      return `${contributed.length} commands: ${contributed.map((c) => c.command).join(', ')}`;
    },
  },
  {
    name: `hover on the f4 example's lr shows 2/λ_max = ${F4_ETA_MAX_TEXT}`,
    async run(ctx) {
      const { vscode } = ctx;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(ctx.f4File));
      await vscode.window.showTextDocument(doc);
      const valuePos = positionOf(doc, /"lr"\s*:\s*([0-9.eE+-]+)/);
      const keyPos = positionOf(doc, /"lr"/);
      assert.ok(valuePos && keyPos, `no "lr" in ${path.basename(ctx.f4File)}`);
      let text = '';
      // The hover may be computed lazily (engine loaded on first use): poll.
      for (const pos of [valuePos.translate(0, 1), keyPos.translate(0, 2)]) {
        text = await waitFor(async () => {
          const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos));
          return t.includes(F4_ETA_MAX_TEXT) ? t : '';
        }, 20000, 500);
        if (text) break;
      }
      const any = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, valuePos.translate(0, 1)));
      assert.ok(text, `hover text lacks ${F4_ETA_MAX_TEXT} (=10/19=${F4_ETA_MAX}); got: ${JSON.stringify(any.slice(0, 400))}`);
      return text.replace(/\s+/g, ' ').slice(0, 200);
    },
  },
  {
    name: 'diagnostic for a config with a bad expression, on the objective line',
    async run(ctx) {
      const { vscode } = ctx;
      const file = path.join(ctx.workspaceRoot, 'e2e-bad-expression.gdlab.json');
      const text = f4Config({ objective: '(1 - x*y)^2 + (x^2 + * y^2)/20' });
      fs.writeFileSync(file, text);
      ctx.cleanup.push(file);
      const objectiveLine = lineOf(text, /"objective"/);
      const { diagnostics } = await diagnosticsFor(vscode, file,
        (d) => d.range.start.line === objectiveLine && d.severity === vscode.DiagnosticSeverity.Error, 20000);
      const hit = diagnostics.find((d) => d.range.start.line === objectiveLine && d.severity === vscode.DiagnosticSeverity.Error);
      assert.ok(hit, `no Error diagnostic on line ${objectiveLine}; got ${describeDiagnostics(diagnostics)}`);
      return `line ${hit.range.start.line}:${hit.range.start.character}-${hit.range.end.character}: ${hit.message}`;
    },
  },
  {
    name: `diagnostic for lr above the threshold (f4, lr 0.6 > ${F4_ETA_MAX_TEXT}) on the lr line, none at lr 0.25`,
    async run(ctx) {
      const { vscode } = ctx;
      const high = path.join(ctx.workspaceRoot, 'e2e-lr-too-high.gdlab.json');
      const ok = path.join(ctx.workspaceRoot, 'e2e-lr-ok.gdlab.json');
      const highText = f4Config({ lr: 0.6 });
      fs.writeFileSync(high, highText);
      fs.writeFileSync(ok, f4Config({ lr: 0.25 }));
      ctx.cleanup.push(high, ok);
      const lrLine = lineOf(highText, /"lr"/);
      const onLr = (d) => d.range.start.line === lrLine;
      const { diagnostics } = await diagnosticsFor(vscode, high, onLr, 30000);
      const hit = diagnostics.find(onLr);
      assert.ok(hit, `no diagnostic on the lr line ${lrLine}; got ${describeDiagnostics(diagnostics)}`);
      assert.ok(hit.severity <= vscode.DiagnosticSeverity.Warning, `lr diagnostic is only ${hit.severity} (want Error or Warning)`);
      // Control: the same file with lr 0.25 < η_max has no diagnostic on its lr line.
      const good = await diagnosticsFor(vscode, ok, () => false, 4000);
      const bad = good.diagnostics.filter(onLr);
      assert.deepEqual(bad.map((d) => d.message), [], 'lr 0.25 is below η_max yet got a diagnostic');
      return `line ${lrLine}: ${hit.message}`;
    },
  },
  {
    name: 'hover on lr names a user function’s cases in words: a minimum outside the domain, an undefined region, a set of minima, still descending (raise maxSteps)',
    async run(ctx) {
      const { vscode } = ctx;
      // each config and what its lr hover must say once the background fractions are in
      const cases = [
        { file: 'e2e-outside.gdlab.json', config: { objective: '(x-5)^2 + 2*(y+4)^2 + x*y/10', lr: 0.2 }, want: [/\*\*outside the domain\*\*/, /\(outside the domain\)/] },
        { file: 'e2e-undefined.gdlab.json', config: { objective: 'x^2 + y^2 + 0*log(x)', lr: 0.1 }, want: [/\*\*f is undefined\*\* \(NaN or ±∞\) on about 50\.0 %/, /count as \*\*diverged\*\*/] },
        { file: 'e2e-set-of-minima.gdlab.json', config: { objective: '(1 - x*y)^2', lr: 0.4 }, want: [/but a \*\*set of minima\*\*/, /% of the starts converge to a \*\*set of minima\*\*/] },
        {
          file: 'e2e-rosenbrock.gdlab.json', config: { objective: '(1-x)^2 + 100*(y-x^2)^2', domain: { x: [-2, 2], y: [-1, 3] }, lr: 0.001 },
          want: [/\*\*still descending\*\* after 2000 steps: raise `maxSteps` in the config \(e\.g\. `"maxSteps": 20000`\)/],
        },
      ];
      const seen = [];
      for (const c of cases) {
        const file = path.join(ctx.workspaceRoot, c.file);
        fs.writeFileSync(file, JSON.stringify({ name: c.file, domain: { x: [-3, 3], y: [-3, 3] }, grid: 32, maxSteps: 2000, ...c.config }, null, 2) + '\n');
        ctx.cleanup.push(file);
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        await vscode.window.showTextDocument(doc, { preview: false });
        const pos = positionOf(doc, /"lr"\s*:\s*([0-9.eE+-]+)/);
        assert.ok(pos, `no "lr" in ${c.file}`);
        let last = '';
        const text = await waitFor(async () => {
          last = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos.translate(0, 1)));
          return c.want.every((re) => re.test(last)) ? last : '';
        }, 60000, 1000);
        assert.ok(text, `${c.file}: the lr hover lacks ${c.want.filter((re) => !re.test(last)).join(', ')}; got: ${JSON.stringify(last.slice(0, 900))}`);
        const hit = c.want.map((re) => (re.exec(text) || [''])[0]).join(' … ');
        seen.push(`${c.file}: ${hit}`);
      }
      return seen.join(' | ');
    },
  },
  {
    name: 'Analyze Config File opens the panel beside the editor (webview tab in column 2)',
    async run(ctx) {
      const { vscode } = ctx;
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      const commands = (ext.packageJSON.contributes && ext.packageJSON.contributes.commands) || [];
      const analyze = commands.find((c) => /Analyze Config File/i.test(c.title));
      assert.ok(analyze, 'no command titled "Analyze Config File"');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(ctx.f4File));
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
      await vscode.commands.executeCommand(analyze.command);
      const findPanel = () => {
        for (const group of vscode.window.tabGroups.all) {
          for (const tab of group.tabs) {
            if (tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes(PANEL_VIEW_TYPE)) return { group, tab };
          }
        }
        return undefined;
      };
      const found = await waitFor(findPanel, 20000);
      const tabs = vscode.window.tabGroups.all.map((g) => `${g.viewColumn}:[${g.tabs.map((t) => t.label).join('|')}]`).join(' ');
      assert.ok(found, `no webview tab of type ${PANEL_VIEW_TYPE}; tabs: ${tabs}`);
      assert.equal(found.group.viewColumn, vscode.ViewColumn.Two, `panel is in column ${found.group.viewColumn}; tabs: ${tabs}`);
      const editorStill = vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === doc.uri.fsPath && e.viewColumn === vscode.ViewColumn.One);
      assert.ok(editorStill, `config editor no longer visible in column 1; tabs: ${tabs}`);
      return `panel "${found.tab.label}" in column ${found.group.viewColumn}`;
    },
  },
];

// the network configs' specs (a "model" block): network-specs.js
specs.push(...require('./network-specs.js').networkSpecs);

/**
 * Runs every spec in order; never throws. `options.workspaceRoot` is the folder holding the
 * examples; `options.log` receives one line per spec.
 */
async function runAll(vscode, options) {
  const log = options.log || (() => {});
  const ctx = { vscode, workspaceRoot: options.workspaceRoot, cleanup: [], f4File: '' };
  const results = [];
  try {
    ctx.f4File = findF4Example(options.workspaceRoot);
  } catch (err) {
    results.push({ name: 'find the f4 example config', ok: false, error: String(err && err.message || err), durationMs: 0 });
    log(`FAIL find the f4 example config: ${err && err.message}`);
    return results;
  }
  for (const spec of specs) {
    const started = Date.now();
    try {
      const details = await spec.run(ctx);
      results.push({ name: spec.name, ok: true, details: details || '', durationMs: Date.now() - started });
      log(`ok   ${spec.name}${details ? ` — ${details}` : ''}`);
    } catch (err) {
      const error = String((err && (err.stack || err.message)) || err);
      results.push({ name: spec.name, ok: false, error, durationMs: Date.now() - started });
      log(`FAIL ${spec.name}: ${err && err.message}`);
    }
  }
  try {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  } catch { /* ignore */ }
  for (const file of ctx.cleanup) {
    try { fs.rmSync(file, { force: true }); } catch { /* ignore */ }
  }
  return results;
}

module.exports = { specs, runAll, EXTENSION_ID, PANEL_VIEW_TYPE, F4_EXAMPLE, F4_ETA_MAX_TEXT };
