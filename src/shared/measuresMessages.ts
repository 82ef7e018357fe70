/**
 * Panel messages of the dynamics measures (part of the protocol in protocol.ts, whose unions
 * include these): orbit diagrams, the uncertainty exponent of the current map, tipping between
 * two learning rates, their exports, and files the webview drew itself (SVG / PNG figures).
 * Plain JSON: typed arrays travel as base64 (float64 little-endian, NaN and ±∞ included).
 */
import type { OrbitDiagram, OrbitOptions, OrbitPoint, OrbitStatus } from '../engine/measures/orbit';
import type { Tipping, TransitionMatrix } from '../engine/measures/tipping';
import { base64ToBytes, base64ToFloat64, bytesToBase64, float64ToBase64 } from './base64';
import { ProtocolError, finite, obj, oneOf, type Obj } from './protocolFields';

/** An orbit diagram on the wire (values and Lyapunov exponents as base64 float64). */
export interface OrbitDiagramView {
  variables: string[];
  starts: number[][];
  etas: number[];
  channels: string[];
  options: Required<OrbitOptions>;
  /** base64 float64 LE, [η][start][k][channel] */
  values: string;
  points: { status: OrbitStatus; period: number; minimum: number; divergedAt: number }[];
  /** base64 float64 LE, one per point (NaN: diverged, −∞: the tangent vector vanished) */
  lyapunov: string;
  minima: { point: number[]; value: number; lambdaMax: number; etaMax: number | null }[];
  firstNonConvergent: (number | null)[];
}

export interface UncertaintyView {
  partition: string;
  alpha: number | null;
  stdErr: number | null;
  dimension: number | null;
  epsilonRange: [number, number] | null;
  reason: string | null;
}

/** A tipping comparison on the wire: the matrices and the per-pixel transitions (base64 uint8 or uint16 LE). */
export interface TippingView {
  eta1: number;
  eta2: number;
  width: number;
  height: number;
  codeCount: number;
  classes: TransitionMatrix;
  attractors: TransitionMatrix;
  transitions: string;
  /** transitions are uint16 (more than 16 class codes) */
  wide: boolean;
}

export const MEASURE_EXPORTS = ['orbit-csv', 'orbit-json', 'tipping-csv', 'tipping-json', 'tipping-npy'] as const;
export type MeasureExport = (typeof MEASURE_EXPORTS)[number];

/** Largest file the webview may hand the host to save (characters of text or base64). */
export const MAX_SAVED_FILE = 64 * 1024 * 1024;

export type MeasuresHostMessage =
  | { type: 'measureProgress'; requestId: number; done: number; total: number }
  | { type: 'orbitDone'; requestId: number; diagram: OrbitDiagramView }
  | { type: 'uncertaintyDone'; requestId: number; starts: number; exponents: UncertaintyView[] }
  | { type: 'tippingDone'; requestId: number; tipping: TippingView };

export type MeasuresWebviewMessage =
  | { type: 'orbit'; requestId: number; init: number[]; etaRange: [number, number]; count: number; transient: number; keep: number; record: number[] }
  | { type: 'uncertainty'; requestId: number; eta: number; xRange: [number, number]; yRange: [number, number]; grid: number }
  | { type: 'tipping'; requestId: number; eta1: number; eta2: number; xRange: [number, number]; yRange: [number, number]; grid: number }
  | { type: 'measureExport'; format: MeasureExport }
  /** a file the webview drew: SVG text, or PNG as base64 */
  | { type: 'saveFile'; fileName: string; format: 'svg' | 'png'; content: string };

/* ------------------------------------------------------------------ float64 arrays */

export { base64ToFloat64, float64ToBase64 } from './base64';

/* ------------------------------------------------------------------ conversions */

export function orbitDiagramView(d: OrbitDiagram): OrbitDiagramView {
  return {
    variables: d.variables, starts: d.starts, etas: d.etas, channels: d.channels, options: d.options,
    values: float64ToBase64(d.values),
    points: d.points.map((p) => ({ status: p.status, period: p.period, minimum: p.minimum, divergedAt: p.divergedAt })),
    lyapunov: float64ToBase64(d.points.map((p) => p.lyapunov)),
    minima: d.minima, firstNonConvergent: d.firstNonConvergent,
  };
}

/** The diagram back as the engine's type (the figures and charts take it); `final` is not sent. */
export function orbitDiagramFromView(v: OrbitDiagramView): OrbitDiagram {
  const lyapunov = base64ToFloat64(v.lyapunov);
  const S = v.starts.length;
  const points: OrbitPoint[] = v.points.map((p, i) => ({ ...p, eta: v.etas[Math.floor(i / S)], start: i % S, lyapunov: lyapunov[i], final: [] }));
  return { ...v, values: base64ToFloat64(v.values), points };
}

export function tippingView(t: Tipping): TippingView {
  const wide = t.transitions instanceof Uint16Array;
  let bytes: Uint8Array;
  if (wide) {
    bytes = new Uint8Array(t.transitions.length * 2);
    const dv = new DataView(bytes.buffer);
    t.transitions.forEach((v, i) => dv.setUint16(2 * i, v, true));
  } else bytes = t.transitions as Uint8Array;
  return { eta1: t.eta1, eta2: t.eta2, width: t.width, height: t.height, codeCount: t.codeCount, classes: t.classes, attractors: t.attractors, transitions: bytesToBase64(bytes), wide };
}

/** Per-pixel transitions (code at η₁ × codeCount + code at η₂). */
export function tippingTransitions(v: TippingView): Uint8Array | Uint16Array {
  const bytes = base64ToBytes(v.transitions);
  const n = v.width * v.height;
  if (bytes.length !== n * (v.wide ? 2 : 1)) throw new ProtocolError(`tipping transitions: ${bytes.length} bytes for ${v.width}×${v.height} pixels`);
  if (!v.wide) return bytes;
  const out = new Uint16Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = dv.getUint16(2 * i, true);
  return out;
}

/* ------------------------------------------------------------------ validation */

function fail(where: string, what: string): never {
  throw new ProtocolError(`${where}: ${what}`);
}

function whole(o: Obj, key: string, where: string, min: number, max: number): number {
  const v = finite(o, key, where, min);
  if (!Number.isInteger(v) || v > max) fail(`${where}.${key}`, `expected a whole number from ${min} to ${max}`);
  return v;
}

function pair(o: Obj, key: string, where: string, positive = false): [number, number] {
  const v = o[key];
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x)) || !(v[0] < v[1]) || (positive && !(v[0] > 0))) {
    fail(`${where}.${key}`, `expected [lo, hi] with ${positive ? '0 < ' : ''}lo < hi`);
  }
  return [v[0] as number, v[1] as number];
}

function base64Field(o: Obj, key: string, where: string): void {
  const v = o[key];
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) fail(`${where}.${key}`, 'expected base64 text');
}

/** Checks a measures message for the webview (`o` has a known `type`); throws ProtocolError. */
export function validateMeasuresHostMessage(o: Obj, where: string): void {
  whole(o, 'requestId', where, 0, Number.MAX_SAFE_INTEGER);
  switch (o.type) {
    case 'measureProgress':
      whole(o, 'done', where, 0, Number.MAX_SAFE_INTEGER);
      whole(o, 'total', where, 0, Number.MAX_SAFE_INTEGER);
      return;
    case 'orbitDone': {
      const d = obj(o.diagram, `${where}.diagram`);
      for (const k of ['etas', 'starts', 'channels', 'points', 'minima', 'firstNonConvergent', 'variables']) if (!Array.isArray(d[k])) fail(`${where}.diagram.${k}`, 'expected an array');
      base64Field(d, 'values', `${where}.diagram`);
      base64Field(d, 'lyapunov', `${where}.diagram`);
      const opts = obj(d.options, `${where}.diagram.options`);
      const keep = whole(opts, 'keep', `${where}.diagram.options`, 1, 1e9);
      whole(opts, 'transient', `${where}.diagram.options`, 0, 1e12);
      const n = (d.etas as unknown[]).length * (d.starts as unknown[]).length;
      if ((d.points as unknown[]).length !== n) fail(`${where}.diagram.points`, `expected ${n} orbits`);
      if (base64ToBytes(d.values as string).length !== n * keep * (d.channels as unknown[]).length * 8) fail(`${where}.diagram.values`, 'wrong length');
      return;
    }
    case 'uncertaintyDone':
      whole(o, 'starts', where, 0, Number.MAX_SAFE_INTEGER);
      if (!Array.isArray(o.exponents)) fail(`${where}.exponents`, 'expected an array');
      return;
    case 'tippingDone': {
      const t = obj(o.tipping, `${where}.tipping`);
      whole(t, 'width', `${where}.tipping`, 1, 1 << 16);
      whole(t, 'height', `${where}.tipping`, 1, 1 << 16);
      whole(t, 'codeCount', `${where}.tipping`, 1, 256);
      base64Field(t, 'transitions', `${where}.tipping`);
      for (const k of ['classes', 'attractors']) {
        const m = obj(t[k], `${where}.tipping.${k}`);
        if (!Array.isArray(m.labels) || !Array.isArray(m.counts) || !Array.isArray(m.fractions)) fail(`${where}.tipping.${k}`, 'expected labels, counts and fractions');
      }
      return;
    }
  }
}

/** Checks a measures message from the webview; throws ProtocolError naming the bad field. */
export function validateMeasuresWebviewMessage(o: Obj, where: string): void {
  switch (o.type) {
    case 'orbit': {
      whole(o, 'requestId', where, 0, Number.MAX_SAFE_INTEGER);
      if (!Array.isArray(o.init) || o.init.length === 0 || !o.init.every((x) => typeof x === 'number' && Number.isFinite(x))) fail(`${where}.init`, 'expected finite coordinates');
      pair(o, 'etaRange', where, true);
      whole(o, 'count', where, 1, 5000);
      whole(o, 'transient', where, 0, 1_000_000);
      whole(o, 'keep', where, 1, 10_000);
      if (!Array.isArray(o.record) || !o.record.every((x) => Number.isInteger(x) && (x as number) >= 0)) fail(`${where}.record`, 'expected variable indices');
      return;
    }
    case 'uncertainty':
    case 'tipping':
      whole(o, 'requestId', where, 0, Number.MAX_SAFE_INTEGER);
      if (o.type === 'uncertainty') finite(o, 'eta', where, Number.MIN_VALUE);
      else {
        finite(o, 'eta1', where, Number.MIN_VALUE);
        finite(o, 'eta2', where, Number.MIN_VALUE);
      }
      pair(o, 'xRange', where);
      pair(o, 'yRange', where);
      whole(o, 'grid', where, 2, 1024);
      return;
    case 'measureExport':
      oneOf(o, 'format', MEASURE_EXPORTS, where);
      return;
    case 'saveFile':
      if (typeof o.fileName !== 'string' || !/^[\w.() =,+-]{1,100}$/.test(o.fileName)) fail(`${where}.fileName`, 'expected a plain file name');
      if (o.format !== 'svg' && o.format !== 'png') fail(`${where}.format`, 'expected svg or png');
      if (typeof o.content !== 'string' || o.content.length > MAX_SAVED_FILE) fail(`${where}.content`, `expected text of at most ${MAX_SAVED_FILE} characters`);
      if (o.format === 'png') base64Field(o, 'content', where);
      return;
  }
}

export const MEASURES_HOST_TYPES: readonly string[] = ['measureProgress', 'orbitDone', 'uncertaintyDone', 'tippingDone'];
export const MEASURES_WEBVIEW_TYPES: readonly string[] = ['orbit', 'uncertainty', 'tipping', 'measureExport', 'saveFile'];
