/**
 * Webview entry (dist/webview.js): the GD Stability Lab panel UI. Talks to the host only through
 * the validated messages of src/shared/protocol.ts; persists { session, view } with setState so
 * the host's serializer can restore the panel after a reload.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import css from './styles.css';
import { PANEL_MARKUP } from './markup';
import { BasinCanvas } from './basinCanvas';
import type { MapView } from './basinCanvas';
import { SweepChart, TrajectoryCharts } from './charts';
import type { ThemeColors } from './charts';
import {
  COLOR_SCHEMES, MAP_LAYERS, classColor, createMapData, insertRows, liveFractions, parseCssColor, renderMap, rgbCss, viridis,
} from './lib/colors';
import type { ColorScheme, MapData, MapLayer } from './lib/colors';
import { PAPER_ETA_FRACTIONS, sliceStart } from './lib/geometry';
import type { Range } from './lib/geometry';
import { bindObjective, certifiedOutline, contourLevels, marchingSquares, sampleField, sliceFunction } from './lib/contours';
import type { Objective } from './lib/contours';
import { etaFromSlider, etaToSlider, formatEta, parseEta } from './lib/eta';
import { PixelClass } from '../src/engine/types';
import type { CertificateResult, SliceSpec } from '../src/engine/types';
import type { AnalysisSession } from '../src/shared/session';
import {
  PROTOCOL_VERSION, base64ToBytes, base64ToUint32, validateHostMessage, validatePersistedState,
} from '../src/shared/protocol';
import type {
  AnalysisView, HostToWebview, PanelViewState, PersistedState, SweepPointView, TrajectoryView, WebviewToHost,
} from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const STRIP_GRID = 96;
const SWEEP_GRID = 64;

/* ------------------------------------------------------------------ DOM */

const sheet = new CSSStyleSheet();
sheet.replaceSync(css);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
const app = document.getElementById('app') ?? document.body;
app.innerHTML = PANEL_MARKUP;

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`panel markup lacks #${id}`);
  return el;
}

/** A vscode-elements control seen through the properties the panel uses. */
interface ValueElement extends HTMLElement {
  value: string;
  checked: boolean;
  disabled: boolean;
}
const ctl = (id: string): ValueElement => $(id) as ValueElement;

const ui = {
  title: $('title'),
  expression: $('expression'),
  errorBox: $('error-box'),
  notice: $('notice'),
  etaSlider: $('eta-slider') as HTMLInputElement,
  etaTicks: $('eta-ticks'),
  etaInput: ctl('eta-input'),
  etaFraction: $('eta-fraction'),
  etaChips: $('eta-chips'),
  layer: ctl('layer-select'),
  scheme: ctl('scheme-select'),
  showCertified: ctl('show-certified'),
  showMinima: ctl('show-minima'),
  showContours: ctl('show-contours'),
  zoomBack: ctl('zoom-back'),
  zoomReset: ctl('zoom-reset'),
  progress: $('progress') as HTMLElement & { value?: number; max: number },
  status: $('status'),
  cancel: ctl('cancel-button'),
  legend: $('legend'),
  hover: $('hover-readout'),
  minimaList: $('minima-list'),
  trajectoryList: $('trajectory-list'),
  trajectorySection: $('trajectory-section'),
  trajectorySummary: $('trajectory-summary'),
  sweepSection: $('sweep-section'),
  sweepSummary: $('sweep-summary'),
  stripSection: $('strip-section'),
  strip: $('strip'),
};

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function readTheme(): ThemeColors {
  const background = cssVar('--vscode-editor-background', '#ffffff');
  const bg = parseCssColor(background);
  const dark = bg ? bg[0] * 0.299 + bg[1] * 0.587 + bg[2] * 0.114 < 128 : false;
  return {
    foreground: cssVar('--vscode-foreground', dark ? '#cccccc' : '#333333'),
    muted: cssVar('--vscode-descriptionForeground', '#888888'),
    grid: dark ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.07)',
    unstable: cssVar('--vscode-charts-red', '#e00000'),
    // the paper draws the stable phase black; on a dark theme black is invisible, use the foreground
    stable: dark ? cssVar('--vscode-foreground', '#e0e0e0') : '#000000',
    accent: cssVar('--vscode-charts-blue', '#1f77b4'),
    background,
  };
}

/* ------------------------------------------------------------------ state */

interface MainJob {
  requestId: number;
  eta: number;
  slice: SliceSpec | null;
  map: MapData | null;
  certificates: CertificateResult[];
  done: boolean;
  elapsedMs: number;
}

interface TrajectoryEntry {
  requestId: number;
  source: 'config' | 'click';
  init: number[];
  data: TrajectoryView | null;
  error: string | null;
}

interface StripEntry {
  requestId: number;
  fraction: number;
  eta: number;
  map: MapData | null;
  canvas: HTMLCanvasElement;
  figure: HTMLElement;
  done: boolean;
}

const state = {
  session: null as AnalysisSession | null,
  analysis: null as AnalysisView | null,
  eta: 0.1,
  window: null as { xRange: Range; yRange: Range } | null,
  zoomStack: [] as { xRange: Range; yRange: Range }[],
  layer: 'class' as MapLayer,
  scheme: 'paper' as ColorScheme,
  main: null as MainJob | null,
  trajectories: [] as TrajectoryEntry[],
  selected: -1,
  highlight: null as number | null,
  strip: [] as StripEntry[],
  sweep: null as { requestId: number; points: SweepPointView[]; done: boolean } | null,
  /** f from the objective's IR (contours, certified set), null until the host sends it */
  objective: null as Objective | null,
};

const CONTOUR_GRID = 96;
const CONTOUR_LEVELS = 12;

/** Contour lines of f over the main map's window (when f is known and the layer is on). */
function updateContours(): void {
  const m = state.main;
  if (!state.objective || !m?.slice || !ui.showContours.checked) {
    basin.setOverlay({ contours: [] });
    return;
  }
  try {
    const fn = sliceFunction(state.objective, m.slice.base, m.slice.axes);
    const field = sampleField(fn, m.slice.xRange, m.slice.yRange, CONTOUR_GRID, CONTOUR_GRID);
    basin.setOverlay({ contours: contourLevels(field, CONTOUR_LEVELS).map((level) => marchingSquares(field, level)) });
  } catch (err) {
    basin.setOverlay({ contours: [] });
    ui.notice.textContent = `No contour lines: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Exact certified sets ball ∩ {f < c} when f is known (else the canvas draws the balls). */
function updateCertifiedOutlines(): void {
  const m = state.main;
  if (!state.objective || !m?.slice) {
    basin.setOverlay({ certifiedOutlines: null });
    return;
  }
  const f = state.objective;
  const slice = m.slice;
  try {
    const outlines = m.certificates.filter((c) => c.ok).map((c) => {
      const cert = (c as Extract<CertificateResult, { ok: true }>).certificate;
      return certifiedOutline(f, cert.center, cert.tPrime, cert.c, slice.base, slice.axes);
    });
    basin.setOverlay({ certifiedOutlines: outlines });
  } catch {
    basin.setOverlay({ certifiedOutlines: null });
  }
}

let nextRequestId = 1;
let theme = readTheme();

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

/* ------------------------------------------------------------------ components */

const basin = new BasinCanvas($('basin-canvas') as HTMLCanvasElement, {
  pick: (x, y) => pickStart(x, y),
  zoom: (xRange, yRange) => zoomTo({ xRange, yRange }, true),
  hover: (info) => showHover(info),
  back: () => zoomBack(),
  reset: () => zoomReset(),
}, theme);

const charts = new TrajectoryCharts(
  { loss: $('loss-chart') as HTMLCanvasElement, grad: $('grad-chart') as HTMLCanvasElement, sharpness: $('sharpness-chart') as HTMLCanvasElement },
  (k) => {
    state.highlight = k;
    basin.setOverlay({ highlight: k });
  },
);

const sweepChart = new SweepChart($('sweep-chart') as HTMLCanvasElement, (eta) => setEta(eta));

/* ------------------------------------------------------------------ helpers */

function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(digits)));
}

function pct(f: number): string {
  return `${(100 * f).toFixed(f > 0 && f < 0.001 ? 3 : 1)}%`;
}

function showError(message: string | null): void {
  ui.errorBox.hidden = message === null;
  ui.errorBox.textContent = message ?? '';
}

function setStatus(text: string): void {
  ui.status.textContent = text;
}

function fullWindow(): { xRange: Range; yRange: Range } | null {
  const a = state.analysis;
  if (!a) return null;
  const [ix, iy] = a.axes;
  return { xRange: [a.domain[ix][0], a.domain[ix][1]], yRange: [a.domain[iy][0], a.domain[iy][1]] };
}

function currentWindow(): { xRange: Range; yRange: Range } | null {
  return state.window ?? fullWindow();
}

function saveState(): void {
  if (!state.session) return;
  const w = state.window;
  const view: PanelViewState = { eta: state.eta, xRange: w ? w.xRange : null, yRange: w ? w.yRange : null };
  const persisted: PersistedState = { session: state.session, view };
  vscode.setState(persisted);
  post({ type: 'viewState', view });
}

function axisNames(): [string, string] {
  const a = state.analysis;
  if (!a) return ['x', 'y'];
  return [a.variables[a.axes[0]] ?? 'x', a.variables[a.axes[1]] ?? 'y'];
}

/* ------------------------------------------------------------------ η control */

function updateEtaControls(): void {
  const etaMax = state.analysis?.etaMax ?? null;
  ui.etaInput.value = formatEta(state.eta);
  ui.etaSlider.value = String(etaToSlider(state.eta, etaMax ?? state.eta * 2));
  ui.etaFraction.textContent = etaMax ? `η/η_max = ${fmt(state.eta / etaMax, 3)}${state.eta >= etaMax ? ' (≥ η_max: no stable convergence to the sharpest minimum)' : ''}` : '';
  for (const chip of Array.from(ui.etaChips.querySelectorAll<HTMLButtonElement>('button'))) {
    const f = Number(chip.dataset.fraction);
    chip.setAttribute('aria-pressed', String(etaMax !== null && Math.abs(state.eta - f * etaMax) <= 1e-9 * etaMax));
  }
}

function buildEtaMarks(): void {
  const etaMax = state.analysis?.etaMax ?? null;
  ui.etaChips.replaceChildren();
  ui.etaTicks.replaceChildren();
  if (etaMax === null) return;
  for (const f of [...PAPER_ETA_FRACTIONS, 1]) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = f === 1 ? 'chip eta-max' : 'chip';
    b.dataset.fraction = String(f);
    b.textContent = f === 1 ? `η_max = ${fmt(etaMax)}` : String(f);
    b.setAttribute('aria-label', f === 1 ? `Set η to η_max = ${fmt(etaMax)}` : `Set η to ${f} η_max = ${fmt(f * etaMax)}`);
    b.addEventListener('click', () => setEta(f * etaMax));
    ui.etaChips.append(b);
    const o = document.createElement('option');
    o.value = String(etaToSlider(f * etaMax, etaMax));
    ui.etaTicks.append(o);
  }
}

function setEta(eta: number, fromSlider = false): void {
  if (!(eta > 0) || !Number.isFinite(eta)) return;
  state.eta = eta;
  if (!fromSlider) updateEtaControls();
  else {
    ui.etaInput.value = formatEta(eta);
    const etaMax = state.analysis?.etaMax;
    ui.etaFraction.textContent = etaMax ? `η/η_max = ${fmt(eta / etaMax, 3)}` : '';
  }
  saveState();
  requestMain();
  rerunTrajectories();
  state.strip.forEach((s) => s.figure.setAttribute('aria-current', String(Math.abs(s.eta - eta) < 1e-12)));
}

let sliderTimer: ReturnType<typeof setTimeout> | undefined;
ui.etaSlider.addEventListener('input', () => {
  const etaMax = state.analysis?.etaMax ?? state.eta * 2;
  const eta = etaFromSlider(Number(ui.etaSlider.value), etaMax);
  ui.etaInput.value = formatEta(eta);
  clearTimeout(sliderTimer);
  sliderTimer = setTimeout(() => setEta(eta, true), 150);
});
const applyEtaInput = (): void => {
  const parsed = parseEta(ui.etaInput.value);
  const field = ui.etaInput as ValueElement & { invalid: boolean };
  if (typeof parsed === 'string') {
    field.invalid = true;
    showError(`Learning rate: ${parsed}`);
    return;
  }
  field.invalid = false;
  showError(null);
  if (parsed !== state.eta) setEta(parsed);
};
ui.etaInput.addEventListener('change', applyEtaInput);
ui.etaInput.addEventListener('keydown', (e) => {
  if ((e as KeyboardEvent).key === 'Enter') applyEtaInput();
});

/* ------------------------------------------------------------------ main map */

function requestMain(): void {
  const w = currentWindow();
  if (!state.session || !state.analysis || !w) return;
  const requestId = nextRequestId++;
  state.main = { requestId, eta: state.eta, slice: null, map: null, certificates: [], done: false, elapsedMs: 0 };
  post({ type: 'basin', requestId, purpose: 'main', stripIndex: 0, eta: state.eta, xRange: w.xRange, yRange: w.yRange, grid: state.session.grid });
  ui.progress.hidden = false;
  ui.progress.value = 0;
  ui.cancel.hidden = false;
  setStatus(`Computing ${state.session.grid}×${state.session.grid} map at η = ${fmt(state.eta)}…`);
  ui.zoomBack.disabled = state.zoomStack.length === 0;
  ui.zoomReset.disabled = state.window === null;
}

function zoomTo(w: { xRange: Range; yRange: Range }, push: boolean): void {
  const cur = currentWindow();
  if (push && cur) state.zoomStack.push(cur);
  state.window = w;
  saveState();
  requestMain();
  refreshStripIfShown();
}

function zoomBack(): void {
  const prev = state.zoomStack.pop();
  if (!prev) return;
  zoomTo(prev, false);
}

function zoomReset(): void {
  if (!state.window) return;
  state.zoomStack = [];
  state.window = null;
  saveState();
  requestMain();
  refreshStripIfShown();
}

function mainView(): MapView | null {
  const m = state.main;
  if (!m || !m.map || !m.slice) return null;
  return { map: m.map, xRange: m.slice.xRange, yRange: m.slice.yRange, axes: m.slice.axes, base: m.slice.base, axisNames: axisNames() };
}

function decodeRows(msg: Extract<HostToWebview, { type: 'basinRows' }>): [Uint8Array, Int8Array, Uint32Array, Uint32Array] {
  const classes = base64ToBytes(msg.classes);
  const minBytes = base64ToBytes(msg.minimum);
  return [classes, new Int8Array(minBytes.buffer, minBytes.byteOffset, minBytes.length), base64ToUint32(msg.steps), base64ToUint32(msg.unstableSteps)];
}

/* ------------------------------------------------------------------ legend */

function renderLegend(): void {
  const map = state.main?.map;
  const minimaCount = state.analysis?.minima.length ?? 0;
  const live = map ? liveFractions(map, minimaCount) : null;
  const rows: HTMLElement[] = [];
  const entry = (color: string, label: string, value: string): void => {
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = color;
    const l = document.createElement('span');
    l.textContent = label;
    const v = document.createElement('span');
    v.textContent = value;
    rows.push(sw, l, v);
  };
  const frac = (cls: number): string => (live ? pct(live.byClass[cls]) : '–');
  if (state.layer === 'class') {
    if (state.scheme === 'per-minimum') {
      for (let j = 0; j < minimaCount; j++) {
        entry(rgbCss(classColor('per-minimum', PixelClass.Stable, j)), `min ${j} stable`, live ? pct(live.perMinimum[j].stable) : '–');
        entry(rgbCss(classColor('per-minimum', PixelClass.Unstable, j)), `min ${j} unstable`, live ? pct(live.perMinimum[j].unstable) : '–');
      }
    } else {
      entry(rgbCss(classColor(state.scheme, PixelClass.Stable, 0)), 'stable (U_η)', frac(PixelClass.Stable));
      entry(rgbCss(classColor(state.scheme, PixelClass.Unstable, 0)), 'unstable (V_η \\ U_η)', frac(PixelClass.Unstable));
    }
    entry(rgbCss(classColor(state.scheme, PixelClass.Diverged, -1)), 'diverged', frac(PixelClass.Diverged));
    entry(rgbCss(classColor(state.scheme, PixelClass.NotConverged, -1)), 'not converged', frac(PixelClass.NotConverged));
    entry(rgbCss(classColor(state.scheme, PixelClass.Other, -1)), 'saddle / other', frac(PixelClass.Other));
  } else {
    const bar = document.createElement('div');
    bar.className = 'legend-bar';
    bar.style.background = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => rgbCss(viridis(t))).join(', ')})`;
    rows.push(bar);
    const note = document.createElement('div');
    note.className = 'legend-note';
    note.textContent = state.layer === 'K'
      ? 'K = length of the unstable phase (log scale, 0 = stable); non-converged pixels in their outcome colours'
      : 'GD steps until the outcome was decided (log scale)';
    rows.push(note);
    entry(rgbCss(classColor(state.scheme, PixelClass.Stable, 0)), 'stable', frac(PixelClass.Stable));
    entry(rgbCss(classColor(state.scheme, PixelClass.Unstable, 0)), 'unstable', frac(PixelClass.Unstable));
    entry(rgbCss(classColor(state.scheme, PixelClass.Diverged, -1)), 'diverged', frac(PixelClass.Diverged));
  }
  if (live && live.computed < 1) {
    const note = document.createElement('div');
    note.className = 'legend-note';
    note.textContent = `fractions of the ${pct(live.computed)} computed so far`;
    rows.push(note);
  }
  const cert = state.main?.certificates.filter((c) => c.ok).length ?? 0;
  if (state.main?.done) {
    const note = document.createElement('div');
    note.className = 'legend-note';
    note.textContent = cert > 0
      ? (state.objective
        ? `dashed outlines: certified forward-invariant sets {‖θ−θ*‖ < t′, f < c} of Theorem 2 (${cert} of ${minimaCount} minima)`
        : `dashed circles: the balls ‖θ−θ*‖ < t′ of Theorem 2's certified sets (${cert} of ${minimaCount}; the set is this ball ∩ {f < c})`)
      : 'no certified region at this η';
    rows.push(note);
  }
  ui.legend.replaceChildren(...rows);
}

const CLASS_NAMES: Record<number, string> = {
  [PixelClass.Diverged]: 'diverged', [PixelClass.NotConverged]: 'not converged', [PixelClass.Other]: 'saddle / other',
  [PixelClass.Stable]: 'stable', [PixelClass.Unstable]: 'unstable',
};

function showHover(info: { x: number; y: number; col: number; row: number } | null): void {
  const m = state.main;
  if (!info || !m?.map) {
    ui.hover.textContent = '';
    return;
  }
  const [xn, yn] = axisNames();
  let text = `${xn} = ${fmt(info.x)}, ${yn} = ${fmt(info.y)}`;
  const i = info.row * m.map.width + info.col;
  if (m.map.rowFilled[info.row]) {
    const cls = m.map.classes[i];
    const mi = m.map.minimum[i];
    text += ` — ${CLASS_NAMES[cls] ?? cls}${mi >= 0 ? ` (min ${mi})` : ''}, ${m.map.steps[i]} steps, K = ${m.map.unstableSteps[i]}`;
  }
  ui.hover.textContent = text;
}

/* ------------------------------------------------------------------ trajectories */

function startPoint(x: number, y: number): number[] | null {
  const a = state.analysis;
  if (!a) return null;
  return sliceStart(a.base, a.axes, x, y);
}

function requestTrajectory(entry: TrajectoryEntry): void {
  post({ type: 'trajectory', requestId: entry.requestId, eta: state.eta, init: entry.init });
}

function pickStart(x: number, y: number): void {
  const init = startPoint(x, y);
  if (!init) return;
  state.trajectories = state.trajectories.filter((t) => t.source !== 'click');
  const entry: TrajectoryEntry = { requestId: nextRequestId++, source: 'click', init, data: null, error: null };
  state.trajectories.push(entry);
  state.selected = state.trajectories.length - 1;
  requestTrajectory(entry);
  renderTrajectoryList();
}

function rerunTrajectories(): void {
  for (const t of state.trajectories) {
    t.requestId = nextRequestId++;
    t.data = null;
    t.error = null;
    requestTrajectory(t);
  }
  renderTrajectoryList();
}

function configStarts(): void {
  const s = state.session;
  const a = state.analysis;
  if (!s || !a) return;
  state.trajectories = [];
  for (const start of s.starts) {
    // a start may give all coordinates, or only the two map axes
    const init = start.length === a.variables.length ? start.slice() : start.length === 2 ? sliceStart(a.base, a.axes, start[0], start[1]) : null;
    if (!init) {
      showError(`Start (${start.join(', ')}) has ${start.length} coordinates; the objective has ${a.variables.length} variables.`);
      continue;
    }
    state.trajectories.push({ requestId: nextRequestId++, source: 'config', init, data: null, error: null });
  }
  state.selected = state.trajectories.length > 0 ? 0 : -1;
  state.trajectories.forEach(requestTrajectory);
  renderTrajectoryList();
}

function describeTrajectory(t: TrajectoryEntry): string {
  const a = state.analysis;
  const coords = a ? a.axes.map((i) => fmt(t.init[i], 3)).join(', ') : t.init.map((v) => fmt(v, 3)).join(', ');
  if (t.error) return `(${coords}): ${t.error}`;
  if (!t.data) return `(${coords}): computing…`;
  const d = t.data;
  const where = d.minimum !== null ? ` → min ${d.minimum}` : '';
  return `(${coords}): ${d.outcome.replace('_', ' ')}${where}, K = ${d.K}, ${d.increases} increase${d.increases === 1 ? '' : 's'}, ${d.steps} steps`;
}

function renderTrajectoryList(): void {
  const items = state.trajectories.map((t, i) => {
    const li = document.createElement('li');
    li.setAttribute('aria-current', String(i === state.selected));
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = `${t.source === 'config' ? 'start ' : 'clicked '}${describeTrajectory(t)}`;
    b.addEventListener('click', () => {
      state.selected = i;
      renderTrajectoryList();
      showSelectedTrajectory();
    });
    li.append(b);
    return li;
  });
  if (items.length === 0) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = 'Click the map to run GD from a pixel.';
    items.push(li);
  }
  ui.trajectoryList.replaceChildren(...items);
  basin.setOverlay({
    trajectories: state.trajectories.filter((t) => t.data).map((t) => ({ data: t.data as TrajectoryView, selected: state.trajectories.indexOf(t) === state.selected })),
  });
}

function showSelectedTrajectory(): void {
  const t = state.trajectories[state.selected];
  if (!t?.data) return;
  ui.trajectorySection.hidden = false;
  const d = t.data;
  const first = d.firstIncreaseAt !== null ? `, first increase at step ${d.firstIncreaseAt}` : '';
  const entered = d.enteredCertifiedAt !== null ? `, entered the certified region at step ${d.enteredCertifiedAt}` : '';
  ui.trajectorySummary.textContent = `— ${d.outcome.replace('_', ' ')}, K = ${d.K}${first}${entered}; η = ${fmt(d.eta)}`;
  charts.show(d, theme);
  state.highlight = null;
  basin.setOverlay({ highlight: null });
}

/* ------------------------------------------------------------------ Figure 2 strip */

function runStrip(): void {
  const a = state.analysis;
  const s = state.session;
  const w = currentWindow();
  if (!a || !s || !w) return;
  if (a.etaMax === null) {
    showError('Figure 2 strip: no strict minimum was found, so there is no η_max to take fractions of.');
    return;
  }
  const etaMax = a.etaMax;
  ui.stripSection.hidden = false;
  // the session's learning rates (a config's learningRates / lrFractions) if it has some, else the paper's five
  const etas = s.learningRates.length > 0 ? s.learningRates.slice(0, 8) : PAPER_ETA_FRACTIONS.map((f) => f * etaMax);
  state.strip = etas.map((eta, i) => {
    const fraction = eta / etaMax;
    const figure = document.createElement('figure');
    figure.className = 'strip-item';
    figure.tabIndex = 0;
    figure.setAttribute('role', 'button');
    figure.setAttribute('aria-label', `Map at η = ${fmt(eta)} = ${fmt(fraction, 3)} η_max; activate to use this η`);
    const canvas = document.createElement('canvas');
    canvas.id = `strip-canvas-${i}`;
    const caption = document.createElement('figcaption');
    caption.textContent = `η = ${fmt(eta)} (${fmt(fraction, 3)} η_max)`;
    figure.append(canvas, caption);
    const choose = (): void => setEta(eta);
    figure.addEventListener('click', choose);
    figure.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        choose();
      }
    });
    const grid = Math.min(STRIP_GRID, s.grid);
    const entry: StripEntry = { requestId: nextRequestId++, fraction, eta, map: null, canvas, figure, done: false };
    post({ type: 'basin', requestId: entry.requestId, purpose: 'strip', stripIndex: i, eta, xRange: w.xRange, yRange: w.yRange, grid });
    return entry;
  });
  ui.strip.replaceChildren(...state.strip.map((e) => e.figure));
}

function refreshStripIfShown(): void {
  if (!ui.stripSection.hidden && state.strip.length > 0) runStrip();
}

function drawStrip(entry: StripEntry): void {
  if (!entry.map) return;
  const { width, height } = entry.map;
  entry.canvas.width = width;
  entry.canvas.height = height;
  const ctx = entry.canvas.getContext('2d');
  if (!ctx) return;
  const img = new ImageData(width, height);
  renderMap(entry.map, state.layer, state.scheme, img.data);
  ctx.putImageData(img, 0, 0);
}

/* ------------------------------------------------------------------ sweep */

function runSweep(): void {
  const w = currentWindow();
  if (!w || !state.analysis) return;
  const requestId = nextRequestId++;
  state.sweep = { requestId, points: [], done: false };
  ui.sweepSection.hidden = false;
  ui.sweepSummary.textContent = `(${SWEEP_GRID}×${SWEEP_GRID} starts per η, computing…)`;
  sweepChart.clear();
  post({ type: 'sweep', requestId, xRange: w.xRange, yRange: w.yRange, grid: SWEEP_GRID });
  ui.cancel.hidden = false;
}

function drawSweep(): void {
  if (!state.sweep) return;
  const c = (cls: number): string => rgbCss(classColor(state.scheme === 'per-minimum' ? 'paper' : state.scheme, cls, 0));
  sweepChart.show(state.sweep.points, theme, {
    stable: c(PixelClass.Stable), unstable: c(PixelClass.Unstable), other: rgbCss([170, 170, 170]), diverged: c(PixelClass.Diverged),
  });
}

/* ------------------------------------------------------------------ minima */

function renderMinima(): void {
  const a = state.analysis;
  if (!a) return;
  const items = a.minima.map((m) => {
    const li = document.createElement('li');
    const coords = m.point.map((v) => fmt(v)).join(', ');
    li.textContent = `(${coords}): f = ${fmt(m.value)}, λ_max = ${fmt(m.lambdaMax)}, η_max = 2/λ_max = ${m.etaMax !== null ? fmt(m.etaMax) : '–'}`;
    return li;
  });
  if (items.length === 0) {
    const li = document.createElement('li');
    li.textContent = 'No strict minimum found in the domain: every start is diverged, not converged or other.';
    items.push(li);
  }
  ui.minimaList.replaceChildren(...items);
  basin.setOverlay({ minima: a.minima });
}

/* ------------------------------------------------------------------ messages */

function onSession(session: AnalysisSession, view: PanelViewState | null): void {
  const restore = view ?? savedViewFor(session);
  state.session = session;
  state.analysis = null;
  state.eta = restore?.eta ?? session.eta;
  state.window = restore && restore.xRange && restore.yRange ? { xRange: restore.xRange, yRange: restore.yRange } : null;
  state.zoomStack = [];
  state.main = null;
  state.trajectories = [];
  state.selected = -1;
  state.strip = [];
  state.sweep = null;
  state.objective = null;
  if (session.colorScheme) {
    state.scheme = session.colorScheme;
    ui.scheme.value = session.colorScheme;
    basin.setStyle(state.layer, state.scheme);
  }
  ui.title.textContent = session.title;
  ui.expression.textContent = session.problem.expression;
  ui.trajectorySection.hidden = true;
  ui.sweepSection.hidden = true;
  ui.stripSection.hidden = true;
  charts.destroy();
  sweepChart.clear();
  showError(null);
  basin.setView(null);
  basin.setOverlay({ certificates: [], minima: [], trajectories: [], highlight: null, message: null });
  updateEtaControls();
  renderTrajectoryList();
  setStatus('Finding critical points…');
  saveState();
}

/** A view saved by setState for the same problem (window reload without host state). */
function savedViewFor(session: AnalysisSession): PanelViewState | null {
  try {
    const saved = validatePersistedState(vscode.getState());
    return JSON.stringify(saved.session.problem) === JSON.stringify(session.problem) ? saved.view : null;
  } catch {
    return null;
  }
}

function onMessage(msg: HostToWebview): void {
  switch (msg.type) {
    case 'session':
      onSession(msg.session, msg.view);
      break;
    case 'analysis': {
      const first = state.analysis === null;
      state.analysis = msg.analysis;
      buildEtaMarks();
      updateEtaControls();
      renderMinima();
      if (first) {
        requestMain();
        configStarts();
      }
      break;
    }
    case 'objective': {
      const a = state.analysis;
      try {
        state.objective = bindObjective(msg.expr, msg.variables, a ? a.variables : msg.variables);
      } catch (err) {
        state.objective = null;
        ui.notice.textContent = `No contour lines: ${err instanceof Error ? err.message : String(err)}`;
      }
      updateContours();
      updateCertifiedOutlines();
      break;
    }
    case 'basinStart': {
      if (msg.purpose === 'main' && state.main?.requestId === msg.requestId) {
        state.main.slice = msg.slice;
        state.main.map = createMapData(msg.slice.width, msg.slice.height);
        basin.setView(mainView());
        basin.setOverlay({ message: null, certificates: [], certifiedOutlines: null });
        updateContours();
        renderLegend();
      } else if (msg.purpose === 'strip') {
        const e = state.strip[msg.stripIndex];
        if (e && e.requestId === msg.requestId) e.map = createMapData(msg.slice.width, msg.slice.height);
      }
      break;
    }
    case 'basinRows': {
      if (state.main?.requestId === msg.requestId && state.main.map) {
        insertRows(state.main.map, msg.rowStart, msg.rowEnd, ...decodeRows(msg));
        basin.mapChanged();
        scheduleLegend();
        ui.progress.value = 100 * msg.progress.fraction;
        setStatus(`Computing ${state.main.map.width}×${state.main.map.height} at η = ${fmt(state.main.eta)}: ${pct(msg.progress.fraction)} (${fmt(msg.progress.pixelsPerSecond / 1e6, 3)} M starts/s)`);
      } else {
        const e = state.strip.find((s) => s.requestId === msg.requestId);
        if (e?.map) {
          insertRows(e.map, msg.rowStart, msg.rowEnd, ...decodeRows(msg));
          drawStrip(e);
        }
      }
      break;
    }
    case 'basinDone': {
      const m = state.main;
      if (m?.requestId === msg.requestId) {
        m.done = true;
        m.certificates = msg.certificates;
        m.elapsedMs = msg.elapsedMs;
        basin.setOverlay({ certificates: msg.certificates });
        updateCertifiedOutlines();
        renderLegend();
        ui.progress.hidden = true;
        ui.cancel.hidden = !(state.sweep && !state.sweep.done);
        const etaMax = state.analysis?.etaMax;
        setStatus(`${m.map?.width}×${m.map?.height} map at η = ${fmt(m.eta)}${etaMax ? ` (${fmt(m.eta / etaMax, 3)} η_max)` : ''} in ${fmt(msg.elapsedMs / 1000, 3)} s: stable ${pct(msg.stats.stable)}, unstable ${pct(msg.stats.unstable)}, diverged ${pct(msg.stats.diverged)}`);
      } else {
        const e = state.strip.find((s) => s.requestId === msg.requestId);
        if (e) e.done = true;
      }
      break;
    }
    case 'trajectory': {
      const i = state.trajectories.findIndex((t) => t.requestId === msg.requestId);
      if (i < 0) break;
      state.trajectories[i].data = msg.trajectory;
      renderTrajectoryList();
      if (i === state.selected) showSelectedTrajectory();
      break;
    }
    case 'sweepPoint':
      if (state.sweep?.requestId === msg.requestId) {
        state.sweep.points.push(msg.point);
        ui.sweepSummary.textContent = `(${SWEEP_GRID}×${SWEEP_GRID} starts per η: ${msg.done} of ${msg.total})`;
        drawSweep();
      }
      break;
    case 'sweepDone':
      if (state.sweep?.requestId === msg.requestId) {
        state.sweep.points = msg.points;
        state.sweep.done = true;
        ui.sweepSummary.textContent = `(${SWEEP_GRID}×${SWEEP_GRID} starts per η; click a point to use its η)`;
        drawSweep();
        if (state.main?.done !== false) ui.cancel.hidden = true;
      }
      break;
    case 'error': {
      const traj = state.trajectories.find((t) => t.requestId === msg.requestId);
      if (traj) {
        traj.error = msg.message;
        renderTrajectoryList();
        break;
      }
      showError(msg.message);
      if (msg.requestId === null || state.main?.requestId === msg.requestId) {
        ui.progress.hidden = true;
        ui.cancel.hidden = true;
        setStatus('Failed.');
        basin.setOverlay({ message: msg.message });
      }
      break;
    }
    case 'cancelled':
      if (msg.requestId === null || state.main?.requestId === msg.requestId) {
        ui.progress.hidden = true;
        ui.cancel.hidden = true;
        if (state.main && !state.main.done) setStatus('Cancelled: the map shows the rows computed so far.');
      }
      if (msg.requestId === null || state.sweep?.requestId === msg.requestId) {
        if (state.sweep && !state.sweep.done) ui.sweepSummary.textContent = '(cancelled)';
      }
      break;
    case 'command':
      if (msg.command === 'sweep') runSweep();
      else if (msg.command === 'strip') runStrip();
      else post({ type: 'pngData', requestId: msg.requestId, pngBase64: basin.pngBase64() });
      break;
    case 'notice':
      ui.notice.textContent = msg.message;
      break;
  }
}

let legendTimer = 0;
function scheduleLegend(): void {
  if (legendTimer) return;
  legendTimer = window.setTimeout(() => {
    legendTimer = 0;
    renderLegend();
  }, 120);
}

window.addEventListener('message', (event: MessageEvent) => {
  let msg: HostToWebview;
  try {
    msg = validateHostMessage(event.data);
  } catch (err) {
    console.warn('GD Stability Lab: ignored a malformed message:', err instanceof Error ? err.message : err);
    return;
  }
  try {
    onMessage(msg);
  } catch (err) {
    showError(`The panel failed to show a result: ${err instanceof Error ? err.message : String(err)}`);
  }
});

/* ------------------------------------------------------------------ controls */

ui.layer.addEventListener('change', () => {
  const v = ui.layer.value as MapLayer;
  if (!MAP_LAYERS.includes(v)) return;
  state.layer = v;
  restyle();
});
ui.scheme.addEventListener('change', () => {
  const v = ui.scheme.value as ColorScheme;
  if (!COLOR_SCHEMES.includes(v)) return;
  state.scheme = v;
  restyle();
});
function restyle(): void {
  basin.setStyle(state.layer, state.scheme);
  state.strip.forEach(drawStrip);
  renderLegend();
  drawSweep();
}
ui.showCertified.addEventListener('change', () => basin.setOverlay({ showCertified: ui.showCertified.checked }));
ui.showMinima.addEventListener('change', () => basin.setOverlay({ showMinima: ui.showMinima.checked }));
ui.showContours.addEventListener('change', () => {
  basin.setOverlay({ showContours: ui.showContours.checked });
  updateContours();
});
ui.zoomBack.addEventListener('click', zoomBack);
ui.zoomReset.addEventListener('click', zoomReset);
ui.cancel.addEventListener('click', () => post({ type: 'cancel', requestId: null }));
$('strip-button').addEventListener('click', runStrip);
$('sweep-button').addEventListener('click', runSweep);
$('export-png').addEventListener('click', () => post({ type: 'export', format: 'png', pngBase64: basin.pngBase64() }));
$('export-npy').addEventListener('click', () => post({ type: 'export', format: 'npy', pngBase64: null }));
const selectedTrajectoryId = (): number | null => state.trajectories[state.selected]?.requestId ?? null;
$('export-trajectory-csv').addEventListener('click', () => post({ type: 'export', format: 'trajectory-csv', pngBase64: null, trajectoryRequestId: selectedTrajectoryId() }));
$('export-trajectory-json').addEventListener('click', () => post({ type: 'export', format: 'trajectory-json', pngBase64: null, trajectoryRequestId: selectedTrajectoryId() }));
$('export-sweep-csv').addEventListener('click', () => post({ type: 'export', format: 'sweep-csv', pngBase64: null }));
$('export-sweep-json').addEventListener('click', () => post({ type: 'export', format: 'sweep-json', pngBase64: null }));

// theme switches: VS Code changes the body class and the --vscode-* variables
new MutationObserver(() => {
  theme = readTheme();
  basin.setTheme(theme);
  showSelectedTrajectory();
  drawSweep();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

renderLegend();
renderTrajectoryList();
post({ type: 'ready', protocol: PROTOCOL_VERSION });
