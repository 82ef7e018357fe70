/**
 * `gdlab reproduce --eos`'s parts: the report trains the setup on the pool and summarises each
 * run as summarizeEosRun does on a run trained here in one thread; the markdown states those
 * numbers; the figure is drawn (real @napi-rs/canvas raster read back: each η's colour in both
 * panels, the threshold lines in the sharpness panel only) and its SVG carries the labels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComputePool } from '../../../src/compute/pool';
import { atEdge, eosMarkdown, eosReport } from '../../../src/cli/eosReproduce';
import { renderFigure } from '../../../src/cli/figureRender';
import { EOS_SETUP, summarizeEosRun, type EosRunSummary, type EosSetup } from '../../../src/engine/nn/eos';
import { prepareModel } from '../../../src/engine/nn/model';
import { train } from '../../../src/engine/nn/train';
import { EOS_COLORS } from '../../../src/figures/eos';
import { Canvas, loadImage } from '@napi-rs/canvas';
import { buildTestWorker } from '../compute/buildWorker';

/** The experiment, shortened: the same network and data, 400 steps, a learning rate whose 2/η is below the initial sharpness. */
const SHORT: EosSetup = { ...EOS_SETUP, learningRates: [0.1, 0.3], steps: 400 };

test('the report: each run summarised as summarizeEosRun does on an in-thread run; the markdown and the figure say so', { timeout: 120_000 }, async () => {
  const worker = buildTestWorker();
  const pool = new ComputePool({ workers: 2, workerScript: worker.script });
  try {
    const fractions: number[] = [];
    const report = await eosReport(pool, (f) => fractions.push(f), SHORT);
    const built = prepareModel(SHORT.spec);
    assert.ok(built.model);
    const expected = SHORT.learningRates.map((eta) => summarizeEosRun(train(built.model, { learningRates: [eta], steps: SHORT.steps, sharpnessEvery: SHORT.sharpnessEvery, lanczosTol: 1e-5 }).runs[0], SHORT.band));
    assert.deepEqual(report.summary.runs, expected);
    // 2/0.3 = 6.67 is below the sharpness at θ_0: reached at once; 2/0.1 = 20 is not reached in 400 steps
    assert.equal(expected[1].reachedAt, 0);
    assert.equal(expected[0].reachedAt, null);
    assert.equal(report.summary.edgeOfStability, false, 'η = 0.1 never reached 2/η in 400 steps');
    assert.equal(fractions[fractions.length - 1], 1);
    assert.match(report.summary.model, /^tanh MLP 1→32→32→1, 1153 parameters, 64 points labelled by the Chebyshev polynomial T4, mse loss$/);
    const md = report.markdown;
    assert.match(md, /\| 0\.1 \| 20 \| [\d.]+ \| never \| — \|/);
    assert.match(md, new RegExp(`\\| 0\\.3 \\| 6\\.667 \\| [\\d.]+ \\| 0 \\| ${expected[1].ratioMin.toFixed(2)} – ${expected[1].ratioMax.toFixed(2)} \\|`));
    assert.match(md, /does NOT hold for [01] of 2 learning rates/);

    // the figure: a raster read back — η colours in both panels, dashed 2/η lines only on the right
    const png = renderFigure(report.figure, 'png', 1);
    const img = await loadImage(Buffer.from(png));
    const c = new Canvas(img.width, img.height);
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const half = Math.floor(img.width / 2);
    const count = (hex: string, x0: number, x1: number, y1: number): number => {
      const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let y = 0; y < y1; y++) for (let x = x0; x < x1; x++) {
        const i = 4 * (y * img.width + x);
        if (Math.abs(data[i] - rgb[0]) < 30 && Math.abs(data[i + 1] - rgb[1]) < 30 && Math.abs(data[i + 2] - rgb[2]) < 30) n++;
      }
      return n;
    };
    const plotBottom = 78 + 300 + 42; // TOP + panel + x axis (figure units, ratio 1)
    for (const color of EOS_COLORS.slice(0, 2)) {
      assert.ok(count(color, 0, half, plotBottom) > 200, `${color} in the loss panel`);
      assert.ok(count(color, half, img.width, plotBottom) > 200, `${color} in the sharpness panel`);
    }
    // a horizontal run of the η = 0.3 colour across most of the right panel: its 2/η line
    let longest = 0;
    for (let y = 80; y < plotBottom; y++) {
      let n = 0;
      for (let x = half; x < img.width; x++) {
        const i = 4 * (y * img.width + x);
        if (Math.abs(data[i] - 0xff) < 30 && Math.abs(data[i + 1] - 0x7f) < 30 && Math.abs(data[i + 2] - 0x0e) < 40) n++;
      }
      longest = Math.max(longest, n);
    }
    assert.ok(longest > 0.4 * (img.width - half) * 0.5, `the dashed 2/η line of η = 0.3 spans the panel (${longest} px on one row)`);
    const svg = Buffer.from(renderFigure(report.figure, 'svg')).toString('utf8');
    assert.match(svg, /<title>Edge of stability: the sharpness rises to 2\/η/);
    // Skia writes a text run per word and per font (θ, ∇ fall back to another face): the text of
    // every <text>, in order, compared without spaces
    const words = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join('').replace(/\s+/g, '');
    for (const label of ['step k', 'training loss L(θ_k)', 'sharpness λ_max(∇²L(θ_k))', 'η = 0.3 (2/η = 6.667): λ_max reaches 2/η at step 0', 'η = 0.1 (2/η = 20): λ_max stays below 2/η']) {
      assert.ok(words.includes(label.replace(/\s+/g, '')), `the SVG says "${label}"`);
    }
  } finally {
    pool.dispose();
    worker.cleanup();
  }
});

test('the edge-of-stability check: reached, within the band afterwards, and the loss lower at the end than when it got there', () => {
  const base: EosRunSummary = {
    eta: 0.1, threshold: 20, initialSharpness: 10, sharpeningFactor: 2, reachedAt: 100, ratioMin: 0.9, ratioMax: 1.1, staysInBand: true,
    lossInitial: 1, lossAtReach: 0.01, lossFinal: 0.005, increases: 3, K: 400,
  };
  assert.equal(atEdge(base), true);
  assert.equal(atEdge({ ...base, reachedAt: null }), false);
  assert.equal(atEdge({ ...base, staysInBand: false }), false);
  assert.equal(atEdge({ ...base, lossFinal: 0.02 }), false, 'the loss must keep falling overall');
  const md = eosMarkdown({ experiment: 'x', model: 'm', learningRates: [0.1], steps: 500, sharpnessEvery: 10, band: 0.15, runs: [base], edgeOfStability: true }, 1.5);
  assert.match(md, /\| 0\.1 \| 20 \| 10 \| 100 \| 0\.90 – 1\.10 \| 0\.01 → 0\.005 \| 3 \|/);
  assert.match(md, /±15 % of it .*: holds for 1 of 1 learning rates/);
});
