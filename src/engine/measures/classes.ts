/**
 * The class list and the partitions of a basin map that the dynamics measures work on (pure).
 *
 * Class codes come from PixelClass (src/engine/types.ts) and are read from it, never listed here,
 * so codes added later (cycle, bounded aperiodic, still descending, …) are measured without a
 * change. A *partition* gives every pixel a label from its class code and the minimum it reached:
 *
 * - `outcome`: the class code itself (what the map shows: stable and unstable differ).
 * - `attractor`: where GD ends up — converged starts (stable or unstable) are labelled by the
 *   minimum they reached, every other class is its own label (diverged, not converged, …).
 *
 * A *boundary* is a pair of class sets A | B; it is the set where A-pixels and B-pixels meet.
 */
import { MinimumCode, PixelClass } from '../types';

export interface ClassInfo {
  code: number;
  /** 'Stable', 'NotConverged', … (the PixelClass key) */
  key: string;
  /** 'stable', 'not converged', … */
  name: string;
}

/** Every class code, ascending, with its name (read from PixelClass). */
export function classList(): ClassInfo[] {
  return Object.entries(PixelClass)
    .map(([key, code]) => ({ code: code as number, key, name: key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() }))
    .sort((a, b) => a.code - b.code);
}

/** 1 + the largest class code (the size of an array indexed by code). */
export function classCodeCount(): number {
  return classList().reduce((m, c) => Math.max(m, c.code + 1), 0);
}

/** The classes whose starts converged to a minimum (stable or unstable). */
export const CONVERGED_CLASSES: readonly number[] = [PixelClass.Stable, PixelClass.Unstable];

export type PartitionName = 'outcome' | 'attractor';

/**
 * Labels 0..count−1 of every pixel under a partition. For `attractor`, converged pixels get the
 * minimum index j (0..minimaCount−1) and every other class c gets minimaCount + (its rank in the
 * class list); `names` says what each label means.
 */
export function partitionLabels(
  partition: PartitionName,
  classes: Uint8Array,
  minimum: Int8Array | null,
  minimaCount: number,
): { labels: Uint16Array; count: number; names: string[] } {
  const list = classList();
  const codes = classCodeCount();
  const out = new Uint16Array(classes.length);
  if (partition === 'outcome') {
    const names = Array.from({ length: codes }, (_, c) => list.find((k) => k.code === c)?.name ?? `class ${c}`);
    for (let i = 0; i < classes.length; i++) out[i] = classes[i] < codes ? classes[i] : codes - 1;
    return { labels: out, count: codes, names };
  }
  const other = list.filter((c) => !CONVERGED_CLASSES.includes(c.code));
  // converged starts that reached no listed minimum (MinimumCode −2 set of minima, −3 unlisted)
  // are attractors of their own: labels minimaCount and minimaCount + 1
  const setLabel = minimaCount;
  const unlistedLabel = minimaCount + 1;
  // per class code: −1 = converged (labelled by its minimum), else the class's own label
  const labelOfClass = new Int32Array(256).fill(minimaCount + 2);
  for (const c of CONVERGED_CLASSES) labelOfClass[c] = -1;
  other.forEach((c, r) => {
    labelOfClass[c.code] = minimaCount + 2 + r;
  });
  const names = [...Array.from({ length: minimaCount }, (_, j) => `minimum #${j}`), 'a set of minima', 'an unlisted minimum', ...other.map((c) => c.name)];
  for (let i = 0; i < classes.length; i++) {
    const label = labelOfClass[classes[i]];
    if (label >= 0) out[i] = label;
    else {
      const j = minimum ? minimum[i] : -1;
      out[i] = j >= 0 && j < minimaCount ? j : j === MinimumCode.Set ? setLabel : unlistedLabel;
    }
  }
  return { labels: out, count: names.length, names };
}

/** A boundary between two sets of class codes (plain data). */
export interface BoundarySpec {
  name: string;
  a: number[];
  b: number[];
}

/** The two boundaries the measures report: stable | unstable and converged | diverged. */
export function defaultBoundaries(): BoundarySpec[] {
  return [
    { name: 'stable|unstable', a: [PixelClass.Stable], b: [PixelClass.Unstable] },
    { name: 'converged|diverged', a: [...CONVERGED_CLASSES], b: [PixelClass.Diverged] },
  ];
}

/** Per pixel: 1 = in A, 2 = in B, 0 = neither. */
export function boundarySides(classes: Uint8Array, spec: BoundarySpec): Uint8Array {
  const side = new Uint8Array(256);
  for (const c of spec.a) side[c] = 1;
  for (const c of spec.b) {
    if (side[c] === 1) throw new RangeError(`boundary '${spec.name}': class ${c} is on both sides`);
    side[c] = 2;
  }
  const out = new Uint8Array(classes.length);
  for (let i = 0; i < classes.length; i++) out[i] = side[classes[i]];
  return out;
}
