/**
 * The main basin map's job: requesting it (η or zoom changed, analysis arrived), filling it as rows
 * stream in (rows of a stale job are dropped), finishing it, and the status line it drives.
 */
import { base64ToBytes, base64ToFloat32, base64ToUint32 } from '../../src/shared/base64';
import type { HostToWebview } from '../../src/shared/protocol';
import { createMapData, insertRows } from '../lib/colors';
import { insertIncreases } from '../lib/increaseLayer';
import { base64ToUint16 } from '../../src/shared/optimizerMessages';
import { fmt, pct } from '../lib/format';
import { describeOptimizer, type OptimizerSpec } from '../../src/engine/optimizers/spec';

/** ' under heavy-ball momentum (β = 0.9)' for another optimizer than GD (status lines), '' for GD. */
export function underOptimizer(spec: OptimizerSpec): string {
  return spec.name === 'gd' ? '' : ` under ${describeOptimizer(spec)}`;
}
import { currentWindow, takeRequestId } from './selectors';
import type { MainJob, PanelState } from './types';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

/** Asks for a new main map at the current η and window (replacing any running one). */
export function requestMain(state: PanelState): PanelState {
  const w = currentWindow(state);
  if (!state.session || !state.analysis || !w) return state;
  const [requestId, s] = takeRequestId(state);
  const grid = state.session.grid;
  const main: MainJob = {
    requestId, eta: s.eta, grid, window: w, slice: null, map: null, revision: 0, certificates: [], done: false, elapsedMs: 0,
    optimizer: s.optimizer, optimizerAnalysis: null, increases: null,
  };
  return {
    ...s,
    main,
    status: { text: `Computing ${grid}×${grid} map at η = ${fmt(s.eta)}${underOptimizer(s.optimizer)}…`, progressVisible: true, progress: 0, cancelVisible: true },
  };
}

export function mainBasinStart(state: PanelState, msg: Msg<'basinStart'>): PanelState {
  const m = state.main;
  if (msg.purpose !== 'main' || m?.requestId !== msg.requestId) return state;
  return {
    ...state,
    main: { ...m, slice: msg.slice, map: createMapData(msg.slice.width, msg.slice.height, msg.eta), revision: 0, certificates: [] },
    mapMessage: null,
  };
}

/** The per-pixel arrays of a basinRows message: classes, minimum, steps, K, limit sharpness, period. */
export function decodeRows(msg: Msg<'basinRows'>): [Uint8Array, Int8Array, Uint32Array, Uint32Array, Float32Array, Uint8Array] {
  const classes = base64ToBytes(msg.classes);
  const minBytes = base64ToBytes(msg.minimum);
  return [
    classes, new Int8Array(minBytes.buffer, minBytes.byteOffset, minBytes.length), base64ToUint32(msg.steps), base64ToUint32(msg.unstableSteps),
    base64ToFloat32(msg.limitSharpness), base64ToBytes(msg.period),
  ];
}

/** Rows of the main map (false: not this job's, or it has not started). */
export function mainBasinRows(state: PanelState, msg: Msg<'basinRows'>): PanelState | false {
  const m = state.main;
  if (m?.requestId !== msg.requestId || !m.map) return false;
  insertRows(m.map, msg.rowStart, msg.rowEnd, ...decodeRows(msg));
  insertIncreases(m.map, msg.rowStart, msg.rowEnd, base64ToUint16(msg.increases));
  const p = msg.progress;
  return {
    ...state,
    main: { ...m, revision: m.revision + 1 },
    status: {
      ...state.status,
      progress: 100 * p.fraction,
      text: `Computing ${m.map.width}×${m.map.height} at η = ${fmt(m.eta)}: ${pct(p.fraction)} (${fmt(p.pixelsPerSecond / 1e6, 3)} M starts/s)`,
    },
  };
}

export function mainBasinDone(state: PanelState, msg: Msg<'basinDone'>): PanelState | false {
  const m = state.main;
  if (m?.requestId !== msg.requestId) return false;
  const etaMax = state.analysis?.etaMax;
  const st = msg.stats;
  return {
    ...state,
    main: { ...m, done: true, certificates: msg.certificates, elapsedMs: msg.elapsedMs, optimizerAnalysis: msg.optimizer ?? null, increases: msg.stats.increases ?? null },
    status: {
      ...state.status,
      progressVisible: false,
      cancelVisible: !!(state.sweep && !state.sweep.done),
      text: `${m.map?.width}×${m.map?.height} map at η = ${fmt(m.eta)}${etaMax ? ` (${fmt(m.eta / etaMax, 3)} η_max)` : ''}${underOptimizer(m.optimizer)} in ${fmt(msg.elapsedMs / 1000, 3)} s: stable ${pct(st.stable)}, unstable ${pct(st.unstable)}, diverged ${pct(st.diverged)}${extraClasses(st)}`,
    },
  };
}

/** ", cycle 1.2%, still descending 62.0%": the classes beyond stable / unstable / diverged that occur (older hosts' stats lack 5–7). */
export function extraClasses(st: Msg<'basinDone'>['stats']): string {
  const named: [string, number | undefined][] = [
    ['cycle', st.cycle], ['bounded aperiodic', st.aperiodic], ['still descending', st.descending], ['not converged', st.notConverged], ['other', st.other],
  ];
  return named.filter(([, v]) => v !== undefined && v > 0).map(([name, v]) => `, ${name} ${pct(v as number)}`).join('');
}

/** A failed job: the error box, and for the main map (or the session) the status and the map's message. */
export function hostError(state: PanelState, msg: Msg<'error'>): PanelState {
  const s = { ...state, error: msg.message };
  if (msg.requestId !== null && state.main?.requestId !== msg.requestId) return s;
  return { ...s, status: { ...s.status, progressVisible: false, cancelVisible: false, text: 'Failed.' }, mapMessage: msg.message };
}

/** Cancelled jobs (requestId null: everything). */
export function hostCancelled(state: PanelState, msg: Msg<'cancelled'>): PanelState {
  let s = state;
  if (msg.requestId === null || s.main?.requestId === msg.requestId) {
    const text = s.main && !s.main.done ? 'Cancelled: the map shows the rows computed so far.' : s.status.text;
    s = { ...s, status: { ...s.status, progressVisible: false, cancelVisible: false, text } };
  }
  if ((msg.requestId === null || s.sweep?.requestId === msg.requestId) && s.sweep && !s.sweep.done) {
    s = { ...s, sweep: { ...s.sweep, cancelled: true } };
  }
  return s;
}
