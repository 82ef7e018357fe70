#!/usr/bin/env node
/* global fetch, setInterval, clearInterval */
// End-to-end suite: GD Stability Lab in a real VS Code (code-server 4.139 = VS Code 1.139
// workbench + Node extension host) driven by Debian's Chromium through playwright-core.
//
//   1. package the extension (.vsix, `npm run package`) and the test-only harness extension;
//   2. start an isolated code-server (own user-data, extensions and config in a temp folder, a
//      free loopback port) on a temp copy of examples/;
//   3. the harness runs the in-host specs (test/e2e/harness-extension/specs.js) on startup and
//      writes JSON results; this script reads them;
//   4. Playwright drives the workbench like a person (quick open, command palette, clicks in the
//      webview, typing in the editor) and saves screenshots to test-results/e2e/;
//   5. shuts the whole code-server process group down, also on failure or Ctrl+C.
// Prints one line per check and a final `N passed, N failed`; exits non-zero on any failure.
//
// Needs `bash test/e2e/provision.sh` first (npm run test:e2e does both).
// Options: --vsix FILE (skip packaging, install FILE), --keep (keep the temp folder),
//          --headed (show the browser; needs a display), --no-ui (in-host specs only).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uiSpecs } from './ui-specs.mjs';
import { networkSpecs } from './ui-network-specs.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const CACHE = process.env.GDLAB_E2E_CACHE || join(homedir(), '.cache', 'gdlab-e2e');
const NODE24 = join(CACHE, 'node24', 'node_modules', 'node', 'bin', 'node');
const CS_ENTRY = join(CACHE, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.GDLAB_E2E_CHROMIUM || '/usr/bin/chromium';
const RESULTS_DIR = join(ROOT, 'test-results', 'e2e');
const HARNESS_SRC = join(HERE, 'harness-extension');

const args = process.argv.slice(2);
const opt = {
  vsix: args.includes('--vsix') ? resolve(args[args.indexOf('--vsix') + 1]) : undefined,
  keep: args.includes('--keep'),
  headed: args.includes('--headed'),
  ui: !args.includes('--no-ui'),
};
const T = { server: 90_000, workbench: 120_000, inHost: 300_000 };

/* ------------------------------------------------------------------ bookkeeping */

const checks = []; // { name, status: 'pass'|'fail'|'skip', detail }
function record(name, status, detail = '') {
  checks.push({ name, status, detail });
  const tag = status === 'pass' ? 'ok  ' : status === 'fail' ? 'FAIL' : 'skip';
  console.log(`${tag} ${name}${detail ? ` — ${detail}` : ''}`);
}
const log = (msg) => console.log(`[e2e] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function run(cmd, argv, options = {}) {
  const res = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (res.status !== 0) {
    const out = `${res.stdout || ''}${res.stderr || ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${cmd} ${argv.join(' ')} exited ${res.status ?? res.signal}\n${out}`);
  }
  return res.stdout || '';
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/* ------------------------------------------------------------------ cleanup */

let server; // child process (own process group)
let browser;
let tmp;
let cleaning; // one shared shutdown, whoever asks first (signal handler or the main flow)
function cleanup() {
  cleaning ||= shutdown();
  return cleaning;
}
async function shutdown() {
  if (server && server.pid) {
    // code-server forks bootstrap-fork children (extension host, file watcher, pty host):
    // signal the whole group, then make sure it is gone.
    const group = -server.pid;
    try { process.kill(group, 'SIGTERM'); } catch { /* gone */ }
    for (let i = 0; i < 50 && groupAlive(group); i++) await sleep(100);
    if (groupAlive(group)) { try { process.kill(group, 'SIGKILL'); } catch { /* gone */ } }
  }
  try { if (browser) await browser.close(); } catch { /* already gone */ }
  if (tmp && !opt.keep) {
    // Exiting processes may still flush into user-data: retry on ENOTEMPTY/EBUSY.
    try { rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); } catch (err) { log(`could not remove ${tmp}: ${err.message}`); }
  }
  else if (tmp) log(`kept ${tmp}`);
}
function groupAlive(group) {
  try { process.kill(group, 0); return true; } catch { return false; }
}
// Last resort on any exit path that skipped cleanup(): never leave the server group running.
process.on('exit', () => {
  if (server && server.pid && groupAlive(-server.pid)) { try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ } }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`[e2e] ${sig}: shutting down`);
    void cleanup().finally(() => process.exit(130));
  });
}

/* ------------------------------------------------------------------ steps */

function checkProvisioned() {
  const missing = [[NODE24, 'Node 24'], [CS_ENTRY, 'code-server'], [CHROMIUM, 'Chromium']].filter(([p]) => !existsSync(p));
  if (missing.length) {
    throw new Error(`not provisioned: ${missing.map(([p, what]) => `${what} (${p})`).join(', ')}. Run: bash test/e2e/provision.sh`);
  }
}

function packageExtension() {
  if (opt.vsix) {
    if (!existsSync(opt.vsix)) throw new Error(`--vsix ${opt.vsix} does not exist`);
    return opt.vsix;
  }
  log('packaging the extension: npm run package');
  mkdirSync(join(ROOT, 'dist-vsix'), { recursive: true }); // vsce does not create --out's folder
  run('npm', ['run', 'package'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const vsixDir = join(ROOT, 'dist-vsix');
  const vsix = readdirSync(vsixDir).filter((f) => f.endsWith('.vsix')).map((f) => join(vsixDir, f))[0];
  if (!vsix) throw new Error('npm run package produced no .vsix in dist-vsix/');
  return vsix;
}

function packageHarness(dir) {
  const work = join(dir, 'harness-src');
  cpSync(HARNESS_SRC, work, { recursive: true });
  const out = join(dir, 'gdlab-e2e-harness.vsix');
  const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
  run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  return out;
}

function codeServerArgs(dirs) {
  return [CS_ENTRY, '--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

function installExtensions(dirs, files) {
  for (const file of files) {
    log(`installing ${file.replace(ROOT + '/', '')}`);
    const out = run(NODE24, [...codeServerArgs(dirs), '--install-extension', file, '--force'], { env: serverEnv(dirs) });
    if (!/successfully installed|already installed/i.test(out)) throw new Error(`install of ${file} printed: ${out.trim()}`);
  }
}

function serverEnv(dirs) {
  return {
    ...process.env,
    PATH: `${dirname(NODE24)}:${process.env.PATH}`,
    GDLAB_E2E_RESULTS: dirs.results,
    XDG_CONFIG_HOME: join(dirs.root, 'xdg-config'),
    XDG_DATA_HOME: join(dirs.root, 'xdg-data'),
  };
}

async function startServer(dirs, workspace) {
  const port = await freePort();
  const logFd = openSync(dirs.serverLog, 'a');
  server = spawn(NODE24, [...codeServerArgs(dirs), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', workspace], {
    detached: true, // own process group: cleanup() signals all of it
    stdio: ['ignore', logFd, logFd],
    env: serverEnv(dirs),
  });
  let exited = null;
  server.on('exit', (code, signal) => { exited = `exited ${code ?? signal}`; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + T.server;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server ${exited}; log:\n${tail(dirs.serverLog)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return url;
    } catch { /* not yet */ }
    await sleep(250);
  }
  throw new Error(`code-server did not answer on ${url} within ${T.server / 1000} s; log:\n${tail(dirs.serverLog)}`);
}

function tail(file, lines = 30) {
  try { return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

async function waitForFile(file, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
    if (server && server.exitCode !== null) throw new Error('code-server exited while waiting for in-host results');
    await sleep(500);
  }
  return undefined;
}

/* ------------------------------------------------------------------ main */

async function main() {
  checkProvisioned();
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const f of readdirSync(RESULTS_DIR)) rmSync(join(RESULTS_DIR, f), { recursive: true, force: true });

  tmp = mkdtempSync(join(tmpdir(), 'gdlab-e2e-'));
  const dirs = {
    root: tmp,
    userData: join(tmp, 'user-data'),
    extensions: join(tmp, 'extensions'),
    config: join(tmp, 'code-server.yaml'),
    results: join(tmp, 'in-host-results.json'),
    serverLog: join(tmp, 'code-server.log'),
  };
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  mkdirSync(dirs.extensions, { recursive: true });
  writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'files.autoSave': 'off',
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
  }, null, 2));

  // The workspace: a temp copy of examples/ (opened as the folder) and schemas/ beside it, so
  // "$schema": "../schemas/…" resolves and edits never touch the repo.
  const wsRoot = join(tmp, 'ws');
  const workspace = join(wsRoot, 'examples');
  if (!existsSync(join(ROOT, 'examples'))) throw new Error('examples/ is missing');
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  if (existsSync(join(ROOT, 'schemas'))) cpSync(join(ROOT, 'schemas'), join(wsRoot, 'schemas'), { recursive: true });

  let vsix;
  try {
    vsix = packageExtension();
    record('package the extension (.vsix)', 'pass', vsix.replace(ROOT + '/', ''));
  } catch (err) {
    record('package the extension (.vsix)', 'fail', err.message);
    return;
  }
  const harness = packageHarness(tmp);
  installExtensions(dirs, [vsix, harness]);
  const installed = run(NODE24, [...codeServerArgs(dirs), '--list-extensions', '--show-versions'], { env: serverEnv(dirs) }).trim();
  log(`installed: ${installed.split('\n').join(', ')}`);

  const url = await startServer(dirs, workspace);
  log(`code-server on ${url}`);

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !opt.headed,
    // Our own signal handlers shut everything down (Playwright's would exit before they run).
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const shot = async (name) => {
    const file = join(RESULTS_DIR, `${name}.png`);
    try { await page.screenshot({ path: file }); } catch (err) { log(`screenshot ${name} failed: ${err.message}`); }
    return file;
  };

  // The workbench (the extension host, and with it the harness, starts when it connects).
  try {
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: T.workbench });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: T.workbench }).catch(() => {});
    record('workbench loads with the examples folder', 'pass', url);
  } catch (err) {
    await shot('00-workbench-failed');
    record('workbench loads with the examples folder', 'fail', err.message.split('\n')[0]);
    return;
  }

  // In-host specs (written by the harness extension).
  log('waiting for in-host results from the harness extension');
  const inHost = await waitForFile(dirs.results, T.inHost);
  await shot('01-after-in-host-specs');
  if (!inHost) {
    const started = existsSync(`${dirs.results}.started`);
    record('in-host specs ran', 'fail', `no results within ${T.inHost / 1000} s (harness ${started ? 'started but did not finish' : 'never started'}); server log:\n${tail(dirs.serverLog, 15)}`);
  } else {
    log(`in-host: VS Code ${inHost.vscodeVersion}, ${inHost.results.length} specs`);
    for (const r of inHost.results) record(`in-host: ${r.name}`, r.ok ? 'pass' : 'fail', r.ok ? r.details : r.error.split('\n').slice(0, 3).join(' | '));
  }
  copyFileSync(dirs.results + (inHost ? '' : '.started'), join(RESULTS_DIR, 'in-host-results.json'));

  // GDLAB_E2E_ONLY=network runs only the network views' specs (quicker while working on them)
  if (opt.ui && process.env.GDLAB_E2E_ONLY !== 'network') await uiSpecs({ page, shot, record, workspace });
  if (opt.ui && process.env.GDLAB_E2E_ONLY !== 'optimizer') await networkSpecs({ page, shot, record });

  writeFileSync(join(RESULTS_DIR, 'console-errors.txt'), consoleErrors.join('\n'));
}

/* ------------------------------------------------------------------ UI, like a person */

/* ------------------------------------------------------------------ entry */

let fatal;
const watchdog = setInterval(() => {}, 1 << 30);
try {
  await main();
} catch (err) {
  fatal = err;
  record('e2e run', 'fail', String(err && err.message || err));
} finally {
  try {
    if (tmp && existsSync(join(tmp, 'code-server.log'))) copyFileSync(join(tmp, 'code-server.log'), join(RESULTS_DIR, 'code-server.log'));
  } catch { /* ignore */ }
  await cleanup();
  clearInterval(watchdog);
}
const passed = checks.filter((c) => c.status === 'pass').length;
const failed = checks.filter((c) => c.status === 'fail').length;
const skipped = checks.filter((c) => c.status === 'skip').length;
try {
  writeFileSync(join(RESULTS_DIR, 'summary.json'), JSON.stringify({ passed, failed, skipped, checks }, null, 2));
} catch { /* ignore */ }
if (fatal && fatal.stack) console.error(fatal.stack);
log(`screenshots and logs: ${RESULTS_DIR.replace(ROOT + '/', '')}/`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
