import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MinimumCode, PixelClass } from '../../../src/engine/types';
import { CLASS_COUNT, createMapData, insertRows, liveFractions } from '../../../webview/lib/colors';
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

/** A one-row map at η of the given pixels (classes, minimum codes, limit sharpness). */
function pixelsMap(eta: number, pixels: [number, number, number?][]) {
  const n = pixels.length;
  const map = createMapData(n, 1, eta);
  insertRows(map, 0, 1, Uint8Array.from(pixels.map((p) => p[0])), Int8Array.from(pixels.map((p) => p[1])), new Uint32Array(n), new Uint32Array(n),
    Float32Array.from(pixels.map((p) => p[2] ?? NaN)), new Uint8Array(n));
  return map;
}

test('legend: a set of minima and an unlisted minimum get rows, shares and the sharpness where starts landed', () => {
  // 10 pixels: 2 stable to minimum 0, 3 stable + 1 unstable to the set (λ 4, 4, 4.5, 5), 1 unstable to an unlisted minimum, 3 diverged
  const S = PixelClass.Stable, U = PixelClass.Unstable, D = PixelClass.Diverged;
  const map = pixelsMap(0.4, [[S, 0, 6], [S, 0, 6], [S, MinimumCode.Set, 4], [S, MinimumCode.Set, 4], [S, MinimumCode.Set, 4.5], [U, MinimumCode.Set, 5],
    [U, MinimumCode.Unlisted, 3], [D, -1], [D, -1], [D, -1]]);
  const live = liveFractions(map, 1);
  assert.deepEqual(live.minimumSet, { stable: 0.3, unstable: 0.1 });
  assert.deepEqual(live.unlisted, { stable: 0, unstable: 0.1 });
  const rows = legendRows({ map, minimaCount: 1, layer: 'class', scheme: 'paper', done: false, certified: 0, hasObjective: false });
  const e = entries(rows);
  // listed-minimum rows count only minimum 0; the set / unlisted pair has its own rows (5/10 stable in all, 2/10 unstable in all)
  assert.deepEqual(e.slice(0, 4), [['stable (U_η)', '20.0%'], ['unstable (V_η \\ U_η)', '0.0%'], ['stable → set of minima / unlisted minimum', '30.0%'], ['unstable → set of minima / unlisted minimum', '20.0%']]);
  const setSwatch = rows.filter((r) => r.kind === 'entry')[2] as { color: string };
  assert.equal(setSwatch.color, 'rgb(175, 238, 238)', 'paper: pale turquoise for stable convergence to a set');
  const n = notes(rows);
  // the statistics are over every converged start (λ 6, 6, 4, 4, 4.5, 5, 3): from 3 to 6, 2/η = 5
  assert.ok(n.some((t) => t.startsWith('40.0% converge to a set of minima (non-isolated: a curve or surface of minima; stable 30.0%, unstable 10.0%); λ_max at the limit point 3 to 6, median ')
    && t.endsWith('(2/η = 5) — the layer "Sharpness at the limit" maps it.')), n.join(' | '));
  assert.ok(n.includes('10.0% converge to a strict minimum the search did not list (stable 0.0%, unstable 10.0%), drawn like a set of minima.'), n.join(' | '));
});

test('legend: "still descending" advice names the exact key (config maxSteps or the setting) from 5%, and says when it is the largest class', () => {
  const D = PixelClass.StillDescending, S = PixelClass.Stable;
  const mostly = pixelsMap(0.1, [[D, -1], [D, -1], [D, -1], [S, 0, 1]]);
  const config = legendRows({ map: mostly, minimaCount: 1, layer: 'class', scheme: 'paper', done: false, certified: 0, hasObjective: false, stepLimit: { maxSteps: 2000, source: 'config' } });
  assert.ok(notes(config).includes('75.0% of starts (the largest class) are still descending after 2000 steps: raise maxSteps in the config (e.g. "maxSteps": 20000) to decide them.'), notes(config).join(' | '));
  const setting = legendRows({ map: mostly, minimaCount: 1, layer: 'class', scheme: 'paper', done: false, certified: 0, hasObjective: false, stepLimit: { maxSteps: 50, source: 'setting' } });
  assert.ok(notes(setting).includes('75.0% of starts (the largest class) are still descending after 50 steps: raise the setting gdStabilityLab.maxSteps (e.g. to 1000) to decide them.'));
  // 1 of 20 = 5%: advised, not the largest; 0 of 20: no advice
  const some = pixelsMap(0.1, [[D, -1], ...Array.from({ length: 19 }, (): [number, number, number] => [S, 0, 1])]);
  const advice = notes(legendRows({ map: some, minimaCount: 1, layer: 'class', scheme: 'paper', done: false, certified: 0, hasObjective: false, stepLimit: { maxSteps: 2000, source: 'config' } }));
  assert.ok(advice.includes('5.0% of starts are still descending after 2000 steps: raise maxSteps in the config (e.g. "maxSteps": 20000) to decide them.'), advice.join(' | '));
  const none = pixelsMap(0.1, [[S, 0, 1], [S, 0, 1]]);
  assert.ok(!notes(legendRows({ map: none, minimaCount: 1, layer: 'class', scheme: 'paper', done: false, certified: 0, hasObjective: false, stepLimit: { maxSteps: 2000, source: 'config' } })).some((t) => /still descending/.test(t)));
});

test('legend: where f is undefined, starts reaching it count as diverged', () => {
  const input = { map: null, minimaCount: 1, layer: 'class' as const, scheme: 'paper' as const, done: false, certified: 0, hasObjective: false };
  assert.ok(notes(legendRows({ ...input, definedness: { samples: 4096, undefinedFraction: 0.5, example: [-1.5, 0.25], unproven: ['log'] } }))
    .includes('f is undefined (NaN or ±∞) on about 50.0% of the searched region, e.g. at (-1.5, 0.25): starts that reach such points count as diverged.'));
  assert.ok(notes(legendRows({ ...input, definedness: { samples: 4096, undefinedFraction: 0, example: null, unproven: ['sqrt', 'division'] } }))
    .includes('f may be undefined at some points (sqrt, division not proven defined there): starts that reach such points count as diverged.'));
  assert.ok(!notes(legendRows({ ...input, definedness: { samples: 4096, undefinedFraction: 0, example: null, unproven: [] } })).some((t) => /undefined/.test(t)));
});

test('legend: the sharpness layer’s colour bar is marked at 2/η; the period layer lists the periods present', () => {
  const S = PixelClass.Stable, D = PixelClass.Diverged;
  const map = pixelsMap(0.4, [[S, MinimumCode.Set, 4], [S, MinimumCode.Set, 4.5], [S, MinimumCode.Set, 4.8], [D, -1]]);
  const rows = legendRows({ map, minimaCount: 0, layer: 'sharpness', scheme: 'paper', done: false, certified: 0, hasObjective: false });
  const bar = rows.find((r) => r.kind === 'scale');
  assert.ok(bar && bar.kind === 'scale');
  assert.deepEqual(bar.ticks.map((t) => [t.at, t.label, t.edge]), [[0, '4', false], [1, '2/η = 5', true]]);
  assert.match(bar.caption, /same units as 2\/η/);
  assert.match(bar.gradient, /^linear-gradient\(to right, rgb\(13, 8, 135\) 0\.00%, .*rgb\(240, 249, 33\) 100\.00%\)$/);
  assert.ok(notes(rows).some((t) => /^λ_max at the limit point 4 to 4\.8, median 4\.\d+ \(2\/η = 5\), over the 3 converged starts\.$/.test(t)), notes(rows).join(' | '));
  assert.deepEqual(entries(rows), [['converged (coloured by λ_max)', '75.0%'], ['diverged', '25.0%'], ['no limit point (cycle, aperiodic, still descending, …)', '0.0%']]);
  // a limit point beyond 2/η widens the bar: 2/η moves inside it and the excess gets its own row
  const over = legendRows({ map: pixelsMap(0.4, [[S, MinimumCode.Set, 4], [S, MinimumCode.Set, 7]]), minimaCount: 0, layer: 'sharpness', scheme: 'paper', done: false, certified: 0, hasObjective: false });
  const overBar = over.find((r) => r.kind === 'scale');
  assert.ok(overBar && overBar.kind === 'scale');
  assert.deepEqual(overBar.ticks.map((t) => [Number(t.at.toFixed(6)), t.label]), [[0, '4'], [Number((1 / 3).toFixed(6)), '2/η = 5'], [1, '7']]);
  assert.ok(entries(over).some(([label, value]) => label === 'λ_max above 2/η (round-off at the edge)' && value === '1'));
  // period layer
  const C = PixelClass.Cycle;
  const cyc = createMapData(4, 1, 0.5);
  insertRows(cyc, 0, 1, Uint8Array.of(C, C, C, S), Int8Array.of(-1, -1, -1, 0), new Uint32Array(4), new Uint32Array(4), new Float32Array(4).fill(NaN), Uint8Array.of(2, 2, 5, 0));
  const per = legendRows({ map: cyc, minimaCount: 1, layer: 'period', scheme: 'paper', done: false, certified: 0, hasObjective: false });
  assert.deepEqual(entries(per), [['period 2', '50.0%'], ['period 5', '25.0%']]);
  assert.deepEqual(entries(per).length, 2);
  const noCycle = legendRows({ map: pixelsMap(0.5, [[S, 0, 1]]), minimaCount: 1, layer: 'period', scheme: 'paper', done: false, certified: 0, hasObjective: false });
  assert.ok(notes(noCycle).includes('no start ends on a cycle here'));
});
