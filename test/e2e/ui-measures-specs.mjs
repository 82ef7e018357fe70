/* global document */
// The dynamics-measures views of the panel, driven like a person in the real workbench (called by
// ui-specs.mjs after the panel specs, with the f4 map on screen and a clicked trajectory): the
// orbit diagram from the clicked start draws its dots and Lyapunov curve; the fractal measures
// appear beside the legend; the tipping view compares two learning rates; the map's SVG export
// goes through VS Code's save dialog and the saved file is a parseable SVG with title, axes and
// legend.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'htmlparser2';
import { findInFrames, MAP_SELECTORS, sleep, until } from './ui-specs.mjs';

/** Pixels of a canvas whose colour is saturated (dots, coloured lines; not text, grid or background). */
async function colouredPixels(frame, id) {
  return frame.evaluate((canvasId) => {
    const c = document.getElementById(canvasId);
    if (!c || !c.width) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let p = 0; p < d.length; p += 4) {
      if (d[p + 3] > 200 && Math.max(d[p], d[p + 1], d[p + 2]) - Math.min(d[p], d[p + 1], d[p + 2]) > 60) n++;
    }
    return n;
  }, id);
}

function texts(svg) {
  const out = [];
  const walk = (nodes) => {
    for (const n of nodes) {
      if (n.type === 'tag') {
        if (n.name === 'text') out.push(n.children.map((c) => c.data ?? '').join(''));
        walk(n.children);
      }
    }
  };
  walk(parseDocument(svg, { xmlMode: true }).children);
  return out;
}

export async function measuresSpecs({ page, shot, step, T, workspace }) {
  let frame;
  await step('orbit diagram from the clicked start: progress, then visited values and the Lyapunov exponent against η', async () => {
    const map = await findInFrames(page, MAP_SELECTORS, 10_000);
    if (!map) throw new Error('no panel frame');
    frame = map.frame;
    await frame.locator('#orbit-button').click();
    const done = await until('the orbit diagram', T.map, async () => {
      const s = await frame.evaluate(() => document.getElementById('orbit-summary').textContent);
      return { ok: /stops converging at η = |converges at every η/.test(s), s, detail: s };
    });
    await frame.locator('#orbit-section').scrollIntoViewIfNeeded();
    await sleep(400);
    await shot('11-orbit-diagram');
    const dots = await colouredPixels(frame, 'orbit-chart');
    const lyapunov = await colouredPixels(frame, 'lyapunov-chart');
    const error = await frame.evaluate(() => !document.getElementById('error-box').hidden && document.getElementById('error-box').textContent);
    if (error) throw new Error(`the panel shows an error: ${error}`);
    if (dots < 50) throw new Error(`the orbit chart has ${dots} coloured pixels (dots or markers)`);
    // the curve spans the learning rates whose orbit stays bounded (a diverging start leaves gaps)
    if (lyapunov < 15) throw new Error(`the Lyapunov chart has ${lyapunov} coloured pixels`);
    return `${done.s.trim()}; ${dots} coloured pixels in the diagram, ${lyapunov} in the Lyapunov chart`;
  });

  await step('fractal measures beside the legend: S_b, S_bb and boundary dimensions of the map', async () => {
    const m = await until('the measures', 30_000, async () => {
      const text = await frame.evaluate(() => document.getElementById('measures').textContent);
      return { ok: /S_b, S_bb \(outcomes\)/.test(text) && /(D = \d|none)/.test(text), text, detail: text };
    });
    return m.text.replace(/\s+/g, ' ').slice(0, 160);
  });

  await step('tipping view: compare the current η with η₂, transition table and map of the starts that change class', async () => {
    await frame.locator('#tipping-button').click();
    await frame.locator('#tipping-compare').click();
    const done = await until('the tipping comparison', T.map, async () => {
      const s = await frame.evaluate(() => document.getElementById('tipping-status').textContent);
      return { ok: /of the starts change class/.test(s), s, detail: s };
    });
    await frame.locator('#tipping-section').scrollIntoViewIfNeeded();
    await sleep(300);
    await shot('12-tipping');
    const t = await frame.evaluate(() => ({ rows: document.querySelectorAll('#tipping-table tr').length, w: document.getElementById('tipping-canvas').width, legend: document.getElementById('tipping-legend').textContent }));
    if (t.rows < 2) throw new Error(`the transition table has ${t.rows} rows`);
    if (t.w < 16) throw new Error(`the transition map is ${t.w} pixels wide`);
    return `${done.s.trim()}; table of ${t.rows - 1} classes, map ${t.w} wide; ${t.legend.slice(0, 80)}`;
  });

  await step('map SVG export: saved through the save dialog as an SVG with title, axes and legend', async () => {
    const before = new Set(readdirSync(workspace));
    await frame.locator('#export-svg').scrollIntoViewIfNeeded();
    await frame.locator('#export-svg').click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await sleep(300);
    await shot('13-svg-save-dialog');
    await page.keyboard.press('Enter');
    const saved = await until('the SVG file', 20_000, async () => {
      const added = readdirSync(workspace).filter((f) => f.endsWith('.svg') && !before.has(f));
      return { ok: added.length > 0, added, detail: readdirSync(workspace).join(', ') };
    });
    const file = join(workspace, saved.added[0]);
    if (!existsSync(file)) throw new Error(`no ${file}`);
    const svg = readFileSync(file, 'utf8');
    const t = texts(svg);
    const title = /<title>([^<]*)<\/title>/.exec(svg);
    if (!title || !/η = /.test(title[1])) throw new Error(`no title with η: ${title ? title[1] : 'none'}`);
    for (const want of ['x', 'y', 'stable (U_η)', 'unstable (V_η \\ U_η)']) if (!t.includes(want)) throw new Error(`no "${want}" text in the SVG (${t.slice(0, 20).join(' | ')})`);
    if (!/<image [^>]*href="data:image\/png;base64,/.test(svg)) throw new Error('no embedded map image');
    return `${saved.added[0]}: ${svg.length} characters, title "${title[1]}", ${t.length} text elements`;
  });
}
