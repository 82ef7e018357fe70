#!/usr/bin/env node
// `npm run test:vscode`: the in-host specs (test/e2e/harness-extension/specs.js) in a desktop
// VS Code through @vscode/test-electron, for machines that can download VS Code, or with
// VSCODE_EXECUTABLE=/path/to/code pointing at an installed one (no download then).
// Offline machines: use the code-server suite instead (`npm run test:e2e`).
// Expects a built extension (dist/): the npm script runs `npm run build` first.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
  console.error('dist/extension.js is missing: run `npm run build` first (npm run test:vscode does).');
  process.exit(1);
}

const { runTests } = await import('@vscode/test-electron');
// A temp copy of examples/ (+ schemas/ beside it): the specs write scratch configs there.
const tmp = mkdtempSync(join(tmpdir(), 'gdlab-vscode-'));
const workspace = join(tmp, 'examples');
cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
if (existsSync(join(ROOT, 'schemas'))) cpSync(join(ROOT, 'schemas'), join(tmp, 'schemas'), { recursive: true });

let code = 0;
try {
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'test', 'vscode', 'suite', 'index.js'),
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : {}),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome',
      '--user-data-dir', join(tmp, 'user-data')],
  });
} catch (err) {
  console.error(`VS Code tests failed: ${err && err.message ? err.message : err}`);
  if (!process.env.VSCODE_EXECUTABLE) {
    console.error('(no VSCODE_EXECUTABLE set: VS Code had to be downloaded; offline, use `npm run test:e2e`)');
  }
  code = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
