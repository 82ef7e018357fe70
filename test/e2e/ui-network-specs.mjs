/* global document, Event */
// The network views driven like a person in the real workbench (called by run.mjs after the
// expression specs): open sine.gdlab.json from the Explorer (a tanh MLP on a noisy sine read from
// sine.csv next to it), "Analyze Config File" from the palette, and the panel trains it at its
// three learning rates: the training view's charts must draw (the η colours, the focused η's red
// unstable phase, the threshold lines), its run list must name where the sharpness reached 2/η,
// focusing the smallest η (no loss increase) must remove the red, and a slice around the end
// point of η = 0.2 must fill with stable (cyan) and unstable (blue) starts.
import { findInFrames, sleep, until } from './ui-specs.mjs';

const EXAMPLE = 'sine.gdlab.json';
const ANALYZE_TITLE = 'GD Stability: Analyze Config File';
/** webview/lib/training.ts ETA_COLORS for the three learning rates 0.05, 0.1, 0.2 */
const ETA_RGB = [[0x1f, 0x77, 0xb4], [0xff, 0x7f, 0x0e], [0x2c, 0xa0, 0x2c]];
const T = { train: 120_000, slice: 180_000 };

/** Pixel counts of a canvas: each η colour, red (the unstable phase), cyan and blue (map classes). */
async function pixels(frame, id) {
  return frame.evaluate(({ id, etaRgb }) => {
    const c = document.getElementById(id);
    if (!c || !c.width || !c.height) return null;
    const off = document.createElement('canvas');
    off.width = c.width; off.height = c.height;
    const ctx = off.getContext('2d');
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const near = (i, rgb, tol) => Math.abs(d[i] - rgb[0]) <= tol && Math.abs(d[i + 1] - rgb[1]) <= tol && Math.abs(d[i + 2] - rgb[2]) <= tol;
    const eta = etaRgb.map(() => 0);
    let red = 0, cyan = 0, blue = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] < 200) continue;
      etaRgb.forEach((rgb, k) => { if (near(i, rgb, 24)) eta[k]++; });
      if (d[i] >= 120 && d[i + 1] < 0.35 * d[i] && d[i + 2] < 0.35 * d[i]) red++;
      if (near(i, [0, 255, 255], 4)) cyan++;
      if (near(i, [0, 0, 255], 4)) blue++;
    }
    return { width: c.width, height: c.height, eta, red, cyan, blue };
  }, { id, etaRgb: ETA_RGB });
}

const text = (frame, id) => frame.evaluate((id) => document.getElementById(id)?.textContent ?? '', id);

export async function networkSpecs({ page, shot, record }) {
  let failed = '';
  const step = async (name, fn) => {
    if (failed) { record(`network: ${name}`, 'skip', `after failure of "${failed}"`); return; }
    try {
      record(`network: ${name}`, 'pass', (await fn()) || '');
    } catch (err) {
      failed = name;
      record(`network: ${name}`, 'fail', String(err && err.message || err).split('\n')[0]);
      await shot(`fail-network-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
    }
  };

  await step(`open ${EXAMPLE} from the Explorer`, async () => {
    // a click in the file tree, as a person would (the keyboard may still be in the panel)
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: EXAMPLE }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.dblclick();
    await page.locator(`.tab[aria-label*="${EXAMPLE}"], .tab:has-text("${EXAMPLE}")`).first().waitFor({ timeout: 15_000 });
    await page.locator('.editor-instance .view-lines', { hasText: '"model"' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.editor-instance .view-lines', { hasText: '"model"' }).first().click();
  });

  let frame;
  await step(`"${ANALYZE_TITLE}": the training view trains three learning rates and its charts draw`, async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${ANALYZE_TITLE}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Analyze Config File' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const loss = await findInFrames(page, ['canvas#train-loss-chart'], 30_000);
    if (!loss) throw new Error('no training loss chart in any frame');
    frame = loss.frame;
    const done = await until('training finished', T.train, async () => {
      const status = await text(frame, 'training-status');
      return { ok: /^Trained 3 learning rates × 1500 steps/.test(status), detail: status };
    });
    await sleep(500); // the charts redraw on the next frame
    await frame.locator('#training-section').scrollIntoViewIfNeeded().catch(() => {});
    await shot('network-01-training-view');
    const visible = await frame.evaluate(() => ({ training: !document.getElementById('training-section').hidden, map: document.getElementById('map-wrap').getClientRects().length > 0 }));
    if (!visible.training || visible.map) throw new Error(`network mode: training section shown ${visible.training}, expression map shown ${visible.map}`);
    return done.detail;
  });

  await step('loss chart: every η in its colour, the focused η = 0.2 red (loss increases to the end: K = 1501)', async () => {
    const p = await pixels(frame, 'train-loss-chart');
    if (!p) throw new Error('unreadable loss chart');
    if (p.eta[0] < 100 || p.eta[1] < 100) throw new Error(`η colours missing: ${JSON.stringify(p)}`);
    if (p.red < 200) throw new Error(`too little red for the focused run: ${JSON.stringify(p)}`);
    const s = await pixels(frame, 'train-sharpness-chart');
    if (!s || s.eta.some((n) => n < 100)) throw new Error(`sharpness chart lacks an η's curve or threshold line: ${JSON.stringify(s)}`);
    const g = await pixels(frame, 'train-grad-chart');
    if (!g || g.eta.some((n) => n < 100)) throw new Error(`gradient-norm chart lacks an η: ${JSON.stringify(g)}`);
    return `loss ${p.width}×${p.height}: η pixels ${p.eta.join('/')}, red ${p.red}; sharpness η pixels ${s.eta.join('/')}; ‖∇L‖ ${g.eta.join('/')}`;
  });

  await step('run list: 2/η reached by η = 0.1 and 0.2, not by 0.05', async () => {
    const items = await frame.evaluate(() => Array.from(document.querySelectorAll('#training-runs li')).map((li) => li.textContent));
    if (items.length !== 3) throw new Error(`${items.length} runs listed: ${JSON.stringify(items)}`);
    if (!/η = 0\.05: no loss increase; sharpness [\d.]+ below 2\/η = 40/.test(items[0])) throw new Error(items[0]);
    if (!/η = 0\.1: .*sharpness reached 2\/η = 20 at step \d+/.test(items[1])) throw new Error(items[1]);
    if (!/η = 0\.2: .*sharpness reached 2\/η = 10 at step \d+/.test(items[2])) throw new Error(items[2]);
    return items.join(' | ');
  });

  await step('focus η = 0.05 (no loss increase): the red unstable phase disappears, the curve turns to the stable colour', async () => {
    const before = await pixels(frame, 'train-loss-chart');
    await frame.locator('#training-runs li button').first().click();
    // what red stays is the legend's swatch of the focused η ("red: unstable phase"); its own
    // colour goes too, as the focused curve is drawn in the stable colour (black / foreground)
    const after = await until('the red to go', 10_000, async () => {
      const p = await pixels(frame, 'train-loss-chart');
      return { ok: p && p.red < before.red / 5 && p.eta[0] < before.eta[0] / 5, detail: JSON.stringify(p), p };
    });
    await shot('network-02-focus-smallest-eta');
    return `red pixels ${before.red} → ${after.p.red}; η = 0.05's own colour ${before.eta[0]} → ${after.p.eta[0]} pixels`;
  });

  await step('slice around the end point of η = 0.2 (filter-normalised plane, 16×16): stable and unstable starts', async () => {
    await frame.evaluate(() => {
      const set = (id, value) => {
        const el = document.getElementById(id);
        el.value = value;
        el.dispatchEvent(new Event('change'));
      };
      set('net-slice-run', '2');
      set('net-slice-plane', 'filter-normalized');
      set('net-slice-grid', '16');
    });
    await frame.locator('#net-slice-go').click();
    const done = await until('the slice to finish', T.slice, async () => {
      const summary = await text(frame, 'net-slice-summary');
      return { ok: /16×16 starts, GD at η = 0\.2.* s\)$/.test(summary), detail: summary };
    });
    await sleep(500);
    await frame.locator('#net-slice-section').scrollIntoViewIfNeeded().catch(() => {});
    await shot('network-03-slice');
    const p = await pixels(frame, 'net-slice-canvas');
    if (!p || p.cyan < 50 || p.blue < 50) throw new Error(`slice map lacks stable (cyan) or unstable (blue) pixels: ${JSON.stringify(p)}`);
    const legend = await text(frame, 'net-slice-legend');
    return `${done.detail}; cyan ${p.cyan}, blue ${p.blue} canvas pixels; legend ${legend}`;
  });
}
