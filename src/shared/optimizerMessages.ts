/**
 * The optimizer in panel messages (part of the protocol in protocol.ts): the optimizer a basin,
 * trajectory or sweep request runs (a fully resolved spec: the webview resolves what the user typed
 * with the same resolveOptimizer the config uses), the optimizer's analysis sent with a finished
 * map (its threshold line, per-minimum thresholds, the momentum certificates the map draws), the
 * loss-increase statistics of a map, and the η_max the panel marks its slider at.
 * Plain JSON; imported by both sides.
 */
import type { OptimizerAnalysis } from '../engine/optimizers/analysis';
import { GD, OptimizerError, optimizerKey, resolveOptimizer, type OptimizerInput, type OptimizerSpec } from '../engine/optimizers/spec';
import { smallestEtaMaxOf } from '../engine/optimizers/thresholds';
import { INCREASE_BINS, type IncreaseStats } from '../engine/types';
import { ProtocolError, finite, finiteOrNull, obj, type Obj } from './protocolFields';

export { base64ToUint16, uint16ToBase64 } from './base64';

function numbers(o: Obj, key: string, where: string, length?: number): number[] {
  const v = o[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new ProtocolError(`${where}.${key}: expected an array of finite numbers`);
  if (length !== undefined && v.length !== length) throw new ProtocolError(`${where}.${key}: expected ${length} numbers, got ${v.length}`);
  return v as number[];
}

/**
 * An optimizer in a message: it must be exactly what resolveOptimizer makes of it (every
 * parameter present and in range), so the host runs what the webview shows. Throws a
 * ProtocolError naming the field and the parameter.
 */
export function validateOptimizer(value: unknown, where: string): OptimizerSpec {
  const o = obj(value, where);
  let resolved: OptimizerSpec;
  try {
    resolved = resolveOptimizer(o as unknown as OptimizerInput);
  } catch (err) {
    if (err instanceof OptimizerError) throw new ProtocolError(`${where}: ${err.message}`);
    throw err;
  }
  if (resolved.name !== o.name || optimizerKey(resolved) !== optimizerKey(o as unknown as OptimizerSpec)) {
    throw new ProtocolError(`${where}: expected a fully resolved optimizer (${optimizerKey(resolved)})`);
  }
  return resolved;
}

/** The optional `optimizer` field of a request (absent: the session's optimizer). */
export function validateOptimizerField(o: Obj, where: string): void {
  if (o.optimizer !== undefined) validateOptimizer(o.optimizer, `${where}.optimizer`);
}

/** BasinStats.increases: the share of starts with an increase and the counts over converged starts. */
export function validateIncreaseStats(value: unknown, where: string): IncreaseStats {
  const o = obj(value, where);
  const any = finite(o, 'anyIncrease', where, 0);
  if (any > 1) throw new ProtocolError(`${where}.anyIncrease: must be ≤ 1`);
  for (const k of ['meanConverged', 'medianConverged', 'maxConverged']) finite(o, k, where, 0);
  numbers(o, 'histogram', where, INCREASE_BINS.length);
  return value as IncreaseStats;
}

/**
 * The optimizer's analysis of a finished map (basinDone.optimizer): what the legend, the slider
 * and the map's momentum certificates need is checked; the momentum certificates' zero-velocity
 * slices must be n×n matrices around an n-point centre, with a positive level.
 */
export function validateOptimizerAnalysis(value: unknown, where: string): OptimizerAnalysis {
  const o = obj(value, where);
  validateOptimizer(o.spec, `${where}.spec`);
  finite(o, 'eta', where);
  finite(o, 'sharpnessLimit', where, 0);
  if (typeof o.preconditioned !== 'boolean') throw new ProtocolError(`${where}.preconditioned: expected true or false`);
  for (const k of ['description', 'rule', 'etaMaxRule']) if (typeof o[k] !== 'string') throw new ProtocolError(`${where}.${k}: expected a string`);
  if (!Array.isArray(o.perMinimum)) throw new ProtocolError(`${where}.perMinimum: expected an array`);
  o.perMinimum.forEach((p, i) => {
    const po = obj(p, `${where}.perMinimum[${i}]`);
    finiteOrNull(po, 'etaMax', `${where}.perMinimum[${i}]`);
    finiteOrNull(po, 'pointEtaMax', `${where}.perMinimum[${i}]`);
  });
  if (o.momentumCertificates !== null) {
    if (!Array.isArray(o.momentumCertificates)) throw new ProtocolError(`${where}.momentumCertificates: expected an array or null`);
    o.momentumCertificates.forEach((c, i) => {
      const w = `${where}.momentumCertificates[${i}]`;
      const co = obj(c, w);
      if (co.ok === false) {
        finite(co, 'minimum', w);
        if (typeof co.reason !== 'string') throw new ProtocolError(`${w}.reason: expected a string`);
        return;
      }
      if (co.ok !== true) throw new ProtocolError(`${w}.ok: expected true or false`);
      const cert = obj(co.certificate, `${w}.certificate`);
      const n = numbers(cert, 'center', `${w}.certificate`).length;
      numbers(cert, 'slice', `${w}.certificate`, n * n);
      finite(cert, 'level', `${w}.certificate`, 0);
      finite(cert, 'minimum', `${w}.certificate`, 0);
    });
  }
  if (o.neighbourhood !== null) {
    const nb = obj(o.neighbourhood, `${where}.neighbourhood`);
    for (const k of ['inner', 'outer', 'window']) finite(nb, k, `${where}.neighbourhood`, 0);
  }
  return value as OptimizerAnalysis;
}

/**
 * The η the panel marks its slider and chips at: the smallest static threshold η_max of
 * `optimizer` over the minima (2/λ_max for GD, 2(1+β)/λ_max for heavy-ball, …); null without a
 * strict minimum, and for Adam / RMSProp, whose threshold is on the preconditioned sharpness along
 * a trajectory (the panel's slider is then absolute).
 */
export function panelEtaMax(minima: readonly { lambdaMax: number }[], optimizer: OptimizerSpec = GD): number | null {
  return smallestEtaMaxOf(minima.map((m) => m.lambdaMax), optimizer);
}

/** A trajectory's optimizer fields: the threshold line, and Adam / RMSProp's preconditioned sharpness per iterate. */
export function validateTrajectoryOptimizer(o: Obj, where: string, iterates: number): void {
  if (o.optimizer !== undefined && typeof o.optimizer !== 'string') throw new ProtocolError(`${where}.optimizer: expected a string`);
  if (o.sharpnessLimit !== undefined) finite(o, 'sharpnessLimit', where, 0);
  const p = o.preconditionedSharpness;
  if (p === undefined || p === null) return;
  // JSON turns NaN into null: a diverging trajectory has them
  if (!Array.isArray(p) || !p.every((x) => x === null || typeof x === 'number')) throw new ProtocolError(`${where}.preconditionedSharpness: expected an array of numbers`);
  if (p.length !== iterates) throw new ProtocolError(`${where}.preconditionedSharpness: expected ${iterates} values (one per iterate), got ${p.length}`);
}
