/* global document, Event */
// The optimizer selector and the side-by-side view, driven like a person in the real workbench
// (called by ui-specs.mjs with the f4 panel open): η = 0.25, then heavy-ball β = 0.9 from the
// optimizer menu — the map is recomputed and its stable (cyan) share vanishes while unstable
// (blue) starts remain (README: heavy-ball 0.9 at 0.25 η_max on f4: stable 0%, unstable 36%); the
// legend states the share of starts whose loss rose and the round-off guard; the "number of loss
// increases" layer colours the converged starts; then GD as the second optimizer of the charted
// start: both loss curves (red while unstable) and both sharpness charts draw, one summary each.
import { canvasStats, changedShare, findInFrames, fmt, MAP_SELECTORS, sleep, typeEta, until, waitForSettledMap } from './ui-specs.mjs';

const ETA = 0.25;

/** Chooses an entry of a vscode-single-select like a person (click, then the option); falls back to the element's value. */
async function choose(frame, id, label, value) {
  try {
    await frame.locator(`#${id}`).scrollIntoViewIfNeeded();
    await frame.locator(`#${id}`).click({ timeout: 5_000 });
    await frame.getByRole('option', { name: label, exact: true }).first().click({ timeout: 5_000 });
  } catch { /* the menu did not open: set it as the keyboard would */ }
  const now = await frame.evaluate((i) => document.getElementById(i).value, id);
  if (now === value) return 'clicked in the menu';
  await frame.locator(`#${id}`).press('Escape').catch(() => {});
  await frame.evaluate(([i, v]) => {
    const s = document.getElementById(i);
    s.value = v;
    s.dispatchEvent(new Event('change'));
  }, [id, value]);
  return 'set through the element';
}

/** Red and dark pixels, and all opaque ones, of a chart canvas. */
async function chartPixels(frame, id) {
  return frame.evaluate((i) => {
    const c = document.getElementById(i);
    if (!c || !c.width) return null;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let red = 0, dark = 0, drawn = 0;
    for (let p = 0; p < d.length; p += 4) {
      if (d[p + 3] < 128) continue;
      drawn++;
      if (d[p] > 150 && d[p + 1] < 90 && d[p + 2] < 90) red++;
      else if (d[p] < 60 && d[p + 1] < 60 && d[p + 2] < 60) dark++;
    }
    return { red, dark, drawn, visible: c.getBoundingClientRect().height > 0 };
  }, id);
}

export async function optimizerSpecs({ page, shot, step, T }) {
  let frame;
  let gd;
  let hb;
  await step(`η = ${ETA}, then heavy-ball β = 0.9 from the optimizer menu: the map is recomputed, no stable (cyan) start is left, unstable (blue) ones remain`, async () => {
    const map = await findInFrames(page, MAP_SELECTORS, 10_000);
    if (!map) throw new Error('no panel frame');
    frame = map.frame;
    await typeEta(frame, ETA);
    gd = await waitForSettledMap(page, T.map, ETA);
    if (!gd || !gd.reported) throw new Error(`no GD map at η = ${ETA}${gd ? `: ${fmt(gd)}` : ''}`);
    const how = await choose(frame, 'optimizer-select', 'heavy-ball momentum', 'momentum');
    const beta = await frame.evaluate(() => document.getElementById('optimizer-beta')?.value);
    if (beta !== '0.9') throw new Error(`the β field shows ${JSON.stringify(beta)}, not the default 0.9`);
    hb = await waitForSettledMap(page, T.map, ETA, (s) => changedShare(gd, s) > 0.2);
    await frame.locator('#optimizer-row').scrollIntoViewIfNeeded();
    await shot('30-heavy-ball-map');
    if (!hb || !hb.reported) throw new Error(`no heavy-ball map${hb ? `: ${fmt(hb)}` : ''}`);
    if (hb.reported.stable !== 0) throw new Error(`the panel reports ${(100 * hb.reported.stable).toFixed(1)}% stable under heavy-ball 0.9`);
    if (!(hb.cyan < 0.005)) throw new Error(`cyan (stable) pixels left: ${fmt(hb)}`);
    if (!(hb.blue > 0.1)) throw new Error(`too few blue (unstable) pixels: ${fmt(hb)}`);
    if (!(gd.cyan > 0.3)) throw new Error(`the GD map had no stable share to lose: ${fmt(gd)}`);
    const ui = await frame.evaluate(() => ({
      rule: document.getElementById('optimizer-rule').textContent,
      chips: Array.from(document.querySelectorAll('#eta-chips button')).map((b) => b.textContent),
      legend: document.getElementById('legend').textContent,
    }));
    if (!/2\(1\+β\)\/η = 3\.8\/η; η_max = 1$/.test(ui.rule)) throw new Error(`threshold text: "${ui.rule}"`);
    if (!ui.chips.includes('η_max = 1')) throw new Error(`chips: ${ui.chips.join(', ')}`);
    return `${how}; GD: ${fmt(gd)} → heavy-ball: ${(100 * changedShare(gd, hb)).toFixed(1)}% of pixels changed, ${fmt(hb)}; "${ui.rule}"`;
  });

  await step('the legend under heavy-ball: the share of starts whose loss rose, the increases per converged start, the guard, the momentum certificate', async () => {
    const legend = await frame.evaluate(() => Array.from(document.querySelectorAll('#legend .legend-note')).map((n) => n.textContent));
    const rose = legend.map((t) => /loss rose at least once: ([\d.]+)% of starts/.exec(t)).find(Boolean);
    if (!rose) throw new Error(`no loss-increase share in the legend: ${legend.join(' | ')}`);
    if (!(Number(rose[1]) > 90)) throw new Error(`under heavy-ball 0.9 almost every start has an increase, the legend says ${rose[1]}%`);
    const per = legend.find((t) => /increases per converged start: mean [\d.]+, median [\d.]+/.test(t));
    if (!per) throw new Error(`no mean / median increases: ${legend.join(' | ')}`);
    const guard = legend.find((t) => t.includes('round-off guard'));
    if (!guard) throw new Error(`the guard is not stated: ${legend.join(' | ')}`);
    const cert = legend.find((t) => t.includes('momentum certificate'));
    if (!cert) throw new Error(`no word on the momentum certificate: ${legend.join(' | ')}`);
    return `${rose[0]}; ${per}; ${cert.slice(0, 80)}…`;
  });

  await step('"Number of loss increases" layer: the converged starts in heat-map colours, the blue and cyan class colours gone', async () => {
    const how = await choose(frame, 'layer-select', 'Number of loss increases', 'increases');
    const px = await until('the layer drawn', 20_000, async () => {
      const s = await canvasStats(frame, MAP_SELECTORS[0]);
      return { ok: s && s.blue < 0.01, s, detail: s && fmt(s) };
    });
    await shot('31-loss-increase-layer');
    const note = await frame.evaluate(() => Array.from(document.querySelectorAll('#legend .legend-note')).map((n) => n.textContent).find((t) => t.startsWith('loss increases per converged start')));
    if (!note) throw new Error('no colour-bar note for the layer');
    await choose(frame, 'layer-select', 'Outcome', 'class');
    return `${how}; blue ${(100 * px.s.blue).toFixed(2)}% of the converging region; "${note}"`;
  });

  await step('side by side: the charted start under heavy-ball (A) and GD (B) — both loss curves red while unstable, each sharpness against its own line, one summary each', async () => {
    const how = await choose(frame, 'compare-select', 'gradient descent', 'gd');
    const got = await until('both runs charted', T.chart * 2, async () => {
      const v = await frame.evaluate(() => ({
        hidden: document.getElementById('compare-charts').hidden,
        lines: Array.from(document.querySelectorAll('#compare-summary li')).map((l) => l.textContent),
      }));
      const loss = await chartPixels(frame, 'compare-loss-chart');
      const a = await chartPixels(frame, 'compare-sharpness-a');
      const b = await chartPixels(frame, 'compare-sharpness-b');
      const ok = !v.hidden && v.lines.length === 2 && v.lines.every((l) => /steps, K = \d+/.test(l)) && loss && loss.red > 30 && a && a.drawn > 500 && b && b.drawn > 500;
      return { ok, v, loss, a, b, detail: JSON.stringify({ v, loss, a, b }) };
    });
    await frame.locator('#compare-section').scrollIntoViewIfNeeded();
    await sleep(300);
    await shot('32-side-by-side-charts');
    const [la, lb] = got.v.lines;
    if (!la.startsWith('—— A (solid on the map): heavy-ball momentum (β = 0.9): ')) throw new Error(`summary A: ${la}`);
    if (!lb.startsWith('- - B (dashed, square start): gradient descent: ')) throw new Error(`summary B: ${lb}`);
    const legends = await frame.evaluate(() => document.getElementById('compare-section').textContent);
    await frame.locator('#basin-canvas').scrollIntoViewIfNeeded();
    await sleep(300);
    await shot('33-side-by-side-map');
    const mapLegend = await frame.evaluate(() => document.getElementById('compare-map-legend').textContent);
    if (!mapLegend.includes('- - - B gradient descent (square start)')) throw new Error(`map legend: "${mapLegend}"`);
    return `${how}; ${la}; ${lb}; loss chart ${got.loss.red} red px, sharpness charts ${got.a.drawn} / ${got.b.drawn} px drawn${legends.includes('each sharpness against its own threshold line') ? '' : ' (note missing)'}`;
  });

  await step('side by side with Adam as B: its preconditioned sharpness charted against (2+2β₁)/((1−β₁)η), its summary names it', async () => {
    const how = await choose(frame, 'compare-select', 'Adam', 'adam');
    const got = await until('the Adam run charted', T.chart * 2, async () => {
      const lines = await frame.evaluate(() => Array.from(document.querySelectorAll('#compare-summary li')).map((l) => l.textContent));
      const b = await chartPixels(frame, 'compare-sharpness-b');
      const ok = lines.length === 2 && lines[1].startsWith('- - B (dashed, square start): Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, bias correction on): ') && /steps, K = \d+/.test(lines[1]) && b && b.drawn > 500;
      return { ok, lines, b, detail: JSON.stringify({ lines, b }) };
    });
    await frame.locator('#compare-charts').scrollIntoViewIfNeeded();
    await sleep(300);
    await shot('34-side-by-side-adam');
    return `${how}; ${got.lines[1]}`;
  });
}
