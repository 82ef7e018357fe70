/* global document */
// The panel's own controls, driven like a person in the real workbench (called by ui-specs.mjs
// after its steps, with the f4 map at η = `eta` on screen): the panel keeps every element the
// specs and users rely on; dragging a rectangle zooms and Back returns to the same map; the
// Figure 2 strip fills with maps whose stable share shrinks as η grows; clicking one of them
// sets η (field, chips, map and trajectory follow); the LR sweep charts its fractions.
import { changedShare, findInFrames, fmt, MAP_SELECTORS, sleep, until, waitForSettledMap } from './ui-specs.mjs';

/** Every element id of the panel (webview/layout.ts and parts/), in document order. */
const PANEL_IDS = [
  'title', 'expression', 'error-box', 'controls', 'eta-slider', 'eta-ticks', 'eta-input', 'eta-fraction', 'eta-chips',
  'layer-select', 'scheme-select', 'show-certified', 'show-minima', 'show-contours', 'zoom-back', 'zoom-reset', 'strip-button',
  'sweep-button', 'export-png', 'export-npy', 'progress-row', 'progress', 'status', 'cancel-button', 'notice', 'map-wrap',
  'basin-canvas', 'side', 'legend', 'hover-readout', 'minima-list', 'trajectory-list', 'trajectory-section', 'trajectory-summary',
  'loss-chart', 'grad-chart', 'sharpness-chart', 'export-trajectory-csv', 'export-trajectory-json', 'sweep-section',
  'sweep-summary', 'sweep-chart', 'export-sweep-csv', 'export-sweep-json', 'strip-section', 'strip',
];
/** f4: η_max = 2/λ_max = 10/19 (paper); the strip's third map is at 0.8 η_max. */
const ETA_MAX = 10 / 19;
const STRIP_FRACTIONS = [0.2, 0.5, 0.8, 0.95, 0.99];
/** Margins of the map's plot inside its canvas, CSS pixels (webview/widgets/basinCanvas.ts MARGIN). */
const PLOT = { left: 46, right: 10, top: 8 };
const DONE_ETA = /map at η = ([\d.e+-]+) /;

/** Cyan / blue / opaque shares of each strip canvas that has pixels (null for one that has none yet). */
async function stripStats(frame) {
  return frame.evaluate((count) => Array.from({ length: count }, (_, i) => {
    const c = document.getElementById(`strip-canvas-${i}`);
    if (!c || !c.width || !c.height) return null;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let opaque = 0, cyan = 0, blue = 0;
    for (let p = 0; p < d.length; p += 4) {
      if (d[p + 3] === 255) opaque++;
      if (d[p] === 0 && d[p + 1] === 255 && d[p + 2] === 255) cyan++;
      if (d[p] === 0 && d[p + 1] === 0 && d[p + 2] === 255) blue++;
    }
    const n = c.width * c.height;
    return { width: c.width, opaque: opaque / n, cyan: cyan / n, blue: blue / n, current: c.parentElement.getAttribute('aria-current') };
  }), STRIP_FRACTIONS.length);
}

export async function panelSpecs({ page, shot, step, T, eta }) {
  let frame;
  let start;
  await step('the panel has every element it had, in the same order (ids the specs and users rely on)', async () => {
    const map = await findInFrames(page, MAP_SELECTORS, 10_000);
    if (!map) throw new Error('no panel frame');
    frame = map.frame;
    const ids = await frame.evaluate((want) => Array.from(document.querySelectorAll('[id]')).map((e) => e.id).filter((id) => want.includes(id)), PANEL_IDS);
    const missing = PANEL_IDS.filter((id) => !ids.includes(id));
    if (missing.length) throw new Error(`missing #${missing.join(', #')}`);
    if (ids.join() !== PANEL_IDS.join()) throw new Error(`order differs: ${ids.join(', ')}`);
    return `${ids.length} ids in order`;
  });

  await step('drag a rectangle on the map: a new map of that window; Back returns to the same map', async () => {
    start = await waitForSettledMap(page, T.map, eta);
    if (!start || !start.reported) throw new Error('no settled map to start from');
    await start.map.handle.scrollIntoViewIfNeeded();
    const box = await start.map.handle.boundingBox();
    const side = box.width - PLOT.left - PLOT.right;
    const at = (fx, fy) => [box.x + PLOT.left + fx * side, box.y + PLOT.top + fy * side];
    await page.mouse.move(...at(0.55, 0.15));
    await page.mouse.down();
    await page.mouse.move(...at(0.7, 0.3), { steps: 4 });
    await page.mouse.move(...at(0.85, 0.45), { steps: 4 });
    await page.mouse.up();
    const zoomed = await waitForSettledMap(page, T.map, eta, (s) => changedShare(start, s) > 0.2);
    await shot('07-map-zoomed');
    if (!zoomed || !zoomed.reported) throw new Error(`no new map after the drag${zoomed ? `: ${fmt(zoomed)}` : ''}`);
    const buttons = () => frame.evaluate(() => ['zoom-back', 'zoom-reset'].map((id) => document.getElementById(id).disabled));
    const [backOff, resetOff] = await buttons();
    if (backOff || resetOff) throw new Error(`Back / Reset zoom still disabled after zooming (${backOff}, ${resetOff})`);
    await frame.locator('#zoom-back').click();
    const back = await waitForSettledMap(page, T.map, eta, (s) => changedShare(start, s) < 0.005);
    if (!back || !back.reported) throw new Error(`Back did not restore the map: ${back ? `${(100 * changedShare(start, back)).toFixed(2)}% of pixels differ` : 'no map'}`);
    const [backAfter] = await buttons();
    if (!backAfter) throw new Error('Back still enabled with nothing to go back to');
    return `zoomed: ${(100 * changedShare(start, zoomed)).toFixed(1)}% of pixels changed (${fmt(zoomed)}); after Back ${(100 * changedShare(start, back)).toFixed(2)}% differ from the map before`;
  });

  await step('Figure 2 strip: five maps at 0.2 … 0.99 η_max fill in; the stable (cyan) share shrinks as η grows', async () => {
    await frame.locator('#strip-button').click();
    const got = await until('five complete strip maps', 60_000, async () => {
      const s = await stripStats(frame);
      const ok = s.every((m) => m && m.opaque === 1);
      return { ok, s, detail: JSON.stringify(s) };
    });
    await frame.locator('#strip-section').scrollIntoViewIfNeeded();
    await shot('08-figure2-strip');
    const cyan = got.s.map((m) => m.cyan);
    const text = got.s.map((m, i) => `${STRIP_FRACTIONS[i]}: cyan ${(100 * m.cyan).toFixed(1)}%, blue ${(100 * m.blue).toFixed(1)}%`).join('; ');
    if (!(cyan[0] > cyan[4] + 0.1)) throw new Error(`stable share does not shrink from 0.2 to 0.99 η_max: ${text}`);
    for (let i = 0; i + 1 < cyan.length; i++) if (cyan[i + 1] > cyan[i] + 0.01) throw new Error(`stable share grows from map ${i} to ${i + 1}: ${text}`);
    if (!got.s.some((m) => m.blue > 0.02)) throw new Error(`no unstable (blue) starts in any strip map: ${text}`);
    return text;
  });

  await step('click the strip’s 0.8 η_max map: η, its chip, the main map and the trajectory follow', async () => {
    const want = 0.8 * ETA_MAX;
    await frame.locator('#strip-canvas-2').click();
    const map = await waitForSettledMap(page, T.map, undefined, (s) => {
      const m = DONE_ETA.exec(s.status);
      return !!m && Math.abs(Number(m[1]) - want) < 1e-3;
    });
    if (!map || !map.reported) throw new Error(`no map at η = ${want.toFixed(4)}${map ? `: ${fmt(map)}` : ''}`);
    const ui = await until('the trajectory re-run at the new η', T.chart, async () => {
      const v = await frame.evaluate(() => ({
        input: document.getElementById('eta-input').value,
        chip: Array.from(document.querySelectorAll('#eta-chips button')).filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.textContent),
        summary: document.getElementById('trajectory-summary').textContent,
        current: document.getElementById('strip-canvas-2').parentElement.getAttribute('aria-current'),
      }));
      return { ok: /η = 0\.4211$/.test(v.summary), v, detail: JSON.stringify(v) };
    });
    await shot('09-eta-from-strip');
    const v = ui.v;
    if (v.input !== '0.421053') throw new Error(`η field shows "${v.input}"`);
    if (v.chip.join() !== '0.8') throw new Error(`pressed chips: ${v.chip.join(', ') || 'none'}`);
    if (v.current !== 'true') throw new Error('the clicked strip map is not marked current');
    return `field ${v.input}, chip ${v.chip}, trajectory "${v.summary}"; ${fmt(map)}`;
  });

  await step('LR sweep: stacked stable / unstable / other / diverged fractions against η/η_max', async () => {
    await frame.locator('#sweep-button').click();
    const done = await until('the sweep to finish', T.map, async () => {
      const summary = await frame.evaluate(() => document.getElementById('sweep-summary').textContent);
      return { ok: /click a point to use its η/.test(summary), summary, detail: summary };
    });
    await frame.locator('#sweep-section').scrollIntoViewIfNeeded();
    await sleep(300);
    await shot('10-lr-sweep');
    const px = await frame.evaluate(() => {
      const c = document.getElementById('sweep-chart');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let cyan = 0, blue = 0;
      for (let p = 0; p < d.length; p += 4) {
        if (d[p] === 0 && d[p + 1] === 255 && d[p + 2] === 255) cyan++;
        if (d[p] === 0 && d[p + 1] === 0 && d[p + 2] === 255) blue++;
      }
      return { cyan: cyan / (c.width * c.height), blue: blue / (c.width * c.height), error: !document.getElementById('error-box').hidden };
    });
    if (px.cyan < 0.01 || px.blue < 0.01) throw new Error(`sweep chart lacks stable/unstable areas: cyan ${(100 * px.cyan).toFixed(1)}%, blue ${(100 * px.blue).toFixed(1)}%`);
    if (px.error) throw new Error('the panel shows an error');
    return `${done.summary}; chart area cyan ${(100 * px.cyan).toFixed(1)}%, blue ${(100 * px.blue).toFixed(1)}%`;
  });
}
