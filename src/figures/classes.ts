/**
 * The outcome classes as the figures show them: one entry per PixelClass code (iterated from the
 * engine's class list, so a new code gets a column, a legend entry and a colour without edits
 * here), with a label and a colour. Pure data; used by the CLI figures and usable by the panel.
 *
 * Colours follow the paper's Figure 2 (cyan stable, blue unstable, white diverged); the classes
 * the paper leaves white (not converged, other stationary point) get greys so the legend is
 * unambiguous, and codes without a colour of their own get distinct hues.
 */
import { PixelClass } from '../engine/types';
import { classColors, type Rgba } from '../shared/encode';

export interface ClassStyle {
  code: number;
  /** the PixelClass key, e.g. 'NotConverged' */
  key: string;
  /** words for legends and table headers */
  label: string;
  color: Rgba;
}

const LABELS: Record<string, string> = {
  Diverged: 'diverged',
  NotConverged: 'not converged',
  Other: 'other stationary point',
  Stable: 'stable convergence',
  Unstable: 'unstable convergence',
};

/** Hues for codes the paper palette does not cover (cycled). */
const EXTRA: readonly Rgba[] = [
  [230, 159, 0, 255],
  [204, 121, 167, 255],
  [0, 158, 115, 255],
  [240, 228, 66, 255],
  [150, 90, 40, 255],
];

/** 'BoundedAperiodic' → 'bounded aperiodic' */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Every class code, ascending, with its label and figure colour. */
export function figureClasses(): ClassStyle[] {
  const paper = classColors('paper').byClass;
  const entries = Object.entries(PixelClass as Record<string, number>).sort((a, b) => a[1] - b[1]);
  let extra = 0;
  return entries.map(([key, code]) => {
    // the shared paper palette (src/shared/classColors.ts) has every code; EXTRA only for codes beyond it
    const color: Rgba = paper[code] ?? EXTRA[extra++ % EXTRA.length];
    return { code, key, label: LABELS[key] ?? words(key), color };
  });
}

/** Fraction of pixels per class code (index = code; codes above the class list are counted too). */
export function classFractions(classes: Uint8Array, styles: readonly ClassStyle[] = figureClasses()): number[] {
  const size = Math.max(...styles.map((s) => s.code)) + 1;
  const counts = new Array<number>(size).fill(0);
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i];
    while (c >= counts.length) counts.push(0);
    counts[c]++;
  }
  return counts.map((n) => (classes.length > 0 ? n / classes.length : 0));
}

/** RGBA pixels of a class map in the figure colours (unknown codes: magenta, never white). */
export function figureMapRgba(classes: Uint8Array, width: number, height: number, styles: readonly ClassStyle[] = figureClasses()): Uint8Array {
  const count = width * height;
  if (classes.length < count) throw new RangeError(`the class map has ${classes.length} entries; ${width}×${height} needs ${count}`);
  const lut = new Uint8Array(256 * 4);
  for (let c = 0; c < 256; c++) lut.set([255, 0, 255, 255], c * 4);
  for (const s of styles) lut.set(s.color, s.code * 4);
  const out = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const o = classes[i] * 4;
    out[i * 4] = lut[o];
    out[i * 4 + 1] = lut[o + 1];
    out[i * 4 + 2] = lut[o + 2];
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function cssColor(c: Rgba): string {
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
