/**
 * Real inputs for the panel's store tests: the f4 example config parsed by the config layer, its
 * analysis by the engine, the AnalysisView the host would send (src/extension/panel/slice.ts),
 * and basin rows computed by the engine's kernel and encoded exactly as the host encodes them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/config';
import { BUILTIN_DEFAULTS, sessionFromConfig } from '../../../src/config/session';
import { analyzeProblem } from '../../../src/engine/analyze';
import { createBasinKernel } from '../../../src/engine/basin';
import type { BasinRows } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import type { SliceSpec } from '../../../src/engine/types';
import { analysisView, sliceFor } from '../../../src/extension/panel/slice';
import { bytesToBase64, float32ToBase64, uint32ToBase64 } from '../../../src/shared/base64';
import { uint16ToBase64 } from '../../../src/shared/optimizerMessages';
import type { AnalysisView, HostToWebview, WebviewToHost } from '../../../src/shared/protocol';
import type { AnalysisSession } from '../../../src/shared/session';
import { Store } from '../../../webview/core/store';
import type { ThemeColors } from '../../../webview/lib/theme';
import type { Action } from '../../../webview/state/actions';
import { initialState, reduce } from '../../../webview/state/reducer';
import { requestsBetween } from '../../../webview/state/requests';
import type { PanelState } from '../../../webview/state/types';

export const THEME: ThemeColors = {
  foreground: '#333333', muted: '#888888', grid: 'rgba(0,0,0,0.07)', unstable: '#e00000', stable: '#000000', accent: '#1f77b4', background: '#ffffff',
};

const text = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'figure3-f4.gdlab.json'), 'utf8');
const config = parseConfig(text, 'json');
if (!config.spec) throw new Error('examples/figure3-f4.gdlab.json has no problem');
export const F4_PROBLEM = analyzeProblem(config.spec);
const session = sessionFromConfig(config, F4_PROBLEM.minima, BUILTIN_DEFAULTS);
if (!session) throw new Error('no session for examples/figure3-f4.gdlab.json');
/** The session the host sends for examples/figure3-f4.gdlab.json (lr 0.25, starts (0.1, 2.5), (1.5, 2), grid 256). */
export const F4_SESSION: AnalysisSession = session;
/** What the host sends after the worker's analysis (the worker's AnalysisResult → analysisView). */
export const F4_ANALYSIS: AnalysisView = analysisView({
  variables: [...F4_PROBLEM.parsed.variables], normalized: F4_PROBLEM.parsed.normalized, domain: F4_PROBLEM.domain,
  criticalPoints: F4_PROBLEM.criticalPoints, minima: F4_PROBLEM.minima,
}, F4_SESSION);

export const sessionMsg = (s: AnalysisSession = F4_SESSION, view: Extract<HostToWebview, { type: 'session' }>['view'] = null): Action =>
  ({ type: 'host', message: { type: 'session', session: s, view } });
export const analysisMsg = (a: AnalysisView = F4_ANALYSIS): Action => ({ type: 'host', message: { type: 'analysis', analysis: a } });
export const host = (message: HostToWebview): Action => ({ type: 'host', message });

/** The slice the host computes for a basin request. */
export function sliceOf(req: Extract<WebviewToHost, { type: 'basin' }>): SliceSpec {
  return sliceFor(F4_ANALYSIS, req.xRange, req.yRange, req.grid);
}

/** Engine rows [rowStart, rowEnd) of a map, and the basinRows message the host sends for them. */
export function engineRows(slice: SliceSpec, eta: number, rowStart: number, rowEnd: number): BasinRows {
  const kernel = createBasinKernel(F4_PROBLEM, slice, eta, DEFAULT_CLASSIFY, certifyAll(F4_PROBLEM, eta));
  const rows = kernel.runRows(rowStart, rowEnd);
  if (!rows) throw new Error('kernel cancelled');
  return rows;
}

export function rowsMsg(requestId: number, rows: BasinRows, fraction: number): Action {
  return host({
    type: 'basinRows', requestId, rowStart: rows.rowStart, rowEnd: rows.rowEnd, width: rows.width,
    classes: bytesToBase64(rows.classes), minimum: bytesToBase64(rows.minimum),
    steps: uint32ToBase64(rows.steps), unstableSteps: uint32ToBase64(rows.unstableSteps),
    limitSharpness: float32ToBase64(rows.limitSharpness), period: bytesToBase64(rows.period),
    increases: uint16ToBase64(rows.increases),
    progress: { rowsDone: rows.rowEnd, rowsTotal: rows.rowEnd, fraction, pixelsPerSecond: 2.5e6 },
  });
}

/** A store on the real reducer that records what it sends to the host. */
export function recordingStore(state: PanelState = initialState(THEME)): { store: Store; sent: WebviewToHost[]; errors: unknown[] } {
  const sent: WebviewToHost[] = [];
  const errors: unknown[] = [];
  const store = new Store(state, { reducer: reduce, requests: requestsBetween, send: (m) => sent.push(m), onListenerError: (e) => errors.push(e) });
  return { store, sent, errors };
}

export function ofType<T extends WebviewToHost['type']>(sent: readonly WebviewToHost[], type: T): Extract<WebviewToHost, { type: T }>[] {
  return sent.filter((m): m is Extract<WebviewToHost, { type: T }> => m.type === type);
}
