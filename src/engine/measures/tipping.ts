/**
 * Tipping between two learning rates (pure): the same starts classified at η₁ and at η₂ (two basin
 * maps of one slice), compared start by start. Why it matters: a schedule (warm-up, decay) moves
 * η between values, and which starts change their fate — stable → unstable, converging →
 * diverging, one minimum → another — is what the switch does to the landscape's basins.
 *
 * - `counts[a][b]`: starts of class a at η₁ and class b at η₂ (classes in class-list order);
 *   `fractions` divides by all starts, `rowFractions` by the starts of class a at η₁ (the
 *   probability of moving to b given a; rows of an empty class are all 0).
 * - the same over the attractor partition (which minimum, or diverged / not converged / …).
 * - `transitions`: per pixel the index a·K + b (K = number of class codes), i.e. the class at η₁
 *   and at η₂ in one number (code₁ = t div K, code₂ = t mod K).
 */
import { classCodeCount, classList, partitionLabels } from './classes';

export interface TransitionMatrix {
  /** row / column labels */
  labels: string[];
  counts: number[][];
  fractions: number[][];
  rowFractions: number[][];
  /** fraction of starts whose label differs between η₁ and η₂ */
  changed: number;
}

export interface Tipping {
  eta1: number;
  eta2: number;
  width: number;
  height: number;
  total: number;
  /** over class codes, indexed by code (0 … K−1) */
  classes: TransitionMatrix & { codes: number[] };
  /** over attractors (minimum j, then the other classes) */
  attractors: TransitionMatrix;
  /** K: transitions[i] = code at η₁ · K + code at η₂ */
  codeCount: number;
  /** row-major like the maps (row 0 = largest y) */
  transitions: Uint8Array | Uint16Array;
}

function matrix(a: ArrayLike<number>, b: ArrayLike<number>, count: number, labels: string[]): TransitionMatrix {
  const counts = Array.from({ length: count }, () => new Array<number>(count).fill(0));
  let changed = 0;
  for (let i = 0; i < a.length; i++) {
    counts[a[i]][b[i]]++;
    if (a[i] !== b[i]) changed++;
  }
  const total = a.length;
  return {
    labels,
    counts,
    fractions: counts.map((row) => row.map((c) => (total > 0 ? c / total : 0))),
    rowFractions: counts.map((row) => {
      const sum = row.reduce((s, c) => s + c, 0);
      return row.map((c) => (sum > 0 ? c / sum : 0));
    }),
    changed: total > 0 ? changed / total : 0,
  };
}

/** Compares two maps of the same slice (classes and minimum index per pixel) at η₁ and η₂. */
export function tipping(
  eta1: number,
  eta2: number,
  map1: { classes: Uint8Array; minimum: Int8Array },
  map2: { classes: Uint8Array; minimum: Int8Array },
  width: number,
  height: number,
  minimaCount: number,
): Tipping {
  const total = width * height;
  for (const [name, m] of [['η₁', map1], ['η₂', map2]] as const) {
    if (m.classes.length !== total || m.minimum.length !== total) throw new RangeError(`the map at ${name} has ${m.classes.length} pixels; ${width}×${height} needs ${total}`);
  }
  const K = classCodeCount();
  const names = Array.from({ length: K }, (_, c) => classList().find((k) => k.code === c)?.name ?? `class ${c}`);
  for (const [name, m] of [['η₁', map1], ['η₂', map2]] as const) {
    for (let i = 0; i < total; i++) if (m.classes[i] >= K) throw new RangeError(`the map at ${name} has class code ${m.classes[i]} at pixel ${i}; codes are 0..${K - 1}`);
  }
  const transitions = K * K <= 256 ? new Uint8Array(total) : new Uint16Array(total);
  for (let i = 0; i < total; i++) transitions[i] = map1.classes[i] * K + map2.classes[i];
  const a1 = partitionLabels('attractor', map1.classes, map1.minimum, minimaCount);
  const a2 = partitionLabels('attractor', map2.classes, map2.minimum, minimaCount);
  return {
    eta1,
    eta2,
    width,
    height,
    total,
    classes: { ...matrix(map1.classes, map2.classes, K, names), codes: Array.from({ length: K }, (_, c) => c) },
    attractors: matrix(a1.labels, a2.labels, a1.count, a1.names),
    codeCount: K,
    transitions,
  };
}
