/**
 * The colours and names of the outcome classes, in one place for every renderer: the CLI's PNG
 * maps (src/shared/encode.ts and the figure renderer), the panel's canvas and legend
 * (webview/lib/colors.ts). Pure data and functions: no Node, DOM or vscode APIs.
 *
 * Class codes (src/engine/types.ts PixelClass): 0 diverged, 1 not converged, 2 other stationary
 * point, 3 stable, 4 unstable, 5 cycle, 6 bounded aperiodic, 7 still descending. Starts that
 * converged (3, 4) to a point of a non-isolated set of minima or to an unlisted minimum (minimum
 * codes −2, −3) have their own stable / unstable pair. Every class has a colour of its own in
 * every scheme (a test checks it).
 */
import { CLASS_COUNT, MinimumCode, PixelClass } from '../engine/types';

/** [r, g, b, a], 0..255 each */
export type Rgba = readonly [number, number, number, number];

export type ColorScheme = 'paper' | 'per-minimum' | 'colorblind';

export const COLOR_SCHEME_NAMES: readonly ColorScheme[] = ['paper', 'per-minimum', 'colorblind'];

/** Colours of a scheme, as plain data. */
export interface ClassPalette {
  /** indexed by class code 0 … CLASS_COUNT−1 (stable / unstable for every listed minimum unless the per-minimum lists are non-empty) */
  byClass: Rgba[];
  /** per-minimum colours of stable / unstable starts (cycled); empty → byClass */
  stableByMinimum: Rgba[];
  unstableByMinimum: Rgba[];
  /** stable / unstable convergence to a set of minima or an unlisted minimum (minimum code −2 or −3) */
  stableSet: Rgba;
  unstableSet: Rgba;
}

/** Short names of the class codes, for legends and messages. */
export const CLASS_NAMES: readonly string[] = [
  'diverged', 'not converged', 'other stationary point', 'stable', 'unstable', 'cycle', 'bounded aperiodic', 'still descending',
];

const WHITE: Rgba = [255, 255, 255, 255];

/**
 * paper: Figure 2 — cyan stable, blue unstable, white diverged; the classes the paper does not
 * draw in greys (light not converged, darker other) and Okabe–Ito hues (orange cycle, reddish
 * purple bounded aperiodic, bluish green still descending); pale turquoise / light slate blue for
 * convergence to a set of minima. The figures (src/figures/classes.ts) use the same colours.
 * colorblind: Okabe–Ito — sky blue stable, vermillion unstable, yellow other, orange cycle,
 * reddish purple aperiodic, bluish green still descending, blue / dark grey for sets of minima.
 * per-minimum: a light (stable) and dark (unstable) shade per minimum, teal for sets of minima.
 */
export function classColors(scheme: ColorScheme): ClassPalette {
  switch (scheme) {
    case 'paper':
      return {
        byClass: [WHITE, [205, 205, 205, 255], [140, 140, 140, 255], [0, 255, 255, 255], [0, 0, 255, 255], [230, 159, 0, 255], [204, 121, 167, 255], [0, 158, 115, 255]],
        stableByMinimum: [],
        unstableByMinimum: [],
        stableSet: [175, 238, 238, 255],
        unstableSet: [132, 112, 255, 255],
      };
    case 'colorblind':
      return {
        byClass: [WHITE, [221, 221, 221, 255], [240, 228, 66, 255], [86, 180, 233, 255], [213, 94, 0, 255], [230, 159, 0, 255], [204, 121, 167, 255], [0, 158, 115, 255]],
        stableByMinimum: [],
        unstableByMinimum: [],
        stableSet: [0, 114, 178, 255],
        unstableSet: [80, 80, 80, 255],
      };
    case 'per-minimum':
      return {
        byClass: [WHITE, [221, 221, 221, 255], [160, 160, 160, 255], [0, 255, 255, 255], [0, 0, 255, 255], [250, 128, 114, 255], [186, 85, 211, 255], [238, 232, 170, 255]],
        stableByMinimum: [[0, 255, 255, 255], [144, 238, 144, 255], [255, 200, 120, 255], [255, 170, 220, 255], [200, 180, 255, 255], [255, 240, 120, 255]],
        unstableByMinimum: [[0, 0, 255, 255], [0, 140, 0, 255], [220, 110, 0, 255], [200, 0, 120, 255], [100, 40, 200, 255], [170, 150, 0, 255]],
        stableSet: [175, 238, 238, 255],
        unstableSet: [0, 128, 128, 255],
      };
    default: {
      const bad: never = scheme;
      throw new Error(`unknown colour scheme '${String(bad)}'`);
    }
  }
}

/** The colour of one classified pixel (`minimum`: index, or a MinimumCode). Unknown codes are white. */
export function pixelColor(palette: ClassPalette, cls: number, minimum: number): Rgba {
  if (cls === PixelClass.Stable || cls === PixelClass.Unstable) {
    const stable = cls === PixelClass.Stable;
    if (minimum === MinimumCode.Set || minimum === MinimumCode.Unlisted) return stable ? palette.stableSet : palette.unstableSet;
    const list = stable ? palette.stableByMinimum : palette.unstableByMinimum;
    if (minimum >= 0 && list.length > 0) return list[minimum % list.length];
  }
  return cls < CLASS_COUNT ? (palette.byClass[cls] ?? WHITE) : WHITE;
}
