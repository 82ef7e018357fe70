/**
 * Messages between the extension host (src/extension/panel) and the panel webview (webview/).
 * Discriminated unions on `type`; every request the webview makes carries a `requestId` that the
 * host echoes on every answer, so stale answers (a job replaced by a newer one) are dropped.
 * Handshake: the webview posts `ready` once its script runs; the host queues everything until then.
 *
 * Everything here is plain JSON (no typed arrays: per-pixel rows travel as base64 strings, so the
 * messages survive any webview serialisation) and is validated on arrival by the functions at the
 * end of this file. Imported by both sides: no vscode, no DOM, no Node APIs.
 */
import type { AnalysisSession } from './session';
import { NETWORK_HOST_TYPES, NETWORK_WEBVIEW_TYPES, validateNetworkHostMessage, validateNetworkWebviewMessage } from './networkProtocol';
import type { NetworkHostMessage, NetworkWebviewMessage } from './networkProtocol';
import { FUNCTIONS } from '../engine/types';
import type { BasinStats, Box, CertificateResult, CriticalPoint, Expr, SliceSpec } from '../engine/types';
import type { MeasuresHostMessage, MeasuresWebviewMessage } from './measuresMessages';
import { MEASURES_HOST_TYPES, MEASURES_WEBVIEW_TYPES, validateMeasuresHostMessage, validateMeasuresWebviewMessage } from './measuresMessages';
import type { Definedness } from '../engine/definedness';
import type { OptimizerAnalysis } from '../engine/optimizers/analysis';
import type { OptimizerSpec } from '../engine/optimizers/spec';
import { validateIncreaseStats, validateOptimizer, validateOptimizerAnalysis, validateOptimizerField, validateTrajectoryOptimizer } from './optimizerMessages';

export const PROTOCOL_VERSION = 1;

/* ------------------------------------------------------------------ shared payloads */

/** Area fractions of a map (of all its pixels): the engine's BasinStats. */
export type StatsView = BasinStats;

/** What the panel needs of an analysed problem. */
export interface AnalysisView {
  variables: string[];
  normalized: string;
  domain: Box;
  /** map axes (indices into variables) and the full-length base point of the slice */
  axes: [number, number];
  base: number[];
  criticalPoints: CriticalPoint[];
  /** strict minima; "minimum j" everywhere indexes this array */
  minima: CriticalPoint[];
  /** smallest 2/λ_max over the minima (the η the slider is marked at), null without minima */
  etaMax: number | null;
  /** where f is undefined (NaN or ±∞) on the searched boxes, when the analysis looked (absent from older hosts) */
  definedness?: Definedness;
}

/**
 * One GD trajectory as plain arrays: iterates θ_0 … θ_{steps+tail}. `steps` is the index of the
 * iterate at which the outcome was decided and K the index of the last loss increase (one
 * definition each, src/engine/classify.ts); the `tail` iterates after the decision are drawn only.
 */
export interface TrajectoryView {
  eta: number;
  init: number[];
  n: number;
  steps: number;
  /** iterates recorded after the decision (0 when absent) */
  tail?: number;
  /** (steps+tail+1)·n, row-major */
  theta: number[];
  loss: number[];
  gradNorm: number[];
  sharpness: number[];
  /** 1 where f(θ_k) − f(θ_{k−1}) exceeded the round-off guard */
  increased: number[];
  outcome: string;
  /** minimum index for stable/unstable outcomes, else null */
  minimum: number | null;
  K: number;
  increases: number;
  firstIncreaseAt: number | null;
  enteredCertifiedAt: number | null;
  /** λ_max(∇²f) at the point converged to (null when not converged): compare with 2/η */
  limitSharpness?: number | null;
  /** finite-time Lyapunov exponent over the second half of the run (src/engine/trajectory.ts) */
  lyapunov?: number | null;
  /** the period of a `cycle` outcome, else null */
  period?: number | null;
  /** the optimizer in words (absent: gradient descent) */
  optimizer?: string;
  /** the threshold line at η (2/η for GD; the optimizer's own; for Adam / RMSProp the line λ_max(P⁻¹∇²f) is compared with) */
  sharpnessLimit?: number;
  /** Adam / RMSProp: λ_max(P⁻¹∇²f(θ_k)) per iterate */
  preconditionedSharpness?: number[] | null;
}

export interface SweepPointView {
  eta: number;
  etaFraction: number;
  stats: StatsView;
}

export interface BasinProgressView {
  rowsDone: number;
  rowsTotal: number;
  fraction: number;
  pixelsPerSecond: number;
}

/** Which map a basin job fills: the main map, or one of Figure 2's strip of five. */
export type BasinPurpose = 'main' | 'strip';

export const EXPORT_FORMATS = ['png', 'npy', 'trajectory-csv', 'trajectory-json', 'sweep-csv', 'sweep-json', 'svg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What the webview persists (vscode.setState) so the serializer can restore the panel. */
export interface PanelViewState {
  eta: number;
  xRange: [number, number] | null;
  yRange: [number, number] | null;
}

export interface PersistedState {
  session: AnalysisSession;
  view: PanelViewState;
}

/* ------------------------------------------------------------------ host → webview */

export type HostToWebview =
  /** a new (or edited) session: the webview resets; `view` restores eta/zoom when given */
  | { type: 'session'; session: AnalysisSession; view: PanelViewState | null }
  | { type: 'analysis'; analysis: AnalysisView }
  /** the objective's IR (variables in IR index order), for contour lines and the certified set f < c */
  | { type: 'objective'; variables: string[]; expr: Expr }
  | { type: 'basinStart'; requestId: number; purpose: BasinPurpose; stripIndex: number; slice: SliceSpec; eta: number }
  | {
      type: 'basinRows'; requestId: number; rowStart: number; rowEnd: number; width: number;
      /** base64 of Uint8Array classes, Int8Array minimum, Uint32Array (little-endian) steps and K */
      classes: string; minimum: string; steps: string; unstableSteps: string;
      /** base64 of Float32Array (little-endian) λ_max at the point each start converged to (NaN: did not converge) */
      limitSharpness: string;
      /** base64 of Uint8Array: the period p of cycle pixels (class 5), 0 otherwise */
      period: string;
      /** base64 of Uint16Array (little-endian): the loss increases each start had up to its decision */
      increases: string;
      progress: BasinProgressView;
    }
  | {
      type: 'basinDone'; requestId: number; stats: StatsView; certificates: CertificateResult[]; elapsedMs: number;
      /** another optimizer than GD: its thresholds and certified regions at the map's η (no Theorem 2 certificates then) */
      optimizer?: OptimizerAnalysis;
    }
  | { type: 'trajectory'; requestId: number; trajectory: TrajectoryView }
  | { type: 'sweepPoint'; requestId: number; point: SweepPointView; done: number; total: number }
  | { type: 'sweepDone'; requestId: number; points: SweepPointView[] }
  /** a job failed (requestId of the request) or a session-level error (requestId null) */
  | { type: 'error'; requestId: number | null; message: string }
  | { type: 'cancelled'; requestId: number | null }
  /** the host asks the webview to do something (palette commands, PNG capture) */
  | { type: 'command'; command: 'sweep' | 'strip' | 'capturePng' | 'captureSvg'; requestId: number }
  | { type: 'notice'; message: string }
  /** orbit diagrams, uncertainty exponent, tipping (src/shared/measuresMessages.ts) */
  | MeasuresHostMessage
  /** the network views (training, slices): networkProtocol.ts */
  | NetworkHostMessage;

/* ------------------------------------------------------------------ webview → host */

export type WebviewToHost =
  | { type: 'ready'; protocol: number }
  /** `optimizer` (basin, trajectory, sweep): a resolved spec the job runs; absent: the session's optimizer */
  | { type: 'basin'; requestId: number; purpose: BasinPurpose; stripIndex: number; eta: number; xRange: [number, number]; yRange: [number, number]; grid: number; optimizer?: OptimizerSpec }
  | { type: 'trajectory'; requestId: number; eta: number; init: number[]; optimizer?: OptimizerSpec }
  | { type: 'sweep'; requestId: number; xRange: [number, number]; yRange: [number, number]; grid: number; optimizer?: OptimizerSpec }
  /** requestId null cancels everything in flight */
  | { type: 'cancel'; requestId: number | null }
  /** trajectoryRequestId: the trajectory shown in the charts (null/absent: the last one computed) */
  | { type: 'export'; format: ExportFormat; pngBase64: string | null; trajectoryRequestId?: number | null }
  /** answer to `command: capturePng` */
  | { type: 'pngData'; requestId: number; pngBase64: string }
  | { type: 'viewState'; view: PanelViewState }
  /** orbit diagrams, uncertainty exponent, tipping, their exports, figures drawn by the webview */
  | MeasuresWebviewMessage
  /** the network views: networkProtocol.ts */
  | NetworkWebviewMessage;

/* ------------------------------------------------------------------ byte helpers */

/** base64 of the bytes of a typed array view (works in Node ≥ 16 and browsers: btoa/atob). */
export function bytesToBase64(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let text = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    text += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + CHUNK)));
  }
  return btoa(text);
}

export function base64ToBytes(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Decodes little-endian uint32 values (the wire format of steps/K). */
export function base64ToUint32(text: string): Uint32Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 4 !== 0) throw new ProtocolError(`uint32 payload of ${bytes.length} bytes is not a multiple of 4`);
  const out = new Uint32Array(bytes.length / 4);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = dv.getUint32(4 * i, true);
  return out;
}

/** Encodes uint32 values little-endian regardless of the platform's byte order. */
export function uint32ToBase64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 4);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) dv.setUint32(4 * i, values[i] >>> 0, true);
  return bytesToBase64(bytes);
}

/** Decodes little-endian float32 values (the wire format of the limit sharpness). */
export function base64ToFloat32(text: string): Float32Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 4 !== 0) throw new ProtocolError(`float32 payload of ${bytes.length} bytes is not a multiple of 4`);
  const out = new Float32Array(bytes.length / 4);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(4 * i, true);
  return out;
}

/** Encodes float32 values little-endian regardless of the platform's byte order (NaN stays NaN). */
export function float32ToBase64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 4);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) dv.setFloat32(4 * i, values[i], true);
  return bytesToBase64(bytes);
}

/* ------------------------------------------------------------------ validation */

/** A message that does not match the protocol: names the field and what was wrong. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

type Obj = Record<string, unknown>;

function obj(value: unknown, where: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`${where}: expected an object`);
  }
  return value as Obj;
}

function num(o: Obj, key: string, where: string, opts: { int?: boolean; min?: number; positive?: boolean } = {}): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ProtocolError(`${where}.${key}: expected a finite number`);
  if (opts.int && !Number.isInteger(v)) throw new ProtocolError(`${where}.${key}: expected an integer`);
  if (opts.min !== undefined && v < opts.min) throw new ProtocolError(`${where}.${key}: must be ≥ ${opts.min}`);
  if (opts.positive && !(v > 0)) throw new ProtocolError(`${where}.${key}: must be > 0`);
  return v;
}

function numOrNull(o: Obj, key: string, where: string): number | null {
  return o[key] === null ? null : num(o, key, where);
}

function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ProtocolError(`${where}.${key}: expected a string`);
  return v;
}

function numArray(o: Obj, key: string, where: string, allowNonFinite = false): number[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new ProtocolError(`${where}.${key}: expected an array of numbers`);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    // JSON turns NaN/±Infinity into null; a diverging trajectory legitimately has them
    if (allowNonFinite ? !(typeof x === 'number' || x === null) : !(typeof x === 'number' && Number.isFinite(x))) {
      throw new ProtocolError(`${where}.${key}[${i}]: expected a ${allowNonFinite ? 'number' : 'finite number'}`);
    }
  }
  return v as number[];
}

function range(o: Obj, key: string, where: string): [number, number] {
  const r = numArray(o, key, where);
  if (r.length !== 2 || !(r[0] < r[1])) throw new ProtocolError(`${where}.${key}: expected [lo, hi] with lo < hi`);
  return [r[0], r[1]];
}

function rangeOrNull(o: Obj, key: string, where: string): [number, number] | null {
  return o[key] === null || o[key] === undefined ? null : range(o, key, where);
}

function requestId(o: Obj, where: string): number {
  return num(o, 'requestId', where, { int: true, min: 0 });
}

function requestIdOrNull(o: Obj, where: string): number | null {
  return o.requestId === null ? null : requestId(o, where);
}

function oneOf<T extends string>(o: Obj, key: string, values: readonly T[], where: string): T {
  const v = o[key];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new ProtocolError(`${where}.${key}: expected one of ${values.join(', ')}`);
  }
  return v as T;
}

function base64(o: Obj, key: string, where: string): string {
  const v = str(o, key, where);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new ProtocolError(`${where}.${key}: expected base64 text`);
  return v;
}

export function validateViewState(value: unknown, where = 'view'): PanelViewState {
  const o = obj(value, where);
  return { eta: num(o, 'eta', where, { positive: true }), xRange: rangeOrNull(o, 'xRange', where), yRange: rangeOrNull(o, 'yRange', where) };
}

/** Checks the parts of a session the panel relies on (the config layer validated the rest). */
export function validateSession(value: unknown, where = 'session'): AnalysisSession {
  const o = obj(value, where);
  str(o, 'title', where);
  const problem = obj(o.problem, `${where}.problem`);
  str(problem, 'expression', `${where}.problem`);
  num(o, 'eta', where, { positive: true });
  numArray(o, 'learningRates', where);
  if (!Array.isArray(o.starts)) throw new ProtocolError(`${where}.starts: expected an array of points`);
  o.starts.forEach((start: unknown, i) => {
    if (!Array.isArray(start) || !start.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new ProtocolError(`${where}.starts[${i}]: expected an array of finite numbers`);
    }
  });
  num(o, 'grid', where, { int: true, min: 2 });
  num(o, 'maxSteps', where, { int: true, min: 1 });
  if (o.axes !== undefined) {
    if (!Array.isArray(o.axes) || o.axes.length !== 2 || !o.axes.every((a) => typeof a === 'string')) {
      throw new ProtocolError(`${where}.axes: expected two variable names`);
    }
  }
  if (o.optimizer !== undefined) validateOptimizer(o.optimizer, `${where}.optimizer`);
  if (o.colorScheme !== undefined && !['paper', 'per-minimum', 'colorblind'].includes(o.colorScheme as string)) {
    throw new ProtocolError(`${where}.colorScheme: expected paper, per-minimum or colorblind`);
  }
  return value as AnalysisSession;
}

export function validatePersistedState(value: unknown): PersistedState {
  const o = obj(value, 'state');
  return { session: validateSession(o.session, 'state.session'), view: validateViewState(o.view, 'state.view') };
}

function validateStats(value: unknown, where: string): StatsView {
  const o = obj(value, where);
  for (const k of ['total', 'stable', 'unstable', 'diverged', 'notConverged', 'other']) num(o, k, where);
  if (!Array.isArray(o.perMinimum)) throw new ProtocolError(`${where}.perMinimum: expected an array`);
  o.perMinimum.forEach((p, i) => {
    const po = obj(p, `${where}.perMinimum[${i}]`);
    num(po, 'stable', `${where}.perMinimum[${i}]`);
    num(po, 'unstable', `${where}.perMinimum[${i}]`);
  });
  if (o.increases !== undefined) validateIncreaseStats(o.increases, `${where}.increases`);
  return value as StatsView;
}

function validateSweepPoint(value: unknown, where: string): SweepPointView {
  const o = obj(value, where);
  num(o, 'eta', where, { positive: true });
  num(o, 'etaFraction', where);
  validateStats(o.stats, `${where}.stats`);
  return value as SweepPointView;
}

function validateSlice(value: unknown, where: string): SliceSpec {
  const o = obj(value, where);
  const axes = numArray(o, 'axes', where);
  if (axes.length !== 2) throw new ProtocolError(`${where}.axes: expected two indices`);
  numArray(o, 'base', where);
  range(o, 'xRange', where);
  range(o, 'yRange', where);
  num(o, 'width', where, { int: true, min: 1 });
  num(o, 'height', where, { int: true, min: 1 });
  return value as SliceSpec;
}

function validateTrajectory(value: unknown, where: string): TrajectoryView {
  const o = obj(value, where);
  const n = num(o, 'n', where, { int: true, min: 1 });
  const steps = num(o, 'steps', where, { int: true, min: 0 });
  const tail = o.tail === undefined ? 0 : num(o, 'tail', where, { int: true, min: 0 });
  num(o, 'eta', where, { positive: true });
  numArray(o, 'init', where);
  if (numArray(o, 'theta', where, true).length !== (steps + tail + 1) * n) throw new ProtocolError(`${where}.theta: expected (steps+tail+1)·n values`);
  for (const k of ['loss', 'gradNorm', 'sharpness', 'increased']) {
    if (numArray(o, k, where, true).length !== steps + tail + 1) throw new ProtocolError(`${where}.${k}: expected steps+tail+1 values`);
  }
  str(o, 'outcome', where);
  numOrNull(o, 'minimum', where);
  num(o, 'K', where, { int: true, min: 0 });
  num(o, 'increases', where, { int: true, min: 0 });
  numOrNull(o, 'firstIncreaseAt', where);
  numOrNull(o, 'enteredCertifiedAt', where);
  validateTrajectoryOptimizer(o, where, steps + tail + 1);
  return value as TrajectoryView;
}

function validateAnalysis(value: unknown, where: string): AnalysisView {
  const o = obj(value, where);
  if (!Array.isArray(o.variables) || !o.variables.every((v) => typeof v === 'string')) {
    throw new ProtocolError(`${where}.variables: expected an array of names`);
  }
  str(o, 'normalized', where);
  if (!Array.isArray(o.domain)) throw new ProtocolError(`${where}.domain: expected a box`);
  if (numArray(o, 'axes', where).length !== 2) throw new ProtocolError(`${where}.axes: expected two indices`);
  numArray(o, 'base', where);
  if (!Array.isArray(o.minima) || !Array.isArray(o.criticalPoints)) throw new ProtocolError(`${where}.minima: expected arrays of critical points`);
  o.minima.forEach((m, i) => numArray(obj(m, `${where}.minima[${i}]`), 'point', `${where}.minima[${i}]`));
  numOrNull(o, 'etaMax', where);
  if (o.definedness !== undefined) {
    const d = obj(o.definedness, `${where}.definedness`);
    num(d, 'samples', `${where}.definedness`, { int: true, min: 0 });
    const f = num(d, 'undefinedFraction', `${where}.definedness`, { min: 0 });
    if (f > 1) throw new ProtocolError(`${where}.definedness.undefinedFraction: must be ≤ 1`);
    if (d.example !== null) numArray(d, 'example', `${where}.definedness`, true);
    if (!Array.isArray(d.unproven) || !d.unproven.every((u) => typeof u === 'string')) throw new ProtocolError(`${where}.definedness.unproven: expected an array of names`);
  }
  return value as AnalysisView;
}

/** Largest objective IR (in tree nodes) the webview accepts. */
export const MAX_EXPR_NODES = 20000;

/** Validates an Expr tree: known node kinds, whitelisted functions, finite constants, bounded size. */
export function validateExpr(value: unknown, variableCount: number, where = 'expr'): Expr {
  let budget = MAX_EXPR_NODES;
  const visit = (v: unknown, at: string, depth: number): void => {
    if (--budget < 0) throw new ProtocolError(`${where}: more than ${MAX_EXPR_NODES} nodes`);
    if (depth > 500) throw new ProtocolError(`${at}: nested too deeply`);
    const o = obj(v, at);
    const k = str(o, 'k', at);
    switch (k) {
      case 'num': num(o, 'v', at); return;
      case 'var': {
        const i = num(o, 'i', at, { int: true, min: 0 });
        if (i >= variableCount) throw new ProtocolError(`${at}.i: variable ${i} of ${variableCount}`);
        return;
      }
      case 'neg': visit(o.a, `${at}.a`, depth + 1); return;
      case 'add': case 'sub': case 'mul': case 'div': case 'pow':
        visit(o.a, `${at}.a`, depth + 1);
        visit(o.b, `${at}.b`, depth + 1);
        return;
      case 'call':
        oneOf(o, 'fn', FUNCTIONS, at);
        visit(o.a, `${at}.a`, depth + 1);
        return;
      default:
        throw new ProtocolError(`${at}.k: unknown node kind "${k}"`);
    }
  };
  visit(value, where, 0);
  return value as Expr;
}

/** Validates a message arriving in the webview. Throws ProtocolError naming the bad field. */
export function validateHostMessage(value: unknown): HostToWebview {
  const o = obj(value, 'message');
  const type = str(o, 'type', 'message');
  const w = `message(${type})`;
  switch (type) {
    case 'session':
      validateSession(o.session, `${w}.session`);
      if (o.view !== null) validateViewState(o.view, `${w}.view`);
      break;
    case 'analysis':
      validateAnalysis(o.analysis, `${w}.analysis`);
      break;
    case 'objective': {
      if (!Array.isArray(o.variables) || !o.variables.every((v) => typeof v === 'string')) {
        throw new ProtocolError(`${w}.variables: expected an array of names`);
      }
      validateExpr(o.expr, o.variables.length, `${w}.expr`);
      break;
    }
    case 'basinStart':
      requestId(o, w);
      oneOf(o, 'purpose', ['main', 'strip'], w);
      num(o, 'stripIndex', w, { int: true, min: 0 });
      validateSlice(o.slice, `${w}.slice`);
      num(o, 'eta', w, { positive: true });
      break;
    case 'basinRows': {
      requestId(o, w);
      const rowStart = num(o, 'rowStart', w, { int: true, min: 0 });
      const rowEnd = num(o, 'rowEnd', w, { int: true, min: 0 });
      if (rowEnd < rowStart) throw new ProtocolError(`${w}.rowEnd: must be ≥ rowStart`);
      num(o, 'width', w, { int: true, min: 1 });
      for (const k of ['classes', 'minimum', 'steps', 'unstableSteps', 'limitSharpness', 'period', 'increases']) base64(o, k, w);
      const p = obj(o.progress, `${w}.progress`);
      for (const k of ['rowsDone', 'rowsTotal', 'fraction', 'pixelsPerSecond']) num(p, k, `${w}.progress`);
      break;
    }
    case 'basinDone':
      requestId(o, w);
      validateStats(o.stats, `${w}.stats`);
      if (!Array.isArray(o.certificates)) throw new ProtocolError(`${w}.certificates: expected an array`);
      num(o, 'elapsedMs', w);
      if (o.optimizer !== undefined) validateOptimizerAnalysis(o.optimizer, `${w}.optimizer`);
      break;
    case 'trajectory':
      requestId(o, w);
      validateTrajectory(o.trajectory, `${w}.trajectory`);
      break;
    case 'sweepPoint':
      requestId(o, w);
      validateSweepPoint(o.point, `${w}.point`);
      num(o, 'done', w, { int: true, min: 0 });
      num(o, 'total', w, { int: true, min: 0 });
      break;
    case 'sweepDone':
      requestId(o, w);
      if (!Array.isArray(o.points)) throw new ProtocolError(`${w}.points: expected an array`);
      o.points.forEach((p, i) => validateSweepPoint(p, `${w}.points[${i}]`));
      break;
    case 'error':
      requestIdOrNull(o, w);
      str(o, 'message', w);
      break;
    case 'cancelled':
      requestIdOrNull(o, w);
      break;
    case 'command':
      requestId(o, w);
      oneOf(o, 'command', ['sweep', 'strip', 'capturePng', 'captureSvg'], w);
      break;
    case 'notice':
      str(o, 'message', w);
      break;
    default:
      if (NETWORK_HOST_TYPES.includes(type)) validateNetworkHostMessage(o, w);
      else if (MEASURES_HOST_TYPES.includes(type)) validateMeasuresHostMessage(o, w);
      else throw new ProtocolError(`message.type: unknown host message type "${type}"`);
  }
  return value as HostToWebview;
}

/** Validates a message arriving in the extension host from the webview. */
export function validateWebviewMessage(value: unknown): WebviewToHost {
  const o = obj(value, 'message');
  const type = str(o, 'type', 'message');
  const w = `message(${type})`;
  switch (type) {
    case 'ready':
      num(o, 'protocol', w, { int: true });
      break;
    case 'basin': {
      requestId(o, w);
      oneOf(o, 'purpose', ['main', 'strip'], w);
      num(o, 'stripIndex', w, { int: true, min: 0 });
      num(o, 'eta', w, { positive: true });
      range(o, 'xRange', w);
      range(o, 'yRange', w);
      num(o, 'grid', w, { int: true, min: 2 });
      validateOptimizerField(o, w);
      break;
    }
    case 'trajectory':
      requestId(o, w);
      num(o, 'eta', w, { positive: true });
      if (numArray(o, 'init', w).length === 0) throw new ProtocolError(`${w}.init: expected at least one coordinate`);
      validateOptimizerField(o, w);
      break;
    case 'sweep':
      requestId(o, w);
      range(o, 'xRange', w);
      range(o, 'yRange', w);
      num(o, 'grid', w, { int: true, min: 2 });
      validateOptimizerField(o, w);
      break;
    case 'cancel':
      requestIdOrNull(o, w);
      break;
    case 'export':
      oneOf(o, 'format', EXPORT_FORMATS, w);
      if (o.pngBase64 !== null) base64(o, 'pngBase64', w);
      if (o.trajectoryRequestId !== undefined && o.trajectoryRequestId !== null) num(o, 'trajectoryRequestId', w, { int: true, min: 0 });
      break;
    case 'pngData':
      requestId(o, w);
      base64(o, 'pngBase64', w);
      break;
    case 'viewState':
      validateViewState(o.view, `${w}.view`);
      break;
    default:
      if (NETWORK_WEBVIEW_TYPES.includes(type)) validateNetworkWebviewMessage(o, w);
      else if (MEASURES_WEBVIEW_TYPES.includes(type)) validateMeasuresWebviewMessage(o, w);
      else throw new ProtocolError(`message.type: unknown webview message type "${type}"`);
  }
  return value as WebviewToHost;
}
