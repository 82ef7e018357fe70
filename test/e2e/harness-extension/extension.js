/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by the extension host */
// Test-only harness extension: runs the in-host specs once per run and writes JSON results to
// the file named by GDLAB_E2E_RESULTS (test/e2e/run.mjs waits for it). Does nothing without it.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { runAll } = require('./specs.js');

function writeJson(file, data) {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2));
  fs.renameSync(tmp, file); // atomic: the runner never reads half a file
}

async function activate() {
  const resultsFile = process.env.GDLAB_E2E_RESULTS;
  if (!resultsFile) return;
  // A reconnecting window restarts the extension host: run only once per results file.
  if (fs.existsSync(resultsFile)) return;
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  const lines = [];
  const log = (line) => {
    lines.push(line);
    console.log(`[gdlab-e2e] ${line}`);
  };
  const startedAt = new Date().toISOString();
  writeJson(`${resultsFile}.started`, { startedAt, pid: process.pid });
  let results;
  try {
    if (!folder) throw new Error('no workspace folder open');
    results = await runAll(vscode, { workspaceRoot: folder.uri.fsPath, log });
  } catch (err) {
    results = [{ name: 'harness', ok: false, error: String((err && err.stack) || err), durationMs: 0 }];
  }
  writeJson(resultsFile, {
    done: true,
    startedAt,
    finishedAt: new Date().toISOString(),
    vscodeVersion: vscode.version,
    workspace: folder ? folder.uri.fsPath : null,
    harness: path.basename(__dirname),
    results,
    log: lines,
  });
}

function deactivate() {}

module.exports = { activate, deactivate };
