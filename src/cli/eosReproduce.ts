/**
 * `gdlab reproduce --eos`: the edge-of-stability experiment (src/engine/nn/eos.ts: a tanh MLP on
 * the Chebyshev regression, full-batch GD at three learning rates) trained on the worker pool
 * (one learning rate per worker), summarised per run (summarizeEosRun) and drawn as a labelled
 * figure (src/figures/eos.ts): the loss curves and the sharpness against 2/η.
 */
import { networkModelData } from '../compute/nnJobs';
import type { ComputePool } from '../compute/pool';
import { EOS_SETUP, summarizeEosRun, type EosRunSummary, type EosSetup } from '../engine/nn/eos';
import type { TrainResult } from '../engine/nn/train';
import { eosFigureSpec } from '../figures/eos';
import type { FigureSpec } from '../figures/spec';

export interface EosReport {
  figure: FigureSpec;
  /** for summary.json */
  summary: {
    experiment: string;
    model: string;
    learningRates: number[];
    steps: number;
    sharpnessEvery: number;
    band: number;
    runs: EosRunSummary[];
    /** every run reached 2/η, stayed within ±band of it afterwards, and its loss kept falling overall */
    edgeOfStability: boolean;
    seconds: number;
  };
  /** lines for summary.md */
  markdown: string;
}

const g = (v: number, digits = 4): string => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '—');

/** Does a run show the edge of stability: reached 2/η, stayed in the band, loss still decreasing overall? */
export function atEdge(s: EosRunSummary): boolean {
  return s.reachedAt !== null && s.staysInBand && s.lossFinal < s.lossAtReach;
}

export function eosMarkdown(report: Omit<EosReport['summary'], 'seconds'>, seconds: number): string {
  const rows = report.runs.map((s) =>
    `| ${s.eta} | ${g(s.threshold)} | ${g(s.initialSharpness)} | ${s.reachedAt ?? 'never'} | ${s.reachedAt === null ? '—' : `${s.ratioMin.toFixed(2)} – ${s.ratioMax.toFixed(2)}`} | ${g(s.lossAtReach)} → ${g(s.lossFinal)} | ${s.increases} |`);
  return [
    `## Edge of stability (Cohen et al. 2021)`,
    '',
    `${report.model}; full-batch GD for ${report.steps} steps at η = ${report.learningRates.join(', ')}; sharpness λ_max(∇²L) every ${report.sharpnessEvery} steps (Lanczos on exact Hessian-vector products); ${seconds.toFixed(1)} s.`,
    '',
    `| η | 2/η | λ_max at step 0 | reaches 2/η at step | λ_max ÷ (2/η) afterwards | loss there → at step ${report.steps} | loss increases |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `- the sharpness rises to 2/η and then stays within ±${Math.round(report.band * 100)} % of it while the loss keeps falling overall (with increases along the way): ${report.edgeOfStability ? 'holds' : 'does NOT hold'} for ${report.runs.filter(atEdge).length} of ${report.runs.length} learning rates.`,
    '',
  ].join('\n');
}

/** Trains the setup on the pool and builds the figure and summaries. */
export async function eosReport(pool: ComputePool, onProgress?: (fraction: number) => void, setup: EosSetup = EOS_SETUP): Promise<EosReport> {
  const started = performance.now();
  const result: TrainResult = await pool.train(
    { model: networkModelData(setup.spec), learningRates: setup.learningRates, steps: setup.steps, sharpnessEvery: setup.sharpnessEvery, lanczosTol: 1e-5 },
    { onProgress: (p) => onProgress?.(p.fraction) },
  );
  const runs = result.runs.map((r) => summarizeEosRun(r, setup.band));
  const seconds = (performance.now() - started) / 1000;
  const degree = setup.spec.kind === 'mlp' && setup.spec.data.source === 'generate' && setup.spec.data.generator === 'chebyshev' ? setup.spec.data.degree : null;
  const m = result.model;
  const model = `${m.activation} MLP ${m.widths.join('→')}, ${m.nParams} parameters, ${m.points} points${degree !== null ? ` labelled by the Chebyshev polynomial T${degree}` : ''}, ${m.loss} loss`;
  const summary = {
    experiment: 'progressive sharpening and the edge of stability',
    model,
    learningRates: setup.learningRates,
    steps: setup.steps,
    sharpnessEvery: setup.sharpnessEvery,
    band: setup.band,
    runs,
    edgeOfStability: runs.length === setup.learningRates.length && runs.every(atEdge),
  };
  const figure = eosFigureSpec({
    title: 'Edge of stability: the sharpness rises to 2/η and stays there while the loss keeps falling',
    subtitle: `${model}; full-batch GD, ${setup.steps} steps; λ_max every ${setup.sharpnessEvery} steps`,
    steps: setup.steps,
    curves: result.runs.map((r, i) => ({
      eta: r.eta, threshold: r.threshold, loss: r.loss, sharpnessSteps: r.sharpnessSteps, sharpness: r.sharpness,
      reachedAt: runs[i].reachedAt, ratioMin: runs[i].ratioMin, ratioMax: runs[i].ratioMax,
    })),
  });
  return { figure, summary: { ...summary, seconds }, markdown: eosMarkdown(summary, seconds) };
}
