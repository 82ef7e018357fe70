/**
 * The edge-of-stability experiment (Cohen et al. 2021): a tanh MLP trained by full-batch GD on
 * the Chebyshev regression at three learning rates. The sharpness rises during training
 * (progressive sharpening) until it reaches 2/η, then hovers at 2/η while the loss keeps falling,
 * non-monotonically. `eosExperiment` returns the recorded runs and a per-run summary; the
 * `reproduce --eos` figure and the tests read both.
 */
import { prepareModel, type BuiltModel } from './model';
import type { MlpSpec } from './spec';
import { train, type TrainResult, type TrainRun } from './train';

export interface EosSetup {
  spec: MlpSpec;
  learningRates: number[];
  steps: number;
  sharpnessEvery: number;
  /** the band around the threshold the sharpness must stay in once it got there */
  band: number;
}

/** 1→32→32→1 tanh on 64 Chebyshev points (T₄), LeCun init, GD at η = 0.10, 0.11, 0.12. */
export const EOS_SETUP: EosSetup = {
  spec: {
    kind: 'mlp', hidden: [32, 32], activation: { name: 'tanh', beta: 1 }, bias: true, loss: 'mse',
    data: { source: 'generate', generator: 'chebyshev', n: 64, degree: 4 },
    init: { seed: 0, scheme: 'lecun', scale: 1 }, sharpnessEvery: 10, topK: 1,
  },
  learningRates: [0.1, 0.11, 0.12],
  steps: 3000,
  sharpnessEvery: 10,
  band: 0.15,
};

export interface EosRunSummary {
  eta: number;
  threshold: number;
  initialSharpness: number;
  /** largest measured sharpness before it first reached the threshold, ÷ the initial one */
  sharpeningFactor: number;
  /** first measured step with sharpness ≥ threshold (null: never) */
  reachedAt: number | null;
  /** sharpness ÷ threshold over all measurements from reachedAt on */
  ratioMin: number;
  ratioMax: number;
  /** every measurement from reachedAt on is within ±band of the threshold */
  staysInBand: boolean;
  lossInitial: number;
  lossAtReach: number;
  lossFinal: number;
  /** loss increases (the loss is non-monotone at the edge of stability) and the unstable phase */
  increases: number;
  K: number;
}

export function summarizeEosRun(run: TrainRun, band: number): EosRunSummary {
  const m = run.sharpness.length;
  const initialSharpness = m > 0 ? run.sharpness[0] : NaN;
  let reachIndex = -1;
  for (let i = 0; i < m; i++) {
    if (run.sharpness[i] >= run.threshold) {
      reachIndex = i;
      break;
    }
  }
  let before = initialSharpness;
  for (let i = 0; i < (reachIndex < 0 ? m : reachIndex + 1); i++) before = Math.max(before, run.sharpness[i]);
  let ratioMin = NaN;
  let ratioMax = NaN;
  if (reachIndex >= 0) {
    ratioMin = Infinity;
    ratioMax = -Infinity;
    for (let i = reachIndex; i < m; i++) {
      const r = run.sharpness[i] / run.threshold;
      ratioMin = Math.min(ratioMin, r);
      ratioMax = Math.max(ratioMax, r);
    }
  }
  const reachedAt = reachIndex >= 0 ? run.sharpnessSteps[reachIndex] : null;
  return {
    eta: run.eta,
    threshold: run.threshold,
    initialSharpness,
    sharpeningFactor: before / initialSharpness,
    reachedAt,
    ratioMin,
    ratioMax,
    staysInBand: reachIndex >= 0 && ratioMin >= 1 - band && ratioMax <= 1 + band,
    lossInitial: run.loss[0],
    lossAtReach: reachedAt === null ? NaN : run.loss[reachedAt],
    lossFinal: run.loss[run.steps],
    increases: run.increases,
    K: run.K,
  };
}

export interface EosExperiment {
  setup: EosSetup;
  model: BuiltModel['summary'];
  result: TrainResult;
  summaries: EosRunSummary[];
}

/** Runs the experiment (a few seconds); `shouldCancel` is asked every few steps. */
export function eosExperiment(setup: EosSetup = EOS_SETUP, hooks: { shouldCancel?: () => boolean; onProgress?: Parameters<typeof train>[1]['onProgress'] } = {}): EosExperiment {
  const built = prepareModel(setup.spec);
  if (!built.model) throw new Error('the EoS setup does not build');
  const result = train(built.model, {
    learningRates: setup.learningRates,
    steps: setup.steps,
    sharpnessEvery: setup.sharpnessEvery,
    lanczosTol: 1e-5,
    shouldCancel: hooks.shouldCancel,
    onProgress: hooks.onProgress,
  });
  return { setup, model: built.model.summary, result, summaries: result.runs.map((r) => summarizeEosRun(r, setup.band)) };
}
