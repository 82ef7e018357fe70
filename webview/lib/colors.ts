/**
 * Pure colour mapping of basin maps (no DOM): class codes → RGBA, per-minimum and colour-blind
 * schemes, and the K / step-count heat-map layers. Used by the webview canvas and unit-tested.
 */
import { MinimumCode, PixelClass } from '../../src/engine/types';
import { classColors, pixelColor } from '../../src/shared/classColors';
import type { ClassPalette, ColorScheme } from '../../src/shared/classColors';
import { NO_LIMIT_GREY, paleGrey, PERIOD_GROUPS, periodGroup, sharpnessColor, sharpnessScale } from './limitLayers';
import { renderIncreases } from './increaseLayer';

export type Rgb = readonly [number, number, number];
export type { ColorScheme };
export type MapLayer = 'class' | 'K' | 'steps' | 'sharpness' | 'period' | 'increases';

export const COLOR_SCHEMES: readonly ColorScheme[] = ['paper', 'per-minimum', 'colorblind'];
export const MAP_LAYERS: readonly MapLayer[] = ['class', 'K', 'steps', 'sharpness', 'period', 'increases'];

const PALETTES: Record<ColorScheme, ClassPalette> = {
  paper: classColors('paper'),
  'per-minimum': classColors('per-minimum'),
  colorblind: classColors('colorblind'),
};

/** Linear mix a·(1−t) + b·t, rounded. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
}

/**
 * Colour of one classified pixel; `minimum` is the minimum index or a MinimumCode (−1 none, −2 a
 * set of minima, −3 unlisted). The palettes are src/shared/classColors.ts, so the panel and the
 * CLI's PNGs agree: paper = Figure 2 (cyan stable, blue unstable, white diverged, light tints for
 * the other classes), colorblind = Okabe–Ito, per-minimum = a light/dark pair per minimum.
 */
export function classColor(scheme: ColorScheme, cls: number, minimum: number): Rgb {
  const c = pixelColor(PALETTES[scheme], cls, minimum);
  return [c[0], c[1], c[2]];
}

/** Viridis control points (matplotlib's colormap sampled at 0, 1/6, …, 1). */
const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84], [68, 57, 131], [49, 104, 142], [33, 145, 140], [53, 183, 121], [144, 215, 67], [253, 231, 37],
];

/** Viridis at t ∈ [0, 1] (clamped), piecewise-linear between the control points. */
export function viridis(t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  return mix(VIRIDIS[i], VIRIDIS[i + 1], x - i);
}

/** Position of a count on a log scale: log(1+v)/log(1+max), 0 when max ≤ 0. */
export function logScale(value: number, max: number): number {
  return max > 0 ? Math.log1p(Math.max(0, value)) / Math.log1p(max) : 0;
}

/** Per-pixel arrays of one map (as the engine's BasinRows, for the whole map). */
export interface MapData {
  width: number;
  height: number;
  classes: Uint8Array;
  minimum: Int8Array;
  steps: Uint32Array;
  unstableSteps: Uint32Array;
  /** λ_max(∇²f) at the point each start converged to, NaN where it did not converge */
  limitSharpness: Float32Array;
  /** the period of cycle pixels (class 5), 0 elsewhere */
  period: Uint8Array;
  /** loss increases each start had up to its decision (lib/increaseLayer.ts fills it) */
  increases: Uint16Array;
  /** 1 for rows that have arrived */
  rowFilled: Uint8Array;
  /** the learning rate the map was computed at (NaN if unknown): the sharpness layer's edge is 2/η */
  eta: number;
}

export function createMapData(width: number, height: number, eta = NaN): MapData {
  const n = width * height;
  return {
    width, height,
    classes: new Uint8Array(n), minimum: new Int8Array(n), steps: new Uint32Array(n),
    unstableSteps: new Uint32Array(n), limitSharpness: new Float32Array(n).fill(NaN), period: new Uint8Array(n),
    increases: new Uint16Array(n),
    rowFilled: new Uint8Array(height), eta,
  };
}

/**
 * Copies streamed rows [rowStart, rowEnd) into the map. `limitSharpness` and `period` may be
 * absent (a host that does not send them): those pixels keep NaN and 0.
 */
export function insertRows(
  map: MapData, rowStart: number, rowEnd: number,
  classes: Uint8Array, minimum: Int8Array, steps: Uint32Array, unstableSteps: Uint32Array,
  limitSharpness?: Float32Array, period?: Uint8Array,
): void {
  const offset = rowStart * map.width;
  const count = (rowEnd - rowStart) * map.width;
  if (rowEnd > map.height || classes.length !== count || minimum.length !== count || steps.length !== count || unstableSteps.length !== count
    || (limitSharpness && limitSharpness.length !== count) || (period && period.length !== count)) {
    throw new Error(`rows ${rowStart}..${rowEnd} do not fit a ${map.width}×${map.height} map (${classes.length} pixels sent)`);
  }
  map.classes.set(classes, offset);
  map.minimum.set(minimum, offset);
  map.steps.set(steps, offset);
  map.unstableSteps.set(unstableSteps, offset);
  if (limitSharpness) map.limitSharpness.set(limitSharpness, offset);
  if (period) map.period.set(period, offset);
  map.rowFilled.fill(1, rowStart, rowEnd);
}

/** Largest value of a per-pixel array over the filled rows (for heat-map scaling). */
export function filledMax(map: MapData, values: Uint32Array, onlyConverged: boolean): number {
  let max = 0;
  for (let r = 0; r < map.height; r++) {
    if (!map.rowFilled[r]) continue;
    for (let i = r * map.width, end = i + map.width; i < end; i++) {
      if (onlyConverged && map.classes[i] !== PixelClass.Stable && map.classes[i] !== PixelClass.Unstable) continue;
      if (values[i] > max) max = values[i];
    }
  }
  return max;
}

/** Colour of pixel i in the sharpness layer (scale from limitLayers.sharpnessScale) or the period layer. */
function limitLayerColor(map: MapData, i: number, layer: 'sharpness' | 'period', scheme: ColorScheme, scale: ReturnType<typeof sharpnessScale>): Rgb {
  const cls = map.classes[i];
  if (layer === 'period') {
    const g = cls === PixelClass.Cycle ? periodGroup(map.period[i]) : -1;
    return g >= 0 ? PERIOD_GROUPS[g].color : paleGrey(classColor(scheme, cls, map.minimum[i]));
  }
  const v = map.limitSharpness[i];
  if ((cls === PixelClass.Stable || cls === PixelClass.Unstable) && scale && Number.isFinite(v)) return sharpnessColor(scale, v);
  return cls === PixelClass.Diverged ? classColor(scheme, cls, map.minimum[i]) : NO_LIMIT_GREY;
}

/**
 * Renders the map into an RGBA buffer (width·height·4). Rows not yet computed stay transparent.
 * Layers: 'class' = outcome colours; 'K' = length of the unstable phase (log scale, viridis) for
 * pixels that converged; 'steps' = GD steps taken (log scale); 'sharpness' = λ_max at the limit
 * point against 2/η and 'period' = the period of cycle pixels (limitLayers.ts). Non-converged
 * pixels in the heat layers use their class colour so divergence stays visible.
 */
export function renderMap(map: MapData, layer: MapLayer, scheme: ColorScheme, out: Uint8ClampedArray | Uint8Array): void {
  const { width, height } = map;
  if (out.length !== width * height * 4) throw new Error(`RGBA buffer has ${out.length} bytes, expected ${width * height * 4}`);
  if (layer === 'increases') return renderIncreases(map, scheme, out);
  const values = layer === 'K' ? map.unstableSteps : map.steps;
  const heat = layer === 'K' || layer === 'steps';
  const max = heat ? filledMax(map, values, layer === 'K') : 0;
  const scale = layer === 'sharpness' ? sharpnessScale(map) : null;
  for (let r = 0; r < height; r++) {
    const filled = map.rowFilled[r] === 1;
    for (let i = r * width, end = i + width; i < end; i++) {
      const o = 4 * i;
      if (!filled) {
        out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
        continue;
      }
      const cls = map.classes[i];
      const converged = cls === PixelClass.Stable || cls === PixelClass.Unstable;
      const rgb = layer === 'sharpness' || layer === 'period' ? limitLayerColor(map, i, layer, scheme, scale)
        : !heat || (layer === 'K' && !converged) ? classColor(scheme, cls, map.minimum[i]) : viridis(logScale(values[i], max));
      out[o] = rgb[0];
      out[o + 1] = rgb[1];
      out[o + 2] = rgb[2];
      out[o + 3] = 255;
    }
  }
}

/** Live area fractions over the rows received so far. */
export interface LiveFractions {
  /** pixels counted (in filled rows) */
  counted: number;
  /** fraction of the whole map that is computed */
  computed: number;
  /** per class code, fraction of the counted pixels */
  byClass: number[];
  /** per minimum: stable and unstable fractions of the counted pixels */
  perMinimum: { stable: number; unstable: number }[];
  /** converged to a point of a set of minima (minimum code −2), and to an unlisted minimum (−3) */
  minimumSet: { stable: number; unstable: number };
  unlisted: { stable: number; unstable: number };
}

/** Number of outcome class codes (0 … CLASS_COUNT−1); new codes extend PixelClass. */
export const CLASS_COUNT = Object.keys(PixelClass).length;

export function liveFractions(map: MapData, minimaCount: number): LiveFractions {
  const byClass = new Array<number>(CLASS_COUNT).fill(0);
  const perMinimum = Array.from({ length: minimaCount }, () => ({ stable: 0, unstable: 0 }));
  const minimumSet = { stable: 0, unstable: 0 };
  const unlisted = { stable: 0, unstable: 0 };
  let counted = 0;
  for (let r = 0; r < map.height; r++) {
    if (!map.rowFilled[r]) continue;
    for (let i = r * map.width, end = i + map.width; i < end; i++) {
      const cls = map.classes[i];
      if (cls < byClass.length) byClass[cls]++;
      const m = map.minimum[i];
      const to = m >= 0 && m < minimaCount ? perMinimum[m] : m === MinimumCode.Set ? minimumSet : m === MinimumCode.Unlisted ? unlisted : null;
      if (to) {
        if (cls === PixelClass.Stable) to.stable++;
        else if (cls === PixelClass.Unstable) to.unstable++;
      }
      counted++;
    }
  }
  const d = counted || 1;
  return {
    counted,
    computed: counted / (map.width * map.height),
    byClass: byClass.map((c) => c / d),
    perMinimum: perMinimum.map((p) => ({ stable: p.stable / d, unstable: p.unstable / d })),
    minimumSet: { stable: minimumSet.stable / d, unstable: minimumSet.unstable / d },
    unlisted: { stable: unlisted.stable / d, unstable: unlisted.unstable / d },
  };
}

/** Parses a CSS colour of the forms #rgb, #rrggbb, #rrggbbaa, rgb(…)/rgba(…); null otherwise. */
export function parseCssColor(text: string): Rgb | null {
  const t = text.trim();
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(t);
  if (short) return [parseInt(short[1] + short[1], 16), parseInt(short[2] + short[2], 16), parseInt(short[3] + short[3], 16)];
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})(?:[0-9a-f]{2})?$/i.exec(t);
  if (long) return [parseInt(long[1], 16), parseInt(long[2], 16), parseInt(long[3], 16)];
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(t);
  if (fn) {
    const c = (v: string): number => Math.round(Math.min(255, Number(v)));
    return [c(fn[1]), c(fn[2]), c(fn[3])];
  }
  return null;
}

/** Relative luminance (sRGB, WCAG) in [0, 1]: used to decide dark vs light theme strokes. */
export function luminance(rgb: Rgb): number {
  const lin = rgb.map((c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

export function rgbCss(rgb: Rgb): string {
  return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
}
