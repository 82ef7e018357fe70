/**
 * Map windows and the search: which boxes a map draws, and the spec whose analysis covers them.
 * Pure and dependency-free (types only), so the extension host can use it without loading the
 * engine (src/extension/panel passes its zoom/pan window through it).
 */
import type { Box, ProblemSpec, SliceSpec } from './types';

/** Is box a inside box b (every range)? */
export function boxInside(a: Box, b: Box): boolean {
  return a.every(([lo, hi], i) => lo >= b[i][0] && hi <= b[i][1]);
}

/** The box a map draws: the domain with the slice's two axis ranges replaced by the window. */
export function sliceWindow(domain: Box, slice: SliceSpec): Box {
  const box = domain.map((r): [number, number] => [r[0], r[1]]);
  box[slice.axes[0]] = [slice.xRange[0], slice.xRange[1]];
  box[slice.axes[1]] = [slice.yRange[0], slice.yRange[1]];
  return box;
}

/**
 * The spec whose analysis covers what `slice` draws: `spec` itself when the window is inside the
 * domain (or inside one of the spec's windows), else `spec` with the window added to `windows`
 * and without the critical points it may carry (they must be searched for again, window
 * included). `domain` is the resolved domain of the spec (default [-3, 3] per variable).
 */
export function windowSpec(spec: ProblemSpec, domain: Box, slice: SliceSpec): ProblemSpec {
  const window = sliceWindow(domain, slice);
  const covered = [domain, ...(spec.windows ?? [])].some((b) => boxInside(window, b));
  if (covered) return spec;
  const { criticalPoints: _searchedWithoutTheWindow, ...rest } = spec;
  return { ...rest, windows: [...(spec.windows ?? []), window] };
}
