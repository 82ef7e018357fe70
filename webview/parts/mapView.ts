/**
 * The basin map: the canvas widget fed from the store (the main job's rows, display options,
 * certified regions, minima, trajectories, contour lines of f), its mouse/keyboard events turned
 * into actions (pick a start, zoom, back, reset, hover), and the zoom Back / Reset buttons.
 */
import type { CertificateResult } from '../../src/engine/types';
import type { TrajectoryView } from '../../src/shared/protocol';
import type { Part } from '../core/part';
import type { ValueElement } from '../core/dom';
import { certifiedOutline, contourLevels, marchingSquares, sampleField, sliceFunction } from '../lib/contours';
import { axisNames } from '../state/selectors';
import { BasinCanvas } from '../widgets/basinCanvas';
import { momentumOutlines } from '../lib/optimizerMap';

const CONTOUR_GRID = 96;
const CONTOUR_LEVELS = 12;
/** Shared empty lists, so selectors return the same value while there is nothing to draw. */
const NO_CERTIFICATES: CertificateResult[] = [];
const NO_MINIMA: { point: number[] }[] = [];

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export const mapViewPart: Part = {
  name: 'map',
  fragments: [
    {
      slot: 'toolbar',
      html: `
    <vscode-button id="zoom-back" secondary disabled aria-label="Back to the previous zoom window">Back</vscode-button>
    <vscode-button id="zoom-reset" secondary disabled aria-label="Reset zoom to the whole domain">Reset zoom</vscode-button>`,
    },
    {
      slot: 'map',
      html: `
    <canvas id="basin-canvas" data-role="basin-map" tabindex="0" role="img" aria-label="Basin map: click a pixel (or press Enter) to draw its trajectory; drag a rectangle to zoom"></canvas>
    <p class="help">Click: trajectory · drag: zoom · keys: arrows move, Enter trajectory, + / − zoom, Backspace back, 0 reset</p>`,
    },
  ],
  mount(ctx) {
    const basin = new BasinCanvas(ctx.el<HTMLCanvasElement>('basin-canvas'), {
      pick: (x, y) => ctx.dispatch({ type: 'startPicked', x, y }),
      zoom: (xRange, yRange) => ctx.dispatch({ type: 'zoomed', window: { xRange, yRange } }),
      hover: (hover) => ctx.dispatch({ type: 'mapHovered', hover }),
      back: () => ctx.dispatch({ type: 'zoomBack' }),
      reset: () => ctx.dispatch({ type: 'zoomReset' }),
    }, ctx.store.state.theme);
    ctx.provide('mapPng', () => basin.pngBase64());
    ctx.provide('mapComparison', (comparison) => basin.setOverlay({ comparison }));

    const back = ctx.el<ValueElement>('zoom-back');
    const reset = ctx.el<ValueElement>('zoom-reset');
    back.addEventListener('click', () => ctx.dispatch({ type: 'zoomBack' }));
    reset.addEventListener('click', () => ctx.dispatch({ type: 'zoomReset' }));
    ctx.watch((s) => s.zoom, (zoom) => {
      back.disabled = zoom.stack.length === 0;
      reset.disabled = zoom.window === null;
    });

    // the map's pixels: a new job's buffer replaces the view; rows only repaint
    ctx.watch((s) => [s.main?.slice ?? null, s.main?.map ?? null, ...axisNames(s)] as const, ([slice, map, xn, yn]) => {
      basin.setView(slice && map ? { map, xRange: slice.xRange, yRange: slice.yRange, axes: slice.axes, base: slice.base, axisNames: [xn, yn] } : null);
    });
    ctx.watch((s) => s.main?.revision ?? 0, () => basin.mapChanged());
    ctx.watch((s) => [s.display.layer, s.display.scheme] as const, ([layer, scheme]) => basin.setStyle(layer, scheme));
    ctx.watch((s) => s.theme, (theme) => basin.setTheme(theme));
    ctx.watch((s) => ({
      showCertified: s.display.showCertified, showMinima: s.display.showMinima, showContours: s.display.showContours,
      certificates: s.main?.certificates ?? NO_CERTIFICATES, minima: s.analysis?.minima ?? NO_MINIMA, message: s.mapMessage, highlight: s.trajectories.highlight,
    }), (patch) => basin.setOverlay(patch));
    ctx.watch((s) => s.trajectories.entries.map((t, i) => (t.data ? { data: t.data, selected: i === s.trajectories.selected } : null)), (list) => {
      basin.setOverlay({ trajectories: list.filter((t): t is { data: TrajectoryView; selected: boolean } => t !== null) });
    }, sameTrajectories);

    // another optimizer's certified regions: the momentum certificate cut at zero velocity
    ctx.watch((s) => [s.main?.optimizerAnalysis ?? null, s.main?.slice ?? null] as const, ([analysis, slice]) => {
      basin.setOverlay({ momentumRegions: slice ? momentumOutlines(analysis, slice.base, slice.axes) : [] });
    });

    // contour lines of f over the map's window
    ctx.watch((s) => [s.objective, s.main?.slice ?? null, s.display.showContours] as const, ([f, slice, show]) => {
      if (!f || !slice || !show) return basin.setOverlay({ contours: [] });
      try {
        const field = sampleField(sliceFunction(f, slice.base, slice.axes), slice.xRange, slice.yRange, CONTOUR_GRID, CONTOUR_GRID);
        basin.setOverlay({ contours: contourLevels(field, CONTOUR_LEVELS).map((level) => marchingSquares(field, level)) });
      } catch (err) {
        basin.setOverlay({ contours: [] });
        ctx.dispatch({ type: 'noticeShown', message: `No contour lines: ${errorText(err)}` });
      }
    });
    // exact certified sets ball ∩ {f < c} when f is known (else the canvas draws the balls)
    ctx.watch((s) => [s.objective, s.main?.slice ?? null, s.main?.certificates ?? NO_CERTIFICATES] as const, ([f, slice, certificates]) => {
      if (!f || !slice) return basin.setOverlay({ certifiedOutlines: null });
      try {
        const outlines = certificates.filter((c) => c.ok).map((c) => {
          const cert = (c as Extract<CertificateResult, { ok: true }>).certificate;
          return certifiedOutline(f, cert.center, cert.tPrime, cert.c, slice.base, slice.axes);
        });
        basin.setOverlay({ certifiedOutlines: outlines });
      } catch {
        basin.setOverlay({ certifiedOutlines: null });
      }
    });
  },
};

/** Same trajectories drawn (data objects and selection) — the list itself is rebuilt every time. */
function sameTrajectories(a: ({ data: TrajectoryView; selected: boolean } | null)[], b: ({ data: TrajectoryView; selected: boolean } | null)[]): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i];
    return x === null || y === null ? x === y : x.data === y.data && x.selected === y.selected;
  });
}
