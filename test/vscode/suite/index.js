/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by the extension host */
// extensionTestsPath for @vscode/test-electron (test/vscode/runTest.mjs): runs the same in-host
// specs as the e2e harness (test/e2e/harness-extension/specs.js) and fails on any failure.
'use strict';

const vscode = require('vscode');
const { runAll } = require('../../e2e/harness-extension/specs.js');

async function run() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder) throw new Error('open a copy of examples/ as the workspace (runTest.mjs does)');
  const results = await runAll(vscode, { workspaceRoot: folder.uri.fsPath, log: (line) => console.log(line) });
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.error(`\n${r.name}\n${r.error}`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length || results.length === 0) throw new Error(`${failed.length} of ${results.length} in-host specs failed`);
}

module.exports = { run };
