/**
 * Training results as text: a long CSV (one row per learning rate and step) and a JSON document.
 * Pure (strings out); the CLI and, later, the panel's export write them.
 */
import type { TrainResult, TrainRun } from './train';

/** Shortest round-trip text of a number; non-finite values as empty CSV fields. */
function num(v: number): string {
  return Number.isFinite(v) ? String(v) : '';
}

/**
 * Columns: eta, step, loss, grad_norm, loss_increased (0/1), phase ('unstable' for k < K,
 * 'stable' after), sharpness (λ_max at measured steps, else empty), preconditioned_sharpness
 * (adaptive optimizers), threshold.
 */
export function trainRunsCsv(result: TrainResult): string {
  const lines = ['eta,step,loss,grad_norm,loss_increased,phase,sharpness,preconditioned_sharpness,threshold'];
  for (const run of result.runs) {
    const at = new Map<number, number>();
    run.sharpnessSteps.forEach((k, i) => at.set(k, i));
    for (let k = 0; k < run.loss.length; k++) {
      const i = at.get(k);
      const s = i === undefined ? '' : num(run.sharpness[i]);
      const p = i === undefined || !run.preconditioned ? '' : num(run.preconditionedSharpness[i]);
      lines.push(`${run.eta},${k},${num(run.loss[k])},${num(run.gradNorm[k])},${run.increased[k]},${k < run.K ? 'unstable' : 'stable'},${s},${p},${run.threshold}`);
    }
  }
  return lines.join('\n') + '\n';
}

export interface TrainRunJson {
  eta: number;
  threshold: number;
  preconditioned: boolean;
  status: TrainRun['status'];
  steps: number;
  K: number;
  increases: number;
  firstIncreaseAt: number | null;
  firstAtThreshold: number | null;
  /** per step (null where not finite) */
  loss: (number | null)[];
  gradNorm: (number | null)[];
  increased: number[];
  sharpness: { steps: number[]; values: (number | null)[]; top: (number | null)[][]; preconditioned: (number | null)[]; hvps: number[] };
  finalParams?: number[];
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function trainRunJson(run: TrainRun, topK: number, withParams: boolean): TrainRunJson {
  const top: (number | null)[][] = [];
  for (let i = 0; i < run.sharpnessSteps.length; i++) top.push(Array.from(run.topEigenvalues.subarray(i * topK, (i + 1) * topK), finite));
  return {
    eta: run.eta,
    threshold: run.threshold,
    preconditioned: run.preconditioned,
    status: run.status,
    steps: run.steps,
    K: run.K,
    increases: run.increases,
    firstIncreaseAt: run.firstIncreaseAt,
    firstAtThreshold: run.firstAtThreshold,
    loss: Array.from(run.loss, finite),
    gradNorm: Array.from(run.gradNorm, finite),
    increased: Array.from(run.increased),
    sharpness: {
      steps: Array.from(run.sharpnessSteps),
      values: Array.from(run.sharpness, finite),
      top,
      preconditioned: Array.from(run.preconditionedSharpness, finite),
      hvps: Array.from(run.hvps),
    },
    ...(withParams ? { finalParams: Array.from(run.finalParams) } : {}),
  };
}

export function trainResultJson(result: TrainResult, meta: Record<string, unknown>, withParams = false): string {
  const doc = {
    format: 'gdlab-train',
    version: 1,
    ...meta,
    model: result.model,
    optimizer: result.optimizer,
    optimizerLabel: result.optimizerLabel,
    steps: result.steps,
    sharpnessEvery: result.sharpnessEvery,
    topK: result.topK,
    roundoffGuard: result.roundoffGuard,
    cancelled: result.cancelled,
    gradients: result.gradients,
    hvps: result.hvps,
    runs: result.runs.map((r) => trainRunJson(r, result.topK, withParams)),
  };
  return JSON.stringify(doc) + '\n';
}
