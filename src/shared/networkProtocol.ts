/**
 * The panel messages of the network views (part of HostToWebview / WebviewToHost in
 * protocol.ts): a network session, a training job's streamed curves and finished runs, and a
 * 2-D slice map around a trained point. Plain JSON (non-finite numbers travel as null, per-pixel
 * rows as base64), validated on arrival by the functions below. No vscode, no DOM, no Node APIs.
 */
import type { TrainPartial } from '../engine/nn/train';
import type { NetworkSession } from './networkSession';
import { ProtocolError, base64, num, numArray, numOrNull, obj, oneOf, range, requestId, str, type Obj } from './protocolFields';

export type SlicePlaneName = 'hessian' | 'filter-normalized';
export const SLICE_PLANES: readonly SlicePlaneName[] = ['hessian', 'filter-normalized'];
export type TrainRunStatus = 'completed' | 'diverged' | 'cancelled';
export const NETWORK_EXPORT_FORMATS = ['train-csv', 'train-json'] as const;
export type NetworkExportFormat = (typeof NETWORK_EXPORT_FORMATS)[number];

/** A stretch of one run's curves: steps fromStep… and sharpness measurements fromMeasurement…. */
export interface TrainChunk {
  run: number;
  fromStep: number;
  loss: (number | null)[];
  gradNorm: (number | null)[];
  /** 1 where the loss increased (beyond the round-off guard) at that step */
  increased: number[];
  fromMeasurement: number;
  sharpnessSteps: number[];
  /** λ_max(∇²L) at those steps */
  sharpness: (number | null)[];
  /** λ_max(P⁻¹∇²L) for adaptive optimizers (else empty) */
  preconditioned: (number | null)[];
}

/** How a run ended. */
export interface TrainRunEnd {
  run: number;
  status: TrainRunStatus;
  steps: number;
  K: number;
  increases: number;
  firstIncreaseAt: number | null;
  firstAtThreshold: number | null;
}

export type NetworkHostMessage =
  /** a network to show: the webview switches to its training view and asks for a run */
  | { type: 'networkSession'; session: NetworkSession }
  | { type: 'trainProgress'; requestId: number; chunk: TrainChunk; fraction: number }
  | { type: 'trainRun'; requestId: number; end: TrainRunEnd; description: string }
  | { type: 'trainDone'; requestId: number; cancelled: boolean; elapsedMs: number; description: string }
  | {
      type: 'netSliceStart'; requestId: number; plane: SlicePlaneName; eta: number; width: number; height: number;
      range: [number, number]; eigenvalues: number[]; centerLoss: number;
    }
  | {
      type: 'netSliceRows'; requestId: number; rowStart: number; rowEnd: number; width: number;
      /** base64 of Uint8Array class codes and little-endian Uint32Array steps and K */
      classes: string; steps: string; K: string;
      progress: { rowsDone: number; rowsTotal: number; fraction: number };
    }
  | { type: 'netSliceDone'; requestId: number; counts: number[]; elapsedMs: number };

export type NetworkWebviewMessage =
  /** train the session's network at its learning rates (cancel = stop and keep what was computed) */
  | { type: 'train'; requestId: number }
  /** a slice map around the end point of run `run` of training job `trainRequestId`, GD at that run's η */
  | { type: 'netSlice'; requestId: number; trainRequestId: number; run: number; plane: SlicePlaneName; grid: number; range: number; maxSteps: number }
  | { type: 'networkExport'; format: NetworkExportFormat };

export const NETWORK_HOST_TYPES: readonly string[] = ['networkSession', 'trainProgress', 'trainRun', 'trainDone', 'netSliceStart', 'netSliceRows', 'netSliceDone'];
export const NETWORK_WEBVIEW_TYPES: readonly string[] = ['train', 'netSlice', 'networkExport'];

/** Largest slice grid the panel asks for (one full GD run per pixel: a 64² map is 4096 runs). */
export const MAX_SLICE_GRID = 128;

const plain = (a: ArrayLike<number>): (number | null)[] => Array.from(a, (v) => (Number.isFinite(v) ? v : null));

/** A stretch of a run (the pool's progress) as the webview gets it: plain arrays, non-finite → null. */
export function trainChunk(p: TrainPartial): TrainChunk {
  return {
    run: p.run, fromStep: p.fromStep, loss: plain(p.loss), gradNorm: plain(p.gradNorm), increased: Array.from(p.increased),
    fromMeasurement: p.fromMeasurement, sharpnessSteps: Array.from(p.sharpnessSteps), sharpness: plain(p.sharpness),
    preconditioned: plain(p.preconditionedSharpness),
  };
}

/* ------------------------------------------------------------------ validation */

/** Numbers, null allowed where a value was not finite (JSON's NaN / ±∞); a number must be finite. */
function numbersOrNulls(o: Obj, key: string, where: string): (number | null)[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new ProtocolError(`${where}.${key}: expected an array of numbers`);
  v.forEach((x: unknown, i) => {
    if (!((typeof x === 'number' && Number.isFinite(x)) || x === null)) throw new ProtocolError(`${where}.${key}[${i}]: expected a number or null`);
  });
  return v as (number | null)[];
}

/** The parts of a network session the panel relies on. */
export function validateNetworkSession(value: unknown, where = 'session'): NetworkSession {
  const o = obj(value, where);
  if (o.kind !== 'network') throw new ProtocolError(`${where}.kind: expected "network"`);
  str(o, 'title', where);
  const model = obj(o.model, `${where}.model`);
  str(model, 'kind', `${where}.model`);
  const etas = numArray(o, 'learningRates', where);
  if (etas.length === 0 || etas.some((e) => !(e > 0))) throw new ProtocolError(`${where}.learningRates: expected positive learning rates`);
  if (numArray(o, 'thresholds', where).length !== etas.length) throw new ProtocolError(`${where}.thresholds: expected one per learning rate`);
  num(o, 'steps', where, { int: true, min: 0 });
  str(o, 'optimizerLabel', where);
  if (typeof o.preconditioned !== 'boolean') throw new ProtocolError(`${where}.preconditioned: expected true or false`);
  return value as NetworkSession;
}

function validateChunk(value: unknown, where: string): void {
  const c = obj(value, where);
  num(c, 'run', where, { int: true, min: 0 });
  num(c, 'fromStep', where, { int: true, min: 0 });
  const n = numbersOrNulls(c, 'loss', where).length;
  if (numbersOrNulls(c, 'gradNorm', where).length !== n || numArray(c, 'increased', where).length !== n) throw new ProtocolError(`${where}: loss, gradNorm and increased differ in length`);
  num(c, 'fromMeasurement', where, { int: true, min: 0 });
  const m = numArray(c, 'sharpnessSteps', where).length;
  if (numbersOrNulls(c, 'sharpness', where).length !== m) throw new ProtocolError(`${where}.sharpness: expected one value per measured step`);
  const p = numbersOrNulls(c, 'preconditioned', where).length;
  if (p !== 0 && p !== m) throw new ProtocolError(`${where}.preconditioned: expected none or one value per measured step`);
}

export function validateNetworkHostMessage(o: Obj, w: string): void {
  switch (o.type) {
    case 'networkSession':
      validateNetworkSession(o.session, `${w}.session`);
      return;
    case 'trainProgress':
      requestId(o, w);
      validateChunk(o.chunk, `${w}.chunk`);
      num(o, 'fraction', w);
      return;
    case 'trainRun': {
      requestId(o, w);
      const e = obj(o.end, `${w}.end`);
      num(e, 'run', `${w}.end`, { int: true, min: 0 });
      oneOf(e, 'status', ['completed', 'diverged', 'cancelled'], `${w}.end`);
      for (const k of ['steps', 'K', 'increases']) num(e, k, `${w}.end`, { int: true, min: 0 });
      numOrNull(e, 'firstIncreaseAt', `${w}.end`, { int: true, min: 0 });
      numOrNull(e, 'firstAtThreshold', `${w}.end`, { int: true, min: 0 });
      str(o, 'description', w);
      return;
    }
    case 'trainDone':
      requestId(o, w);
      if (typeof o.cancelled !== 'boolean') throw new ProtocolError(`${w}.cancelled: expected true or false`);
      num(o, 'elapsedMs', w);
      str(o, 'description', w);
      return;
    case 'netSliceStart': {
      requestId(o, w);
      oneOf(o, 'plane', SLICE_PLANES, w);
      num(o, 'eta', w, { positive: true });
      num(o, 'width', w, { int: true, min: 1 });
      num(o, 'height', w, { int: true, min: 1 });
      range(o, 'range', w);
      numArray(o, 'eigenvalues', w);
      num(o, 'centerLoss', w);
      return;
    }
    case 'netSliceRows': {
      requestId(o, w);
      const start = num(o, 'rowStart', w, { int: true, min: 0 });
      if (num(o, 'rowEnd', w, { int: true, min: 0 }) < start) throw new ProtocolError(`${w}.rowEnd: must be ≥ rowStart`);
      num(o, 'width', w, { int: true, min: 1 });
      for (const k of ['classes', 'steps', 'K']) base64(o, k, w);
      const p = obj(o.progress, `${w}.progress`);
      for (const k of ['rowsDone', 'rowsTotal', 'fraction']) num(p, k, `${w}.progress`);
      return;
    }
    case 'netSliceDone':
      requestId(o, w);
      numArray(o, 'counts', w);
      num(o, 'elapsedMs', w);
      return;
    default:
      throw new ProtocolError(`message.type: unknown host message type "${String(o.type)}"`);
  }
}

export function validateNetworkWebviewMessage(o: Obj, w: string): void {
  switch (o.type) {
    case 'train':
      requestId(o, w);
      return;
    case 'netSlice':
      requestId(o, w);
      num(o, 'trainRequestId', w, { int: true, min: 0 });
      num(o, 'run', w, { int: true, min: 0 });
      oneOf(o, 'plane', SLICE_PLANES, w);
      if (num(o, 'grid', w, { int: true, min: 2 }) > MAX_SLICE_GRID) throw new ProtocolError(`${w}.grid: at most ${MAX_SLICE_GRID}`);
      num(o, 'range', w, { positive: true });
      num(o, 'maxSteps', w, { int: true, min: 1 });
      return;
    case 'networkExport':
      oneOf(o, 'format', NETWORK_EXPORT_FORMATS, w);
      return;
    default:
      throw new ProtocolError(`message.type: unknown webview message type "${String(o.type)}"`);
  }
}
