/**
 * What the legend shows, as data (pure; the legend part turns rows into DOM): one swatch row per
 * outcome with its live area fraction, the heat-map bar and notes. The tables below are where a
 * new outcome class or map layer gets its words.
 */
import { PixelClass } from '../../src/engine/types';
import { classColor, liveFractions, rgbCss, viridis } from './colors';
import type { ColorScheme, MapData, MapLayer } from './colors';
import { pct } from './format';

/** Names of the outcome classes in the hover readout (class code → words). */
export const CLASS_NAMES: Readonly<Record<number, string>> = {
  [PixelClass.Diverged]: 'diverged',
  [PixelClass.NotConverged]: 'not converged',
  [PixelClass.Other]: 'saddle / other',
  [PixelClass.Stable]: 'stable',
  [PixelClass.Unstable]: 'unstable',
  [PixelClass.Cycle]: 'cycle',
  [PixelClass.BoundedAperiodic]: 'bounded aperiodic',
  [PixelClass.StillDescending]: 'still descending',
};

/** Outcomes without a minimum, in legend order (a new class code gets a row here). */
export const OTHER_OUTCOMES: readonly { code: number; label: string }[] = [
  { code: PixelClass.Diverged, label: 'diverged' },
  { code: PixelClass.NotConverged, label: 'not converged' },
  { code: PixelClass.Other, label: 'saddle / other' },
  { code: PixelClass.Cycle, label: 'cycle' },
  { code: PixelClass.BoundedAperiodic, label: 'bounded aperiodic' },
  { code: PixelClass.StillDescending, label: 'still descending (raise maxSteps)' },
];

/** The map layers: menu label and, for heat maps, the legend's explanation. */
export const LAYER_INFO: Readonly<Record<MapLayer, { label: string; note: string | null }>> = {
  class: { label: 'Outcome', note: null },
  K: { label: 'K (last loss increase)', note: 'K = the step of the last loss increase (log scale, 0 = stable); non-converged pixels in their outcome colours' },
  steps: { label: 'Steps taken', note: 'GD steps until the outcome was decided (log scale)' },
  increases: { label: 'Number of loss increases', note: null },
};

export type LegendRow =
  | { kind: 'entry'; color: string; label: string; value: string }
  | { kind: 'bar'; gradient: string }
  | { kind: 'note'; text: string };

export interface LegendInput {
  map: MapData | null;
  minimaCount: number;
  layer: MapLayer;
  scheme: ColorScheme;
  /** the main map is complete */
  done: boolean;
  /** minima with a certified region at this η */
  certified: number;
  /** f is known on the webview side (exact certified outlines instead of balls) */
  hasObjective: boolean;
  /** another optimizer than GD: what is certified for it, instead of Theorem 2's note (lib/optimizerLegend.ts) */
  certifiedNote?: string;
  /** rows after the others: the loss-increase numbers and the guard (lib/increaseLayer.ts) */
  extraRows?: LegendRow[];
}

export function legendRows(input: LegendInput): LegendRow[] {
  const { map, minimaCount, layer, scheme } = input;
  const live = map ? liveFractions(map, minimaCount) : null;
  const rows: LegendRow[] = [];
  const entry = (color: string, label: string, value: string): void => {
    rows.push({ kind: 'entry', color, label, value });
  };
  const swatch = (cls: number, minimum: number): string => rgbCss(classColor(scheme, cls, minimum));
  const frac = (cls: number): string => (live ? pct(live.byClass[cls] ?? 0) : '–');
  if (layer === 'class') {
    if (scheme === 'per-minimum') {
      for (let j = 0; j < minimaCount; j++) {
        entry(swatch(PixelClass.Stable, j), `min ${j} stable`, live ? pct(live.perMinimum[j].stable) : '–');
        entry(swatch(PixelClass.Unstable, j), `min ${j} unstable`, live ? pct(live.perMinimum[j].unstable) : '–');
      }
    } else {
      entry(swatch(PixelClass.Stable, 0), 'stable (U_η)', frac(PixelClass.Stable));
      entry(swatch(PixelClass.Unstable, 0), 'unstable (V_η \\ U_η)', frac(PixelClass.Unstable));
    }
    for (const o of OTHER_OUTCOMES) entry(swatch(o.code, -1), o.label, frac(o.code));
  } else {
    // the increases layer's bar and scale come with its numbers (extraRows)
    if (layer !== 'increases') {
      rows.push({ kind: 'bar', gradient: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => rgbCss(viridis(t))).join(', ')})` });
      rows.push({ kind: 'note', text: LAYER_INFO[layer].note ?? '' });
    }
    entry(swatch(PixelClass.Stable, 0), 'stable', frac(PixelClass.Stable));
    entry(swatch(PixelClass.Unstable, 0), 'unstable', frac(PixelClass.Unstable));
    entry(swatch(PixelClass.Diverged, -1), 'diverged', frac(PixelClass.Diverged));
  }
  if (live && live.computed < 1) rows.push({ kind: 'note', text: `fractions of the ${pct(live.computed)} computed so far` });
  if (input.done && input.certifiedNote !== undefined) rows.push({ kind: 'note', text: input.certifiedNote });
  else if (input.done) {
    const cert = input.certified;
    rows.push({
      kind: 'note',
      text: cert > 0
        ? (input.hasObjective
          ? `dashed outlines: certified forward-invariant sets {‖θ−θ*‖ < t′, f < c} of Theorem 2 (${cert} of ${minimaCount} minima)`
          : `dashed circles: the balls ‖θ−θ*‖ < t′ of Theorem 2's certified sets (${cert} of ${minimaCount}; the set is this ball ∩ {f < c})`)
        : 'no certified region at this η',
    });
  }
  if (input.extraRows) rows.push(...input.extraRows);
  return rows;
}
