/**
 * Connected sets of degenerate critical points (lines, circles, surfaces of critical points)
 * reduced to one representative each (step 6 of the search in src/engine/critical.ts).
 */
import { compareCriticalPoints } from './stationary';
import type { CriticalPoint } from './types';

export interface DegenerateCandidate {
  x: Float64Array;
  cp: CriticalPoint;
}

/**
 * One representative per connected set of degenerate critical points (module comment, step 6),
 * ordered by kind/value/coordinates.
 */
export function mergeDegenerate(
  all: DegenerateCandidate[],
  distance: (p: Float64Array, q: Float64Array) => number,
  cheapLink: (a: Float64Array, b: Float64Array) => boolean,
  projectedLink: (a: Float64Array, b: Float64Array, dist: number) => boolean,
  centre: Float64Array,
): CriticalPoint[] {
  // Points this close are one (isolated degenerate points are resolved far better than this).
  // (Nearest the box centre first, so it is the one kept: the component's representative.)
  const byCentre = all.map((p, i) => ({ p, i, d: distance(p.x, centre) })).sort((a, b) => a.d - b.d || a.i - b.i);
  const points: typeof all = [];
  for (const { p } of byCentre) if (!points.some((q) => distance(p.x, q.x) <= DEGENERATE_SAME)) points.push(p);
  const k = points.length;
  if (k <= 1) return points.map((p) => p.cp);
  const parent = Array.from({ length: k }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const pairs: { i: number; j: number; dist: number }[] = [];
  const nearest = new Set<number>(); // pair keys among each point's NEIGHBOURS nearest
  for (let i = 0; i < k; i++) {
    const near: { j: number; dist: number }[] = [];
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      const dist = distance(points[i].x, points[j].x);
      if (dist <= DEGENERATE_LINK_RANGE) near.push({ j, dist });
    }
    near.sort((p, q) => p.dist - q.dist || p.j - q.j);
    near.forEach(({ j, dist }, rank) => {
      const key = Math.min(i, j) * k + Math.max(i, j);
      if (rank < NEIGHBOURS) nearest.add(key);
      if (j > i) pairs.push({ i, j, dist });
    });
  }
  pairs.sort((p, q) => p.dist - q.dist || p.i - q.i || p.j - q.j);
  // Closest pairs first; the cheap test for every pair, the projection only for near neighbours.
  for (const { i, j, dist } of pairs) {
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) continue;
    const a = points[i].x;
    const b = points[j].x;
    if (cheapLink(a, b) || (nearest.has(i * k + j) && projectedLink(a, b, dist))) parent[Math.max(ri, rj)] = Math.min(ri, rj);
  }
  const best = new Map<number, number>();
  for (let i = 0; i < k; i++) {
    const r = find(i);
    const cur = best.get(r);
    if (cur === undefined || distance(points[i].x, centre) < distance(points[cur].x, centre)) best.set(r, i);
  }
  return [...best.values()].map((i) => points[i].cp).sort(compareCriticalPoints);
}

/** degenerate points closer than this (normalised) are one */
const DEGENERATE_SAME = 1e-3;
/** links between degenerate points are tested up to this normalised distance */
const DEGENERATE_LINK_RANGE = 0.25;
/** the expensive (projected) link test is tried with this many nearest neighbours */
const NEIGHBOURS = 8;
