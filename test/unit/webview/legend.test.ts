import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PixelClass } from '../../../src/engine/types';
import { CLASS_COUNT, createMapData, insertRows } from '../../../webview/lib/colors';
import { CLASS_NAMES, LAYER_INFO, OTHER_OUTCOMES, legendRows } from '../../../webview/lib/legend';
import type { LegendRow } from '../../../webview/lib/legend';
import { themeFromVariables } from '../../../webview/lib/theme';
import { fmt, pct } from '../../../webview/lib/format';

const entries = (rows: LegendRow[]) => rows.filter((r): r is Extract<LegendRow, { kind: 'entry' }> => r.kind === 'entry').map((r) => [r.label, r.value]);
const notes = (rows: LegendRow[]) => rows.filter((r): r is Extract<LegendRow, { kind: 'note' }> => r.kind === 'note').map((r) => r.text);

/** A 4×2 map; only the first row computed: stable, stable, unstable (min 1), diverged. */
function halfMap() {
  const map = createMapData(4, 2);
  insertRows(map, 0, 1, Uint8Array.from([PixelClass.Stable, PixelClass.Stable, PixelClass.Unstable, PixelClass.Diverged]),
    Int8Array.from([0, 0, 1, -1]), Uint32Array.from([5, 6, 40, 3]), Uint32Array.from([0, 0, 12, 0]));
  return map;
}

test('legend: live fractions of the computed rows, paper words, a note while incomplete', () => {
  const rows = legendRows({ map: halfMap(), minimaCount: 2, layer: 'class', scheme: 'paper', done: false, certified: 0, hasObjective: false });
  assert.deepEqual(entries(rows), [
    ['stable (U_η)', '50.0%'], ['unstable (V_η \\ U_η)', '25.0%'], ['diverged', '25.0%'], ['not converged', '0.0%'], ['saddle / other', '0.0%'],
    ['cycle', '0.0%'], ['bounded aperiodic', '0.0%'], ['still descending (raise maxSteps)', '0.0%'],
  ]);
  assert.deepEqual(notes(rows), ['fractions of the 50.0% computed so far']);
  const swatches = rows.filter((r) => r.kind === 'entry').map((r) => (r as { color: string }).color);
  assert.deepEqual(swatches.slice(0, 3), ['rgb(0, 255, 255)', 'rgb(0, 0, 255)', 'rgb(255, 255, 255)'], 'Figure 2 colours');
});

test('legend: per minimum, heat layers, certified notes, no map yet', () => {
  const per = legendRows({ map: halfMap(), minimaCount: 2, layer: 'class', scheme: 'per-minimum', done: true, certified: 2, hasObjective: true });
  assert.deepEqual(entries(per).slice(0, 4), [['min 0 stable', '50.0%'], ['min 0 unstable', '0.0%'], ['min 1 stable', '0.0%'], ['min 1 unstable', '25.0%']]);
  assert.match(notes(per).at(-1) ?? '', /^dashed outlines: .*\(2 of 2 minima\)$/);
  const k = legendRows({ map: null, minimaCount: 2, layer: 'K', scheme: 'paper', done: true, certified: 0, hasObjective: false });
  assert.equal(k[0].kind, 'bar');
  assert.deepEqual(entries(k), [['stable', '–'], ['unstable', '–'], ['diverged', '–']]);
  assert.deepEqual(notes(k), [LAYER_INFO.K.note, 'no certified region at this η']);
  const balls = legendRows({ map: null, minimaCount: 2, layer: 'class', scheme: 'paper', done: true, certified: 1, hasObjective: false });
  assert.match(notes(balls)[0], /^dashed circles: .*\(1 of 2; /);
});

test('every class code has a name; the legend lists every outcome without a minimum', () => {
  for (let c = 0; c < CLASS_COUNT; c++) assert.ok(CLASS_NAMES[c], `class ${c} named`);
  const listed = new Set([PixelClass.Stable, PixelClass.Unstable, ...OTHER_OUTCOMES.map((o) => o.code)]);
  assert.equal(listed.size, CLASS_COUNT);
});

test('theme: dark backgrounds get light strokes, unset variables fall back', () => {
  const dark = themeFromVariables((n) => ({ '--vscode-editor-background': '#1e1e1e', '--vscode-foreground': ' #cccccc ' } as Record<string, string>)[n] ?? '');
  assert.equal(dark.stable, '#cccccc');
  assert.equal(dark.grid, 'rgba(255,255,255,0.08)');
  const light = themeFromVariables(() => '');
  assert.deepEqual([light.background, light.stable, light.foreground, light.unstable], ['#ffffff', '#000000', '#333333', '#e00000']);
});

test('formatting: significant digits, exponents at the extremes, tiny percentages', () => {
  assert.equal(fmt(10 / 19), '0.5263');
  assert.equal(fmt(123456), '1.23e+5');
  assert.equal(fmt(0.000123), '1.23e-4');
  assert.equal(fmt(Infinity), 'Infinity');
  assert.equal(pct(0.491), '49.1%');
  assert.equal(pct(0.0004), '0.040%');
});
