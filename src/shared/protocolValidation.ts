/**
 * Validation of the panel protocol's messages (types in src/shared/protocol.ts) on arrival: the
 * webview checks every host message, the host every webview message and the state it restores.
 * Each validator throws a ProtocolError naming the bad field; the measures, network and optimizer
 * parts of a message are checked by the validators of their own files.
 */
import type { AnalysisSession } from './session';
import { NETWORK_HOST_TYPES, NETWORK_WEBVIEW_TYPES, validateNetworkHostMessage, validateNetworkWebviewMessage } from './networkProtocol';
import { FUNCTIONS } from '../engine/types';
import type { Expr, SliceSpec } from '../engine/types';
import { MEASURES_HOST_TYPES, MEASURES_WEBVIEW_TYPES, validateMeasuresHostMessage, validateMeasuresWebviewMessage } from './measuresMessages';
import { validateIncreaseStats, validateOptimizer, validateOptimizerAnalysis, validateOptimizerField, validateTrajectoryOptimizer } from './optimizerMessages';
import { EXPORT_FORMATS } from './protocol';
import type { AnalysisView, HostToWebview, PanelViewState, PersistedState, StatsView, SweepPointView, TrajectoryView, WebviewToHost } from './protocol';
import { ProtocolError, base64, num, numArray, numOrNull, obj, oneOf, range, rangeOrNull, requestId, requestIdOrNull, str } from './protocolFields';

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
