import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_IDS, PANEL_VIEW_TYPE, SETTING_KEYS } from '../../../src/extension/ids';

const root = join(__dirname, '..', '..', '..');
interface Manifest {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | string; description?: string } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    jsonValidation: { fileMatch: string[]; url: string }[];
    configuration: { properties: Record<string, { default: unknown }> };
  };
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

test('every contributed command is registered by the host, and vice versa, in category "GD Stability"', () => {
  const contributed = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.values(COMMAND_IDS).sort());
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'GD Stability', c.command);
  const titles = pkg.contributes.commands.map((c) => c.title);
  for (const t of ['Analyze Selected Expression', 'Analyze Config File', 'Open Paper Example…', 'Sweep Learning Rates', 'Export Results…', 'Cancel Computation']) {
    assert.ok(titles.includes(t), t);
  }
  // the hover's internal command is hidden from the palette
  assert.ok(pkg.contributes.menus.commandPalette?.some((m) => m.command === COMMAND_IDS.openBasinMap && m.when === 'false'));
  // Analyze Selected Expression is in the editor context menu when text is selected
  assert.ok(pkg.contributes.menus['editor/context']?.some((m) => m.command === COMMAND_IDS.analyzeSelection && m.when === 'editorHasSelection'));
});

test('settings read by the host are all contributed with defaults', () => {
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(Object.keys(props).sort(), SETTING_KEYS.map((k) => `gdStabilityLab.${k}`).sort());
  assert.equal(props['gdStabilityLab.gridSize']?.default, 256);
  assert.equal(props['gdStabilityLab.maxSteps']?.default, 2000);
  assert.equal(props['gdStabilityLab.roundoffGuard']?.default, 1e-12);
});

test('activation is lazy, the schema file exists, untrusted workspaces are described', () => {
  assert.ok(!pkg.activationEvents.includes('*'));
  assert.ok(!pkg.activationEvents.includes('onStartupFinished'));
  assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${PANEL_VIEW_TYPE}`));
  assert.ok(pkg.activationEvents.some((e) => e.startsWith('workspaceContains:') && e.includes('.gdlab.json')));
  const v = pkg.contributes.jsonValidation[0];
  assert.deepEqual(v?.fileMatch, ['*.gdlab.json']);
  assert.ok(existsSync(join(root, v?.url ?? '')));
  assert.ok((pkg.capabilities.untrustedWorkspaces.description ?? '').length > 40);
  assert.equal(pkg.main, './dist/extension.js');
});

test('only src/extension imports vscode; the text modules never do', () => {
  for (const f of ['src/config/config.ts', 'src/config/tree.ts', 'src/config/session.ts', 'src/config/selection.ts', 'src/config/hoverText.ts', 'src/config/index.ts', 'src/extension/ids.ts']) {
    assert.doesNotMatch(readFileSync(join(root, f), 'utf8'), /from 'vscode'/, f);
  }
});
