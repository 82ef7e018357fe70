/**
 * The tipping view's pictures and table, as data (pure): which starts change class between η₁
 * and η₂. Unchanged starts are light grey; the most frequent changes (from → to) get the
 * Okabe–Ito colours, in order of frequency; rarer changes dark grey. The table is the class
 * transition matrix over the classes that occur, in % of all starts.
 */
import type { TippingView } from '../../src/shared/measuresMessages';

export const UNCHANGED: readonly [number, number, number] = [225, 225, 225];
export const RARE: readonly [number, number, number] = [85, 85, 85];
const PAIR_COLORS: readonly (readonly [number, number, number])[] = [
  [230, 159, 0], [86, 180, 233], [0, 158, 115], [213, 94, 0], [0, 114, 178], [204, 121, 167], [240, 228, 66],
];

export interface TransitionEntry {
  label: string;
  color: string;
  /** fraction of all starts */
  fraction: number;
}

const css = (c: readonly number[]): string => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** RGBA of the transition map and its legend (unchanged first, then the changes by frequency). */
export function transitionPicture(v: TippingView, transitions: ArrayLike<number>): { rgba: Uint8Array; legend: TransitionEntry[] } {
  const K = v.codeCount;
  const labels = v.classes.labels;
  const counts = new Map<number, number>();
  for (let i = 0; i < transitions.length; i++) counts.set(transitions[i], (counts.get(transitions[i]) ?? 0) + 1);
  const changes = [...counts.entries()].filter(([t]) => Math.floor(t / K) !== t % K).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const colorOf = new Map<number, readonly [number, number, number]>();
  changes.forEach(([t], k) => colorOf.set(t, PAIR_COLORS[k] ?? RARE));
  const rgba = new Uint8Array(transitions.length * 4);
  for (let i = 0; i < transitions.length; i++) {
    const t = transitions[i];
    const c = Math.floor(t / K) === t % K ? UNCHANGED : colorOf.get(t) ?? RARE;
    rgba.set([c[0], c[1], c[2], 255], i * 4);
  }
  const total = transitions.length || 1;
  const unchanged = [...counts.entries()].filter(([t]) => Math.floor(t / K) === t % K).reduce((s, [, n]) => s + n, 0);
  const legend: TransitionEntry[] = [{ label: 'same class at both η', color: css(UNCHANGED), fraction: unchanged / total }];
  changes.slice(0, PAIR_COLORS.length).forEach(([t, n]) => legend.push({ label: `${labels[Math.floor(t / K)]} → ${labels[t % K]}`, color: css(colorOf.get(t) ?? RARE), fraction: n / total }));
  const rest = changes.slice(PAIR_COLORS.length).reduce((s, [, n]) => s + n, 0);
  if (rest > 0) legend.push({ label: 'other changes', color: css(RARE), fraction: rest / total });
  return { rgba, legend };
}

/** The class matrix restricted to classes that occur at η₁ (rows) or η₂ (columns), % of all starts. */
export function transitionTable(v: TippingView): { columns: string[]; rows: { label: string; cells: string[] }[] } {
  const m = v.classes;
  const used = m.labels.map((_, i) => i).filter((i) => m.counts[i].some((c) => c > 0) || m.counts.some((row) => row[i] > 0));
  return {
    columns: used.map((i) => m.labels[i]),
    rows: used.map((a) => ({ label: m.labels[a], cells: used.map((b) => `${(100 * m.fractions[a][b]).toFixed(1)}%`) })),
  };
}
