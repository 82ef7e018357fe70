/**
 * What the legend shows, as data (pure; the legend part turns rows into DOM): one swatch row per
 * outcome with its live area fraction, the heat-map bar and notes. The tables below are where a
 * new outcome class or map layer gets its words.
 */
import type { Definedness } from '../../src/engine/definedness';
import { MinimumCode, PixelClass } from '../../src/engine/types';
import { classColor, liveFractions, rgbCss, viridis } from './colors';
import type { ColorScheme, LiveFractions, MapData, MapLayer } from './colors';
import { fmt, pct } from './format';
import { barPosition, ABOVE_EDGE, NO_LIMIT_GREY, PERIOD_GROUPS, periodShares, plasma, sharpnessGradient, sharpnessScale } from './limitLayers';
import type { SharpnessScale } from './limitLayers';
import { descendingAdvice, limitNotes, sharpnessWords, undefinedNote } from './legendNotes';
import type { StepLimit } from './legendNotes';

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
  sharpness: {
    label: 'Sharpness at the limit (vs 2/η)',
    note: 'λ_max(∇²f) at the point each start converged to, from the flattest (dark) to 2/η (yellow): GD settles only where λ_max ≤ 2/η, so a larger η leaves flatter limit points',
  },
  period: { label: 'Cycle period', note: 'the period p of the cycle each start ends on; every other start in its outcome colour, greyed' },
  increases: { label: 'Number of loss increases', note: null },
};

export type LegendRow =
  | { kind: 'entry'; color: string; label: string; value: string }
  | { kind: 'bar'; gradient: string }
  /** a colour bar with labelled ticks at positions 0…1 (`edge`: the 2/η mark) */
  | { kind: 'scale'; gradient: string; ticks: { at: number; label: string; edge: boolean }[]; caption: string }
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
  /** the session's step limit and where it is set (for the "still descending" advice) */
  stepLimit?: StepLimit;
  /** where f is undefined (the analysis' look), for the note that such starts count as diverged */
  definedness?: Definedness;
  /** another optimizer than GD: what is certified for it, instead of Theorem 2's note (lib/optimizerLegend.ts) */
  certifiedNote?: string;
  /** rows after the others: the loss-increase numbers and the guard (lib/increaseLayer.ts) */
  extraRows?: LegendRow[];
}

/** The sharpness layer's colour bar: ticks at the flattest limit point, the median and 2/η (units of ∇²f, like 2/η). */
export function sharpnessBar(scale: SharpnessScale): LegendRow {
  const ticks: { at: number; label: string; edge: boolean }[] = [{ at: barPosition(scale, scale.lo), label: fmt(scale.lo, 3), edge: false }];
  if (Number.isFinite(scale.edge)) ticks.push({ at: barPosition(scale, scale.edge), label: `2/η = ${fmt(scale.edge, 3)}`, edge: true });
  // the sharpest limit point, when above 2/η and not so close to it that the labels collide
  if (scale.hi > scale.edge && barPosition(scale, scale.edge) < 0.75) ticks.push({ at: 1, label: fmt(scale.hi, 3), edge: false });
  return { kind: 'scale', gradient: sharpnessGradient(scale, rgbCss), ticks, caption: 'λ_max(∇²f) at the limit point (same units as 2/η)' };
}

/** Rows of the sharpness and period layers. */
function limitLayerRows(input: LegendInput, live: LiveFractions | null, entry: (color: string, label: string, value: string) => void, rows: LegendRow[]): void {
  const { map, scheme } = input;
  const frac = (cls: number): string => (live ? pct(live.byClass[cls] ?? 0) : '–');
  if (input.layer === 'period') {
    rows.push({ kind: 'note', text: LAYER_INFO.period.note ?? '' });
    const shares = map ? periodShares(map) : null;
    PERIOD_GROUPS.forEach((g, i) => {
      if (shares && shares[i] > 0) entry(rgbCss(g.color), g.label, pct(shares[i]));
    });
    if (!shares || shares.every((s) => s === 0)) rows.push({ kind: 'note', text: live ? 'no start ends on a cycle here' : 'cycles: –' });
    return;
  }
  const scale = map ? sharpnessScale(map) : null;
  if (scale) {
    rows.push(sharpnessBar(scale));
    rows.push({ kind: 'note', text: `${sharpnessWords(scale)}, over the ${scale.count} converged starts.` });
  } else rows.push({ kind: 'note', text: live ? 'no start converged to a minimum here, so there is no limit sharpness to show' : 'λ_max at the limit point: –' });
  rows.push({ kind: 'note', text: LAYER_INFO.sharpness.note ?? '' });
  const converged = live ? (live.byClass[PixelClass.Stable] ?? 0) + (live.byClass[PixelClass.Unstable] ?? 0) : null;
  entry(rgbCss(plasma(0.5)), 'converged (coloured by λ_max)', converged === null ? '–' : pct(converged));
  if (scale && scale.above > 0) entry(rgbCss(ABOVE_EDGE), 'λ_max above 2/η (round-off at the edge)', `${scale.above}`);
  entry(rgbCss(classColor(scheme, PixelClass.Diverged, -1)), 'diverged', frac(PixelClass.Diverged));
  const noLimit = live ? 1 - (converged ?? 0) - (live.byClass[PixelClass.Diverged] ?? 0) : null;
  entry(rgbCss(NO_LIMIT_GREY), 'no limit point (cycle, aperiodic, still descending, …)', noLimit === null ? '–' : pct(Math.max(0, noLimit)));
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
  const setShares = (): void => {
    if (!live) return;
    const set = live.minimumSet;
    const unl = live.unlisted;
    const label = set.stable + set.unstable > 0 && unl.stable + unl.unstable > 0 ? 'set of minima / unlisted minimum' : set.stable + set.unstable > 0 ? 'set of minima' : 'unlisted minimum';
    if (set.stable + set.unstable + unl.stable + unl.unstable > 0) {
      entry(swatch(PixelClass.Stable, MinimumCode.Set), `stable → ${label}`, pct(set.stable + unl.stable));
      entry(swatch(PixelClass.Unstable, MinimumCode.Set), `unstable → ${label}`, pct(set.unstable + unl.unstable));
    }
  };
  if (layer === 'sharpness' || layer === 'period') {
    limitLayerRows(input, live, entry, rows);
  } else if (layer === 'class') {
    if (scheme === 'per-minimum') {
      for (let j = 0; j < minimaCount; j++) {
        entry(swatch(PixelClass.Stable, j), `min ${j} stable`, live ? pct(live.perMinimum[j].stable) : '–');
        entry(swatch(PixelClass.Unstable, j), `min ${j} unstable`, live ? pct(live.perMinimum[j].unstable) : '–');
      }
    } else {
      // converged to a listed minimum; sets of minima and unlisted minima have rows (and colours) of their own
      const listed = (cls: number, side: 'stable' | 'unstable'): string => (live ? pct(Math.max(0, (live.byClass[cls] ?? 0) - live.minimumSet[side] - live.unlisted[side])) : '–');
      entry(swatch(PixelClass.Stable, 0), 'stable (U_η)', listed(PixelClass.Stable, 'stable'));
      entry(swatch(PixelClass.Unstable, 0), 'unstable (V_η \\ U_η)', listed(PixelClass.Unstable, 'unstable'));
    }
    setShares();
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
  if (live && layer !== 'sharpness') for (const text of limitNotes(live, map && (live.minimumSet.stable + live.minimumSet.unstable > 0) ? sharpnessScale(map) : null)) rows.push({ kind: 'note', text });
  const advice = live && input.stepLimit ? descendingAdvice(live, input.stepLimit) : null;
  if (advice) rows.push({ kind: 'note', text: advice });
  const undefinedText = undefinedNote(input.definedness);
  if (undefinedText) rows.push({ kind: 'note', text: undefinedText });
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
