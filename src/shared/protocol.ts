/**
 * Messages between the extension host (src/extension/panel) and the panel webview (webview/).
 * Discriminated unions on `type`; every request the webview makes carries a `requestId` that the
 * host echoes on every answer, so stale answers (a job replaced by a newer one) are dropped.
 * Handshake: the webview posts `ready` once its script runs; the host queues everything until then.
 *
 * Everything here is plain JSON (no typed arrays: per-pixel rows travel as base64 strings, so the
 * messages survive any webview serialisation; the byte helpers are in base64.ts) and is validated
 * on arrival by the functions of protocolValidation.ts. Imported by both sides: no vscode, no DOM,
 * no Node APIs.
 */
import type { AnalysisSession } from './session';
import type { NetworkHostMessage, NetworkWebviewMessage } from './networkProtocol';
import type { BasinStats, Box, CertificateResult, CriticalPoint, Expr, SliceSpec } from '../engine/types';
import type { MeasuresHostMessage, MeasuresWebviewMessage } from './measuresMessages';
import type { Definedness } from '../engine/definedness';
import type { OptimizerAnalysis } from '../engine/optimizers/analysis';
import type { OptimizerSpec } from '../engine/optimizers/spec';

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
