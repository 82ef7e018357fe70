/* global document, Event */
// Where starts end up, driven like a person in the real workbench (called by ui-specs.mjs after
// the panel specs): (1 − xy)² — minima on the curve xy = 1, no strict minimum — opened from a
// config and analysed; the legend reports the set of minima; the "Sharpness at the limit" layer
// colours each start by λ_max where it converged, with 2/η marked on its colour bar; raising η
// from 0.1 to 0.4 leaves flatter limit points (the median and the largest λ_max fall, none above
// 2/η); a start's trajectory names the set and the sharpness it reached; Rosenbrock's legend
// advises raising maxSteps; log(x)'s says where f is undefined; the "Cycle period" layer colours
// the period-4 orbits of a double well at η = 1.25.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAP_SELECTORS, findInFrames, runPalette, sleep, typeEta } from './ui-specs.mjs';

const FLAT = 'e2e-flat-minima.gdlab.json';
const WELL = 'e2e-double-well.gdlab.json';
const SLOW = 'e2e-rosenbrock-panel.gdlab.json';
const LOG = 'e2e-log-panel.gdlab.json';
/** "… map at η = 0.1 in 0.4 s: stable 98.4%, …" (webview/state/mainMap.ts) */
const DONE = /map at η = ([\d.e+-]+)[^:]* s: stable ([\d.]+)%/;
/** the sharpness layer's statistics (webview/lib/legendNotes.ts sharpnessWords) */
const STATS = /λ_max at the limit point ([\d.e+-]+) to ([\d.e+-]+), median ([\d.e+-]+) \(2\/η = ([\d.e+-]+)\), over the (\d+) converged starts/;

/** Opens a file by clicking it in the Explorer (Quick Open's file index may not know a new file yet). */
async function openFromExplorer(page, file) {
  await page.keyboard.press('Escape').catch(() => {});
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.locator(`.tab[aria-label*="${file}"], .tab:has-text("${file}")`).first().waitFor({ timeout: 15_000 });
  await page.locator('.editor-instance .view-lines', { hasText: '"objective"' }).first().waitFor({ timeout: 15_000 });
  await sleep(500);
}

/** Waits until the panel's status reports a finished map at η (the legend's text along with it). */
async function waitForMap(page, eta, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    const map = await findInFrames(page, MAP_SELECTORS, 2_000);
    if (map) {
      last = await map.frame.evaluate(() => ({
        status: document.getElementById('status').textContent,
        legend: Array.from(document.querySelectorAll('#legend > *')).map((e) => e.textContent).join(' '),
        title: document.getElementById('title') ? document.getElementById('title').textContent : '',
      })).catch(() => null);
      const m = last && DONE.exec(last.status);
      if (m && Math.abs(Number(m[1]) - eta) < 1e-9 * Math.max(1, eta)) return { ...last, frame: map.frame, selector: map.selector };
    }
    await sleep(500);
  }
  throw new Error(`no finished map at η = ${eta} within ${timeoutMs / 1000} s; last status ${JSON.stringify(last && last.status)}`);
}

/** Chooses a map layer in the panel's menu like a person (click, then the option); falls back to the element's value. */
async function chooseLayer(frame, label, value) {
  try {
    await frame.locator('#layer-select').click({ timeout: 5_000 });
    // the open list renders its options in the element's shadow DOM (role option)
    await frame.getByRole('option', { name: label }).first().click({ timeout: 5_000 });
  } catch { /* the menu did not open: set it as the keyboard would */ }
  const now = await frame.evaluate(() => document.getElementById('layer-select').value);
  if (now !== value) {
    await frame.locator('#layer-select').press('Escape').catch(() => {});
    await frame.evaluate((v) => {
      const s = document.getElementById('layer-select');
      s.value = v;
      s.dispatchEvent(new Event('change'));
    }, value);
    return 'set through the element';
  }
  return 'clicked in the menu';
}

/** Shares of plasma-coloured pixels (neither grey, white nor the plot's background) on the map canvas. */
async function layerPixels(frame, selector) {
  return frame.evaluate((sel) => {
    const c = document.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let plasmaLike = 0, yellow = 0, dark = 0, periodFour = 0, opaque = 0;
    for (let p = 0; p < d.length; p += 4) {
      if (d[p + 3] < 250) continue;
      opaque++;
      const [r, g, b] = [d[p], d[p + 1], d[p + 2]];
      const grey = Math.abs(r - g) < 12 && Math.abs(g - b) < 12;
      if (!grey && (r > 120 || b > 120) && g < 200 + (r > 230 ? 55 : 0)) plasmaLike++;
      if (r > 220 && g > 200 && b < 80) yellow++;
      if (r < 100 && g < 40 && b > 120) dark++;
      if (Math.abs(r - 44) < 6 && Math.abs(g - 160) < 6 && Math.abs(b - 44) < 6) periodFour++;
    }
    return { plasmaLike: plasmaLike / opaque, yellow: yellow / opaque, dark: dark / opaque, periodFour: periodFour / opaque };
  }, selector);
}

export async function limitSpecs({ page, shot, step, T, workspace }) {
  if (!workspace) return;
  writeFileSync(join(workspace, FLAT), JSON.stringify({
    name: '(1 − xy)²: a curve of minima', objective: '(1 - x*y)^2', domain: { x: [-3, 3], y: [-3, 3] }, lr: 0.1, grid: 128, maxSteps: 2000,
  }, null, 2) + '\n');
  writeFileSync(join(workspace, WELL), JSON.stringify({
    name: 'double well: cycles', objective: 'x^4/4 - x^2/2 + y^2/2', domain: { x: [-2, 2], y: [-2, 2] }, lr: 1.25, grid: 96, maxSteps: 2000,
  }, null, 2) + '\n');
  writeFileSync(join(workspace, SLOW), JSON.stringify({
    name: 'Rosenbrock: slow creep', objective: '(1-x)^2 + 100*(y-x^2)^2', domain: { x: [-2, 2], y: [-1, 3] }, lr: 0.001, grid: 64, maxSteps: 2000,
  }, null, 2) + '\n');
  writeFileSync(join(workspace, LOG), JSON.stringify({
    name: 'log: undefined for x ≤ 0', objective: '(x-1)^2 + y^2 + 0*log(x)', domain: { x: [-3, 3], y: [-3, 3] }, lr: 0.5, grid: 64, maxSteps: 2000,
  }, null, 2) + '\n');
  let at01 = null;

  await step(`(1 − xy)²: analyse ${FLAT}; the legend reports convergence to a set of minima`, async () => {
    await openFromExplorer(page, FLAT);
    await runPalette(page, 'GD Stability: Analyze Config File');
    const m = await waitForMap(page, 0.1, T.map);
    await shot('20-flat-minima-outcome');
    if (!/converge to a set of minima/.test(m.legend)) throw new Error(`legend: ${m.legend.slice(0, 400)}`);
    const share = /([\d.]+)% converge to a set of minima/.exec(m.legend);
    if (!share || Number(share[1]) < 50) throw new Error(`set-of-minima share ${share && share[1]}%: ${m.legend.slice(0, 400)}`);
    return `${m.status}; legend: "${/[\d.]+% converge to a set of minima.*?maps it\./.exec(m.legend)?.[0] ?? share[0]}"`;
  });

  await step('"Sharpness at the limit" layer: plasma colours, 2/η marked on the colour bar', async () => {
    const m0 = await waitForMap(page, 0.1, T.map);
    const how = await chooseLayer(m0.frame, 'Sharpness at the limit', 'sharpness');
    await sleep(600);
    const m = await waitForMap(page, 0.1, T.map);
    const stats = STATS.exec(m.legend);
    const ticks = await m.frame.evaluate(() => Array.from(document.querySelectorAll('.legend-ticks span')).map((s) => s.textContent));
    const px = await layerPixels(m.frame, m.selector);
    await m.frame.locator('#legend').scrollIntoViewIfNeeded().catch(() => {});
    await shot('21-sharpness-layer-eta-0.1');
    if (!stats) throw new Error(`no sharpness statistics in the legend: ${m.legend.slice(0, 400)}`);
    if (!ticks.includes('2/η = 20')) throw new Error(`colour bar ticks ${JSON.stringify(ticks)} lack 2/η = 20`);
    if (px.plasmaLike < 0.3) throw new Error(`only ${(100 * px.plasmaLike).toFixed(1)}% of the canvas in the layer's colours`);
    at01 = { min: Number(stats[1]), max: Number(stats[2]), median: Number(stats[3]), edge: Number(stats[4]) };
    if (!(at01.min >= 3.99 && at01.max <= at01.edge * (1 + 1e-6))) throw new Error(`λ_max at the limit ${stats[0]}: must lie in [4, 2/η]`);
    return `menu ${how}; ${stats[0]}; ticks ${ticks.join(', ')}; ${(100 * px.plasmaLike).toFixed(1)}% plasma-coloured`;
  });

  await step('raise η to 0.4: only flatter limit points are left (median and largest λ_max fall, none above 2/η = 5)', async () => {
    const m0 = await waitForMap(page, 0.1, T.map);
    await typeEta(m0.frame, 0.4);
    const m = await waitForMap(page, 0.4, T.map);
    await sleep(400);
    const again = await waitForMap(page, 0.4, T.map);
    const stats = STATS.exec(again.legend);
    await again.frame.locator('#legend').scrollIntoViewIfNeeded().catch(() => {});
    await shot('22-sharpness-layer-eta-0.4');
    if (!stats || !at01) throw new Error(`no sharpness statistics: ${again.legend.slice(0, 400)} (status ${m.status})`);
    const at04 = { min: Number(stats[1]), max: Number(stats[2]), median: Number(stats[3]), edge: Number(stats[4]) };
    if (at04.edge !== 5) throw new Error(`2/η = ${at04.edge}, expected 5`);
    if (!(at04.max <= 5 * (1 + 1e-6))) throw new Error(`a limit point sharper than 2/η: ${stats[0]}`);
    if (!(at04.median < at01.median && at04.max < at01.max)) throw new Error(`not flatter: η 0.1 median ${at01.median}, max ${at01.max}; η 0.4 median ${at04.median}, max ${at04.max}`);
    return `η 0.1: median ${at01.median}, max ${at01.max} (2/η = 20) → η 0.4: median ${at04.median}, max ${at04.max} (2/η = 5)`;
  });

  await step('click a start that lands on the curve: the trajectory names the set and the λ_max it reached (tail lighter, 2/η line)', async () => {
    const m = await waitForMap(page, 0.4, T.map);
    const box = await m.frame.evaluate((sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return { width: r.width };
    }, m.selector);
    // map coordinates → CSS pixels of the plot (webview/widgets/basinCanvas.ts MARGIN: left 46, right 10, top 8)
    const side = box.width - 56;
    const [x, y] = [1.2, 1.9];
    await m.frame.locator(m.selector).click({ position: { x: 46 + ((x + 3) / 6) * side, y: 8 + ((3 - y) / 6) * side } });
    let summary = '';
    const deadline = Date.now() + T.chart;
    while (Date.now() < deadline) {
      summary = await m.frame.evaluate(() => document.getElementById('trajectory-summary').textContent);
      if (/set of minima/.test(summary)) break;
      await sleep(400);
    }
    await m.frame.locator('#trajectory-section').scrollIntoViewIfNeeded().catch(() => {});
    await sleep(300);
    await shot('23-trajectory-to-the-set');
    if (!/convergence to a point of a set of minima; decided at θ_\d+ \(steps = \d+\); K = \d+ .*λ_max at the limit point [\d.]+ \(2\/η = 5\)/.test(summary)) {
      throw new Error(`trajectory summary: "${summary}"`);
    }
    return summary;
  });

  await step('Rosenbrock at 0.5·η_max: the legend says which key to raise (maxSteps) and to what', async () => {
    await openFromExplorer(page, SLOW);
    await runPalette(page, 'GD Stability: Analyze Config File');
    const m0 = await waitForMap(page, 0.001, T.map);
    await chooseLayer(m0.frame, 'Outcome', 'class');
    await sleep(600);
    const m = await waitForMap(page, 0.001, T.map);
    await m.frame.locator('#legend').scrollIntoViewIfNeeded().catch(() => {});
    await shot('25-still-descending-advice');
    const advice = /[\d.]+% of starts \(the largest class\) are still descending after 2000 steps: raise maxSteps in the config \(e\.g\. "maxSteps": 20000\) to decide them\./.exec(m.legend);
    if (!advice) throw new Error(`no advice in the legend: ${m.legend.slice(0, 600)}`);
    return advice[0];
  });

  await step('f undefined for x ≤ 0 (log): the legend says such starts count as diverged', async () => {
    await openFromExplorer(page, LOG);
    await runPalette(page, 'GD Stability: Analyze Config File');
    const m = await waitForMap(page, 0.5, T.map);
    await m.frame.locator('#legend').scrollIntoViewIfNeeded().catch(() => {});
    await shot('26-undefined-region-note');
    const note = /f is undefined \(NaN or ±∞\) on about 50\.0% of the searched region[^:]*: starts that reach such points count as diverged\./.exec(m.legend);
    if (!note) throw new Error(`no undefined-region note in the legend: ${m.legend.slice(0, 600)}`);
    return note[0];
  });

  await step('"Cycle period" layer: the double well at η = 1.25 ends on period-4 orbits', async () => {
    await openFromExplorer(page, WELL);
    await runPalette(page, 'GD Stability: Analyze Config File');
    const m0 = await waitForMap(page, 1.25, T.map);
    await chooseLayer(m0.frame, 'Cycle period', 'period');
    await sleep(600);
    const m = await waitForMap(page, 1.25, T.map);
    const px = await layerPixels(m.frame, m.selector);
    await shot('24-period-layer');
    if (!/period 4/.test(m.legend)) throw new Error(`legend: ${m.legend.slice(0, 400)}`);
    if (px.periodFour < 0.2) throw new Error(`only ${(100 * px.periodFour).toFixed(1)}% of the canvas in period 4's colour`);
    return `${/period 4\s*[\d.]+%/.exec(m.legend)?.[0] ?? 'period 4'}; ${(100 * px.periodFour).toFixed(1)}% of the canvas period-4 green`;
  });
}
