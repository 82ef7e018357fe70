/**
 * The loss-increase numbers of a map, pure (no DOM): the "number of loss increases" layer (per
 * pixel, the increases each start had up to its decision, on a log scale) and the legend's rows
 * for them — the share of starts whose loss rose at least once, the mean and median number of
 * increases over the converged starts, and the round-off guard that decides what counts. Under
 * momentum almost every converging start has some increase, so the stable / unstable split alone
 * says little; these numbers say how much.
 */
import { PixelClass, type IncreaseStats } from '../../src/engine/types';
import { classColor, rgbCss, viridis, type ColorScheme, type MapData } from './colors';
import { fmt, pct } from './format';
import type { LegendRow } from './legend';

const converged = (cls: number): boolean => cls === PixelClass.Stable || cls === PixelClass.Unstable;

/** Copies the streamed increase counts of rows [rowStart, rowEnd) into the map. */
export function insertIncreases(map: MapData, rowStart: number, rowEnd: number, increases: Uint16Array): void {
  const count = (rowEnd - rowStart) * map.width;
  if (rowEnd > map.height || increases.length !== count) {
    throw new Error(`increase counts of rows ${rowStart}..${rowEnd} do not fit a ${map.width}×${map.height} map (${increases.length} values sent)`);
  }
  map.increases.set(increases, rowStart * map.width);
}

/**
 * The smallest and largest count over the converged pixels of the rows received so far (the
 * layer's scale; [0, 0] when none converged). Under momentum even the smallest count is large,
 * so the scale starts at it rather than at 0.
 */
export function increaseRange(map: MapData): [number, number] {
  let min = Infinity;
  let max = 0;
  for (let r = 0; r < map.height; r++) {
    if (!map.rowFilled[r]) continue;
    for (let i = r * map.width, end = i + map.width; i < end; i++) {
      if (!converged(map.classes[i])) continue;
      const v = map.increases[i];
      if (v > max) max = v;
      if (v < min) min = v;
    }
  }
  return Number.isFinite(min) ? [min, max] : [0, 0];
}

/** Position of a count on the layer's scale: log(1 + v) between log(1 + min) and log(1 + max). */
export function increaseScale(v: number, [min, max]: [number, number]): number {
  if (!(max > min)) return 0;
  return (Math.log1p(v) - Math.log1p(min)) / (Math.log1p(max) - Math.log1p(min));
}

/**
 * The "number of loss increases" layer into an RGBA buffer: converged starts by their count
 * (viridis on log(1 + count), 0 the darkest), the others in their outcome colours, rows not
 * computed yet transparent.
 */
export function renderIncreases(map: MapData, scheme: ColorScheme, out: Uint8ClampedArray | Uint8Array): void {
  const range = increaseRange(map);
  for (let r = 0; r < map.height; r++) {
    const filled = map.rowFilled[r] === 1;
    for (let i = r * map.width, end = i + map.width; i < end; i++) {
      const o = 4 * i;
      if (!filled) {
        out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
        continue;
      }
      const cls = map.classes[i];
      const rgb = converged(cls) ? viridis(increaseScale(map.increases[i], range)) : classColor(scheme, cls, map.minimum[i]);
      out[o] = rgb[0];
      out[o + 1] = rgb[1];
      out[o + 2] = rgb[2];
      out[o + 3] = 255;
    }
  }
}

/** The round-off guard in words: what counts as a loss increase. */
export function guardWords(guard: number): string {
  return `a loss increase counts when f(θ_k) − f(θ_{k−1}) > ${guard}·(|f(θ_{k−1})| + T) (round-off guard; equal losses are not increases)`;
}

export interface IncreaseLegendInput {
  /** the layer shown is "number of loss increases" */
  layer: boolean;
  map: MapData | null;
  /** the finished map's statistics (null while it streams or for an older host) */
  stats: IncreaseStats | null;
  /** the relative round-off guard of the session */
  guard: number;
  /** another optimizer than GD (the numbers then lead, as "stable" is rare under momentum) */
  optimizerLabel: string | null;
}

/** The legend's rows about loss increases: the layer's colour bar, the map's numbers, the guard. */
export function increaseLegendRows(input: IncreaseLegendInput): LegendRow[] {
  const rows: LegendRow[] = [];
  if (input.layer) {
    const [min, max] = input.map ? increaseRange(input.map) : [0, 0];
    rows.push({ kind: 'bar', gradient: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => rgbCss(viridis(t))).join(', ')})` });
    rows.push({ kind: 'note', text: `loss increases per converged start up to its decision, ${min} … ${max} (log scale); other starts in their outcome colours` });
  }
  const s = input.stats;
  if (s) {
    rows.push({ kind: 'note', text: `loss rose at least once: ${pct(s.anyIncrease)} of starts${input.optimizerLabel ? ` (${input.optimizerLabel})` : ''}` });
    rows.push({ kind: 'note', text: `increases per converged start: mean ${fmt(s.meanConverged, 3)}, median ${fmt(s.medianConverged, 3)}, max ${s.maxConverged}` });
  }
  if (s || input.layer) rows.push({ kind: 'note', text: guardWords(input.guard) });
  return rows;
}
