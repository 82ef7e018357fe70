/**
 * `gdlab reproduce`: recomputes the paper's Figure 2 (f1–f4: landscape + five learning rates
 * rising to the threshold) and Figure 3 (f4's unstable and stable trajectories with their loss
 * curves) with the same engine and worker pool as the extension, and draws them as composed,
 * labelled figures (src/figures, rendered by @napi-rs/canvas) in PNG, SVG and PDF.
 *
 * Writes into --out (default out/reproduce): each panel's raw map at grid resolution (PNG),
 * figure2.{png,svg,pdf}, figure3.{png,svg,pdf}, summary.json, summary.md and a self-contained
 * report.html (no network). With --eos also the edge-of-stability experiment on a network
 * (eosReproduce.ts): eos.{png,svg,pdf} and its summary.
 */
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeProblem } from '../../engine/analyze';
import { DEFAULT_CLASSIFY } from '../../engine/classify';
import { defaultSweepEtas, type SweepPoint } from '../../engine/sweep';
import { FIGURE2_FRACTIONS, FIGURE3, PAPER_FUNCTIONS, paperSpec, type PaperFunction } from '../../engine/paper';
import type { SliceSpec } from '../../engine/types';
import { ComputePool } from '../../compute/pool';
import { encodePng } from '../../shared/encode';
import { figureClasses } from '../../figures/classes';
import { figure2Spec, type Figure2Row } from '../../figures/figure2';
import { figure3Spec } from '../../figures/figure3';
import { intOption, numberOption, parseArgs, UsageError } from '../args';
import { computeMap, computeRow, figureTrajectory, minimaOnMap, type ComputedMap } from '../figureData';
import { FIGURE_FORMATS, pixelRatioFor, renderFigure } from '../figureRender';
import { Progress } from '../progress';
import { writeAtomic } from '../problemInput';
import { markdownSummary, paperClaims, reportHtml, type MapRow, type TrajectorySummary } from '../report';
import { eosReport, type EosReport } from '../eosReproduce';

const HELP = `Usage: gdlab reproduce [--out out/reproduce] [--grid 256] [--scale 1] [--max-iter 2000] [--workers N] [--eos]

Recomputes the paper's Figure 2 (f1–f4, five learning rates rising to the threshold 2/λ_max) and
Figure 3 (f4 at η = 0.25: an unstable and a stable trajectory with their loss curves).
Writes figure2.{png,svg,pdf}, figure3.{png,svg,pdf}, each panel's map at grid resolution (PNG),
summary.json, summary.md and a self-contained report.html.

Options:
  --grid N       map pixels per side (default 256); PNG figures get at least one pixel per map pixel
  --scale s      PNG resolution multiplier (default 1; 2 for print)
  --max-iter N   GD steps before a start counts as not converged (default 2000)
  --workers N    worker threads (default: all cores)
  --eos          also the edge of stability on a network: a tanh MLP trained by GD at three learning
                 rates (eos.{png,svg,pdf}: loss and sharpness against 2/η; its lines in the summary)`;

/** Steps kept after the engine's convergence decision, so the loss curve shows the final descent. */
const TAIL_STEPS = 300;
/** Grid of the learning-rate sweeps in report.html (20 η per function). */
const SWEEP_GRID = 64;

function sliceFor(f: PaperFunction, grid: number): SliceSpec {
  return { axes: [0, 1], base: [0, 0], xRange: f.domain[0], yRange: f.domain[1], width: grid, height: grid };
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const args = parseArgs(argv, { values: ['out', 'grid', 'max-iter', 'workers', 'scale'], flags: ['eos'] });
  const withEos = args.options.has('eos');
  if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}' (reproduce takes only options)`);
  const outDir = resolve(args.options.get('out') ?? 'out/reproduce');
  const grid = intOption(args, 'grid', 256, 16, 2048);
  const maxSteps = intOption(args, 'max-iter', DEFAULT_CLASSIFY.maxSteps, 10, 1_000_000);
  const workers = intOption(args, 'workers', Math.max(1, cpus().length), 1, 64);
  const scale = numberOption(args, 'scale', 1) as number;
  if (!(scale >= 0.25 && scale <= 8)) throw new UsageError(`--scale must be a number from 0.25 to 8, got '${args.options.get('scale')}'`);
  mkdirSync(outDir, { recursive: true });

  const classify = { ...DEFAULT_CLASSIFY, maxSteps };
  const classes = figureClasses();
  const pool = new ComputePool({ workers });
  const EOS_UNITS = 100;
  const progress = new Progress(PAPER_FUNCTIONS.length * (FIGURE2_FRACTIONS.length * grid + 1) + grid + 2 + (withEos ? EOS_UNITS : 0), 'reproduce');
  const written: string[] = [];
  const write = (name: string, data: Uint8Array | string) => {
    writeAtomic(join(outDir, name), data);
    written.push(name);
  };
  const started = performance.now();
  try {
    const rows: MapRow[] = [];
    const figureRows: Figure2Row[] = [];
    const sweeps = new Map<string, SweepPoint[]>();
    for (const f of PAPER_FUNCTIONS) {
      const problem = analyzeProblem(paperSpec(f));
      const spec = problem.spec; // carries the parsed objective (and its critical points) for the workers
      if (problem.minima.length === 0) throw new Error(`${f.id}: no minimum found in the window`);
      const etaMax = Math.min(...problem.minima.map((m) => m.etaMax ?? Infinity));
      const slice = sliceFor(f, grid);
      const etas = FIGURE2_FRACTIONS.map((fraction) => ({ eta: fraction * etaMax, fraction }));
      const { row, maps } = await computeRow(pool, problem, slice, etas, classify, classes, { name: f.id, formula: f.title.replace(/^f\d = /, '') }, (n, what) => progress.tick(n, what));
      figureRows.push(row);
      write(`${f.id}-landscape.png`, encodePng(row.landscape.image.rgba, grid, grid));
      for (const m of maps) {
        const png = `${f.id}-eta${(m.fraction as number).toFixed(2)}.png`;
        write(png, encodePng(m.panel.image.rgba, grid, grid));
        rows.push(mapRow(f, m, etaMax, png));
      }
      const sweepSlice = sliceFor(f, Math.min(grid, SWEEP_GRID));
      sweeps.set(f.id, await pool.sweep({ spec, slice: sweepSlice, etas: defaultSweepEtas(problem), classify }));
      progress.tick(1, `${f.id} sweep`);
    }

    // Figure 3: f4 at η = 0.25, the two starts (K, steps and the certified entry come from the engine).
    const f4 = PAPER_FUNCTIONS.find((f) => f.id === FIGURE3.functionId) as PaperFunction;
    const problem4 = analyzeProblem(paperSpec(f4));
    const slice4 = sliceFor(f4, grid);
    const map4: ComputedMap = await computeMap(pool, problem4, slice4, FIGURE3.eta, null, classify, classes, (n) => progress.tick(n, 'figure 3 map'));
    const trajectories: TrajectorySummary[] = [];
    const figTrajectories = [];
    for (const start of FIGURE3.starts) {
      const t = await pool.trajectory({ spec: problem4.spec, eta: FIGURE3.eta, init: start.init, classify, tailSteps: TAIL_STEPS });
      const drawn = figureTrajectory(t, problem4, slice4, [start.init[0], start.init[1]]);
      figTrajectories.push(drawn);
      trajectories.push({
        label: start.label,
        init: start.init,
        outcome: t.outcome.kind,
        K: t.K,
        increases: t.increases,
        firstIncreaseAt: t.firstIncreaseAt,
        enteredCertifiedAt: t.enteredCertifiedAt,
        steps: t.steps,
        tail: t.tail,
        finalPoint: Array.from(t.theta.subarray((t.steps + t.tail) * t.n, (t.steps + t.tail + 1) * t.n)),
        finalLoss: t.loss[t.steps + t.tail],
        gap: drawn.gap,
      });
    }
    progress.tick(2, 'figure 3 trajectories');
    write('figure3-map.png', encodePng(map4.panel.image.rgba, grid, grid));

    let eos: EosReport | null = null;
    if (withEos) {
      let ticked = 0;
      eos = await eosReport(pool, (fraction) => {
        const now = Math.floor(fraction * EOS_UNITS);
        progress.tick(now - ticked, 'edge of stability');
        ticked = now;
      });
      for (const format of FIGURE_FORMATS) write(`eos.${format}`, renderFigure(eos.figure, format, format === 'png' ? 2 * scale : 1));
    }

    const options = { title: "Figure 2 — basins of gradient descent for f1–f4 at five learning rates rising to η_max = 2/λ_max", classes, grid, pixelRatio: pixelRatioFor(grid, scale) };
    const fig2 = figure2Spec(figureRows, options);
    const fig3 = figure3Spec({
      functionName: 'f4', eta: FIGURE3.eta, xRange: slice4.xRange, yRange: slice4.yRange, xLabel: 'x', yLabel: 'y',
      image: map4.panel.image, minima: minimaOnMap(problem4, slice4), certified: map4.panel.certified, trajectories: figTrajectories,
    }, options);
    const rendered: Record<string, Uint8Array> = {};
    for (const format of FIGURE_FORMATS) {
      for (const [name, spec] of [['figure2', fig2], ['figure3', fig3]] as const) {
        const bytes = renderFigure(spec, format, format === 'png' ? options.pixelRatio : 1);
        write(`${name}.${format}`, bytes);
        rendered[`${name}.${format}`] = bytes;
      }
    }

    const totalSeconds = (performance.now() - started) / 1000;
    progress.done();
    const claims = paperClaims(rows);
    const summary = {
      paper: 'On the Unstable Convergence Regime of Gradient Descent (Chen, Peng, Li, Zhao, AAAI 2024)',
      grid,
      maxSteps,
      workers,
      classify,
      totalSeconds,
      classes: classes.map((c) => ({ code: c.code, key: c.key, label: c.label })),
      functions: PAPER_FUNCTIONS.map((f) => ({ id: f.id, expression: f.expression, domain: f.domain, paperEtaMax: f.etaMax, paperLambdaMax: f.lambdaMax })),
      claims,
      figure2: rows,
      figure3: { function: f4.id, eta: FIGURE3.eta, tailSteps: TAIL_STEPS, trajectories: trajectories.map(({ gap: _gap, ...rest }) => rest) },
      ...(eos ? { eos: eos.summary } : {}),
    };
    write('summary.json', JSON.stringify(summary, null, 2) + '\n');
    const md = markdownSummary(rows, trajectories, claims, classes, totalSeconds, grid, workers) + (eos ? `\n${eos.markdown}` : '');
    write('summary.md', md);
    write('report.html', reportHtml({ rows, trajectories, claims, classes, grid, seconds: totalSeconds, figures: rendered, sweeps, sweepGrid: Math.min(grid, SWEEP_GRID) }));
    process.stdout.write(md);
    const count = (ext: string) => written.filter((w) => w.endsWith(ext)).length;
    process.stdout.write(`\nWrote ${written.length} files to ${outDir}: ${count('.png')} PNGs, ${count('.svg')} SVGs, ${count('.pdf')} PDFs, summary.json, summary.md and report.html\n`);
    return 0;
  } finally {
    progress.done();
    pool.dispose();
  }
}

function mapRow(f: PaperFunction, m: ComputedMap, etaMax: number, png: string): MapRow {
  const s = m.stats;
  const converging = s.stable + s.unstable;
  const cert = m.certificates.find((c) => c.ok);
  return {
    function: f.id,
    expression: f.expression,
    domain: f.domain,
    eta: m.eta,
    etaFraction: m.fraction as number,
    etaMax,
    paperEtaMax: f.etaMax,
    stable: s.stable,
    unstable: s.unstable,
    diverged: s.diverged,
    notConverged: s.notConverged,
    other: s.other,
    classFractions: m.fractions,
    unstableShareOfConverging: converging > 0 ? s.unstable / converging : 0,
    certifiedRadius: cert && cert.ok ? cert.certificate.tPrime : null,
    certificateNote: m.panel.certificateNote,
    png,
    seconds: m.seconds,
  };
}
