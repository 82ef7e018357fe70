/* global document */
// The person-like part of the e2e suite: Playwright drives the code-server workbench the way a
// user would (quick open, command palette, clicks in the panel, typing in the editor).
// Called by run.mjs with a page on the examples workspace; records one check per step and
// saves a screenshot after each one to test-results/e2e/.

/** Example opened by the user (DESIGN.md: "the Figure 3 starts" for f4). */
export const F4_EXAMPLE = 'figure3-f4.gdlab.json';
const ANALYZE_TITLE = 'GD Stability: Analyze Config File';
/** The basin-map canvas and the loss chart inside the panel's webview (webview/main.ts). */
export const MAP_SELECTORS = ['canvas#basin-map', 'canvas#map-canvas', '#basin-map canvas', 'canvas[data-role="basin-map"]'];
export const LOSS_SELECTORS = ['canvas#loss-chart', '#loss-chart canvas', 'canvas[data-role="loss-chart"]'];
/** Figure 2 colours (webview/lib/colors.ts PAPER_COLORS). */
const CYAN = [0, 255, 255];
const BLUE = [0, 0, 255];
/**
 * Shares the Figure 3 setup must show (f4, lr 0.25 = 0.475·η_max on [-3,3]²): a good share of
 * the map is stable (cyan) and some of it converges unstably (blue).
 */
const MIN_CYAN = 0.2;
const MIN_BLUE = 0.002;
/** After the lr edit, at least this share of the map's pixels must have changed class colour. */
const MIN_CHANGED = 0.01;
/** New lr typed into the editor: 0.45 = 0.855·η_max (more unstable convergence). */
const NEW_LR = '0.45';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Searches every frame (webviews are nested iframes) for the first matching selector. */
async function findInFrames(page, selectors, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      for (const sel of selectors) {
        try {
          const handle = await frame.$(sel);
          if (handle) return { frame, selector: sel, handle };
        } catch { /* frame detached or navigating */ }
      }
    }
    if (Date.now() > deadline) return undefined;
    await sleep(300);
  }
}

/**
 * Reads a canvas' own pixels (copied through drawImage, so 2d and webgl canvases both work) and
 * counts Figure 2 colours. Returns shares of opaque pixels, sample positions (canvas pixels) and
 * a coarse signature (class letter per pixel on a subsampled grid) to compare maps.
 */
async function canvasStats(frame, selector) {
  return frame.evaluate(({ selector, cyan, blue }) => {
    const canvas = document.querySelector(selector);
    if (!canvas || !canvas.width || !canvas.height) return null;
    const w = canvas.width, h = canvas.height;
    const off = document.createElement('canvas');
    off.width = w; off.height = h;
    const ctx = off.getContext('2d');
    ctx.drawImage(canvas, 0, 0);
    const data = ctx.getImageData(0, 0, w, h).data;
    const near = (i, c) => Math.abs(data[i] - c[0]) <= 24 && Math.abs(data[i + 1] - c[1]) <= 24 && Math.abs(data[i + 2] - c[2]) <= 24;
    let opaque = 0, nCyan = 0, nBlue = 0, nWhite = 0, nRed = 0;
    const cyanAt = [], blueAt = [];
    const step = Math.max(1, Math.floor(Math.min(w, h) / 128));
    let signature = '';
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = 4 * (y * w + x);
        if (data[i + 3] < 128) { if (x % step === 0 && y % step === 0) signature += '.'; continue; }
        opaque++;
        let k = 'o';
        if (near(i, cyan)) { nCyan++; k = 'c'; if (cyanAt.length < 2000) cyanAt.push([x, y]); }
        else if (near(i, blue)) { nBlue++; k = 'b'; if (blueAt.length < 2000) blueAt.push([x, y]); }
        else if (data[i] > 230 && data[i + 1] > 230 && data[i + 2] > 230) { nWhite++; k = 'w'; }
        else if (data[i] > 150 && data[i + 1] < 90 && data[i + 2] < 90) { nRed++; k = 'r'; }
        if (x % step === 0 && y % step === 0) signature += k;
      }
    }
    const rect = canvas.getBoundingClientRect();
    const d = opaque || 1;
    return {
      width: w, height: h, cssWidth: rect.width, cssHeight: rect.height,
      opaque, opaqueShare: opaque / (w * h),
      cyan: nCyan / d, blue: nBlue / d, white: nWhite / d, red: nRed / d, redPixels: nRed,
      cyanAt, blueAt, signature,
    };
  }, { selector, cyan: CYAN, blue: BLUE });
}

/** Waits until the map is fully drawn: opaque and the same on two reads 1.5 s apart. */
async function waitForSettledMap(found, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let prev = null;
  let stats = null;
  while (Date.now() < deadline) {
    stats = await canvasStats(found.frame, found.selector).catch(() => null);
    if (stats && stats.opaqueShare > 0.98 && prev && prev.signature === stats.signature) return stats;
    prev = stats;
    await sleep(1500);
  }
  return stats;
}

function fmt(stats) {
  return `${stats.width}×${stats.height}: cyan ${(100 * stats.cyan).toFixed(1)}%, blue ${(100 * stats.blue).toFixed(1)}%, white ${(100 * stats.white).toFixed(1)}%, drawn ${(100 * stats.opaqueShare).toFixed(0)}%`;
}

function changedShare(a, b) {
  const n = Math.min(a.signature.length, b.signature.length);
  let changed = 0;
  for (let i = 0; i < n; i++) if (a.signature[i] !== b.signature[i]) changed++;
  return n ? changed / n : 0;
}

async function runPalette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  // The row must be there before Enter, or Enter would run nothing (or something else).
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^.*?: /, '') }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

export async function uiSpecs({ page, shot, record }) {
  const T = { map: 120_000, chart: 30_000, mapChange: 90_000 };
  let failedEarlier = '';
  const step = async (name, fn) => {
    if (failedEarlier) { record(`ui: ${name}`, 'skip', `after failure of "${failedEarlier}"`); return undefined; }
    try {
      const detail = await fn();
      record(`ui: ${name}`, 'pass', detail || '');
      return true;
    } catch (err) {
      failedEarlier = name;
      record(`ui: ${name}`, 'fail', String(err && err.message || err).split('\n')[0]);
      await shot(`fail-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
      return false;
    }
  };

  await step(`open ${F4_EXAMPLE} with Quick Open`, async () => {
    await page.locator('.monaco-workbench').click({ position: { x: 800, y: 500 } }).catch(() => {});
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(F4_EXAMPLE);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: F4_EXAMPLE }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator(`.tab[aria-label*="${F4_EXAMPLE}"], .tab:has-text("${F4_EXAMPLE}")`).first().waitFor({ timeout: 15_000 });
    await page.locator('.editor-instance .view-lines', { hasText: '"lr"' }).first().waitFor({ timeout: 15_000 });
    await shot('02-f4-config-open');
  });

  let map;
  let before;
  await step(`run "${ANALYZE_TITLE}" from the command palette; the basin map appears`, async () => {
    await runPalette(page, ANALYZE_TITLE);
    map = await findInFrames(page, MAP_SELECTORS, T.map);
    if (!map) throw new Error(`no basin-map canvas (${MAP_SELECTORS.join(', ')}) in any of ${page.frames().length} frames within ${T.map / 1000} s`);
    before = await waitForSettledMap(map, T.map);
    await shot('03-basin-map');
    if (!before || before.opaqueShare < 0.98) throw new Error(`map not fully drawn within ${T.map / 1000} s${before ? `: ${fmt(before)}` : ''}`);
    return `${map.selector}; ${fmt(before)}`;
  });

  await step(`map pixels: ≥ ${MIN_CYAN * 100}% cyan (stable) and ≥ ${MIN_BLUE * 100}% blue (unstable)`, async () => {
    if (before.cyan < MIN_CYAN || before.blue < MIN_BLUE) throw new Error(fmt(before));
    return fmt(before);
  });

  await step('click an unstable (blue) pixel: the loss chart shows its curve (red while unstable)', async () => {
    const target = before.blueAt[Math.floor(before.blueAt.length / 2)] || before.cyanAt[0];
    const position = {
      x: (target[0] + 0.5) * (before.cssWidth / before.width),
      y: (target[1] + 0.5) * (before.cssHeight / before.height),
    };
    await map.frame.locator(map.selector).click({ position });
    const loss = await findInFrames(page, LOSS_SELECTORS, T.chart);
    if (!loss) throw new Error(`no loss chart (${LOSS_SELECTORS.join(', ')}) after the click`);
    const deadline = Date.now() + T.chart;
    let stats = null;
    while (Date.now() < deadline) {
      stats = await canvasStats(loss.frame, loss.selector).catch(() => null);
      if (stats && stats.redPixels >= 20 && (await loss.handle.isVisible())) break;
      await sleep(500);
    }
    await shot('04-trajectory-loss-chart');
    if (!stats || stats.redPixels < 20) throw new Error(`loss chart has no red (unstable) curve: ${stats ? `${stats.redPixels} red pixels, ${stats.opaque} drawn` : 'unreadable'}`);
    return `clicked canvas pixel (${target[0]}, ${target[1]}); loss chart ${stats.width}×${stats.height} with ${stats.redPixels} red pixels`;
  });

  await step(`edit lr to ${NEW_LR} in the editor: the map changes`, async () => {
    // Select the lr value in the editor like a person: find `"lr": `, then select the number.
    const editor = page.locator('.editor-instance .monaco-editor', { hasText: '"lr"' }).first();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+F');
    const find = page.locator('.find-widget textarea, .find-widget input').first();
    await find.waitFor({ state: 'visible', timeout: 10_000 });
    await find.fill('"lr": ');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape'); // leaves the match selected in the editor
    await page.keyboard.press('ArrowRight'); // caret just before the number
    await page.keyboard.press('Shift+End');
    await page.keyboard.type(`${NEW_LR},`);
    await page.locator('.editor-instance .view-lines', { hasText: `"lr": ${NEW_LR}` }).first().waitFor({ timeout: 5_000 });
    await shot('05-lr-edited');
    // Live update first; if the panel waits for a save, save like a user would.
    let after = await waitForChange(page, before, Math.min(30_000, T.mapChange));
    let how = 'live, without saving';
    if (!after) {
      await page.keyboard.press('Control+S');
      after = await waitForChange(page, before, T.mapChange);
      how = 'after saving';
    }
    await shot('06-map-after-lr-edit');
    if (!after) throw new Error(`map did not change within ${(30_000 + T.mapChange) / 1000} s after editing lr`);
    return `${how}; ${(100 * changedShare(before, after)).toFixed(1)}% of pixels changed; now ${fmt(after)}`;
  });
}

async function waitForChange(page, before, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await sleep(1500);
    // The panel may have re-rendered (new canvas, even a new frame): look it up again each time.
    const map = await findInFrames(page, MAP_SELECTORS, 5_000);
    if (!map) continue;
    const now = await canvasStats(map.frame, map.selector).catch(() => null);
    if (now && now.opaqueShare > 0.98 && changedShare(before, now) >= MIN_CHANGED) {
      const settled = await waitForSettledMap(map, timeoutMs);
      if (settled && changedShare(before, settled) >= MIN_CHANGED) return settled;
    }
  }
  return undefined;
}
