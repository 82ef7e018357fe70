/**
 * test/e2e/provision.sh, run through npm as `npm run test:e2e` runs it, passes none of npm's own
 * state to its nested `npm install`s (code-server's postinstall reads the Node version from
 * npm_config_user_agent and refused Node 20), but keeps the user's download settings. Checked with
 * the script's --print-env mode, which stops before installing anything. The CI script calls the
 * README's entry point, and that entry point packages and checks the .vsix the way CI did.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const provision = join(root, 'test/e2e/provision.sh');

test('provision.sh clears npm_* state exported by `npm run` and keeps registry/TLS/proxy settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gdlab-provision-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'probe', version: '1.0.0', scripts: { probe: `bash ${JSON.stringify(provision)} --print-env` } }));
    const env = { ...process.env, npm_config_registry: 'https://registry.example.invalid/', NPM_CONFIG_HTTPS_PROXY: 'http://proxy.invalid:3128', npm_config_foreground_scripts: 'true', npm_package_custom: 'x' };
    const run = spawnSync('npm', ['run', '-s', 'probe'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const names = run.stdout.split('\n').filter((l) => l !== '');
    // what npm itself exported to the script is gone …
    for (const gone of ['npm_config_user_agent', 'npm_lifecycle_event', 'npm_execpath', 'npm_package_json', 'npm_package_name', 'npm_config_prefix', 'npm_config_node_gyp', 'npm_config_foreground_scripts', 'npm_package_custom', 'npm_command']) {
      assert.ok(!names.includes(gone), `${gone} was passed on: ${names.join(', ')}`);
    }
    // … and where to download from stays
    assert.ok(names.includes('npm_config_registry'), names.join(', '));
    assert.ok(names.includes('NPM_CONFIG_HTTPS_PROXY'), names.join(', '));
    assert.ok(names.every((n) => /^npm_config_(registry|cafile|ca|cert|key|proxy|https_proxy|http_proxy|noproxy|no_proxy|strict_ssl|cache|userconfig|globalconfig)$/i.test(n)), names.join(', '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CI runs the README\'s entry point, which packages and checks the .vsix before the suite', () => {
  const ci = readFileSync(join(root, '.ci/run'), 'utf8');
  assert.match(ci, /^npm run test:e2e\b/m);
  assert.doesNotMatch(ci, /^\s*(bash )?test\/e2e\/provision\.sh/m, 'CI must not bypass npm run test:e2e');
  assert.doesNotMatch(ci, /^\s*node test\/e2e\/run\.mjs/m);
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const steps = (scripts['test:e2e'] ?? '').split('&&').map((s) => s.trim());
  assert.deepEqual(steps, [
    'npm run package </dev/null',
    'npm run check:vsix',
    'bash test/e2e/provision.sh',
    'node test/e2e/run.mjs --vsix dist-vsix/gd-stability-lab.vsix',
  ]);
  assert.match(readFileSync(join(root, 'README.md'), 'utf8'), /`npm run test:e2e`/);
});
