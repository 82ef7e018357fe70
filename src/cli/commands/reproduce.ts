/**
 * `gdlab reproduce`: recomputes the paper's Figure 2 (f1–f4: landscape + five learning rates
 * rising to the threshold) and Figure 3 (f4's unstable and stable trajectories with their loss
 * curves) from the built-in examples, with the same engine and worker pool as the extension.
 *
 * Writes into --out (default out/reproduce): one PNG per panel, figure2.png and figure3.png
 * (composed), summary.json, summary.md and a self-contained report.html (no network).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeProblem, type AnalyzedProblem } from '../../engine/analyze';
import { DEFAULT_CLASSIFY } from '../../engine/classify';
import { FIGURE2_FRACTIONS, FIGURE3, PAPER_FUNCTIONS, paperSpec, type PaperFunction } from '../../engine/paper';
import type { CertificateResult, SliceSpec } from '../../engine/types';
import { ComputePool } from '../../compute/pool';
import { encodePng, renderClassMap } from '../../shared/encode';
import { intOption, parseArgs, UsageError } from '../args';
import { Raster, viridis, type Rgb } from '../raster';
import { Progress } from '../progress';

const HELP = `Usage: gdlab reproduce [--out out/reproduce] [--grid 256] [--max-iter 2000] [--workers N]

Recomputes the paper's Figure 2 (f1–f4, five learning rates rising to the threshold 2/λ_max) and
Figure 3 (f4 at η = 0.25: an unstable and a stable trajectory with their loss curves).
Writes one PNG per panel, figure2.png, figure3.png, summary.json, summary.md and report.html.`;

interface MapRow {
  function: string;
  expression: string;
  eta: number;
  etaFraction: number;
  etaMax: number;
  paperEtaMax: number;
  stable: number;
  unstable: number;
  diverged: number;
  notConverged: number;
  other: number;
  unstableShareOfConverging: number;
  certifiedRadius: number | null;
  certificateNote: string | null;
  png: string;
  seconds: number;
}

interface TrajectorySummary {
  label: string;
  init: number[];
  outcome: string;
  K: number;
  increases: number;
  steps: number;
  finalPoint: number[];
  finalLoss: number;
  /** f(θ_k) − f(θ*) per step (θ* the minimum it converged to) */
  loss: number[];
  unstableUntil: number;
}

const CYAN: Rgb = [0, 200, 220];
/** Steps shown in Figure 3's loss curves (more when the unstable phase is longer). */
const LOSS_STEPS_SHOWN = 60;
const RED: Rgb = [220, 30, 30];
const BLACK: Rgb = [0, 0, 0];
const GREY: Rgb = [150, 150, 150];

/** Writes a file atomically (temp + rename), so no half-written output survives a failure. */
function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function sliceFor(f: PaperFunction, grid: number): SliceSpec {
  return { axes: [0, 1], base: [0, 0], xRange: f.domain[0], yRange: f.domain[1], width: grid, height: grid };
}

/** Pixel ↔ coordinate mapping of a slice (pixel centres; top row = largest y). */
function toPixel(slice: SliceSpec, px: number, py: number, x: number, y: number): [number, number] {
  const u = ((x - slice.xRange[0]) / (slice.xRange[1] - slice.xRange[0])) * px;
  const v = ((slice.yRange[1] - y) / (slice.yRange[1] - slice.yRange[0])) * py;
  return [u, v];
}

/** The landscape: log-scaled f with contour bands and the minima marked. */
function landscape(problem: AnalyzedProblem, slice: SliceSpec, size: number): Raster {
  const out = new Raster(size, size);
  const values = new Float64Array(size * size);
  const fmin = Math.min(...problem.minima.map((m) => m.value));
  const point = [0, 0];
  let hi = -Infinity;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      point[0] = slice.xRange[0] + ((c + 0.5) * (slice.xRange[1] - slice.xRange[0])) / size;
      point[1] = slice.yRange[1] - ((r + 0.5) * (slice.yRange[1] - slice.yRange[0])) / size;
      const v = Math.log1p(Math.max(0, problem.compiled.value(point) - fmin));
      values[r * size + c] = v;
      if (Number.isFinite(v) && v > hi) hi = v;
    }
  }
  const levels = 14;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const t = values[r * size + c] / (hi || 1);
      const band = Math.floor(t * levels);
      const right = c + 1 < size ? Math.floor((values[r * size + c + 1] / (hi || 1)) * levels) : band;
      const down = r + 1 < size ? Math.floor((values[(r + 1) * size + c] / (hi || 1)) * levels) : band;
      out.set(c, r, band !== right || band !== down ? [255, 255, 255] : viridis(t), band !== right || band !== down ? 0.55 : 1);
    }
  }
  for (const m of problem.minima) {
    const [u, v] = toPixel(slice, size, size, m.point[0], m.point[1]);
    out.disc(u, v, Math.max(2, size / 90), [255, 60, 60]);
  }
  return out;
}

/** A basin map in the paper's colours, with the certified regions outlined and minima marked. */
function mapRaster(rgba: Uint8Array, slice: SliceSpec, problem: AnalyzedProblem, certificates: CertificateResult[]): Raster {
  const img = new Raster(slice.width, slice.height, [255, 255, 255], rgba);
  const pxPerUnit = slice.width / (slice.xRange[1] - slice.xRange[0]);
  for (const cert of certificates) {
    if (!cert.ok) continue;
    const [u, v] = toPixel(slice, slice.width, slice.height, cert.certificate.center[0], cert.certificate.center[1]);
    img.circle(u, v, Math.max(1.5, cert.certificate.tPrime * pxPerUnit), BLACK, 1);
  }
  for (const m of problem.minima) {
    const [u, v] = toPixel(slice, slice.width, slice.height, m.point[0], m.point[1]);
    img.disc(u, v, Math.max(1.5, slice.width / 128), [230, 40, 40]);
  }
  return img;
}

/** Suboptimality f(θ_k) − f(θ*) per step on a log axis: red while unstable (k ≤ K), black after. */
function lossChart(loss: ArrayLike<number>, unstableUntil: number, width: number, height: number): Raster {
  const img = new Raster(width, height);
  const pad = 12;
  const n = loss.length;
  const logs = Array.from(loss, (v) => Math.log10(Math.max(v, 1e-300)));
  const finite = logs.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const span = hi - lo || 1;
  const px = (k: number) => pad + ((width - 2 * pad) * k) / Math.max(1, n - 1);
  const py = (v: number) => height - pad - ((height - 2 * pad) * (v - lo)) / span;
  img.strokeRect(pad - 1, pad - 1, width - 2 * pad + 2, height - 2 * pad + 2, GREY);
  for (let k = 1; k < n; k++) {
    if (!Number.isFinite(logs[k]) || !Number.isFinite(logs[k - 1])) continue;
    img.line(px(k - 1), py(logs[k - 1]), px(k), py(logs[k]), k <= unstableUntil ? RED : BLACK, 2);
  }
  if (unstableUntil > 0) img.line(px(unstableUntil), pad, px(unstableUntil), height - pad, GREY);
  return img;
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const args = parseArgs(argv, { values: ['out', 'grid', 'max-iter', 'workers'] });
  if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}' (reproduce takes only options)`);
  const outDir = resolve(args.options.get('out') ?? 'out/reproduce');
  const grid = intOption(args, 'grid', 256, 16, 2048);
  const maxSteps = intOption(args, 'max-iter', DEFAULT_CLASSIFY.maxSteps, 10, 1_000_000);
  const workers = intOption(args, 'workers', Math.max(1, cpus().length), 1, 64);
  mkdirSync(outDir, { recursive: true });

  const classify = { ...DEFAULT_CLASSIFY, maxSteps };
  const pool = new ComputePool({ workers });
  const progress = new Progress(PAPER_FUNCTIONS.length * FIGURE2_FRACTIONS.length * grid + 2, 'reproduce');
  const started = performance.now();
  const rows: MapRow[] = [];
  const thumbs: Raster[][] = [];
  const thumb = 160;
  try {
    for (const f of PAPER_FUNCTIONS) {
      const spec = paperSpec(f);
      const problem = analyzeProblem(spec);
      if (problem.minima.length === 0) throw new Error(`${f.id}: no minimum found in the window`);
      const etaMax = Math.min(...problem.minima.map((m) => m.etaMax ?? Infinity));
      const slice = sliceFor(f, grid);
      const land = landscape(problem, slice, grid);
      writeAtomic(join(outDir, `${f.id}-landscape.png`), encodePng(land.data, grid, grid));
      const rowThumbs = [land.scaled(thumb, thumb)];
      for (const fraction of FIGURE2_FRACTIONS) {
        const eta = fraction * etaMax;
        const t0 = performance.now();
        let rowsSeen = 0;
        const classes = new Uint8Array(grid * grid);
        const minimum = new Int8Array(grid * grid);
        const result = await pool.basin({ spec, slice, eta, classify }, (chunk) => {
          classes.set(chunk.classes, chunk.rowStart * grid);
          minimum.set(chunk.minimum, chunk.rowStart * grid);
          progress.tick(chunk.rowEnd - chunk.rowStart, `${f.id} η=${eta.toPrecision(3)}`);
          rowsSeen += chunk.rowEnd - chunk.rowStart;
        });
        if (rowsSeen !== grid) throw new Error(`internal: ${f.id} map received ${rowsSeen} of ${grid} rows`);
        const rgba = renderClassMap(classes, minimum, grid, grid, 'paper');
        const img = mapRaster(rgba, slice, problem, result.certificates);
        const png = `${f.id}-eta${fraction.toFixed(2)}.png`;
        writeAtomic(join(outDir, png), encodePng(img.data, grid, grid));
        rowThumbs.push(img.scaled(thumb, thumb));
        const s = result.stats;
        const converging = s.stable + s.unstable;
        const cert = result.certificates.find((c) => c.ok);
        const failed = result.certificates.find((c) => !c.ok);
        rows.push({
          function: f.id,
          expression: f.expression,
          eta,
          etaFraction: fraction,
          etaMax,
          paperEtaMax: f.etaMax,
          stable: s.stable,
          unstable: s.unstable,
          diverged: s.diverged,
          notConverged: s.notConverged,
          other: s.other,
          unstableShareOfConverging: converging > 0 ? s.unstable / converging : 0,
          certifiedRadius: cert && cert.ok ? cert.certificate.tPrime : null,
          certificateNote: failed && !failed.ok ? failed.reason : null,
          png,
          seconds: (performance.now() - t0) / 1000,
        });
      }
      thumbs.push(rowThumbs);
    }

    // Figure 3: f4 at η = 0.25, the two starts.
    const f4 = PAPER_FUNCTIONS.find((f) => f.id === FIGURE3.functionId) as PaperFunction;
    const spec4 = paperSpec(f4);
    const problem4 = analyzeProblem(spec4);
    const slice4 = sliceFor(f4, grid);
    const classes4 = new Uint8Array(grid * grid);
    const minimum4 = new Int8Array(grid * grid);
    const map4 = await pool.basin({ spec: spec4, slice: slice4, eta: FIGURE3.eta, classify }, (chunk) => {
      classes4.set(chunk.classes, chunk.rowStart * grid);
      minimum4.set(chunk.minimum, chunk.rowStart * grid);
    });
    progress.tick(1, 'figure 3 map');
    const trajImg = mapRaster(renderClassMap(classes4, minimum4, grid, grid, 'paper'), slice4, problem4, map4.certificates);
    const trajectories: TrajectorySummary[] = [];
    const lossImgs: Raster[] = [];
    for (const start of FIGURE3.starts) {
      const t = await pool.trajectory({ spec: spec4, eta: FIGURE3.eta, init: start.init, classify, tailSteps: LOSS_STEPS_SHOWN });
      const unstableUntil = t.outcome.kind === 'unstable' ? t.K : 0;
      for (let k = 1; k <= t.steps; k++) {
        const [u0, v0] = toPixel(slice4, grid, grid, t.theta[(k - 1) * 2], t.theta[(k - 1) * 2 + 1]);
        const [u1, v1] = toPixel(slice4, grid, grid, t.theta[k * 2], t.theta[k * 2 + 1]);
        trajImg.line(u0, v0, u1, v1, k <= unstableUntil ? RED : BLACK, 2);
      }
      const [su, sv] = toPixel(slice4, grid, grid, start.init[0], start.init[1]);
      trajImg.disc(su, sv, 3, start.label === 'unstable' ? RED : BLACK);
      const fStar = t.outcome.kind === 'stable' || t.outcome.kind === 'unstable' ? problem4.minima[t.outcome.minimum].value : 0;
      // Plot the first steps only (the paper's Figure 3 shows the transient, not the long tail).
      const shown = Math.min(t.steps + 1, Math.max(LOSS_STEPS_SHOWN, 4 * t.K));
      const gap = Array.from(t.loss.subarray(0, shown), (v) => v - fStar);
      const lossImg = lossChart(gap, unstableUntil, grid, grid);
      lossImgs.push(lossImg);
      writeAtomic(join(outDir, `figure3-loss-${start.label}.png`), encodePng(lossImg.data, grid, grid));
      trajectories.push({
        label: start.label,
        init: start.init,
        outcome: t.outcome.kind,
        K: t.K,
        increases: t.increases,
        steps: t.steps,
        finalPoint: Array.from(t.theta.subarray(t.steps * 2, t.steps * 2 + 2)),
        finalLoss: t.loss[t.steps],
        loss: gap,
        unstableUntil,
      });
    }
    writeAtomic(join(outDir, 'figure3-trajectories.png'), encodePng(trajImg.data, grid, grid));
    progress.tick(1, 'figure 3 trajectories');

    // Composed figures.
    const margin = 6;
    const cols = 1 + FIGURE2_FRACTIONS.length;
    const fig2 = new Raster(cols * thumb + (cols + 1) * margin, thumbs.length * thumb + (thumbs.length + 1) * margin);
    thumbs.forEach((row, r) => row.forEach((img, c) => fig2.blit(img, margin + c * (thumb + margin), margin + r * (thumb + margin))));
    writeAtomic(join(outDir, 'figure2.png'), encodePng(fig2.data, fig2.width, fig2.height));
    const fig3 = new Raster(3 * grid + 4 * margin, grid + 2 * margin);
    [trajImg, ...lossImgs].forEach((img, c) => fig3.blit(img, margin + c * (grid + margin), margin));
    writeAtomic(join(outDir, 'figure3.png'), encodePng(fig3.data, fig3.width, fig3.height));

    const totalSeconds = (performance.now() - started) / 1000;
    progress.done();
    const summary = {
      paper: 'On the Unstable Convergence Regime of Gradient Descent (Chen, Peng, Li, Zhao, AAAI 2024)',
      grid,
      maxSteps,
      workers,
      classify,
      totalSeconds,
      functions: PAPER_FUNCTIONS.map((f) => ({ id: f.id, expression: f.expression, domain: f.domain, paperEtaMax: f.etaMax, paperLambdaMax: f.lambdaMax })),
      figure2: rows,
      figure3: { function: f4.id, eta: FIGURE3.eta, trajectories: trajectories.map(({ loss: _loss, ...rest }) => rest) },
    };
    writeAtomic(join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    writeAtomic(join(outDir, 'summary.md'), markdownTable(rows, trajectories, totalSeconds, grid, workers));
    writeAtomic(join(outDir, 'report.html'), reportHtml(outDir, rows, trajectories, grid, totalSeconds));
    process.stdout.write(markdownTable(rows, trajectories, totalSeconds, grid, workers));
    process.stdout.write(`\nWrote ${rows.length + 4 + 3} PNGs, summary.json, summary.md and report.html to ${outDir}\n`);
    return 0;
  } finally {
    progress.done();
    pool.dispose();
  }
}

function markdownTable(rows: MapRow[], trajectories: TrajectorySummary[], seconds: number, grid: number, workers: number): string {
  const lines = [
    `# Reproduction of Figures 2 and 3`,
    '',
    `Grid ${grid}×${grid}, ${workers} worker(s), ${seconds.toFixed(1)} s in all.`,
    '',
    '| function | η | η/η_max | η_max (computed / paper) | stable | unstable | diverged | not converged | other | unstable share of converging | certified radius t′ |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      `| ${r.function} | ${r.eta.toPrecision(4)} | ${r.etaFraction.toFixed(2)} | ${r.etaMax.toPrecision(6)} / ${r.paperEtaMax.toPrecision(6)} | ${pct(r.stable)} | ${pct(r.unstable)} | ${pct(r.diverged)} | ${pct(r.notConverged)} | ${pct(r.other)} | ${pct(r.unstableShareOfConverging)} | ${r.certifiedRadius === null ? `— (${r.certificateNote ?? 'none'})` : r.certifiedRadius.toPrecision(3)} |`,
    ),
    '',
    `Figure 3 (f4, η = ${FIGURE3.eta}):`,
    '',
    '| start | outcome | K (unstable phase) | loss increases | final point | final loss |',
    '|---|---|---|---|---|---|',
    ...trajectories.map((t) => `| (${t.init.join(', ')}) | ${t.outcome} | ${t.K} | ${t.increases} | (${t.finalPoint.map((v) => v.toFixed(5)).join(', ')}) | ${t.finalLoss.toPrecision(6)} |`),
    '',
  ];
  return lines.join('\n');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** An inline SVG line chart of the loss (log scale), red while unstable and black after. */
function lossSvg(t: TrajectorySummary): string {
  const w = 420;
  const h = 220;
  const pad = 36;
  const logs = t.loss.map((v) => Math.log10(Math.max(v, 1e-300)));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const span = hi - lo || 1;
  const x = (k: number) => pad + ((w - pad - 8) * k) / Math.max(1, logs.length - 1);
  const y = (v: number) => h - pad - ((h - pad - 8) * (v - lo)) / span;
  const pts = (from: number, to: number) => logs.slice(from, to + 1).map((v, i) => `${x(from + i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const red = t.unstableUntil > 0 ? `<polyline fill="none" stroke="#d62020" stroke-width="2" points="${pts(0, t.unstableUntil)}"/>` : '';
  const black = `<polyline fill="none" stroke="#000" stroke-width="2" points="${pts(t.unstableUntil, logs.length - 1)}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="f(θ_k) − f(θ*) per step (log scale) from (${t.init.join(', ')})">
<rect x="${pad}" y="8" width="${w - pad - 8}" height="${h - pad - 8}" fill="none" stroke="#999"/>
${red}${black}
<text x="${pad}" y="${h - 10}" font-size="12">step 0</text><text x="${w - 60}" y="${h - 10}" font-size="12">step ${logs.length - 1}</text>
<text x="2" y="16" font-size="11">${(10 ** hi).toPrecision(3)}</text><text x="2" y="${h - pad}" font-size="11">${(10 ** lo).toPrecision(3)}</text>
</svg>`;
}

function reportHtml(outDir: string, rows: MapRow[], trajectories: TrajectorySummary[], grid: number, seconds: number): string {
  // Images are read back and inlined as data: URIs so the report is one self-contained file.
  const inline = (file: string) => `data:image/png;base64,${readBase64(join(outDir, file))}`;
  const byFunction = new Map<string, MapRow[]>();
  for (const r of rows) byFunction.set(r.function, [...(byFunction.get(r.function) ?? []), r]);
  const figure2 = [...byFunction.entries()]
    .map(([id, rs]) => {
      const f = PAPER_FUNCTIONS.find((p) => p.id === id) as PaperFunction;
      const cells = rs
        .map((r) => `<figure><img src="${inline(r.png)}" width="180" height="180" alt="${id} basin map at η = ${r.eta.toPrecision(3)}"><figcaption>η = ${r.eta.toPrecision(3)} (${r.etaFraction}·η_max)<br>stable ${pct(r.stable)} · unstable ${pct(r.unstable)}</figcaption></figure>`)
        .join('');
      return `<h3>${escapeHtml(f.title)} — η_max = ${rs[0].etaMax.toPrecision(6)} (paper ${f.etaMax.toPrecision(6)})</h3><div class="row"><figure><img src="${inline(`${id}-landscape.png`)}" width="180" height="180" alt="${id} landscape"><figcaption>landscape, window ${escapeHtml(JSON.stringify(f.domain))}</figcaption></figure>${cells}</div>`;
    })
    .join('\n');
  const figure3 = trajectories
    .map((t) => `<figure>${lossSvg(t)}<figcaption>f(θ_k) − f(θ*), log scale. Start (${t.init.join(", ")}): ${t.outcome}, K = ${t.K}, ${t.increases} loss increase(s)</figcaption></figure>`)
    .join('');
  const table = rows
    .map((r) => `<tr><td>${r.function}</td><td>${r.eta.toPrecision(4)}</td><td>${r.etaFraction}</td><td>${pct(r.stable)}</td><td>${pct(r.unstable)}</td><td>${pct(r.diverged)}</td><td>${pct(r.notConverged)}</td><td>${r.certifiedRadius === null ? '—' : r.certifiedRadius.toPrecision(3)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>GD Stability Lab — reproduction of Figures 2 and 3</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:1300px}.row{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0}figcaption{font-size:12px;color:#444;max-width:180px}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle;border:1px solid #888}</style></head>
<body>
<h1>On the Unstable Convergence Regime of Gradient Descent — Figures 2 and 3, recomputed</h1>
<p>Grid ${grid}×${grid}, ${seconds.toFixed(1)} s. <span class="legend"><span style="background:rgb(${CYAN.join(',')})"></span>stable (loss falls at every step)<span style="background:#1f3cc8"></span>unstable (loss rises at least once, then converges)<span style="background:#fff"></span>diverged / not converged / other</span>. Black circles: the certified forward-invariant regions of Theorem 2; red dots: minima.</p>
<h2>Figure 2</h2>
${figure2}
<h2>Figure 3 — f4, η = ${FIGURE3.eta}</h2>
<div class="row"><figure><img src="${inline('figure3-trajectories.png')}" width="360" height="360" alt="trajectories on the f4 basin map"><figcaption>red: unstable phase, black: stable phase</figcaption></figure>${figure3}</div>
<h2>Fractions</h2>
<table><tr><th>f</th><th>η</th><th>η/η_max</th><th>stable</th><th>unstable</th><th>diverged</th><th>not converged</th><th>t′</th></tr>
${table}</table>
</body></html>
`;
}

function readBase64(path: string): string {
  return readFileSync(path).toString('base64');
}
