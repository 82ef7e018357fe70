/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by the extension host */
// In-host specs of the network configs (a "model" block), appended to specs.js's list: problems
// of the model block land on the exact characters, CSV problems on the "csv" value naming the
// CSV's file:line:column (a missing column, a ragged row), and the hover on a learning rate shows
// the network's sharpness at initialisation against 2/η.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(probe, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!value && Date.now() < deadline) {
    await sleep(intervalMs);
    value = await probe();
  }
  return value;
}

/** The range (line, start char, end char) of `needle` in the text, the n-th occurrence. */
function rangeOf(text, needle, nth = 0) {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `"${needle}" not in the test config`);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const character = at - (before.lastIndexOf('\n') + 1);
  return { line, start: character, end: character + needle.length };
}

const same = (d, r) => d.range.start.line === r.line && d.range.start.character === r.start && d.range.end.line === r.line && d.range.end.character === r.end;
const show = (list) => JSON.stringify(list.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.message}`));

async function open(vscode, file) {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

function hoverText(hovers) {
  return (hovers || []).flatMap((h) => (h.contents || []).map((c) => (typeof c === 'string' ? c : c.value || ''))).join('\n');
}

const networkSpecs = [
  {
    name: 'network config: model-block problems on their exact characters (a zero width, ReLU)',
    async run(ctx) {
      const { vscode } = ctx;
      const file = path.join(ctx.workspaceRoot, 'e2e-net-bad.gdlab.json');
      const text = [
        '{',
        '  "model": {',
        '    "kind": "mlp",',
        '    "hidden": [16, 0],',
        '    "activation": "relu",',
        '    "data": { "generate": "chebyshev", "n": 32 }',
        '  },',
        '  "lr": 0.1',
        '}',
        '',
      ].join('\n');
      fs.writeFileSync(file, text);
      ctx.cleanup.push(file);
      const doc = await open(vscode, file);
      const zero = rangeOf(text, '0]');
      const width = { line: zero.line, start: zero.start, end: zero.start + 1 };
      const relu = rangeOf(text, '"relu"');
      // ours, not only the JSON schema's (VS Code's JSON service also flags both spots, often first)
      const ourWidth = (d) => same(d, width) && /layer width/.test(d.message);
      const ourRelu = (d) => same(d, relu) && /softplus/.test(d.message);
      const list = await waitFor(() => {
        const l = vscode.languages.getDiagnostics(doc.uri);
        return l.some(ourWidth) && l.some(ourRelu) ? l : undefined;
      }, 20000) || vscode.languages.getDiagnostics(doc.uri);
      const w = list.find(ourWidth);
      const r = list.find(ourRelu);
      assert.ok(w && /layer width/.test(w.message), `no diagnostic on the 0 at ${JSON.stringify(width)}; got ${show(list)}`);
      assert.ok(r && /softplus/.test(r.message), `no diagnostic on "relu" at ${JSON.stringify(relu)}; got ${show(list)}`);
      assert.ok(!list.some((d) => /objective/.test(d.message)), `a network config needs no objective; got ${show(list)}`);
      return show([w, r]);
    },
  },
  {
    name: 'network config: CSV problems (missing column, ragged row) on the "csv" value with file:line:column',
    async run(ctx) {
      const { vscode } = ctx;
      const csv = path.join(ctx.workspaceRoot, 'e2e-net.csv');
      fs.writeFileSync(csv, 'x,y,w\n0.1,0.2,1\n0.3,0.4,1\n0.5,0.6\n0.7,0.8,1\n');
      const file = path.join(ctx.workspaceRoot, 'e2e-net-csv.gdlab.json');
      const config = (targets) => `{\n  "model": {\n    "kind": "mlp",\n    "hidden": [4],\n    "data": { "csv": "e2e-net.csv", "inputs": ["x"], "targets": ${JSON.stringify(targets)} }\n  },\n  "lr": 0.1\n}\n`;
      fs.writeFileSync(file, config(['z']));
      ctx.cleanup.push(file, csv);
      const doc = await open(vscode, file);
      const onCsv = rangeOf(config(['z']), '"e2e-net.csv"');
      const missing = await waitFor(() => vscode.languages.getDiagnostics(doc.uri).find((d) => same(d, onCsv) && /column "z" not found/.test(d.message)), 20000);
      assert.ok(missing, `no missing-column diagnostic on the csv value ${JSON.stringify(onCsv)}; got ${show(vscode.languages.getDiagnostics(doc.uri))}`);
      assert.match(missing.message, /^e2e-net\.csv:1:1: column "z" not found in the header \(columns: x, y, w\)$/);
      // the user fixes the column name in the editor: now the ragged row 4 shows
      const editor = vscode.window.activeTextEditor;
      await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(doc.getText().indexOf('["z"]')), doc.positionAt(doc.getText().indexOf('["z"]') + 5)), '["y"]'));
      const ragged = await waitFor(() => vscode.languages.getDiagnostics(doc.uri).find((d) => same(d, onCsv) && /this row has 2 fields/.test(d.message)), 20000);
      assert.ok(ragged, `no ragged-row diagnostic after the edit; got ${show(vscode.languages.getDiagnostics(doc.uri))}`);
      assert.match(ragged.message, /^e2e-net\.csv:4:8: this row has 2 fields but the header has 3$/);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      return `${missing.message} | after the edit: ${ragged.message}`;
    },
  },
  {
    name: 'hover on a network config\'s learning rate: the sharpness at θ_0 against 2/η',
    async run(ctx) {
      const { vscode } = ctx;
      const file = path.join(ctx.workspaceRoot, 'sine.gdlab.json');
      assert.ok(fs.existsSync(file), 'sine.gdlab.json is not in the workspace');
      const doc = await open(vscode, file);
      const at = doc.positionAt(doc.getText().indexOf('0.1,') + 1);
      const text = await waitFor(async () => {
        const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at));
        return /At initialisation θ_0, the sharpness λ_max\(∇²L\) = [\d.]+ = [\d.]+ × 2\/η/.test(t) ? t : '';
      }, 30000, 700);
      const last = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at));
      assert.ok(text, `hover lacks the sharpness at θ_0; got ${JSON.stringify(last.slice(0, 400))}`);
      assert.match(text, /threshold 2\/η = \*\*20\*\*/);
      // gdlab train on the same config: sharpness 8.149 at step 0 (0.41 × 2/η = 20)
      assert.match(text, /= 8\.149 = 0\.407 × 2\/η — below the threshold/);
      return text.replace(/\s+/g, ' ').slice(0, 300);
    },
  },
];

module.exports = { networkSpecs };
