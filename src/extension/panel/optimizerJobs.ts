/**
 * The optimizer of the panel's jobs (pure, no vscode; used by panel.ts): a request names the
 * optimizer the webview's selector shows, else the session's (the config's) runs; GD goes to the
 * pool as "no optimizer", so its maps keep Theorem 2's certificates and its exact code path. Also
 * the learning rates of an LR sweep, as fractions of that optimizer's own η_max.
 */
import { isAdaptive, OPTIMIZER_TITLES, resolveOptimizer, type OptimizerSpec } from '../../engine/optimizers/spec';
import type { BasinRows } from '../../engine/basin';
import { uint16ToBase64 } from '../../shared/optimizerMessages';
import type { AnalysisSession } from '../../shared/session';
import { smallestEtaMax, sweepEtas } from './slice';

/**
 * The optimizer a job runs: the request's (validated again: resolveOptimizer throws an
 * OptimizerError naming the parameter), else the session's; undefined for gradient descent.
 */
export function jobOptimizer(requested: OptimizerSpec | undefined, session: AnalysisSession): OptimizerSpec | undefined {
  const spec = requested ? resolveOptimizer(requested) : session.optimizer;
  return spec && spec.name !== 'gd' ? spec : undefined;
}

/** The pool's job field for an optimizer (spread into a BasinJob, TrajectoryJob or SweepJob). */
export function optimizerField(optimizer: OptimizerSpec | undefined): { optimizer?: OptimizerSpec } {
  return optimizer ? { optimizer } : {};
}

/**
 * An LR sweep's learning rates: 20 values from 0.05 to 0.99 of the optimizer's smallest η_max
 * over the minima. Throws, in words the panel shows, when there is none: no strict minimum, or
 * Adam / RMSProp (whose threshold bounds the preconditioned sharpness along a trajectory).
 */
export function panelSweepEtas(minima: readonly { lambdaMax: number }[], optimizer: OptimizerSpec | undefined): number[] {
  if (optimizer && isAdaptive(optimizer)) {
    throw new Error(`${OPTIMIZER_TITLES[optimizer.name]}'s threshold bounds the preconditioned sharpness along each trajectory, so there is no η_max to sweep fractions of: compare learning rates by setting η, or choose GD, heavy-ball or Nesterov in the optimizer menu to sweep`);
  }
  const etaMax = smallestEtaMax(minima, optimizer);
  if (etaMax === null) throw new Error('no strict minimum was found, so there is no η_max to sweep up to');
  return sweepEtas(etaMax);
}

/** The per-pixel increase counts of streamed rows, as the basinRows message carries them. */
export function increasesField(rows: Pick<BasinRows, 'increases'>): { increases: string } {
  return { increases: uint16ToBase64(rows.increases) };
}
